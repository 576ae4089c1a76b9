"""Quantities: a number, its hedge and the counted noun or unit.

A number is digits (Indian 1,23,456 or Western 12,345 grouping, decimals, Devanagari digits, an optional
₹/$/€/£ sign) or Hindi number words (पच्चीस, डेढ़, ढाई, सवा दो, साढ़े तीन), followed by scale words
(सौ, हजार, लाख, करोड़, अरब: "1.5 लाख करोड़" = 1.5e12, "तीन हजार पांच सौ" = 3500); plural scale
words alone (हजारों, लाखों) read as "more than" the scale. Hedges before (करीब/लगभग → ~, कम से कम → >=)
or after the number or its noun (से ज्यादा/अधिक → >, से कम → <, तक → <=) set `op`. The unit is a
percent or currency word, else the next word as a counted noun in its base form (table
`quantity_units.tsv`, then suffix rules: -ियों → -ी, -ाओं → -ा, -ुओं → -ु, -ों → stem).

Numbers inside date expressions (the 7 of 7 जनवरी, a year) are not quantities; neither are clock
times (10 बजे), ordinals (21वीं), parts of names (कोविड-19) nor a bare एक (mostly "a/an"). A range
"10-15 लोग" is read as `>=` its lower bound; a distributive pair "2-2 लाख" as one amount.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache

from khabar.analysis._facts import END, START, WORD_CHAR, alternation, ascii_digits, lexicon, span_index
from khabar.article import Article, Quantity, Span
from khabar.lang.hi import read_list

# Larger values are digit strings (IDs, phone numbers), not amounts; also keeps JSON finite.
MAX_VALUE = 1e18
# A bare 4-digit number in this range with no counted noun after it is read as a year, not a count.
MIN_YEAR_LIKE, MAX_YEAR_LIKE = 1800, 2100
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+(?!,?\d)|\d{1,3}(?:,\d{2})+,\d{3}|\d+)(?:\.\d+)?"


@cache
def _number_words() -> dict[str, tuple[float, str]]:
    return {row[0]: (float(row[1]), row[2]) for row in lexicon("number_words.tsv")}


def _words_of(*kinds: str) -> list[str]:
    return [w for w, (_, k) in _number_words().items() if k in kinds]


@cache
def _units() -> dict[str, tuple[str, str]]:
    return {row[0]: (row[1], row[2]) for row in lexicon("quantity_units.tsv")}


def _units_of(*kinds: str) -> list[str]:
    return [w for w, (_, k) in _units().items() if k in kinds]


@cache
def _hedges(position: str) -> dict[str, str]:
    return {re.sub(r"\s+", " ", row[0]): row[2] for row in lexicon("hedges.tsv") if row[1] == position}


@dataclass(frozen=True, slots=True)
class _Patterns:
    group: re.Pattern[str]
    approx: re.Pattern[str]
    symbol: re.Pattern[str]
    hedge_before: re.Pattern[str]
    hedge_after: re.Pattern[str]
    word: re.Pattern[str]
    skip_after: re.Pattern[str]


@cache
def _patterns() -> _Patterns:
    units = alternation(_words_of("unit", "fraction"))
    prefixes = alternation(_words_of("prefix"))
    scales = alternation(_words_of("scale"))
    number = rf"(?:{_DIGITS}|(?:(?:{prefixes})\s+)?(?:{units}){END}|(?:{prefixes})(?=\s+(?:{scales}){END}))"
    return _Patterns(
        group=re.compile(rf"{START}(?P<n>{number})(?P<sc>(?:\s*(?:{scales}){END})*)"),
        approx=re.compile(rf"{START}(?P<a>{alternation(_words_of('approx'))}){END}"),
        symbol=re.compile(rf"(?:{alternation(_units_of('symbol'))})\s*$"),
        hedge_before=re.compile(rf"{START}(?P<h>{alternation(_hedges('before'))})\s+$"),
        hedge_after=re.compile(rf"\s*(?P<h>{alternation(_hedges('after'))}){END}"),
        word=re.compile(rf"\s*(?P<w>{WORD_CHAR}+\.?|%)"),
        skip_after=re.compile(
            rf"\s*(?:{alternation(w for w in _units_of('skip') if ' ' in w or '.' in w or w == 'ईस्वी')}){END}"
        ),
    )


def _parse_group(text: str) -> float:
    """Value of one number group: a number times its scale words."""
    parts = text.split()
    head = parts[0]
    words = _number_words()
    if head in words and words[head][1] == "prefix" and words[parts[1]][1] == "scale":
        value = 1 + words[head][0]  # "सवा सौ" = 1.25 × 100
        parts = parts[1:]
    elif head in words and words[head][1] == "prefix":
        value = words[parts[1]][0] + words[head][0]
        parts = parts[2:]
    elif head in words:
        value = words[head][0]
        parts = parts[1:]
    else:
        value = float(head.replace(",", ""))
        parts = parts[1:]
    for scale in parts:
        value *= words[scale][0]
    return value


def base_form(word: str) -> str:
    """The direct base form of a counted noun (देशों → देश, यात्रियों → यात्री, महिलाओं → महिला)."""
    if word in _units():
        return _units()[word][0]
    for suffix, repl in (
        ("ियों", "ी"),
        ("ियां", "ी"),
        ("ियाँ", "ी"),
        ("ाओं", "ा"),
        ("ुओं", "ु"),
        ("ूओं", "ू"),
        ("ों", ""),
        ("ें", ""),
    ):
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            return word[: -len(suffix)] + repl
    return word


def find_quantities(
    text: str,
    start: int = 0,
    end: int | None = None,
    exclude: list[tuple[int, int]] | None = None,
    scan: str | None = None,
) -> list[Quantity]:
    """Quantities in `text[start:end]` (offsets into `text`), skipping spans overlapping `exclude`.

    `scan` is `ascii_digits(text)` when the caller already has it."""
    stop = len(text) if end is None else end
    scan = ascii_digits(text) if scan is None else scan
    pats = _patterns()
    blocked = list(exclude or [])
    found: list[Quantity] = []
    candidates: list[tuple[int, int, float, str]] = []
    for m in pats.group.finditer(scan, start, stop):
        candidates.append((m.start(), m.end(), _parse_group(re.sub(r"\s+", " ", m.group(0))), "="))
    for m in pats.approx.finditer(scan, start, stop):
        candidates.append((m.start(), m.end(), _number_words()[m.group("a")][0], ">"))
    candidates.sort()
    i = 0
    while i < len(candidates):
        s, e, value, op = candidates[i]
        i += 1
        # A group with scale words may be followed by a further group: तीन हजार पांच सौ.
        while i < len(candidates) and _joins(scan, e, candidates[i][0]) and _has_scale(scan[s:e]):
            value += candidates[i][2]
            e = candidates[i][1]
            i += 1
        if any(s < be and bs < e for bs, be in blocked) or not math.isfinite(value) or value > MAX_VALUE:
            continue
        q = _complete(text, scan, s, e, value, op, stop)
        if q is not None:
            found.append(q)
            blocked.append((q.start, q.end))
    return found


def _year_like(digits: str) -> bool:
    return len(digits) == 4 and digits.isdigit() and MIN_YEAR_LIKE <= int(digits) <= MAX_YEAR_LIKE


def _joins(scan: str, end: int, nxt: int) -> bool:
    return nxt > end and scan[end:nxt].isspace()


def _has_scale(group: str) -> bool:
    return any(_number_words().get(w, (0.0, ""))[1] == "scale" for w in group.split())


_RANGE_AFTER = re.compile(r"[-–](\d+(?:\.\d+)?)(?!\d)")


def _complete(text: str, scan: str, s: int, e: int, value: float, op: str, stop: int) -> Quantity | None:
    """Add sign, hedges and unit around a number at `[s, e)`; None if it is no quantity."""
    pats = _patterns()
    core = scan[s:e]
    if _units().get(core, ("", ""))[1] == "bare_skip":
        return None  # "एक अहम मीटिंग": एक alone is the indefinite article
    before = scan[max(0, s - 40) : s]
    head = core.split()[0]
    # matched at `e` in place (a slice `scan[e:]` would copy the rest of the article for every number)
    if re.compile(rf"-{re.escape(head)}{END}").match(scan, e):
        return None  # "2-2 लाख": the distributive pair is read at its second number
    rng = _RANGE_AFTER.match(scan, e)
    if rng and head.isdigit() and not _year_like(head) and not _year_like(rng.group(1)):
        e, op = rng.end(), ">="  # "10-15 लोग": a range, read as at least its lower bound
        core = scan[s:e]
    if re.search(r"\d[-–]$", before) and not before.endswith(f"{head}-"):
        prev = re.search(r"(\d+)[-–]$", before)
        if prev and not _year_like(prev.group(1)) and not _year_like(head):
            return None  # the upper bound of a range already read
    if before.endswith(f"{head}-") and not re.search(rf"{WORD_CHAR}{re.escape(head)}-$", before):
        s -= len(head) + 1  # "2-2 लाख रुपये" = 2 lakh each
        before = scan[max(0, s - 40) : s]
    elif re.search(rf"{WORD_CHAR}-$", before) or re.match(rf"-{WORD_CHAR}|[/.:]\d", scan[e : e + 2]):
        return None  # part of a name or code (कोविड-19, G-20) or of a time/ratio
    unit: str | None = None
    sym = pats.symbol.search(before)
    if sym and core[0].isdigit():
        unit = _units()[sym.group(0).strip()][0]
        s -= len(sym.group(0))
    hb = pats.hedge_before.search(scan[max(0, s - 40) : s])
    if hb:
        op = _hedges("before")[re.sub(r"\s+", " ", hb.group("h"))]
        s -= len(hb.group(0))
    pos = e
    if pats.skip_after.match(scan, pos, stop):
        return None  # 1970 के दशक, 833 ईस्वी: a decade or an era year, not a count
    if _year_like(core) and op == "=":
        w = pats.word.match(scan, pos, stop)
        bare = w is None or _units().get(w.group("w"), ("", "noun"))[1] in ("stop", "skip")
        if bare and not pats.hedge_after.match(scan, pos, stop):
            return None  # "2016 के चुनाव", "(1918)": a bare year-like number with no counted noun
    if scan.startswith("%", pos):
        unit, pos = "प्रतिशत", pos + 1
    hedge_seen = False
    for _ in range(4):
        ha = pats.hedge_after.match(scan, pos, stop)
        if ha and not hedge_seen:
            op, pos, hedge_seen = _hedges("after")[re.sub(r"\s+", " ", ha.group("h"))], ha.end(), True
            continue
        w = pats.word.match(scan, pos, stop)
        if w is None:
            break
        word = w.group("w")
        base, kind = _units().get(word, ("", "noun"))
        if kind == "skip":
            return None
        if kind in ("percent", "money", "symbol"):
            if unit not in (None, base):
                break
            unit, pos = base, w.end()
            continue
        if kind == "adjective" and unit is None:
            pos = w.end()  # "45 नए मामले": look past the adjective for the noun
            continue
        if kind in ("stop", "adjective") or word[0].isdigit() or word in _number_words() or unit is not None:
            break
        if word.endswith("."):
            word = word[:-1]
        if _is_verb(scan, w.end(), stop, word):
            break  # "संख्या 116 हुई", "38 पहुंच गया": the number's verb, not its unit
        unit, pos = base_form(word), w.start("w") + len(word)
        ha = pats.hedge_after.match(scan, pos, stop)
        if ha and not hedge_seen:
            op, pos = _hedges("after")[re.sub(r"\s+", " ", ha.group("h"))], ha.end()
        break
    e = max(e, pos)
    return Quantity(start=s, end=e, text=text[s:e], value=value, op=op, unit=unit)


@cache
def _verb_forms() -> frozenset[str]:
    """Word forms that are verbs (lang/hi/verb_forms_gen.txt, from UD Hindi PUD)."""
    return read_list("verb_forms_gen.txt")


# Plural and oblique endings of nouns (नौकरियां, किताबें, लोगों, घटनाएं): such a word is no bare verb stem.
PLURAL_ENDING = re.compile("(?:ियां|ियाँ|ें|ों|एं|एँ|ाएं|ाओं|ओं)$")


@cache
def _vector_verbs() -> frozenset[str]:
    """Vector verbs that follow a verb stem (`vector` in lang/hi/verb_cues.tsv)."""
    return frozenset(row[0] for row in lexicon("verb_cues.tsv") if row[1] == "vector")


def _is_verb(scan: str, pos: int, stop: int, word: str) -> bool:
    """Whether the word after a number is a verb: a verb form of the corpus list, or an unknown word
    with no plural ending (a bare stem) followed by a vector verb ("पहुंच गया", not "नौकरियां गईं")."""
    if word in _verb_forms():
        return True
    if word in _units() or PLURAL_ENDING.search(word):
        return False
    nxt = _patterns().word.match(scan, pos, stop)
    return nxt is not None and nxt.group("w").rstrip(".") in _vector_verbs()


def extract_quantities(article: Article) -> Article:
    """Set `article.quantities` for every sentence of the kept text (date numbers excluded)."""
    scan = ascii_digits(article.text)
    if article.dates:
        date_spans = [(d.start, d.end) for d in article.dates]
    else:
        from khabar.analysis.dates import find_dates

        date_spans = [
            (d.start, d.end)
            for sent in article.sentences
            for d in find_dates(article.text, article.published, sent.start, sent.end, scan)
        ]
    quantities: list[Quantity] = []
    dates = span_index([Span(s, e) for s, e in date_spans])
    for sent in article.sentences:
        near = [(d.start, d.end) for d in dates.overlapping(sent.start, sent.end)]
        quantities.extend(find_quantities(article.text, sent.start, sent.end, near, scan))
    article.quantities = quantities
    return article
