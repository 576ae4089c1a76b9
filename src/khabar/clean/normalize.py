"""Unicode normalisation for Hindi news text.

- NFC, with one canonical form for nukta letters: the decomposed base + U+093C that NFC itself yields
  (the precomposed U+0958..U+095F and U+0929/U+0931/U+0934 are NFC composition exclusions or decompose
  to the same sequence), so क़ typed either way compares equal;
- zero-width and control characters removed; ZWJ/ZWNJ kept only between Devanagari letters, where
  they select half-forms and conjunct shapes;
- non-breaking and other Unicode spaces become a plain space, runs of spaces collapse;
- a pipe used as a danda becomes । and a doubled danda becomes ॥.

The raw input is never changed: `Article.raw` and `Block.raw` keep it.
"""

from __future__ import annotations

import re
import unicodedata

ZWJ = "\u200d"
ZWNJ = "\u200c"
NUKTA = "\u093c"

# Characters dropped outright: zero-width space, word joiner, BOM, soft hyphen, bidi controls.
_DROP = dict.fromkeys(
    map(ord, "\u200b\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"),
    None,
)
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_DEVANAGARI = re.compile(r"[\u0900-\u097f\ua8e0-\ua8ff]")
_JOINER = re.compile(f"[{ZWJ}{ZWNJ}]")
# A pipe after Devanagari text (optionally spaced) is a danda; two dandas or pipes are a double danda.
_PIPE_DANDA = re.compile(r"(?<=[\u0900-\u097f])\s*[|।](\s*[|।])?(?=\s|$|[\"'”’)])")


def is_devanagari(ch: str) -> bool:
    """Whether a character is in the Devanagari blocks."""
    return bool(_DEVANAGARI.match(ch))


def _keep_joiners(text: str) -> str:
    """Drop ZWJ/ZWNJ unless both neighbours are Devanagari."""
    if ZWJ not in text and ZWNJ not in text:
        return text
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch in (ZWJ, ZWNJ):
            before = text[i - 1] if i > 0 else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            if not (before and after and is_devanagari(before) and is_devanagari(after)):
                continue
        out.append(ch)
    return "".join(out)


def _danda(match: re.Match[str]) -> str:
    return "॥" if match.group(1) else "।"


def normalize_text(text: str) -> str:
    """Normalise one block or line of text (no newlines expected; any are turned into spaces)."""
    text = unicodedata.normalize("NFC", text).translate(_DROP)
    text = "".join(" " if (unicodedata.category(ch) == "Cc" or ch in "\u2028\u2029") else ch for ch in text)
    text = _keep_joiners(text)
    text = _PIPE_DANDA.sub(_danda, text)
    text = text.replace("।।", "॥").replace("। ।", "॥")
    return _SPACES.sub(" ", text).strip()


def normalize_newlines(text: str) -> str:
    """Unify line ends (CRLF, CR, NEL, LS, PS) to LF."""
    return re.sub(r"\r\n|\r|\u0085|\u2028|\u2029", "\n", text)
