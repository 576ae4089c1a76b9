"""`khabar train ner`: build the NER lexicons, tune and train the CRF model.

Everything is derived from ../shared/data (IL-NER train/dev, the name tables, UD Hindi PUD text, and
babel's Hindi country names) with fixed seeds, so the shipped files can be rebuilt exactly.
"""

from __future__ import annotations

import logging
import re
import shutil
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from khabar.errors import InputError
from khabar.eval.ner import TaggedSentence, evaluate_ner, read_tagged_sentences, spans_from_bio

log = logging.getLogger(__name__)

# Common-word list: a word seen at least this often in training and inside a name at most this share
# of the time is never taken into a title/context-pattern name (set on dev: मुख्यमंत्री आवास, जल संसाधन).
COMMON_MIN_COUNT = 2
COMMON_MAX_NAME_SHARE = 0.15
# CRF trained by averaged perceptron (crfsuite "ap") on BILOU labels: on IL-NER dev it beat L-BFGS with
# L1/L2 (micro F1 of the model alone 73.2 vs 70.5, at a tenth of the training time) and BIO labels (71.5).
# The number of passes was chosen by cross-validation on train (`khabar eval ner --cv 5 --iterations N`).
ITERATIONS = 8
DEFAULT_ITERATIONS = ITERATIONS
# The recipes `khabar train ner` builds and ships.
SHIPPED_MODES = ("fast", "accurate")
# Seed of the sentence shuffling in each perceptron pass (fixed, not tuned).
SEED = 1
# Folds for the training-entity gazetteer features (jackknifed so they are not perfect on train).
JACKKNIFE_FOLDS = 5
JACKKNIFE_BLOCK = 1
# Cross-validation folds: runs of this many consecutive sentences, dealt round-robin.
FOLD_BLOCK = 20
# Person-name parts from the name tables: tokens of at least this many characters.
PERSON_PART_MIN_LEN = 2

_DEVANAGARI_WORD = re.compile(r"^[\u0900-\u0963\u0970-\u097f]+$")


@dataclass(frozen=True, slots=True)
class TrainReport:
    """What a training run produced and measured (dev: IL-NER dev, the final check)."""

    iterations: int
    seed: int
    dev: dict[str, dict[str, dict[str, dict[str, float]]]]  # mode → model/full → type → scores
    seconds: float
    model_bytes: dict[str, int]
    vector_bytes: int


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


def fold_indices(n: int, folds: int, block: int = FOLD_BLOCK) -> list[list[int]]:
    """Deterministic folds of `n` sentences: runs of `block` consecutive sentences dealt round-robin
    (a run of one document's sentences stays in one fold, as on unseen news, while every fold gets
    its share of both halves of IL-NER train: the first 5,575 sentences all carry tags, the other
    5,501 none)."""
    out: list[list[int]] = [[] for _ in range(folds)]
    for i in range(n):
        out[(i // block) % folds].append(i)
    return out


def jackknife_features(
    train: Sequence[TaggedSentence],
    mode: str = "plain",
    vectors: Mapping[tuple[str, ...], Any] | None = None,
    head_path: Path | None = None,
) -> list[list[list[str]]]:
    """Features of the training sentences, each fold's entity gazetteer built from the other folds.

    So the model learns how far a training-entity match can be trusted on unseen text. `mode` adds the
    vector features of `fast` or `accurate` (`vectors`: encoder word vectors per sentence; for
    `accurate` the head is cross-fitted the same way, and the one fitted on all of `train` is written
    to `head_path`)."""
    from khabar.analysis.ner import mode_features
    from khabar.analysis.ner_features import Gazetteer, extract_features, gazetteer_entries

    probs: Mapping[tuple[str, ...], Any] = {}
    if mode == "accurate" and vectors is not None and head_path is not None:
        from khabar.train.ner_head import cross_fitted_predictions, save_head

        head, probs = cross_fitted_predictions(train, vectors)
        save_head(head, head_path)

    base = gazetteer_entries(entities=False)
    folds = fold_indices(len(train), JACKKNIFE_FOLDS, JACKKNIFE_BLOCK)
    features: list[list[list[str]]] = [[] for _ in train]
    for fold in folds:
        held = set(fold)
        others = [s for i, s in enumerate(train) if i not in held]
        gaz = Gazetteer.build(base + entity_entries(others))
        for i in fold:
            tokens = train[i].tokens
            key = tuple(tokens)
            extra = mode_features(tokens, mode, vectors[key] if vectors is not None else None, probs.get(key))
            features[i] = extract_features(tokens, gaz, extra)
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
    seed: int | None = None,
) -> None:
    """Train the CRF (averaged perceptron, BILOU labels) and write it to `model_path`."""
    import pycrfsuite

    feats = features if features is not None else jackknife_features(train)
    trainer = pycrfsuite.Trainer(algorithm="ap", verbose=False)
    for sent, xseq in zip(train, feats, strict=True):
        trainer.append(xseq, to_bilou(sent.tags))
    trainer.set_params({"max_iterations": iterations, "feature.possible_transitions": True})
    seed_crfsuite(SEED if seed is None else seed)
    trainer.train(str(model_path))


def model_tagger(
    model_path: Path,
    features: Mapping[tuple[str, ...], list[list[str]]] | None = None,
    mode: str = "fast",
    vectors: Mapping[tuple[str, ...], Any] | None = None,
) -> Callable[[list[str]], list[str]]:
    """A tagger using the CRF model alone (no gazetteers or patterns); `features` gives precomputed
    features per sentence (such as the jackknifed ones of training) instead of the shipped ones;
    `mode` says which vector features the model was trained with (`vectors`: encoder word vectors
    per sentence for `accurate`, else the encoder runs)."""
    import pycrfsuite

    from khabar.analysis.ner import from_bilou, mode_features
    from khabar.analysis.ner_features import extract_features

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_path))

    def tag(tokens: list[str]) -> list[str]:
        if not tokens:
            return []
        if features is not None:
            xseq = features[tuple(tokens)]
        else:
            vecs = vectors.get(tuple(tokens)) if vectors is not None else None
            xseq = extract_features(tokens, extra=mode_features(tokens, mode, vecs))
        return from_bilou(tagger.tag(xseq))

    return tag


def clear_caches() -> None:
    """Forget cached lexicons and features (after the generated tables were rewritten)."""
    from khabar.lang.hi import clear_loader_caches

    clear_loader_caches()


def load_places_hand() -> frozenset[str]:
    """The hand-written place list (folded), without the generated ones."""
    from khabar.analysis.ner_features import _phrases

    return _phrases("ner_places.tsv")


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
    from khabar.analysis.ner_features import load_curated_places
    from khabar.train.ner_gazetteers import build_geo_places, wordfreq_rows
    from khabar.train.ner_vectors import wordfreq_words

    freq = wordfreq_words()
    _write_lines(
        out_dir / "ner_wordfreq_gen.tsv",
        f"Hindi word frequencies (Zipf) from wordfreq 3.1.1 (data CC BY-SA 4.0); {source}.",
        wordfreq_rows(freq),
    )
    known = set(load_curated_places()) | set(load_places_hand())
    _write_lines(
        out_dir / "ner_geo_places_gen.tsv",
        f"Hindi place names from GeoNames (CC BY 4.0) and LGD (GODL-India); {source}.",
        build_geo_places(data_dir, dict(freq), known),
    )
    clear_caches()


def build_model(
    data_dir: Path,
    train: Sequence[TaggedSentence],
    out_dir: Path,
    iterations: int | None = None,
    seed: int | None = None,
    mode: str = "plain",
    vectors: Mapping[tuple[str, ...], Any] | None = None,
) -> Path:
    """The whole recipe on `train`: generated lexicons and the CRF of `mode` written into `out_dir`
    (read through `khabar.lang.hi.overlay` unless it is the package folder); returns the model's path.
    The vector tables of `fast`/`accurate` must already be readable (`khabar.train.ner_vectors`)."""
    from khabar.analysis.ner import MODEL_FILES

    build_lexicons(data_dir, train, out_dir)
    model_path = out_dir / MODEL_FILES[mode]
    model_path.parent.mkdir(exist_ok=True)
    from khabar.analysis.ner_vectors import HEAD_FILE

    features = jackknife_features(train, mode, vectors, out_dir / HEAD_FILE)
    train_crf(train, model_path, iterations or DEFAULT_ITERATIONS, features, seed)
    clear_caches()
    return model_path


def train_ner(
    data_dir: Path, out_dir: Path | None = None, modes: Sequence[str] = SHIPPED_MODES
) -> TrainReport:
    """Build the lexicons and vector tables, train the CRF of each mode and measure it on dev."""
    from khabar.analysis.ner import MODEL_FILES, tag_tokens
    from khabar.lang.hi import overlay
    from khabar.train import ner_vectors

    began = time.monotonic()
    out_dir = out_dir or lang_dir()
    train_path = data_dir / "il-ner" / "train.txt"
    dev_path = data_dir / "il-ner" / "dev.txt"
    for path in (train_path, dev_path):
        if not path.is_file():
            raise InputError(f"training data missing: {path} (set KHABAR_DATA to the shared data folder)")
    train = read_tagged_sentences(train_path)
    dev = read_tagged_sentences(dev_path)
    with overlay(out_dir):
        build_lexicons(data_dir, train, out_dir)
        tables = ner_vectors.cached_tables(train, context="accurate" in modes)
        for name in ("models/ner_vectors.npz", "ner_word_clusters_gen.tsv"):
            (out_dir / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(tables / name, out_dir / name)
        clear_caches()
        vectors = (
            ner_vectors.sentence_vectors([s.tokens for s in (*train, *dev)]) if "accurate" in modes else None
        )
        scores: dict[str, dict[str, dict[str, dict[str, float]]]] = {}
        sizes: dict[str, int] = {}
        for mode in modes:
            path = build_model(data_dir, train, out_dir, ITERATIONS, SEED, mode, vectors)
            model = model_tagger(path, mode=mode, vectors=vectors)
            scores[mode] = {
                "model": evaluate_ner(dev, model),
                "full": evaluate_ner(dev, lambda tokens, m=model: tag_tokens(tokens, m)),  # type: ignore[misc]
            }
            sizes[mode] = (out_dir / MODEL_FILES[mode]).stat().st_size
    return TrainReport(
        iterations=ITERATIONS,
        seed=SEED,
        dev=scores,
        seconds=round(time.monotonic() - began, 1),
        model_bytes=sizes,
        vector_bytes=sum(
            (out_dir / name).stat().st_size
            for name in ("models/ner_vectors.npz", "ner_word_clusters_gen.tsv")
        ),
    )
