"""`khabar train names`: build the name gazetteer and the romaniser's learned word table.

Inputs (all read from ../shared/data, plus babel/pycountry and the hand-written curated table):
- `lang/hi/curated_entities.tsv` (hand-written; highest precedence), then `lang/hi/curated_places.tsv`
  and `curated_orgs.tsv` (hand-written places and organisations);
- countries: pycountry codes with babel's Hindi (`Locale('hi').territories`) and English names;
- `names/wikidata-en-hi.tsv` (IDs; rows whose English label is not a proper name are dropped);
- `names/cricketers-en-hi.tsv` (full names, as PERSON gazetteer rows and romaniser pairs);
- `names/election-candidates-en-hi.tsv` (romaniser pairs only: 11k mostly local people);
- `translit/dakshina-hi.train.tsv` (word-level romaniser pairs, weighted by their attested count).

Name pairs (cricketers + candidates) are split by a stable hash of the Hindi name into train (80%),
dev (10%) and test (10%); only train pairs reach the gazetteer or the word table, so
`khabar eval romanize` measures on names never seen in training.
"""

from __future__ import annotations

import calendar
import contextlib
import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from khabar.analysis.namekey import compact_key
from khabar.analysis.romanize import romanize_rules, rule_pieces
from khabar.errors import InputError, KhabarError
from khabar.lang.hi import data_path, read_table

# Share of name pairs per split, by hash bucket out of 100 (80/10/10, fixed so the split is stable).
DEV_BUCKETS = range(80, 90)
TEST_BUCKETS = range(90, 100)
# Weight of one name-pair token against one Dakshina attestation. 3 scored 0.3 points higher exact match
# on the dev split (42.7 vs 42.4), but the name pairs are mostly Tamil Nadu, Bengal and Kerala candidates
# and weight 3 lets their spellings win for Hindi names (शिवराज → Sivaraj); 1 keeps Shivraj.
NAME_PAIR_WEIGHT = 1
# Learned akshara table: a (unit, position, rule piece) context needs this much weight and the winning
# spelling this share of it before it overrides the rules (chosen on the dev split).
GRAPHEME_MIN_WEIGHT = 10
GRAPHEME_MIN_SHARE = 0.7
# An alignment of an English word to the rule pieces may deviate by at most this many characters per
# piece, and costs more than this share of the word's length are discarded as unrelated pairs.
ALIGN_SLACK = 3
ALIGN_MAX_COST_SHARE = 0.5
_PROPER_LABEL = re.compile(r"^[A-Z][\w .,'’()\-&]*$")
_SPLIT = re.compile(r"[\s.]+")
_DEVANAGARI_WORD = re.compile(r"^[\u0900-\u097f]+$")
_LATIN_WORD = re.compile(r"^[a-z]+$")
_LATIN_NAME = re.compile(r"^[A-Za-z][A-Za-z .'\-]*$")


@dataclass(frozen=True, slots=True)
class GazetteerRow:
    """One gazetteer row; `type` is '' when the source does not say (matches any entity type)."""

    hindi: str
    english: str
    type: str
    wikidata: str
    source: str


@dataclass(frozen=True, slots=True)
class NamePair:
    """A Hindi name and its English spelling from a name table."""

    hindi: str
    english: str
    source: str


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
            pairs.append(
                NamePair(unicodedata.normalize("NFC", cells[1]), clean_english(cells[0]), "candidates")
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


def build_gazetteer(data: Path, pairs: list[NamePair]) -> tuple[list[GazetteerRow], list[str]]:
    """Gazetteer rows in precedence order (curated, curated places and organisations, country, wikidata,
    cricketers) and build warnings.

    A row is dropped when an earlier row has the same name key and type.
    """
    warnings: list[str] = []
    wikidata = _wikidata_rows(data)
    qid_by_english: dict[str, str] = {}
    for qid, english, _ in wikidata:
        qid_by_english.setdefault(english, qid)
    rows: list[GazetteerRow] = []
    for cells in read_table("curated_entities.tsv"):
        if len(cells) < 3:
            warnings.append(f"curated row with fewer than 3 cells: {cells!r}")
            continue
        qid = cells[3] if len(cells) > 3 else ""
        known = qid_by_english.get(cells[1], "")
        if qid and known and known != qid:
            warnings.append(f"curated {cells[1]} has {qid}, wikidata-en-hi has {known}: kept {qid}")
        rows.append(
            GazetteerRow(unicodedata.normalize("NFC", cells[0]), cells[1], cells[2], qid or known, "curated")
        )
    for table, kind in (("curated_places.tsv", "LOCATION"), ("curated_orgs.tsv", "ORGANIZATION")):
        extra: tuple[tuple[str, ...], ...] = ()
        with contextlib.suppress(KhabarError):  # the table is optional
            extra = read_table(table)
        for cells in extra:
            if len(cells) < 2 or not cells[0] or not cells[1]:
                warnings.append(f"{table} row with fewer than 2 cells: {cells!r}")
                continue
            source = table.removesuffix(".tsv")
            hindi = unicodedata.normalize("NFC", cells[0])
            rows.append(GazetteerRow(hindi, cells[1], kind, qid_by_english.get(cells[1], ""), source))
    countries = {english for _, english in _country_rows()}
    for hindi, english in _country_rows():
        rows.append(GazetteerRow(hindi, english, "LOCATION", qid_by_english.get(english, ""), "country"))
    for qid, english, hindi in wikidata:
        rows.append(GazetteerRow(hindi, english, "LOCATION" if english in countries else "", qid, "wikidata"))
    for pair in pairs:
        if pair.source == "cricketers" and split_of(pair.hindi) == "train" and " " in pair.hindi:
            rows.append(GazetteerRow(pair.hindi, pair.english, "PERSON", "", "cricketers"))
    seen: set[tuple[str, str]] = set()
    kept: list[GazetteerRow] = []
    for row in rows:
        key = (compact_key(row.hindi), row.type)
        if not key[0] or key in seen:
            continue
        seen.add(key)
        kept.append(row)
    return kept, warnings


def aligned_tokens(hindi: str, english: str) -> list[tuple[str, str]]:
    """Word pairs of a name pair whose Hindi and English word counts agree ('' list otherwise)."""
    hi_words = [w for w in _SPLIT.split(hindi.replace("-", " ")) if w]
    en_words = [w.lower() for w in _SPLIT.split(english.replace("-", " ")) if w]
    if len(hi_words) != len(en_words):
        return []
    return [
        (h, e)
        for h, e in zip(hi_words, en_words, strict=True)
        if _DEVANAGARI_WORD.match(h) and _LATIN_WORD.match(e)
    ]


def training_words(
    data: Path, pairs: list[NamePair], weight: int = NAME_PAIR_WEIGHT
) -> dict[str, Counter[str]]:
    """Hindi word → weighted English spellings, from train-split name pairs and Dakshina train."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for pair in pairs:
        if split_of(pair.hindi) != "train":
            continue
        for hindi, english in aligned_tokens(pair.hindi, pair.english):
            counts[hindi][english] += weight
    for cells in _read_tsv_all(data / "translit" / "dakshina-hi.train.tsv"):
        if len(cells) < 2:
            continue
        latin, hindi = cells[0].lower(), unicodedata.normalize("NFC", cells[1])
        n = int(cells[2]) if len(cells) > 2 and cells[2].isdigit() else 1
        if _DEVANAGARI_WORD.match(hindi) and _LATIN_WORD.match(latin):
            counts[hindi][latin] += n
    return counts


def build_lexicon(counts: dict[str, Counter[str]]) -> dict[str, str]:
    """Hindi word → its most frequent English spelling, for words the rules get wrong."""
    lexicon: dict[str, str] = {}
    for hindi, options in counts.items():
        best = max(options.items(), key=lambda kv: (kv[1], -len(kv[0]), kv[0]))[0]
        if best != romanize_rules(hindi):
            lexicon[hindi] = best
    return lexicon


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


def align_to_pieces(pieces: list[str], target: str) -> list[str] | None:
    """Split `target` into one substring per rule piece, minimising the summed edit distance."""
    n, length = len(pieces), len(target)
    inf = 10**6
    cost = [[inf] * (length + 1) for _ in range(n + 1)]
    back = [[0] * (length + 1) for _ in range(n + 1)]
    cost[0][0] = 0
    for i, piece in enumerate(pieces, 1):
        low, high = max(0, len(piece) - ALIGN_SLACK), len(piece) + ALIGN_SLACK
        for j in range(length + 1):
            for k in range(max(0, j - high), j - low + 1):
                if cost[i - 1][k] >= inf:
                    continue
                c = cost[i - 1][k] + edit_distance(target[k:j], piece)
                if c <= cost[i][j]:  # ties: the longer earlier piece (nee|ra, not ne|era)
                    cost[i][j], back[i][j] = c, k
    if cost[n][length] > ALIGN_MAX_COST_SHARE * max(length, 1):
        return None
    out: list[str] = []
    j = length
    for i in range(n, 0, -1):
        k = back[i][j]
        out.append(target[k:j])
        j = k
    return out[::-1]


def build_graphemes(
    counts: dict[str, Counter[str]],
    min_weight: int = GRAPHEME_MIN_WEIGHT,
    min_share: float = GRAPHEME_MIN_SHARE,
) -> dict[tuple[str, str, str], str]:
    """(akshara unit, position, rule piece) → learned Latin spelling, where it differs from the rule."""
    learned: dict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)
    for hindi, options in counts.items():
        pieces = rule_pieces(hindi)
        if any(not unit or unicodedata.category(unit[0]) != "Lo" for unit, _, _ in pieces):
            continue
        for latin, weight in options.items():
            split = align_to_pieces([p for _, _, p in pieces], latin)
            if split is None:
                continue
            for piece, spelled in zip(pieces, split, strict=True):
                learned[piece][spelled] += weight
    table: dict[tuple[str, str, str], str] = {}
    for piece, options in learned.items():
        total = sum(options.values())
        best, weight = max(options.items(), key=lambda kv: (kv[1], kv[0] == piece[2], kv[0]))
        if best != piece[2] and weight >= min_weight and weight >= min_share * total:
            table[piece] = best
    return table


def _read_tsv_all(path: Path) -> Iterator[list[str]]:
    """Rows of a header-less TSV file."""
    if not path.is_file():
        raise InputError(f"missing data file {path} (set KHABAR_DATA to the shared data folder)")
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            cells = line.rstrip("\n").split("\t")
            if cells and cells[0]:
                yield cells


def write_gazetteer(rows: list[GazetteerRow], path: Path) -> None:
    """Write gazetteer rows as TSV with a header comment."""
    lines = [
        "# Name gazetteer built by `khabar train names` (do not edit; edit curated_entities.tsv).",
        "# Sources: curated (khabar), country (babel/CLDR, pycountry), wikidata (names/wikidata-en-hi.tsv,",
        "# CC0), cricketers (in-rolls/indicate, MIT). type '' matches any entity type.",
        "# hindi\tenglish\ttype\twikidata\tsource",
    ]
    lines += [f"{r.hindi}\t{r.english}\t{r.type}\t{r.wikidata}\t{r.source}" for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_lexicon(lexicon: dict[str, str], path: Path) -> None:
    """Write the romaniser word table as TSV, sorted."""
    lines = [
        "# Romaniser word table built by `khabar train names`: Hindi word → most frequent English",
        "# spelling in the train split of names/* (in-rolls/indicate, MIT) and Dakshina (CC BY-SA 4.0,",
        "# Google). Only words whose rule romanisation differs are listed. hindi\tlatin",
    ]
    lines += [f"{h}\t{lexicon[h]}" for h in sorted(lexicon)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_graphemes(table: dict[tuple[str, str, str], str], path: Path) -> None:
    """Write the learned akshara table as TSV, sorted."""
    lines = [
        "# Romaniser akshara table built by `khabar train names` from the same pairs as romanize_lexicon.tsv:",
        "# where an akshara (in a word position I/M/F, with the rules' spelling) is mostly spelled otherwise.",
        "# unit\tposition\trule\tlatin",
    ]
    lines += [f"{u}\t{p}\t{r}\t{table[(u, p, r)]}" for u, p, r in sorted(table)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def train_names(data: Path, out_dir: Path | None = None) -> dict[str, object]:
    """Build `gazetteer.tsv` and `romanize_lexicon.tsv` into `out_dir` (default: the package's lang/hi)."""
    if not data.is_dir():
        raise InputError(f"shared data folder not found: {data} (set KHABAR_DATA)")
    target = out_dir or data_path("curated_entities.tsv").parent
    pairs = read_name_pairs(data)
    gazetteer, warnings = build_gazetteer(data, pairs)
    counts = training_words(data, pairs)
    lexicon = build_lexicon(counts)
    graphemes = build_graphemes(counts)
    write_gazetteer(gazetteer, target / "gazetteer.tsv")
    write_lexicon(lexicon, target / "romanize_lexicon.tsv")
    write_graphemes(graphemes, target / "romanize_graphemes.tsv")
    by_source = Counter(r.source for r in gazetteer)
    splits = Counter(split_of(p.hindi) for p in pairs)
    return {
        "gazetteer_rows": len(gazetteer),
        "gazetteer_by_source": dict(by_source),
        "lexicon_words": len(lexicon),
        "grapheme_rules": len(graphemes),
        "name_pairs": dict(splits),
        "warnings": warnings,
    }
