"""Generated NER word lists from ../shared/data/geo and the wordfreq Hindi list (`khabar train ner`).

- `ner_geo_places_gen.tsv`: Hindi names of South Asian towns and villages (GeoNames cities500) and
  Indian districts (GeoNames ADM2 / LGD). GeoNames' untagged Devanagari alternates mix Hindi with
  Marathi, Nepali and Sanskrit forms, so a name is kept only in its Hindi usage: Sanskrit case endings
  (…म्, …ः), Marathi/Nepali district words (जिल्हा, जिल्ला), Marathi ळ and the Dravidian short e (ॆ) are
  dropped; "X जिला" gives X; when some of a place's spellings occur in the wordfreq Hindi list, only
  those (and GeoNames' own Hindi label) are kept; a one-word name that is a frequent Hindi word
  (गया "went", बस्ती "settlement") is dropped unless a hand-written list has it as a place.
- `ner_wordfreq_gen.tsv`: the wordfreq Hindi list (CC BY-SA 4.0) as word and Zipf frequency, the
  common-word signal of the NER features (not derived from the training labels).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path

# A one-word place name at least this frequent in Hindi (Zipf) is an ordinary word first.
PLACE_MAX_ZIPF = 4.0
# wordfreq words kept in the shipped list (its whole Hindi list is about 26,600 words).
WORDFREQ_MIN_ZIPF = 1.0

_NOT_HINDI = re.compile(r"(म्|ः|्)$|ळ|\u0946|\u094a|जिल्हा|जिल्ला|मण्डलम|राज्यम|नगरम|  |[()]")
_DEVANAGARI = re.compile(r"^[\u0900-\u097f ]+$")


def _zipf(words: Iterable[tuple[str, float]]) -> dict[str, float]:
    return dict(words)


def hindi_forms(candidates: Iterable[str], label: str, zipf: dict[str, float]) -> list[str]:
    """The spellings of one place that are Hindi usage (see the module docstring)."""
    forms: set[str] = set()
    for name in candidates:
        name = name.strip()
        if name.endswith(" जिला"):
            name = name[: -len(" जिला")].strip()
        if not name or not _DEVANAGARI.match(name) or _NOT_HINDI.search(name):
            continue
        forms.add(name)
    attested = {f for f in forms if all(zipf.get(w, 0.0) > 0 for w in f.split())}
    if attested:
        forms = attested | ({label} & forms)
    return sorted(forms)


def build_geo_places(data_dir: Path, zipf: dict[str, float], known: set[str]) -> list[str]:
    """Hindi place names from the geo folder (`known`: hand-written place names, folded)."""
    from khabar.analysis.ner_features import fold_key

    geo = data_dir / "geo"
    names: set[str] = set()
    towns = geo / "geonames" / "cities500_south_asia.tsv"
    if towns.is_file():
        with towns.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                cands = [row.get("hi_geonames") or "", *(row.get("devanagari_alternates") or "").split("|")]
                names.update(hindi_forms(cands, row.get("hi_geonames") or "", zipf))
    districts = geo / "india" / "districts_lgd.tsv"
    if districts.is_file():
        with districts.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                names.update(hindi_forms((row.get("devanagari_aliases_geonames") or "").split("|"), "", zipf))
    out = []
    for name in sorted(names):
        key = fold_key(name)
        if " " not in name and zipf.get(name, 0.0) >= PLACE_MAX_ZIPF and key not in known:
            continue
        out.append(name)
    return out


def wordfreq_rows(words: Iterable[tuple[str, float]]) -> list[str]:
    """`word<TAB>zipf` lines of the shipped common-word list (folded words, highest Zipf kept)."""
    from khabar.analysis.ner_features import fold_key

    best: dict[str, float] = {}
    for word, z in words:
        key = fold_key(word)
        if z >= WORDFREQ_MIN_ZIPF and _DEVANAGARI.match(key):
            best[key] = max(best.get(key, 0.0), z)
    return [f"{w}\t{z:.1f}" for w, z in sorted(best.items())]
