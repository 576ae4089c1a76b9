"""Unicode normalisation for Hindi news text.

- NFC, which gives every nukta letter one canonical form whichever way it was typed: the precomposed
  क़ ख़ ग़ ज़ ड़ ढ़ फ़ य़ (U+0958..U+095F) are composition exclusions, so they and base + U+093C both
  become base + U+093C; ऩ ऱ ऴ (U+0929, U+0931, U+0934) both become the precomposed letter;
- zero-width and other invisible format characters removed (zero-width space, word joiner, BOM, soft
  hyphen, bidi controls); control characters become a space;
- ZWJ/ZWNJ kept only where they change Devanagari shaping: after a virama (half-form क्‍ or explicit
  virama क्‌) and in the eyelash ra र‍्; elsewhere they are invisible noise and are dropped;
- non-breaking and other Unicode spaces become a plain space, runs of spaces collapse;
- a pipe used as a danda becomes ।, a space before a danda goes, and a doubled danda (।। or ||)
  becomes ॥.

The raw input is never changed: `Article.raw` and `Block.raw` keep it.
"""

from __future__ import annotations

import re
import unicodedata

ZWJ = "\u200d"
ZWNJ = "\u200c"
NUKTA = "\u093c"
VIRAMA = "\u094d"
DANDA = "\u0964"
DOUBLE_DANDA = "\u0965"

# Invisible format characters (Unicode Cf) dropped outright; ZWJ/ZWNJ are judged apart.
_DROP = re.compile(
    "[\u00ad\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)
# C0/C1 controls and line/paragraph separators inside a block become a space.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_DEVANAGARI = re.compile(r"[\u0900-\u097f\ua8e0-\ua8ff]")
_CONSONANT = re.compile(r"[\u0915-\u0939\u0958-\u095f\u0978-\u097f]")
# A pipe or danda right after a Devanagari letter or a digit, optionally spaced, followed by space, a
# closer or the end: a danda; two of them: a double danda. A pipe before Latin text is a separator
# ("खबर | ABP News") and stays.
_PIPE_DANDA = re.compile(
    r"(?<=[\u0900-\u0963\u0966-\u097f0-9])[ \t]*[|।](?:[ \t]*([|।]))?(?=\s|$|[\"'”’)\]])(?!\s*[A-Za-z])"
)
_DOUBLE_DANDA = re.compile(r"।[ \t]*।")


def is_devanagari(ch: str) -> bool:
    """Whether a character is in the Devanagari blocks."""
    return bool(_DEVANAGARI.match(ch))


def _keep_joiners(text: str) -> str:
    """Drop ZWJ/ZWNJ except after a virama (half-form, explicit virama) or in an eyelash ra (र‍्)."""
    if ZWJ not in text and ZWNJ not in text:
        return text
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch in (ZWJ, ZWNJ):
            before = text[i - 1] if i > 0 else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            after_virama = before == VIRAMA and after != "" and is_devanagari(after)
            eyelash = ch == ZWJ and after == VIRAMA and (before == NUKTA or bool(_CONSONANT.match(before)))
            if not (after_virama or eyelash):
                continue
        out.append(ch)
    return "".join(out)


def _danda(match: re.Match[str]) -> str:
    return DOUBLE_DANDA if match.group(1) else DANDA


def normalize_text(text: str) -> str:
    """Normalise one block or line of text (no newlines expected; any are turned into spaces)."""
    text = unicodedata.normalize("NFC", text)
    text = _DROP.sub("", text)
    text = _CONTROL.sub(" ", text)
    text = _keep_joiners(text)
    if "|" in text or DANDA in text:
        text = _PIPE_DANDA.sub(_danda, text)
        text = _DOUBLE_DANDA.sub(DOUBLE_DANDA, text)
    return _SPACES.sub(" ", text).strip()


def normalize_newlines(text: str) -> str:
    """Unify line ends (CRLF, CR, NEL, LS, PS) to LF."""
    return re.sub(r"\r\n|\r|\u0085|\u2028|\u2029", "\n", text)
