"""The analysis pipeline: small steps, each a function of an `Article` that declares what it needs and adds.

`analyze()` cleans the input into blocks and clean text, then runs the default steps in order. A
scheduler (local processes now, Ray later) only needs `analyze_doc()`, a pure function of a `RawDoc`.
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from khabar.article import Article, Block, Sentence, content_id
from khabar.clean.blocks import assemble_text, classify_blocks, split_text_blocks
from khabar.clean.learned import RULE_LEARNED, RULE_LEARNED_EDGE, strip_learned
from khabar.clean.legacy_font import convert_legacy_blocks
from khabar.dedup.feature_codec import fingerprint_with_features
from khabar.dedup.minhash import Fingerprint
from khabar.errors import InputError
from khabar.ingest.readers import RawDoc, sanitize_doc
from khabar.limits import NO_LIMITS, Limits, check_deadline, check_text_size, time_limit
from khabar.text.sentences import split_sentences
from khabar.text.tokens import tokenize

# Share of Devanagari among letters at or above which a text is taken as Hindi.
HINDI_MIN_DEVANAGARI = 0.5
_MARATHI_MARKERS = re.compile(r"(?<!\S)(आहे|आहेत|आणि|होते|नाही|करण्यात|त्यांनी|यांनी)(?!\S)")
_HINDI_MARKERS = re.compile(r"(?<!\S)(है|हैं|और|के|की|का|में|ने|को|से)(?!\S)")


@dataclass(frozen=True, slots=True)
class Step:
    """A named analysis step: `run(article)` fills the layers in `provides` from those in `requires`."""

    name: str
    run: Callable[[Article], Article]
    requires: tuple[str, ...] = ()
    provides: tuple[str, ...] = ()

    def __call__(self, article: Article) -> Article:
        return self.run(article)


def build_article(
    doc: RawDoc,
    published: date | None = None,
    limits: Limits | None = None,
    learned: Collection[int] | None = None,
) -> Article:
    """Clean a raw document into an `Article` with blocks and clean text (no analysis yet).

    Unencodable characters are replaced and legacy-font (Kruti Dev) Hindi is converted, each with a
    warning; `limits.max_bytes` bounds the text (LimitError); `learned` holds the template-line keys
    a knowledge base has learned (`khabar.clean.learned`), removed from the blocks.
    """
    doc = sanitize_doc(doc)
    bounds = limits or NO_LIMITS
    warnings = list(doc.warnings)
    title = doc.title
    # The publication date comes only from what the input states, never from its body text: the
    # record's own date wins, then `published` (the user's default for inputs without one), then the
    # HTML page's metadata, then a date in the URL's path.
    pub, pub_from = (doc.published, "record") if doc.published else (published, "user")
    hints: list[str | None] | None = None
    if doc.html is not None:
        from khabar.ingest.html import extract_html

        check_text_size(doc.html, doc.source, bounds, markup=True)
        extract = extract_html(doc.html, doc.source, doc.url)
        raw_blocks, hints = extract.blocks, extract.hints
        raw = doc.html
        title = title or extract.title
        if pub is None and extract.published is not None:
            pub, pub_from = extract.published, "page"
    else:
        raw = doc.text or ""
        check_text_size(raw, doc.source, bounds)
        raw_blocks = split_text_blocks(raw)
    if pub is None:
        from khabar.analysis.dates import date_from_url

        pub, pub_from = date_from_url(doc.url), "url"
    raw_blocks, legacy = convert_legacy_blocks(raw_blocks)
    if legacy:
        warnings.append(legacy)
        title = convert_legacy_blocks([title])[0][0] if title else title
    blocks = classify_blocks(raw_blocks, hints)
    # The id is of the text without learned template lines, so it does not depend on what was learned
    # when the document came in (two documents that differ only in a learned line stay two articles).
    unlearned: str | None = None
    if learned:
        unlearned = assemble_text(blocks)[0]
        blocks = strip_learned(blocks, learned)
    text, blocks = assemble_text(blocks)
    if not text.strip():
        raise InputError(f"{doc.source}: no article text left after cleaning (only boilerplate or empty)")
    check_text_size(text, doc.source, bounds)
    if title is None and blocks and blocks[0].kind == "heading":
        title = blocks[0].text
    return Article(
        text=text,
        raw=raw,
        id=doc.id or content_id(unlearned or text),
        source=doc.source,
        url=doc.url,
        title=title,
        published=pub,
        blocks=blocks,
        meta={"published_from": pub_from} if pub else {},
        warnings=warnings,
    )


def detect_language(article: Article) -> Article:
    """Set `language` (hi, mr, en or und) and its confidence; non-Hindi input gets a warning."""
    letters = [ch for ch in article.text if ch.isalpha() or "\u0900" <= ch <= "\u097f"]
    deva = sum(1 for ch in letters if "\u0900" <= ch <= "\u097f")
    share = deva / len(letters) if letters else 0.0
    if share >= HINDI_MIN_DEVANAGARI:
        marathi = len(_MARATHI_MARKERS.findall(article.text))
        hindi = len(_HINDI_MARKERS.findall(article.text))
        if marathi > hindi:
            article.language, article.language_confidence = "mr", round(marathi / (marathi + hindi), 3)
        else:
            article.language, article.language_confidence = "hi", round(share, 3)
    else:
        latin = sum(1 for ch in letters if ch.isascii())
        article.language = "en" if letters and latin / len(letters) >= 0.5 else "und"
        article.language_confidence = round(1 - share, 3)
    if article.language != "hi":
        article.warnings.append(
            f"language: the text does not look like Hindi (detected {article.language}, "
            f"{share:.0%} Devanagari); results may be poor"
        )
    return article


def segment_sentences(article: Article) -> Article:
    """Split each kept block into sentences (a heading is one sentence) with token offsets."""
    sentences: list[Sentence] = []
    text = article.text
    for block in article.blocks:
        if block.start is None or block.end is None:
            continue
        spans = (
            [(block.start, block.end)]
            if block.kind == "heading"
            else split_sentences(text, block.start, block.end)
        )
        for s, e in spans:
            sentences.append(Sentence(start=s, end=e, tokens=tuple(tokenize(text, s, e)), block=block.index))
    article.sentences = sentences
    return article


FOUNDATION_STEPS: tuple[Step, ...] = (
    Step("language", detect_language, requires=("text",), provides=("language",)),
    Step("sentences", segment_sentences, requires=("blocks",), provides=("sentences",)),
)


# The analysis steps after the foundation: (module, function, requires, provides).
ANALYSIS_STEPS: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("khabar.analysis.ner", "tag_article", ("sentences",), ("mentions",)),
    ("khabar.analysis.resolve", "resolve_entities", ("mentions",), ("entities",)),
    ("khabar.analysis.dates", "extract_dates", ("sentences",), ("dates",)),
    ("khabar.analysis.numbers", "extract_quantities", ("sentences",), ("quantities",)),
    ("khabar.analysis.quotes", "extract_quotes", ("entities",), ("quotes",)),
    ("khabar.analysis.events", "extract_events", ("entities", "dates"), ("events",)),
    ("khabar.analysis.summary", "summarize", ("sentences", "entities", "events"), ("summary",)),
)


@cache
def default_steps(ner: str = "fast") -> tuple[Step, ...]:
    """The default pipeline, in order (the analysis modules are imported on first use); `ner` is the
    NER mode (`fast`, the default, or `accurate`: contextual vectors from the encoder)."""
    steps = list(FOUNDATION_STEPS)
    for module_name, func_name, requires, provides in ANALYSIS_STEPS:
        module = importlib.import_module(module_name)
        run = getattr(module, func_name)
        if func_name == "tag_article" and ner != "fast":
            from khabar.analysis.ner_vectors import check_mode

            run = functools.partial(run, mode=check_mode(ner))
        steps.append(Step(func_name, run, requires, provides))
    return tuple(steps)


def run_steps(article: Article, steps: Sequence[Step] | None = None, ner: str = "fast") -> Article:
    """Run steps over an article in order (stopping between steps past a time limit: `check_deadline`; `ner`: the NER mode of the default steps)."""
    for step in default_steps(ner) if steps is None else steps:
        article = step(article)
        check_deadline()
    return article


# Analysed once per process before the first time-limited document, so that loading the models and
# tables does not count against its time.
WARM_UP_TEXT = "प्रधानमंत्री नरेंद्र मोदी ने सोमवार को दिल्ली में 25 लोगों से मुलाकात की और कहा कि काम तेज होगा।"


@cache
def warm_up() -> None:
    """Load every model and table of the default pipeline (once per process)."""
    try:
        run_steps(build_article(RawDoc(source="<warm-up>", text=WARM_UP_TEXT)))
        from khabar.analysis.names_en import warm_up as load_name_tables

        load_name_tables()  # the romaniser, which the warm-up text's known names do not reach
    except Exception:  # a broken model shows on the first real document, with its own message
        return


def analyze_doc(
    doc: RawDoc,
    published: date | None = None,
    steps: Sequence[Step] | None = None,
    limits: Limits | None = None,
    ner: str = "fast",
    learned: Collection[int] | None = None,
) -> Article:
    """Clean and analyse one raw document; `published` applies when the document gives no date; `ner`
    is the NER mode of the default steps (`fast` or `accurate`); `learned` are template-line keys to
    remove (see `build_article`).

    `limits` (size and time; see `khabar.limits`) turns a document over a limit into a `LimitError`
    naming it: the hook every executor (CLI, ingest workers, server, Ray) uses.
    """
    if limits is None:
        return run_steps(build_article(doc, published, learned=learned), steps, ner)
    if steps is None and limits.max_seconds is not None:
        warm_up()  # loading the models is not the document's time
    with time_limit(limits.max_seconds, doc.source):
        return run_steps(build_article(doc, published, limits, learned), steps, ner)


def reclean_blocks(article: Article, learned: Collection[int]) -> tuple[str, list[Block]]:
    """The clean text and blocks an analysed article gets with this set of learned template keys.

    The blocks are rebuilt from the article's stored blocks (their raw text, and the heading kind as
    the hint an HTML tag gave), so no raw input is needed.
    """
    raws: list[str] = []
    hints: list[str | None] = []
    for block in article.blocks:
        if block.rule == RULE_LEARNED_EDGE:
            continue
        raws.append(block.raw)
        hints.append("heading" if block.kind == "heading" else None)
    blocks = strip_learned(classify_blocks(raws, hints), learned)
    return assemble_text(blocks)


def unlearned_text(article: Article) -> str:
    """The article's clean text as it is without learned template lines (what near-duplicate
    detection reads, so that clusters do not depend on what the knowledge base has learned)."""
    if not any(b.rule in (RULE_LEARNED, RULE_LEARNED_EDGE) for b in article.blocks):
        return article.text
    return reclean_blocks(article, frozenset())[0]


def dedup_fingerprint(article: Article) -> Fingerprint:
    """The near-duplicate fingerprint of an article, with its verification features: of its text
    without learned template lines."""
    return fingerprint_with_features(unlearned_text(article))


def reclean_article(
    article: Article, learned: Collection[int], steps: Sequence[Step] | None = None, ner: str = "fast"
) -> Article | None:
    """The article cleaned again with this set of learned template keys and analysed again (same id,
    source, title, date and warnings), or None when its clean text does not change."""
    text, blocks = reclean_blocks(article, learned)
    if text == article.text and [b.kind for b in blocks] == [b.kind for b in article.blocks]:
        return None
    if not text.strip():
        return None
    fresh = Article(
        text=text,
        raw=article.raw,
        id=article.id,
        source=article.source,
        url=article.url,
        title=article.title,
        published=article.published,
        blocks=blocks,
        meta=dict(article.meta),
        warnings=list(article.warnings),
    )
    out = run_steps(fresh, steps, ner)
    out.warnings = list(dict.fromkeys(out.warnings))  # the steps' own warnings are given again
    return out


def analyze(
    text: str,
    published: date | None = None,
    *,
    source: str | None = None,
    title: str | None = None,
    url: str | None = None,
    html: bool | None = None,
    steps: Sequence[Step] | None = None,
    limits: Limits | None = None,
    ner: str = "fast",
) -> Article:
    """Analyse one article given as text (or HTML, detected or forced with `html=True`).

    Characters UTF-8 cannot encode (lone surrogates) are replaced and counted in `warnings`; `limits`
    as in `analyze_doc` (none by default); `ner` is the NER mode (`fast` or `accurate`)."""
    from khabar.ingest.readers import looks_like_html

    is_html = looks_like_html(text) if html is None else html
    doc = RawDoc(
        source=source or "<text>",
        text=None if is_html else text,
        html=text if is_html else None,
        title=title,
        url=url,
    )
    return analyze_doc(doc, published, steps, limits, ner)
