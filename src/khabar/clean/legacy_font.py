"""Hindi typed in a legacy (pre-Unicode) font: detection and conversion to Unicode Devanagari.

Older Hindi news sites set their text in Kruti Dev-style fonts, whose glyphs sit on ASCII codes:
"vkt dh [kcj" is आज की खबर. Scraped, such text looks like English gibberish. A text is taken as legacy
font when it has (almost) no Devanagari and its conversion with `lang/hi/krutidev.tsv` makes at least
`MIN_MARKER_SHARE` of its words common Hindi function words (है, के, में, ...): English text converted
makes almost none. Conversion maps the longest key at each position, then puts the i-matra after its
consonant cluster and the reph before its syllable.
"""

from __future__ import annotations

import re
from functools import cache

from khabar.lang.hi import read_table

# Share of words that are Hindi function words after conversion, at or above which a text is legacy
# font. Hindi news runs at 20-30 % such words; English converted, under 1 % (the word "us" → ने).
MIN_MARKER_SHARE = 0.1
# Share of Devanagari among letters above which a text is Unicode Hindi already.
MAX_DEVANAGARI_SHARE = 0.1
# Fewest words a text must have to be judged.
MIN_WORDS = 4
# Characters looked at for the decision.
SAMPLE_CHARS = 20_000

_REPH = "\ue000"
_CONS = "[\u0915-\u0939\u0958-\u095f]\u093c?"
_CLUSTER = rf"(?:{_CONS}\u094d)*{_CONS}"
_SIGNS = "[\u093e-\u094c\u0901-\u0903\u0962\u0963]*"
_I_MATRA = re.compile(rf"\u093f({_CLUSTER})")
_REPH_AFTER = re.compile(rf"({_CLUSTER})({_SIGNS}){_REPH}")
_MARKERS = re.compile(r"(?<!\S)(है|हैं|और|के|की|का|में|ने|को|से|था|थे|भी|पर|कि|यह|लिए)(?!\S)")
_WORD = re.compile(r"\S+")


@cache
def _table() -> tuple[dict[str, str], int]:
    mapping: dict[str, str] = {}
    for row in read_table("krutidev.tsv"):
        if len(row) >= 2 and row[0]:
            mapping[row[0]] = _REPH if row[1] == "<reph>" else row[1]
    return mapping, max(len(key) for key in mapping)


def convert_krutidev(text: str) -> tuple[str, int]:
    """The Unicode Devanagari of a Kruti Dev text, and how many printable ASCII characters had no
    mapping (kept as they are)."""
    mapping, longest = _table()
    out: list[str] = []
    unmapped = 0
    i = 0
    while i < len(text):
        for size in range(min(longest, len(text) - i), 0, -1):
            piece = mapping.get(text[i : i + size])
            if piece is not None:
                out.append(piece)
                i += size
                break
        else:
            ch = text[i]
            if ch.isascii() and ch.isalpha():
                unmapped += 1
            out.append(ch)
            i += 1
    converted = _I_MATRA.sub(lambda m: m.group(1) + "\u093f", "".join(out))
    converted = _REPH_AFTER.sub(lambda m: "\u0930\u094d" + m.group(1) + m.group(2), converted)
    return converted.replace(_REPH, "\u0930\u094d"), unmapped


def looks_like_krutidev(text: str) -> bool:
    """Whether a text is Hindi typed in a Kruti Dev-style font (see the module docstring)."""
    sample = text[:SAMPLE_CHARS]
    letters = sum(1 for ch in sample if ch.isalpha())
    if not letters:
        return False
    deva = sum(1 for ch in sample if "\u0900" <= ch <= "\u097f")
    if deva / letters > MAX_DEVANAGARI_SHARE:
        return False
    words = len(_WORD.findall(sample))
    if words < MIN_WORDS:
        return False
    converted, _ = convert_krutidev(sample)
    return len(_MARKERS.findall(converted)) / words >= MIN_MARKER_SHARE


def convert_legacy_blocks(blocks: list[str]) -> tuple[list[str], str | None]:
    """The blocks converted to Unicode when, together, they are legacy-font Hindi, with a warning;
    else the blocks unchanged and None."""
    if not looks_like_krutidev("\n".join(blocks)[:SAMPLE_CHARS]):
        return blocks, None
    converted = [convert_krutidev(block) for block in blocks]
    unmapped = sum(n for _, n in converted)
    warning = "legacy font: the text was typed in a Kruti Dev-style font and was converted to Unicode"
    if unmapped:
        warning += f" ({unmapped} characters had no mapping and were kept)"
    return [text for text, _ in converted], warning
