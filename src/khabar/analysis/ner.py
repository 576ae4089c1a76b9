"""Named-entity recognition: PERSON, LOCATION and ORGANIZATION mentions.

The full step is a CRF model (python-crfsuite, trained on IL-NER by `khabar train ner`, with word
clusters distilled from multilingual-e5-small in `fast` mode and contextual encoder features in
`accurate` mode; see `khabar.analysis.ner_vectors`) and the few rules that gain on cross-validated
IL-NER train (`khabar eval ner --cv 5 --ablate`; docs/ner.md gives each one's gain):

1. an adjectival place form with a noun in a model span (यूरोपीय देशों) is the adjectival mention alone;
2. a name-like word before a common surname is a PERSON (भगत सिंह);
3. the hand-written place gazetteer (`curated_places.tsv`), except a place right before a scheme or
   statute noun (स्वच्छ भारत अभियान); adjectival place forms (अमेरिकी → अमेरिका) as place mentions;
4. the organisation rules of `khabar.analysis.ner_orgs`;
5. in a whole article, a person's full name or surname seen once is tagged wherever else it occurs,
   spelling variants included (विटकॉफ/विटकोफ, कुशनर/कुश्नर).

Titles before a person are given as `role`. Rule spans never cut through a model span; an
organisation head span may replace model spans it strictly contains. (A rule making a PERSON of
name-like words after a title lost on both news gold sets and was removed: docs/ner.md.)
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import cache
from typing import Any

from khabar.analysis import ner_orgs
from khabar.analysis.ner_features import (
    extract_features,
    fold_cached,
    load_common_words,
    load_curated_places,
    load_function_words,
    load_org_heads,
    load_place_adjectives,
    load_places,
    load_scheme_nouns,
    load_surnames,
    variant_key,
)
from khabar.analysis.ner_features import load_titles as _load_title_kinds
from khabar.analysis.ner_orgs import TokenSpan as TokenSpan
from khabar.analysis.ner_orgs import is_punct as _is_punct
from khabar.analysis.ner_vectors import (
    DEFAULT_MODE,
    accurate_features,
    check_mode,
    fast_features,
    load_tables,
)
from khabar.article import Article, EntityType, Mention
from khabar.encoder import Vectors
from khabar.errors import ModelError
from khabar.lang.hi import data_path, read_table

# The CRF of each recipe: `fast` (the default) and `accurate` ship; `plain` (no vector features) is
# built only by cross-validation, for comparison.
MODEL_FILES = {
    "plain": "models/ner_plain.crfsuite",
    "fast": "models/ner.crfsuite",
    "accurate": "models/ner_accurate.crfsuite",
}
# a sequence model: tokens of one sentence → BIO tags (PERSON/LOCATION/ORGANIZATION)
ModelTagger = Callable[[list[str]], list[str]]
# Longest title phrase, in tokens (राष्ट्रीय सुरक्षा सलाहकार).
TITLE_MAX_TOKENS = 3
# longest gazetteer phrase matched (डेमोक्रेटिक रिपब्लिक ऑफ द कांगो)
GAZETTEER_MAX_TOKENS = 6
# The rules on top of the model, by name: `find_spans(..., off=...)` switches some off, so that
# `khabar eval ner --cv 5 --ablate` can measure what each one gains on held-out folds. Rules that did
# not gain there were removed (docs/ner.md lists them with their figures).
RULES = (
    "adjectival_cut",  # "यूरोपीय देशों": an adjectival place form with a noun is the form alone
    "surname",  # a name-like word before a common surname is a person
    "gaz_curated_places",  # the hand-written place gazetteer curated_places.tsv
    "scheme_place",  # a place right before a scheme or statute noun is no place mention
    "gaz_adjectival",  # adjectival place forms as place mentions (not names: IL-NER leaves them O)
    # organisation rules (khabar.analysis.ner_orgs)
    "brackets",  # a model span with a bracket inside is the name before it and the name in it
    "org_before",  # places, place adjectives and model words before a listed organisation head
    "org_learned",  # words seen inside organisation names before a head learned from the gazetteers
    "org_place_after",  # a place right after a learned head belongs to the name (ज़िला अस्पताल सीतापुर)
    "gaz_orgs",  # the hand-written organisation gazetteer ner_orgs.tsv
    "gaz_curated_orgs",  # the hand-written organisation gazetteer curated_orgs.tsv
    "abbreviation",  # an acronym in brackets after an organisation
)


@cache
def load_titles() -> frozenset[str]:
    """The title and role phrases that may precede a name, as written in `lang/hi/titles.tsv` (for
    stripping titles; the NER itself matches them in folded form, nukta and chandrabindu ignored).
    Epithets (स्वामी, संत), which belong to the name, are not among them."""
    return frozenset(
        row[0] for row in read_table("titles.tsv") if row and row[0] and (len(row) < 2 or row[1] != "epithet")
    )


@cache
def _first_words(phrases: frozenset[str]) -> frozenset[str]:
    return frozenset(p.split(" ")[0] for p in phrases)


@cache
def _tagger(mode: str = DEFAULT_MODE) -> tuple[Any, threading.Lock]:
    """The CRF tagger of a mode, opened once per process, with the lock that serialises its use (a
    crfsuite tagger keeps the last sentence inside, so two threads must not tag with it at once)."""
    import pycrfsuite

    path = data_path(MODEL_FILES[check_mode(mode)])
    tagger = pycrfsuite.Tagger()
    try:
        tagger.open(str(path))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot open the NER model {path}: {exc} (rebuild: khabar train ner)") from None
    return tagger, threading.Lock()


def _is_name_like(key: str) -> bool:
    """Whether a folded word could be part of a transliterated name (not a function, common, title,
    place or organisation word, nor punctuation or a number)."""
    if not key or _is_punct(key) or any(ch.isdigit() for ch in key):
        return False
    return not (
        key in load_function_words()
        or key in load_common_words()
        or key in _load_title_kinds()
        or key in load_places()
        or key in load_org_heads()
        or key in load_place_adjectives()
    )


def _title_ending_at(keys: Sequence[str], end: int) -> tuple[int, str] | None:
    """The longest title phrase ending just before token `end`: (its start, the phrase)."""
    titles = _load_title_kinds()
    for length in range(min(TITLE_MAX_TOKENS, end), 0, -1):
        phrase = " ".join(keys[end - length : end])
        if phrase in titles:
            return end - length, phrase
    return None


def _role_before(tokens: Sequence[str], keys: Sequence[str], start: int) -> str | None:
    """The role title directly before a name (honorifics stepped over), as written in the text."""
    end = start
    while end > 0:
        found = _title_ending_at(keys, end)
        if found is None:
            return None
        title_start, phrase = found
        if _load_title_kinds()[phrase] == "role":
            return " ".join(tokens[title_start:end])
        end = title_start
    return None


def _trim(span: TokenSpan, keys: Sequence[str], off: frozenset[str] = frozenset()) -> TokenSpan | None:
    """A model span as a mention: an adjectival place form with a noun is the form alone. (Trimming
    postpositions, punctuation and conjunctions off the edges lost on cross-validation: the model
    does not put them there.)"""
    start, end = span.start, span.end
    if (
        "adjectival_cut" not in off
        and span.type == "LOCATION"
        and keys[start] in load_place_adjectives()
        and " ".join(keys[start:end]) not in load_places()  # सऊदी अरब is a place, not सऊदी + a noun
    ):
        # "यूरोपीय देशों": the adjective names the place, the noun after it does not
        return replace(
            span, end=start + 1, source="pattern", name=load_place_adjectives()[keys[start]], adjectival=True
        )
    return span


def from_bilou(tags: Sequence[str]) -> list[str]:
    """BILOU model labels as BIO tags (U- → B-, L- → I-)."""
    return [("B-" + t[2:]) if t[0] == "U" else ("I-" + t[2:]) if t[0] == "L" else t for t in tags]


def mode_features(
    tokens: Sequence[str], mode: str, vectors: Vectors | None = None, probs: Vectors | None = None
) -> list[list[str]] | None:
    """The vector features a mode adds to the CRF's (None for `plain`; `probs`: the head's
    predictions, given in training by cross-fitting)."""
    if mode == "plain":
        return None
    keys = [fold_cached(t) for t in tokens]
    if mode == "fast":
        return fast_features(keys)
    return accurate_features(tokens, keys, vectors, probs)


def _model_spans(
    tokens: Sequence[str],
    model: ModelTagger | None = None,
    mode: str = DEFAULT_MODE,
    vectors: Vectors | None = None,
) -> list[TokenSpan]:
    from khabar.eval.ner import spans_from_bio

    if model is not None:
        tags = model(list(tokens))
    else:
        features = extract_features(tokens, extra=mode_features(tokens, check_mode(mode), vectors))
        tagger, lock = _tagger(mode)
        with lock:
            labels = tagger.tag(features)
        tags = from_bilou(labels)
    return [TokenSpan(s, e, kind, "model") for s, e, kind in spans_from_bio(tags)]  # type: ignore[arg-type]


def _surname_spans(keys: Sequence[str]) -> list[TokenSpan]:
    """PERSON spans of a name-like word followed by a common surname (भगत सिंह)."""
    surnames = load_surnames()
    out: list[TokenSpan] = []
    for i in range(1, len(keys)):
        if keys[i] in surnames and _is_name_like(keys[i - 1]) and keys[i - 1] not in surnames:
            out.append(TokenSpan(i - 1, i + 1, "PERSON", "pattern"))
    return out


@cache
def _gazetteers(off: frozenset[str]) -> tuple[frozenset[str], dict[str, str], frozenset[str]]:
    """The place phrases, adjectival forms and their first words the rules match. (The organisation
    gazetteers and the generated place lists lost on cross-validation as rules: they are model
    features only.)"""
    places = load_curated_places() if "gaz_curated_places" not in off else frozenset()
    adjectives = load_place_adjectives() if "gaz_adjectival" not in off else {}
    return places, adjectives, _first_words(places | frozenset(adjectives))


def _gazetteer_spans(keys: Sequence[str], off: frozenset[str] = frozenset()) -> list[TokenSpan]:
    """Longest place gazetteer matches and adjectival place forms (not a place inside a scheme or
    statute name: स्वच्छ भारत अभियान, रोम संविधि)."""
    places, adjectives, firsts = _gazetteers(off & frozenset({"gaz_curated_places", "gaz_adjectival"}))
    schemes = load_scheme_nouns() if "scheme_place" not in off else frozenset()
    out: list[TokenSpan] = []
    i = 0
    n = len(keys)
    while i < n:
        if keys[i] not in firsts:
            i += 1
            continue
        for length in range(min(GAZETTEER_MAX_TOKENS, n - i), 0, -1):
            phrase = " ".join(keys[i : i + length])
            if phrase in places:
                if i + length >= n or keys[i + length] not in schemes:
                    out.append(TokenSpan(i, i + length, "LOCATION", "gazetteer"))
                break
            if phrase in adjectives:
                out.append(
                    TokenSpan(i, i + length, "LOCATION", "pattern", name=adjectives[phrase], adjectival=True)
                )
                break
        else:
            i += 1
            continue
        i += length
    return out


def _overlaps(a: TokenSpan, b: TokenSpan) -> bool:
    return a.start < b.end and b.start < a.end


def _add_span(accepted: list[TokenSpan], span: TokenSpan, replace_model: bool) -> None:
    """Add a rule span unless it cuts through an accepted one; it may swallow adjectival place forms it
    strictly contains (भारतीय सेना), and model spans too if `replace_model`."""
    clashing = [s for s in accepted if _overlaps(s, span)]
    if not clashing:
        accepted.append(span)
        return
    if all(
        ((replace_model and s.source == "model") or s.adjectival)
        and span.start <= s.start
        and s.end <= span.end
        and (s.end - s.start) < (span.end - span.start)
        for s in clashing
    ):
        for s in clashing:
            accepted.remove(s)
        accepted.append(span)


def find_spans(
    tokens: Sequence[str],
    model: ModelTagger | None = None,
    off: frozenset[str] = frozenset(),
    mode: str = DEFAULT_MODE,
    vectors: Vectors | None = None,
) -> list[TokenSpan]:
    """All mentions in one tokenised sentence (the full NER step), sorted by start.

    `model` replaces the shipped CRF (a callable giving BIO tags), for measuring other models with the
    same rules on top; `off` names rules of `RULES` to leave out; `mode` is `fast` or `accurate`
    (`vectors`: the sentence's encoder word vectors for `accurate`, computed if not given)."""
    if not tokens:
        return []
    keys = [fold_cached(t) for t in tokens]
    accepted: list[TokenSpan] = []
    for span in _model_spans(tokens, model, mode, vectors):
        for piece in ner_orgs.split_brackets(span, keys) if "brackets" not in off else [span]:
            trimmed = _trim(piece, keys, off)
            if trimmed is not None:
                accepted.append(trimmed)
    if "surname" not in off:
        for span in _surname_spans(keys):
            _add_span(accepted, span, replace_model=False)
    for span in ner_orgs.head_spans(keys, accepted, off):
        _add_span(accepted, span, replace_model=True)
    for span in _gazetteer_spans(keys, off) + ner_orgs.gazetteer_spans(keys, off):
        _add_span(accepted, span, replace_model=False)
    if "abbreviation" not in off:
        for span in ner_orgs.abbreviation_spans(keys, accepted):
            _add_span(accepted, span, replace_model=False)
    out = []
    for span in sorted(accepted, key=lambda s: s.start):
        role = _role_before(tokens, keys, span.start) if span.type == "PERSON" else None
        out.append(replace(span, role=role) if role else span)
    return out


def tag_tokens(
    tokens: list[str],
    model: ModelTagger | None = None,
    off: frozenset[str] = frozenset(),
    mode: str = DEFAULT_MODE,
) -> list[str]:
    """BIO tags (B-PERSON, I-LOCATION, …, O) for one tokenised sentence, from the full NER step.

    Adjectival place forms (अमेरिकी) are mentions of a place but not names, so they stay O here, as in
    the IL-NER annotation; `tag_article` keeps them as LOCATION mentions with `name` set."""
    tags = ["O"] * len(tokens)
    for span in find_spans(tokens, model, off, mode):
        if span.adjectival:
            continue
        tags[span.start] = f"B-{span.type}"
        for i in range(span.start + 1, span.end):
            tags[i] = f"I-{span.type}"
    return tags


def _propagate(
    article: Article, sentences: list[tuple[list[tuple[int, int]], list[TokenSpan]]]
) -> list[list[TokenSpan]]:
    """Tag other occurrences of each PERSON's full name and surname (spelling variants included).

    A model span of another type whose words are a full name or surname of a person with a full name
    or a role elsewhere in the article becomes a PERSON (जेलेंस्की ने … is not an organisation)."""
    text = article.text
    names: dict[tuple[str, ...], EntityType] = {}
    strong: set[tuple[str, ...]] = set()
    for offsets, spans in sentences:
        for span in spans:
            if span.type != "PERSON" or span.source == "gazetteer":
                continue
            words = tuple(variant_key(text[s:e]) for s, e in offsets[span.start : span.end])
            names.setdefault(words, "PERSON")
            if len(words) > 1 or span.role:
                strong.add(words)
            last = words[-1]
            if len(words) > 1 and _is_name_like(
                fold_cached(text[offsets[span.end - 1][0] : offsets[span.end - 1][1]])
            ):
                names.setdefault((last,), "PERSON")
                strong.add((last,))
    longest = max((len(k) for k in names), default=0)
    out: list[list[TokenSpan]] = []
    for offsets, spans in sentences:
        keys = [variant_key(text[s:e]) for s, e in offsets]
        found = [
            replace(span, type="PERSON")
            if span.type != "PERSON"
            and span.source == "model"
            and tuple(keys[span.start : span.end]) in strong
            else span
            for span in spans
        ]
        i = 0
        while i < len(keys):
            for length in range(min(longest, len(keys) - i), 0, -1):
                kind = names.get(tuple(keys[i : i + length]))
                if kind is None:
                    continue
                candidate = TokenSpan(i, i + length, kind, "pattern")
                if not any(_overlaps(candidate, s) for s in found):
                    tokens = [text[s:e] for s, e in offsets]
                    role = _role_before(tokens, [fold_cached(t) for t in tokens], i)
                    found.append(replace(candidate, role=role))
                    i += length - 1
                break
            i += 1
        out.append(sorted(found, key=lambda s: s.start))
    return out


def tag_article(article: Article, mode: str = DEFAULT_MODE, off: frozenset[str] = frozenset()) -> Article:
    """Set `article.mentions` from the kept sentences (teaser and other removed lines give none);
    `mode` is `fast` (the default) or `accurate` (the encoder runs over all sentences in one batch);
    `off` names rules of `RULES` to leave out (for measuring them)."""
    check_mode(mode)
    text = article.text
    token_lists = [[text[s:e] for s, e in sent.tokens] for sent in article.sentences]
    vectors: list[Vectors | None] = [None] * len(token_lists)
    if mode == "accurate" and token_lists:
        from khabar.encoder import get_encoder

        vectors = list(get_encoder().word_vectors(token_lists, load_tables().context_layer))
    sentences: list[tuple[list[tuple[int, int]], list[TokenSpan]]] = []
    for sent, tokens, vecs in zip(article.sentences, token_lists, vectors, strict=True):
        sentences.append((list(sent.tokens), find_spans(tokens, off=off, mode=mode, vectors=vecs)))
    mentions: list[Mention] = []
    for (offsets, _), spans in zip(sentences, _propagate(article, sentences), strict=True):
        for span in spans:
            start = offsets[span.start][0]
            end = offsets[span.end - 1][1]
            mentions.append(
                Mention(
                    start=start,
                    end=end,
                    text=text[start:end],
                    type=span.type,
                    source=span.source,
                    name=span.name if span.name and span.name != text[start:end] else None,
                    role=span.role,
                )
            )
    article.mentions = sorted(mentions, key=lambda m: (m.start, m.end))
    return article
