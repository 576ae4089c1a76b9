"""`khabar train names`: build the name knowledge base and the romaniser's learned tables.

- `lang/hi/names.sqlite` (`khabar.train.namekb`): the curated tables of `lang/hi/`, Indian states and
  districts (LGD), GeoNames places with Hindi names, countries (CLDR via babel, GeoNames), Wikidata
  labels (`names/wikidata-en-hi.tsv`) and cricketers (`names/cricketers-en-hi.tsv`);
- `lang/hi/romanize_model.tsv.gz` and `romanize_lexicon.tsv` (`khabar.train.translit`): the joint
  n-gram transliterator and its word table, one per spelling style, trained on the train split of the
  name pairs (cricketers; election candidates of West Bengal and Assam, of Tamil Nadu, Puducherry and
  Kerala) and on Dakshina's train file (Hindi).

Name pairs (cricketers + candidates) are split by a stable hash of the Hindi name into train (80%),
dev (10%) and test (10%); only train pairs reach the word table and the model, so `khabar eval
romanize` measures on names never seen in training. (The knowledge base holds all cricketers: the
romaniser never looks names up in it.)
"""

from __future__ import annotations

import calendar
import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from khabar.errors import InputError
from khabar.lang.hi import data_path

# Share of name pairs per split, by hash bucket out of 100 (80/10/10, fixed so the split is stable).
DEV_BUCKETS = range(80, 90)
TEST_BUCKETS = range(90, 100)
_PROPER_LABEL = re.compile(r"^[A-Z][\w .,'’()\-&]*$")
_SPLIT = re.compile(r"[\s.]+")
_DEVANAGARI_WORD = re.compile(r"^[\u0900-\u097f]+$")
_LATIN_WORD = re.compile(r"^[a-z]+$")
_LATIN_NAME = re.compile(r"^[A-Za-z][A-Za-z .'\-]*$")


@dataclass(frozen=True, slots=True)
class NamePair:
    """A Hindi name and its English spelling from a name table; `region` is the candidate's state."""

    hindi: str
    english: str
    source: str
    region: str = ""


def split_of(hindi: str) -> str:
    """The stable split ('train', 'dev' or 'test') of a name pair, from a hash of its Hindi name."""
    bucket = int(hashlib.sha256(unicodedata.normalize("NFC", hindi).encode("utf-8")).hexdigest(), 16) % 100
    if bucket in TEST_BUCKETS:
        return "test"
    if bucket in DEV_BUCKETS:
        return "dev"
    return "train"


def _read_tsv(path: Path) -> Iterator[list[str]]:
    """Rows of a TSV file with a header line (skipped)."""
    if not path.is_file():
        raise InputError(f"missing data file {path} (set KHABAR_DATA to the shared data folder)")
    with path.open(encoding="utf-8") as handle:
        next(handle, None)
        for line in handle:
            cells = line.rstrip("\n").split("\t")
            if any(c.strip() for c in cells):
                yield [c.strip() for c in cells]


def clean_english(name: str) -> str:
    """An English name as a reader expects it: 'SWAPAN DAS' → 'Swapan Das'; mixed case kept."""
    name = " ".join(name.split())
    if name.isupper() or name.islower():
        return " ".join(part[:1].upper() + part[1:].lower() for part in name.split(" "))
    return name


def read_name_pairs(data: Path) -> list[NamePair]:
    """Distinct Hindi–English person-name pairs (English in Latin letters) from the cricketer and
    election-candidate tables."""
    pairs: list[NamePair] = []
    for cells in _read_tsv(data / "names" / "cricketers-en-hi.tsv"):
        if len(cells) < 2 or not cells[0] or not cells[1]:
            continue
        hindi = unicodedata.normalize("NFC", cells[1])
        if "," in cells[0]:  # "Rossouw, RR": only the surname is known, as a one-word pair
            surname, last = cells[0].split(",")[0].strip(), hindi.split()[-1]
            pairs.append(NamePair(last, surname, "cricketer-surnames"))
        else:
            pairs.append(NamePair(hindi, cells[0], "cricketers"))
    for cells in _read_tsv(data / "names" / "election-candidates-en-hi.tsv"):
        if len(cells) >= 2 and cells[0] and cells[1]:
            region = cells[3] if len(cells) > 3 else ""
            pairs.append(
                NamePair(
                    unicodedata.normalize("NFC", cells[1]), clean_english(cells[0]), "candidates", region
                )
            )
    unique: dict[tuple[str, str], NamePair] = {}
    for pair in pairs:
        if _LATIN_NAME.match(pair.english):
            unique.setdefault((pair.hindi, pair.english.lower()), pair)
    return list(unique.values())


def _wikidata_rows(data: Path) -> list[tuple[str, str, str]]:
    """(qid, english, hindi) rows of wikidata-en-hi.tsv whose English label is a proper name."""
    skip = {m for m in calendar.month_name if m} | {d for d in calendar.day_name if d}
    rows = []
    for cells in _read_tsv(data / "names" / "wikidata-en-hi.tsv"):
        if len(cells) < 3:
            continue
        qid, english, hindi = cells[0], cells[1], unicodedata.normalize("NFC", cells[2])
        if not re.fullmatch(r"Q\d+", qid) or not _PROPER_LABEL.match(english) or english in skip:
            continue
        if not hindi or not all(_DEVANAGARI_WORD.match(w) for w in hindi.replace("-", " ").split()):
            continue
        rows.append((qid, english, hindi))
    return rows


def _country_rows() -> list[tuple[str, str]]:
    """(hindi, english) country names from babel for every pycountry code."""
    import babel
    import pycountry

    hindi = babel.Locale("hi").territories
    english = babel.Locale("en").territories
    rows = []
    for country in pycountry.countries:
        code = country.alpha_2
        if code in hindi and code in english:
            rows.append((unicodedata.normalize("NFC", hindi[code]), english[code]))
    return rows


def aligned_tokens(hindi: str, english: str) -> list[tuple[str, str]]:
    """Word pairs of a name pair whose Hindi and English word counts agree ('' list otherwise), in the
    order of the English words, or with them rotated by one where that reads better: candidates'
    initials often stand first in one script and last in the other (एम. सुरेश = "Suresh M"), so the
    English words are rotated when the rule romanisation of the Hindi words is closer to them that way
    (a smaller sum of edit distances relative to the words' lengths)."""
    hi_words = [w for w in _SPLIT.split(hindi.replace("-", " ")) if w]
    en_words = [w.lower() for w in _SPLIT.split(english.replace("-", " ")) if w]
    if len(hi_words) != len(en_words):
        return []
    if len(en_words) > 1:
        orders = [en_words, en_words[1:] + en_words[:1], en_words[-1:] + en_words[:-1]]
        en_words = min(orders, key=lambda order: _order_distance(hi_words, order))
    return [
        (h, e)
        for h, e in zip(hi_words, en_words, strict=True)
        if _DEVANAGARI_WORD.match(h) and _LATIN_WORD.match(e)
    ]


def _order_distance(hindi: list[str], english: list[str]) -> float:
    """Sum over word pairs of the edit distance between the Hindi word's rule romanisation and the
    English word, relative to the longer of the two."""
    from khabar.analysis.romanize import romanize_rules

    total = 0.0
    for h, e in zip(hindi, english, strict=True):
        latin = romanize_rules(h) if _DEVANAGARI_WORD.match(h) else h.lower()
        total += edit_distance(latin, e) / max(len(latin), len(e), 1)
    return total


def training_words(data: Path, pairs: list[NamePair]) -> dict[str, Counter[str]]:
    """Hindi word → English spellings with counts, from the train split of the name pairs and Dakshina's
    train file (for `khabar eval romanize`: the words no training source has seen)."""
    counts = name_pair_words(pairs)
    for hindi, options in dakshina_words(data).items():
        counts.setdefault(hindi, Counter()).update(options)
    return counts


def name_pair_words(pairs: list[NamePair]) -> dict[str, Counter[str]]:
    """Hindi name word → English spellings with counts, from the train split of the name pairs."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for pair in pairs:
        if split_of(pair.hindi) != "train":
            continue
        for hindi, english in aligned_tokens(pair.hindi, pair.english):
            counts[hindi][english] += 1
    return dict(counts)


def dakshina_words(data: Path) -> dict[str, Counter[str]]:
    """Hindi word → Latin spellings weighted by their attested count, from Dakshina's train file."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for cells in _read_tsv_all(data / "translit" / "dakshina-hi.train.tsv"):
        if len(cells) < 2:
            continue
        latin, hindi = cells[0].lower(), unicodedata.normalize("NFC", cells[1])
        n = int(cells[2]) if len(cells) > 2 and cells[2].isdigit() else 1
        if _DEVANAGARI_WORD.match(hindi) and _LATIN_WORD.match(latin):
            counts[hindi][latin] += n
    return dict(counts)


@cache
def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance between two strings."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _read_tsv_all(path: Path) -> Iterator[list[str]]:
    """Rows of a header-less TSV file."""
    if not path.is_file():
        raise InputError(f"missing data file {path} (set KHABAR_DATA to the shared data folder)")
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            cells = line.rstrip("\n").split("\t")
            if cells and cells[0]:
                yield cells


def train_names(data: Path, out_dir: Path | None = None) -> dict[str, object]:
    """Build `names.sqlite`, `romanize_lexicon.tsv` and `romanize_model.tsv` into `out_dir` (default:
    the package's lang/hi)."""
    if not data.is_dir():
        raise InputError(f"shared data folder not found: {data} (set KHABAR_DATA)")
    from khabar.train.namekb import build_name_kb
    from khabar.train.translit import train_translit

    target = out_dir or data_path("curated_entities.tsv").parent
    pairs = read_name_pairs(data)
    kb = build_name_kb(data, pairs, target / "names.sqlite")
    from khabar.train.translit import train_style_classifier

    labels = [(hindi, english) for _qid, english, hindi in _wikidata_rows(data)]
    model = train_translit(pairs, dakshina_words(data), target, extra_english=labels)
    model["style_classifier_names"] = train_style_classifier(pairs, data, target)
    splits = Counter(split_of(p.hindi) for p in pairs)
    return {
        "name_kb": kb,
        "romanizer": model,
        "name_pairs": dict(splits),
    }
