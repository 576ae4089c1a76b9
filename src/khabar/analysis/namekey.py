"""A spelling-variant key for Devanagari names: two spellings of one transliterated name get one key.

`name_key()` is a stable contract (the corpus links entities across articles with it); change it only
with a migration. The key is lower-case text with one space between tokens, built in this order:

1. NFC; nukta, ZWJ/ZWNJ and punctuation dropped (ज़ = ज, फ़ = फ; `-`, `.`, `'` separate nothing);
2. vowel variants folded: ॉ/ॅ/ौ → ो, ै → े, ी → ि, ू → ु (and the independent forms ऑ/औ → ओ, ऐ → ए,
   ई → इ, ऊ → उ), ृ/ऋ → रि;
3. nasals folded: chandrabindu ँ and anusvara ं → न; a nasal consonant ङ/ञ/ण/म + halant before a
   consonant → न; ङ, ञ, ण → न; sibilants ष → श;
4. the halant is dropped, so inherent-schwa variants meet (कुशनर = कुश्नर), then doubled consonants
   collapse (कॉफ़्फ़ = कॉफ़);
5. Latin letters are lower-cased; any other character is kept.
"""

from __future__ import annotations

import re
import unicodedata

HALANT = "\u094d"
NUKTA = "\u093c"

# Single-character folds applied after NFC and nukta removal.
_FOLD = str.maketrans(
    {
        "\u0949": "\u094b",  # ॉ → ो
        "\u0945": "\u0947",  # ॅ → े
        "\u094c": "\u094b",  # ौ → ो
        "\u0948": "\u0947",  # ै → े
        "\u0940": "\u093f",  # ी → ि
        "\u0942": "\u0941",  # ू → ु
        "\u0911": "\u0913",  # ऑ → ओ
        "\u0914": "\u0913",  # औ → ओ
        "\u0910": "\u090f",  # ऐ → ए
        "\u090d": "\u090f",  # ऍ → ए
        "\u0908": "\u0907",  # ई → इ
        "\u090a": "\u0909",  # ऊ → उ
        "\u0901": "\u0902",  # ँ → ं
        "\u0937": "\u0936",  # ष → श
        "\u200c": None,
        "\u200d": None,
        NUKTA: None,
    }
)
_CONSONANT = "\u0915-\u0939\u0958-\u095f"
_NASAL_CLUSTER = re.compile(f"[\u0919\u091e\u0923\u092e\u0928]{HALANT}(?=[{_CONSONANT}])")
_NASAL_LETTER = str.maketrans({"\u0919": "\u0928", "\u091e": "\u0928", "\u0923": "\u0928"})
_VOCALIC_R = re.compile("[\u0943\u090b]")
_DOUBLE = re.compile(f"([{_CONSONANT}])\\1+")
_SEPARATOR = re.compile(r"[\s\-‐–—_.,'’‘\"“”()/:;]+")


def name_key(name: str) -> str:
    """The spelling-variant key of a name (see the module docstring); '' for a name with no letters."""
    text = unicodedata.normalize("NFD", name)
    text = unicodedata.normalize("NFC", text).translate(_FOLD)
    # ऋ/ृ read as रि: an independent ऋ becomes र + ि, a sign ृ becomes ् + र + ि.
    text = _VOCALIC_R.sub(lambda m: "रि" if m.group(0) == "\u090b" else f"{HALANT}रि", text)
    text = _NASAL_CLUSTER.sub("\u0902", text)
    text = text.translate(_NASAL_LETTER).replace("\u0902", "\u0928").replace(HALANT, "")
    text = _DOUBLE.sub(r"\1", text)
    return " ".join(_SEPARATOR.sub(" ", text).lower().split())


def spelling_key(word: str) -> str:
    """A finer key for single name words: `name_key` without spaces and without collapsing doubled
    consonants, so राधाकृष्णन and राधाकृष्ण, बब्लू and ब्लू stay apart (used for name parts)."""
    text = unicodedata.normalize("NFD", word)
    text = unicodedata.normalize("NFC", text).translate(_FOLD)
    text = _VOCALIC_R.sub(lambda m: "रि" if m.group(0) == "\u090b" else f"{HALANT}रि", text)
    text = _NASAL_CLUSTER.sub("\u0902", text)
    text = text.translate(_NASAL_LETTER).replace("\u0902", "\u0928").replace(HALANT, "")
    return "".join(_SEPARATOR.sub(" ", text).lower().split())


def compact_key(name: str) -> str:
    """The name key without spaces, so रामनाथ and राम नाथ meet."""
    return name_key(name).replace(" ", "")


# A य with ए/ई after a consonant or vowel sign is the glide spelling of the bare vowel (गये = गए,
# जायेगा = जाएगा, गयी = गई); applied after the name-key folds, where ी is ि already.
_GLIDE = re.compile("(?<=[\u0915-\u0939\u093e-\u094c])\u092f([\u0947\u093f])")
_GLIDE_VOWEL = {"\u0947": "\u090f", "\u093f": "\u0907"}


def skeleton_key(text: str) -> str:
    """The folded skeleton of running text, for near-duplicate keys (shingles, sentence fingerprints).

    Each word is folded as `name_key` folds a name (nukta, vowel variants, nasals, halant, doubled
    consonants), ZWJ/ZWNJ join rather than separate (they are removed), and the glide spellings
    ये/यी after a letter meet ए/ई. Words stay separated by one space; punctuation that `name_key`
    treats as a separator becomes a space, any other character is kept.
    """
    folded = name_key(text)
    return _GLIDE.sub(lambda m: _GLIDE_VOWEL[m.group(1)], folded)
