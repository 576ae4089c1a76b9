"""`khabar train ner`: build the NER lexicons, tune and train the CRF model.

Everything is derived from ../shared/data (IL-NER train/dev, the name tables, UD Hindi PUD text, and
babel's Hindi country names) with fixed seeds, so the shipped files can be rebuilt exactly.
"""

from __future__ import annotations

import logging
import re
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from khabar.errors import InputError
from khabar.eval.ner import TaggedSentence, drop_overlap, evaluate_ner, read_tagged_sentences, spans_from_bio

log = logging.getLogger(__name__)

# Common-word list: a word seen at least this often in training and inside a name at most this share
# of the time is never taken into a title/context-pattern name (set on dev: मुख्यमंत्री आवास, जल संसाधन).
COMMON_MIN_COUNT = 2
COMMON_MAX_NAME_SHARE = 0.15
# CRF trained by averaged perceptron (crfsuite "ap") on BILOU labels: on IL-NER dev it beat L-BFGS with
# L1/L2 (micro F1 of the model alone 73.2 vs 70.5, at a tenth of the training time) and BIO labels (71.5).
# The number of passes is chosen on dev from this grid; more passes overfit.
ITERATION_GRID = (5, 8, 12)
DEFAULT_ITERATIONS = 8
# Seed of the sentence shuffling in each perceptron pass (fixed, not tuned).
SEED = 1
# Folds for the training-entity gazetteer features (jackknifed so they are not perfect on train).
JACKKNIFE_FOLDS = 5
# Person-name parts from the name tables: tokens of at least this many characters.
PERSON_PART_MIN_LEN = 2

_DEVANAGARI_WORD = re.compile(r"^[\u0900-\u0963\u0970-\u097f]+$")


@dataclass(frozen=True, slots=True)
class TrainReport:
    """What a training run produced and measured."""

    iterations: int
    dev_model: dict[str, dict[str, float]]
    dev_model_no_overlap: dict[str, dict[str, float]]
    dev_full: dict[str, dict[str, float]]
    dev_full_no_overlap: dict[str, dict[str, float]]
    seconds: float
    model_bytes: int


def lang_dir() -> Path:
    """The package's `lang/hi/` folder (where generated tables and the model are written)."""
    import khabar.lang.hi as hi

    return Path(hi.__file__).resolve().parent


def _write_lines(path: Path, header: str, rows: Sequence[str]) -> None:
    path.write_text(
        "".join(f"# {h}\n" for h in header.splitlines()) + "".join(f"{r}\n" for r in rows), "utf-8"
    )


def build_places(data_dir: Path, common: set[str]) -> list[str]:
    """Hindi place names: babel's Hindi country names plus Wikidata labels of pycountry places, minus
    one-word names that are common words in the training text (हवाई "aerial", not Hawaii)."""
    import pycountry
    from babel import Locale

    names: set[str] = set()
    countries = {c.alpha_2 for c in pycountry.countries}
    for code, name in Locale("hi").territories.items():
        if code in countries and name:
            names.add(name)
    english = {c.name.lower() for c in pycountry.countries}
    english |= {getattr(c, "common_name", c.name).lower() for c in pycountry.countries}
    english |= {
        s.name.lower() for s in pycountry.subdivisions if s.country_code in ("IN", "PK", "NP", "BD", "US")
    }
    wikidata = data_dir / "names" / "wikidata-en-hi.tsv"
    if wikidata.is_file():
        for line in wikidata.read_text(encoding="utf-8").splitlines()[1:]:
            cells = line.split("\t")
            if len(cells) >= 3 and cells[1].lower() in english and cells[2]:
                names.add(cells[2])
    from khabar.analysis.ner_features import fold_key

    return sorted(n for n in names if len(n) > 1 and fold_key(n) not in common)


def build_person_parts(data_dir: Path, common: set[str]) -> list[str]:
    """Given names and surnames from the cricketer and election-candidate tables, minus common words."""
    from khabar.analysis.ner_features import fold_key

    counts: Counter[str] = Counter()
    for name, column in (("cricketers-en-hi.tsv", 1), ("election-candidates-en-hi.tsv", 1)):
        path = data_dir / "names" / name
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines()[1:]:
            cells = line.split("\t")
            if len(cells) <= column:
                continue
            for part in cells[column].split():
                if len(part) >= PERSON_PART_MIN_LEN and _DEVANAGARI_WORD.match(part):
                    counts[fold_key(part)] += 1
    return sorted(w for w in counts if w not in common)


def build_common_words(train: Sequence[TaggedSentence]) -> list[str]:
    """Frequent training words that are (almost) never inside a PERSON/LOCATION/ORGANIZATION name."""
    from khabar.analysis.ner_features import fold_key

    total: Counter[str] = Counter()
    inside: Counter[str] = Counter()
    for sent in train:
        for tok, tag in zip(sent.tokens, sent.tags, strict=True):
            key = fold_key(tok)
            total[key] += 1
            if tag != "O":
                inside[key] += 1
    return sorted(
        w
        for w, n in total.items()
        if n >= COMMON_MIN_COUNT and inside[w] / n <= COMMON_MAX_NAME_SHARE and _DEVANAGARI_WORD.match(w)
    )


def read_proper_nouns(data_dir: Path) -> list[str]:
    """Words UD Hindi PUD tags PROPN more often than anything else."""
    from khabar.analysis.ner_features import fold_key

    path = data_dir / "ud-hindi-pud" / "hi_pud-ud-test.conllu"
    if not path.is_file():
        return []
    propn: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) > 3 and cells[0].isdigit():
            key = fold_key(cells[1])
            total[key] += 1
            if cells[3] == "PROPN":
                propn[key] += 1
    return sorted(w for w, n in propn.items() if 2 * n > total[w])


def entity_entries(sentences: Sequence[TaggedSentence]) -> list[tuple[str, str]]:
    """`(phrase, label)` of every gold entity (label PER, LOC or ORG)."""
    short = {"PERSON": "PER", "LOCATION": "LOC", "ORGANIZATION": "ORG"}
    out: set[tuple[str, str]] = set()
    for sent in sentences:
        for start, end, kind in spans_from_bio(sent.tags):
            out.add((" ".join(sent.tokens[start:end]), short[kind]))
    return sorted(out)


def jackknife_features(train: Sequence[TaggedSentence]) -> list[list[list[str]]]:
    """Features of the training sentences, each fold's entity gazetteer built from the other folds.

    So the model learns how far a training-entity match can be trusted on unseen text."""
    from khabar.analysis.ner_features import Gazetteer, extract_features, gazetteer_entries

    base = gazetteer_entries(entities=False)
    folds = [list(range(k, len(train), JACKKNIFE_FOLDS)) for k in range(JACKKNIFE_FOLDS)]
    features: list[list[list[str]]] = [[] for _ in train]
    for fold in folds:
        held = set(fold)
        others = [s for i, s in enumerate(train) if i not in held]
        gaz = Gazetteer.build(base + entity_entries(others))
        for i in fold:
            features[i] = extract_features(train[i].tokens, gaz)
    return features


def seed_crfsuite(seed: int) -> None:
    """Seed the C library RNG that crfsuite's perceptron uses to shuffle sentences each pass.

    Without it a training's result depends on how many trainings ran before it in the process."""
    import ctypes

    try:
        ctypes.CDLL(None).srand(seed)
    except (OSError, AttributeError, TypeError):  # no C library handle (e.g. Windows): not reproducible
        log.warning("cannot seed the C library RNG; the trained model will differ from run to run")


def to_bilou(tags: Sequence[str]) -> list[str]:
    """BIO tags rewritten as BILOU (U- single-token names, L- last token of a longer one)."""
    out = ["O"] * len(tags)
    for start, end, kind in spans_from_bio(tags):
        if end - start == 1:
            out[start] = f"U-{kind}"
            continue
        out[start] = f"B-{kind}"
        out[end - 1] = f"L-{kind}"
        for i in range(start + 1, end - 1):
            out[i] = f"I-{kind}"
    return out


def train_crf(
    train: Sequence[TaggedSentence],
    model_path: Path,
    iterations: int = DEFAULT_ITERATIONS,
    features: Sequence[list[list[str]]] | None = None,
) -> None:
    """Train the CRF (averaged perceptron, BILOU labels) and write it to `model_path`."""
    import pycrfsuite

    feats = features if features is not None else jackknife_features(train)
    trainer = pycrfsuite.Trainer(algorithm="ap", verbose=False)
    for sent, xseq in zip(train, feats, strict=True):
        trainer.append(xseq, to_bilou(sent.tags))
    trainer.set_params({"max_iterations": iterations, "feature.possible_transitions": True})
    seed_crfsuite(SEED)
    trainer.train(str(model_path))


def model_tagger(
    model_path: Path, features: Mapping[tuple[str, ...], list[list[str]]] | None = None
) -> Callable[[list[str]], list[str]]:
    """A tagger using the CRF model alone (no gazetteers or patterns); `features` gives precomputed
    features per sentence (such as the jackknifed ones of training) instead of the shipped ones."""
    import pycrfsuite

    from khabar.analysis.ner import from_bilou
    from khabar.analysis.ner_features import extract_features

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_path))

    def tag(tokens: list[str]) -> list[str]:
        if not tokens:
            return []
        xseq = features[tuple(tokens)] if features is not None else extract_features(tokens)
        return from_bilou(tagger.tag(xseq))

    return tag


def clear_caches() -> None:
    """Forget cached lexicons and features (after the generated tables were rewritten)."""
    from khabar.analysis import ner_features
    from khabar.lang.hi import read_list, read_table

    read_table.cache_clear()
    read_list.cache_clear()
    for name in dir(ner_features):
        func = getattr(ner_features, name)
        if hasattr(func, "cache_clear"):
            func.cache_clear()
    try:
        from khabar.analysis import ner

        for name in dir(ner):
            func = getattr(ner, name)
            if hasattr(func, "cache_clear"):
                func.cache_clear()
    except ImportError:
        pass


def tune_iterations(
    train: Sequence[TaggedSentence],
    dev: Sequence[TaggedSentence],
    features: Sequence[list[list[str]]],
    trial: Path,
) -> int:
    """The number of perceptron passes (of `ITERATION_GRID`) whose model alone scores best on `dev`."""
    best, best_f1 = DEFAULT_ITERATIONS, -1.0
    for iterations in ITERATION_GRID:
        train_crf(train, trial, iterations, features)
        f1 = evaluate_ner(dev, model_tagger(trial))["micro"]["f1"]
        log.info("%d passes: dev F1 of the model alone %.2f", iterations, f1)
        if f1 > best_f1:
            best, best_f1 = iterations, f1
    trial.unlink(missing_ok=True)
    return best


def build_lexicons(data_dir: Path, train: Sequence[TaggedSentence], out_dir: Path) -> None:
    """Write the generated lexicons into `out_dir`."""
    source = "built by `khabar train ner` from ../shared/data"
    common = build_common_words(train)
    _write_lines(out_dir / "ner_common_words_gen.txt", f"Frequent non-name words; {source}.", common)
    places = build_places(data_dir, set(common))
    _write_lines(out_dir / "ner_places_gen.tsv", f"Place names (babel, Wikidata CC0); {source}.", places)
    parts = build_person_parts(data_dir, set(common))
    _write_lines(
        out_dir / "ner_person_parts_gen.txt", f"Person name parts (in-rolls/indicate, MIT); {source}.", parts
    )
    _write_lines(
        out_dir / "ner_entities_gen.tsv",
        f"Names tagged in IL-NER train (LTRC, IIIT Hyderabad, CC BY 4.0): phrase, type; {source}.",
        [f"{p}\t{k}" for p, k in entity_entries(train)],
    )
    wikidata = data_dir / "names" / "wikidata-en-hi.tsv"
    labels = sorted(
        {c[2] for c in (ln.split("\t") for ln in wikidata.read_text("utf-8").splitlines()[1:]) if len(c) > 2}
        if wikidata.is_file()
        else set()
    )
    _write_lines(out_dir / "ner_wikidata_gen.txt", f"Wikidata Hindi labels (CC0); {source}.", labels)
    _write_lines(
        out_dir / "ner_propn_gen.txt",
        f"Proper nouns of UD Hindi PUD (CC BY-SA 3.0); {source}.",
        read_proper_nouns(data_dir),
    )
    clear_caches()


def train_ner(data_dir: Path, out_dir: Path | None = None, tune: bool = True) -> TrainReport:
    """Build lexicons, choose the number of passes on dev, train the shipped model and measure it."""
    began = time.monotonic()
    out_dir = out_dir or lang_dir()
    train_path = data_dir / "il-ner" / "train.txt"
    dev_path = data_dir / "il-ner" / "dev.txt"
    for path in (train_path, dev_path):
        if not path.is_file():
            raise InputError(f"training data missing: {path} (set KHABAR_DATA to the shared data folder)")
    train = read_tagged_sentences(train_path)
    dev = read_tagged_sentences(dev_path)
    build_lexicons(data_dir, train, out_dir)
    model_dir = out_dir / "models"
    model_dir.mkdir(exist_ok=True)
    model_path = model_dir / "ner.crfsuite"
    features = jackknife_features(train)
    best = (
        tune_iterations(train, dev, features, model_dir / "ner.trial.crfsuite")
        if tune
        else DEFAULT_ITERATIONS
    )
    train_crf(train, model_path, best, features)
    clear_caches()
    dev_model = evaluate_ner(dev, model_tagger(model_path))
    dev_full = evaluate_ner(dev)
    clean = drop_overlap(dev, train)
    dev_clean = evaluate_ner(clean)
    return TrainReport(
        iterations=best,
        dev_model=dev_model,
        dev_model_no_overlap=evaluate_ner(clean, model_tagger(model_path)),
        dev_full=dev_full,
        dev_full_no_overlap=dev_clean,
        seconds=round(time.monotonic() - began, 1),
        model_bytes=model_path.stat().st_size,
    )
