"""The learned trigger model: which words of a sentence name an event, and of which CAMEO root.

The rules of `events.py` read a trigger from the table (`event_triggers.tsv`) in its sentence and
decide whether it is an event (predicate, sense, state, embedding). This model widens and re-decides:

1. *Candidates.* Every table form (as the rules find them); every other word whose light stem
   (`stem`: the search analyzer's inflection stemmer, `khabar.text.analyzer.stem` on the prefolded
   word) is the stem of a one-word table form, so every inflection of a known trigger is found
   (मिलकर, पहुंचेगी, हमलों); and every
   word whose stem the model's lexicon has seen inside a gold trigger, once for each of its two most
   frequent CAMEO roots (इस्तीफा, पथराव, छापे; सहायता as aid or as a promise of aid).
2. *Features* of each candidate: how it was found, its root, the rules' verdict (kept as a light-verb
   predicate, a verb, embedded …, or rejected for status, sense, state, rumour …), its form and stem,
   the words around it (next two, previous one, a light verb or a negation within three words), whether
   it stands inside a quote, its modality and roles, and the lexicon's evidence for the stem in that
   root (how often the stem was inside a gold trigger of that root / how often it was seen at all).
3. *Decision.* A logistic regression gives the probability that the candidate is a trigger of its
   root; among overlapping candidates the most probable is kept when it reaches `threshold`.

`khabar train facts` fits the model on the project's facts gold set and writes
`lang/hi/models/event_triggers.json`; `khabar eval facts --cv 5` scores the whole recipe by
cross-validation over articles (see docs/facts.md).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from khabar.analysis._facts import WORD_CHAR, lexicon, mentions_starting_in, span_index
from khabar.article import Article, Span
from khabar.lang.hi import data_path, read_list
from khabar.text import analyzer

MODEL_FILE = "models/event_triggers.json"
# Candidates per word from the learned lexicon: its most frequent roots.
LEXICON_ROOTS = 2
WORD = re.compile(rf"{WORD_CHAR}+")


@cache
def stem(word: str) -> str:
    """A word's light stem: the search analyzer's stemmer (`lang/hi/stem_suffixes.tsv`) on the word
    prefolded as the analyzer does it (nukta and zero-width joiners dropped, chandrabindu as anusvara),
    so one stemmer serves search and the event model."""
    return analyzer.stem(analyzer.prefold(word))


@cache
def loose_stem(word: str) -> str:
    """A word's stem with a participle's -त also dropped (निकालते → निकाल, ठहराते → ठहर), for matching
    the words of multi-word forms."""
    st = stem(word)
    if len(st) > 2 and st.endswith("त") and word.endswith(("ते", "ता", "ती")):
        st = stem(st[:-1])
    return st


@cache
def function_words() -> frozenset[str]:
    """Words never a trigger on their own: postpositions, pronouns, auxiliaries, light verbs, the
    generic actor nouns (पुलिस, सरकार)."""
    cues = {row[0] for row in lexicon("event_cues.tsv") if row[1] in ("light", "aux", "copula", "negation")}
    actors = {row[0] for row in lexicon("actor_types.tsv") if " " not in row[0]}
    return frozenset(read_list("ner_function_words.txt") | cues | read_list("pronouns.tsv") | actors)


@cache
def _function_stems() -> frozenset[str]:
    light = {row[0] for row in lexicon("event_cues.tsv") if row[1] == "light_form"}
    return frozenset(stem(w) for w in function_words() | light)


def is_content(word: str) -> bool:
    """Whether a word may name an event: no function word or inflection of one, no digit, two letters."""
    return (
        len(word) >= 2
        and not word[0].isdigit()
        and word not in function_words()
        and stem(word) not in _function_stems()
    )


def content_stems(text: str) -> set[str]:
    """The stems of a span's content words."""
    return {stem(w) for w in WORD.findall(text) if is_content(w)}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A word or table form that may name an event: its span, sentence, the CAMEO code it would
    carry and how it was found (table, stem, lexicon)."""

    span: Span
    sentence: int
    cameo: str
    source: str
    form: str
    rules: bool = False  # the rules read it as an event

    @property
    def root(self) -> str:
        return self.cameo[:2]


@dataclass(slots=True)
class TriggerModel:
    """Logistic-regression weights over candidate features, the learned lexicon (stem → CAMEO code →
    times inside a gold trigger), how often each stem was seen, and the decision threshold."""

    weights: dict[str, float] = field(default_factory=dict)
    bias: float = 0.0
    threshold: float = 0.5
    keep_threshold: float = 0.5
    lexicon: dict[str, dict[str, int]] = field(default_factory=dict)
    seen: dict[str, int] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    target_weights: dict[str, float] = field(default_factory=dict)
    source_weights: dict[str, float] = field(default_factory=dict)

    def prob(self, feats: dict[str, float]) -> float:
        z = self.bias + sum(self.weights.get(k, 0.0) * v for k, v in feats.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def codes(self, stem_: str) -> list[str]:
        """The CAMEO codes the lexicon gives a stem: for each of its `LEXICON_ROOTS` most frequent
        roots, that root's most frequent code."""
        totals: dict[str, int] = {}
        best: dict[str, tuple[int, str]] = {}
        for code, n in sorted(self.lexicon.get(stem_, {}).items()):
            root = code[:2]
            totals[root] = totals.get(root, 0) + n
            if n > best.get(root, (0, ""))[0]:
                best[root] = (n, code)
        ranked = sorted(totals, key=lambda r: (-totals[r], r))
        return [best[r][1] for r in ranked[:LEXICON_ROOTS]]

    def evidence(self, stem_: str, root: str) -> tuple[int, int]:
        """(times inside a gold trigger of `root`, times seen) for a stem."""
        k = sum(n for code, n in self.lexicon.get(stem_, {}).items() if code[:2] == root)
        return k, self.seen.get(stem_, 0)

    def to_json(self) -> dict[str, Any]:
        return {
            "meta": self.meta,
            "threshold": self.threshold,
            "keep_threshold": self.keep_threshold,
            "bias": self.bias,
            "weights": _rounded(self.weights),
            "lexicon": {k: dict(sorted(v.items())) for k, v in sorted(self.lexicon.items())},
            "seen": dict(sorted(self.seen.items())),
            "target_weights": _rounded(self.target_weights),
            "source_weights": _rounded(self.source_weights),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TriggerModel:
        return cls(
            weights={str(k): float(v) for k, v in data["weights"].items()},
            bias=float(data["bias"]),
            threshold=float(data["threshold"]),
            keep_threshold=float(data.get("keep_threshold", data["threshold"])),
            lexicon={str(k): {str(c): int(n) for c, n in v.items()} for k, v in data["lexicon"].items()},
            seen={str(k): int(v) for k, v in data["seen"].items()},
            meta=dict(data.get("meta", {})),
            target_weights={str(k): float(v) for k, v in data.get("target_weights", {}).items()},
            source_weights={str(k): float(v) for k, v in data.get("source_weights", {}).items()},
        )

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=0) + "\n", encoding="utf-8")


def _rounded(weights: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 5) for k, v in sorted(weights.items()) if abs(v) >= 1e-4}


@cache
def shipped_model() -> TriggerModel | None:
    """The model shipped in the package (None when it has not been built)."""
    try:
        path = data_path(MODEL_FILE)
    except Exception:
        return None
    return TriggerModel.from_json(json.loads(path.read_text(encoding="utf-8")))


def sentence_words(text: str, s: int, e: int) -> list[tuple[int, int, str]]:
    """The words of `[s, e)` with their offsets."""
    return [(m.start(), m.end(), m.group(0)) for m in WORD.finditer(text, s, e)]


def find_candidates(
    article: Article,
    i: int,
    table_spans: Sequence[tuple[Span, str]],
    stem_index: dict[str, str],
    model: TriggerModel,
    multi_index: dict[tuple[str, ...], str] | None = None,
    multi_code: dict[str, str] | None = None,
) -> list[Candidate]:
    """The candidates of sentence `i`: its table matches (`table_spans`: span and CAMEO code), other
    inflections of table forms (one-word forms by stem, multi-word ones by the loose stems of their
    words: `multi_index`, with each form's code in `multi_code`), and words the lexicon knows, per
    root."""
    text = article.text
    sent = article.sentences[i]
    out = [Candidate(sp, i, code, "table", text[sp.start : sp.end]) for sp, code in table_spans]
    named = [(m.start, m.end) for m in mentions_starting_in(article, sent.start, sent.end)]
    words = sentence_words(text, sent.start, sent.end)
    if multi_index and multi_code:
        longest = max(len(k) for k in multi_index)
        tables = [(c.span.start, c.span.end) for c in out]  # a table form wins over an inflection
        loose = [loose_stem(w) for _, _, w in words]
        for k in range(len(words)):
            for n in range(2, min(longest, len(words) - k) + 1):
                form = multi_index.get(tuple(loose[k : k + n]))
                span = (words[k][0], words[k + n - 1][1])
                if form is not None and not any(a < span[1] and span[0] < b for a, b in tables):
                    out.append(Candidate(Span(*span), i, multi_code[form], "stem", text[span[0] : span[1]]))
    for s, e, w in words:
        if not is_content(w) or any(a <= s < b for a, b in named):
            continue
        covered = [c for c in out if c.span.start <= s and e <= c.span.end]
        st = stem(w)
        if not covered and st in stem_index:
            out.append(Candidate(Span(s, e), i, stem_index[st], "stem", w))
        roots = {c.root for c in out if c.span.start <= s and e <= c.span.end}
        for code in model.codes(st):
            if code[:2] not in roots:
                out.append(Candidate(Span(s, e), i, code, "lexicon", w))
                roots.add(code[:2])
    return out


NEAR = 3
# Words after a candidate searched for its verb.
VERB_REACH = 6
POSTPOSITIONS = frozenset({"में", "पर", "से", "को", "के", "की", "का"})


@cache
def verb_forms() -> frozenset[str]:
    """Word forms UD Hindi PUD tags as verbs (`verb_forms_gen.txt`, built by `khabar train facts`)."""
    return read_list("verb_forms_gen.txt")


# The attributive-participle feature (chosen by cross-validation, docs/facts.md, round 5).
ATTRIBUTIVE = True
# Words of a verb group after a trigger (auxiliaries, aspect and passive forms).
VERB_GROUP = frozenset({"गया", "गए", "गई", "गईं", "रहा", "रहे", "रही", "हुआ", "हुए", "हुई", "जा", "जाने"})
CASE_MARKERS = frozenset({"को", "ने", "से", "में", "पर", "का", "की", "के"})


def _attributive(after: Sequence[str], verbs: frozenset[str], light: frozenset[str]) -> bool:
    """Whether a trigger with its verb group modifies the noun after it: the group (after a
    postposition before a light verb or verb form) is followed by one or two words and a case marker
    ("गिरफ्तार आरोपियों को", "प्रदर्शन कर रहे कई लोगों को"); not after a conjunctive कर
    ("गिरफ्तार कर जेल भेजा")."""
    k = 0
    if len(after) > 1 and after[0] in POSTPOSITIONS and (after[1] in light or after[1] in verbs):
        k = 1
    last = ""
    while k < len(after) and (after[k] in light or after[k] in verbs or after[k] in VERB_GROUP):
        last = after[k]
        k += 1
    if last in ("कर", "करके"):
        return False
    rest = after[k : k + 3]
    for n in (1, 2):
        if (
            len(rest) > n
            and rest[n] in CASE_MARKERS
            and all(w not in CASE_MARKERS and w not in light and w not in verbs for w in rest[:n])
        ):
            return True
    return False


def features(
    article: Article,
    cand: Candidate,
    verdict: str,
    modality: str | None,
    roles: tuple[bool, bool],
    evidence: tuple[int, int],
    light: frozenset[str],
    negation: frozenset[str],
) -> dict[str, float]:
    """The features of one candidate (`verdict`: the rules' reading, "keep:<mode>" or "reject:<why>";
    `roles`: whether the rules found a source and a target; `evidence`: the lexicon's counts)."""
    text = article.text
    sent = article.sentences[cand.sentence]
    after = [w for _, _, w in sentence_words(text, cand.span.end, sent.end)][:VERB_REACH]
    before = [w for _, _, w in sentence_words(text, sent.start, cand.span.start)][-2:]
    verbs = verb_forms()
    verb_at = next((k for k, w in enumerate(after) if w in verbs or w in light), None)
    root = cand.root
    st = stem(cand.form.split()[-1]) if cand.form.split() else cand.form
    f: dict[str, float] = {
        f"src={cand.source}": 1.0,
        f"root={root}": 1.0,
        f"src_root={cand.source}:{root}": 1.0,
        f"verdict={verdict}": 1.0,
        f"verdict_src={verdict.split(':')[0]}:{cand.source}": 1.0,
        f"form={cand.form}": 1.0,
        f"stem={st}": 1.0,
        f"stem_root={st}:{root}": 1.0,
    }
    if verb_at is not None:
        f[f"verb_at={min(verb_at, 4)}"] = 1.0
        f[f"verb={stem(after[verb_at])}"] = 1.0
        if verb_at and after[0] in POSTPOSITIONS:
            f[f"pp_verb={after[0]}"] = 1.0  # "समझौते पर दस्तखत किए", "हिरासत में भेज दिया"
    if before and before[-1] in ("का", "की", "के"):
        f["genitive_before"] = 1.0
    if ATTRIBUTIVE and _attributive(after, verbs, light):
        f["attributive"] = 1.0  # "गिरफ्तार आरोपियों को", "प्रदर्शन कर रहे लोगों को": a modifier
    after = after[:NEAR]
    if any(w in light for w in after):
        f["light_near"] = 1.0
    if after and after[0] in light:
        f["light_next"] = 1.0
    if any(w in negation for w in after):
        f["negated_near"] = 1.0
    if modality:
        f[f"modality={modality}"] = 1.0
    if roles[0]:
        f["has_source"] = 1.0
    if roles[1]:
        f["has_target"] = 1.0
    inside = span_index(article.quotes).overlapping_list_order(cand.span.start, cand.span.start + 1)
    if inside:  # the first quote holding the candidate's start
        f[f"in_quote={inside[0].kind}"] = 1.0
    k, n = evidence
    prec = k / (n + 1.0)
    f["lex_prec"] = prec
    f["lex_log"] = math.log1p(k)
    for cut in (0.1, 0.25, 0.5):
        if prec >= cut:
            f[f"lex_prec>={cut}"] = 1.0
    if n == 0:
        f["lex_unseen"] = 1.0
    return f


def fit_logistic(
    samples: Sequence[dict[str, float]],
    labels: Sequence[int],
    l2: float = 1.0,
    iterations: int = 400,
    rate: float = 0.1,
) -> tuple[dict[str, float], float]:
    """L2-regularised logistic regression by full-batch Adam (`l2`: penalty over the sample count)."""
    import numpy as np

    names = sorted({k for s in samples for k in s})
    index = {k: j for j, k in enumerate(names)}
    rows, cols, vals = [], [], []
    for r, s in enumerate(samples):
        for k, v in s.items():
            rows.append(r)
            cols.append(index[k])
            vals.append(v)
    R, C, V = np.array(rows), np.array(cols), np.array(vals, dtype=np.float64)
    y = np.array(labels, dtype=np.float64)
    n, d = len(samples), len(names)
    w, b = np.zeros(d), 0.0
    m, v2, mb, vb = np.zeros(d), np.zeros(d), 0.0, 0.0
    for t in range(1, iterations + 1):
        z = np.bincount(R, weights=w[C] * V, minlength=n) + b
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        err = p - y
        gw = np.bincount(C, weights=err[R] * V, minlength=d) / n + l2 * w / n
        gb = float(err.mean())
        m = 0.9 * m + 0.1 * gw
        v2 = 0.999 * v2 + 0.001 * gw * gw
        mb = 0.9 * mb + 0.1 * gb
        vb = 0.999 * vb + 0.001 * gb * gb
        corr = math.sqrt(1 - 0.999**t) / (1 - 0.9**t)
        w -= rate * corr * m / (np.sqrt(v2) + 1e-8)
        b -= rate * corr * mb / (math.sqrt(vb) + 1e-8)
    return {names[j]: float(w[j]) for j in range(d)}, b


def fit_softmax(
    groups: Sequence[Sequence[dict[str, float]]],
    gold: Sequence[int],
    l2: float = 1.0,
    iterations: int = 300,
    rate: float = 0.1,
) -> dict[str, float]:
    """A conditional logit (one softmax over each group's candidates, the gold candidate's index in
    `gold`), L2-regularised, fitted by full-batch Adam."""
    import numpy as np

    names = sorted({k for g in groups for f in g for k in f})
    index = {k: j for j, k in enumerate(names)}
    rows, cols, vals, group_of = [], [], [], []
    gold_rows = []
    r = 0
    for gi, g in enumerate(groups):
        for ci, f in enumerate(g):
            for k, v in f.items():
                rows.append(r)
                cols.append(index[k])
                vals.append(v)
            group_of.append(gi)
            if ci == gold[gi]:
                gold_rows.append(r)
            r += 1
    R, C, V = np.array(rows), np.array(cols), np.array(vals, dtype=np.float64)
    G, Y = np.array(group_of), np.array(gold_rows)
    n, d, ng = r, len(names), len(groups)
    w = np.zeros(d)
    m, v2 = np.zeros(d), np.zeros(d)
    for t in range(1, iterations + 1):
        z = np.bincount(R, weights=w[C] * V, minlength=n)
        zmax = np.full(ng, -np.inf)
        np.maximum.at(zmax, G, z)
        e = np.exp(z - zmax[G])
        p = e / np.bincount(G, weights=e, minlength=ng)[G]
        err = p.copy()
        err[Y] -= 1.0
        gw = np.bincount(C, weights=err[R] * V, minlength=d) / ng + l2 * w / ng
        m = 0.9 * m + 0.1 * gw
        v2 = 0.999 * v2 + 0.001 * gw * gw
        corr = math.sqrt(1 - 0.999**t) / (1 - 0.9**t)
        w -= rate * corr * m / (np.sqrt(v2) + 1e-8)
    return {names[j]: float(w[j]) for j in range(d)}


def pick(
    cands: Iterable[tuple[Candidate, float]], threshold: float, keep_threshold: float | None = None
) -> list[Candidate]:
    """Among overlapping candidates the one most above its threshold (`keep_threshold` for those the
    rules keep, `threshold` for the others), when it reaches it; in text order."""
    keep = threshold if keep_threshold is None else keep_threshold
    ranked = sorted(cands, key=lambda cp: -(cp[1] - (keep if cp[0].rules else threshold)))
    kept: list[Candidate] = []
    for c, p in ranked:
        if p < (keep if c.rules else threshold):
            break
        if any(c.span.start < k.span.end and k.span.start < c.span.end for k in kept):
            continue
        kept.append(c)
    return sorted(kept, key=lambda c: c.span.start)
