"""The learned event trigger model and target ranker (analysis/event_model.py, train/events.py): the
fitting is deterministic, the shipped model is what `khabar train facts` rebuilds from the gold set in
the repository, and over the rules it keeps issue 14's trigger-sense and modality classes."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from facts_support import EntitySpec, article_events, make_article
from khabar.analysis.dates import extract_dates
from khabar.analysis.event_model import (
    Candidate,
    TriggerModel,
    fit_logistic,
    fit_softmax,
    pick,
    shipped_model,
    stem,
)
from khabar.analysis.events import extract_events
from khabar.article import Event, Span

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "bench" / "data" / "gold" / "facts" / "articles.jsonl"
GOLDS = [GOLD, ROOT / "bench" / "data" / "gold" / "facts2" / "articles.jsonl"]
PUB = date(2026, 3, 10)
SPEC: EntitySpec = {
    "p1": ("PERSON", "शिवराज सिंह चौहान", ("शिवराज सिंह चौहान", "शिवराज")),
    "p2": ("PERSON", "अखिलेश यादव", ("अखिलेश यादव", "अखिलेश")),
    "p3": ("PERSON", "एंटनी ब्लिंकन", ("एंटनी ब्लिंकन", "ब्लिंकन")),
    "p4": ("PERSON", "एस जयशंकर", ("एस जयशंकर", "जयशंकर")),
    "l1": ("LOCATION", "भोपाल", ("भोपाल",)),
    "l2": ("LOCATION", "अमेरिका", ("अमेरिका",)),
    "l3": ("LOCATION", "भारत", ("भारत",)),
    "l5": ("LOCATION", "ईरान", ("ईरान",)),
    "o1": ("ORGANIZATION", "समाजवादी पार्टी", ("समाजवादी पार्टी", "सपा")),
}


def events_of(text: str) -> list[Event]:
    """Events read with the shipped model (the default of `extract_events`)."""
    return article_events(text, SPEC, PUB)


def codes(text: str) -> list[str]:
    return [e.cameo for e in events_of(text)]


def cand(start: int, end: int, rules: bool = False) -> Candidate:
    return Candidate(Span(start, end), 0, "040", "table", "बैठक", rules)


# --- the learned parts, on toy data ----------------------------------------------------------------


def test_inflections_share_a_light_stem() -> None:
    assert stem("मिलकर") == stem("मिले") == "मिल"
    assert stem("हमलों") == stem("हमला")
    assert stem("पहुंचेगी") == stem("पहुंचे")
    assert stem("छापेमारी") == stem("छापेमारियों")


def test_event_stems_are_the_search_stems() -> None:
    from khabar.text.analyzer import index_term

    # one stemmer: words that meet in the event model meet in the search index too, nukta or not
    for a, b in (("पढ़कर", "पढ़े"), ("पढ़कर", "पढकर"), ("गिरफ्तारियों", "गिरफ्तारी"), ("प्रदर्शनों", "प्रदर्शन")):
        assert stem(a) == stem(b)
        assert index_term(a) == index_term(b)


def test_light_verb_forms_are_no_trigger_words() -> None:
    from khabar.analysis.event_model import is_content

    assert not [w for w in ("करते", "दिए", "लिया", "हुई", "गए", "सकती", "रखना", "आए") if is_content(w)]
    assert [w for w in ("जान", "हमला", "पथराव", "बैठकें") if is_content(w)] == ["जान", "हमला", "पथराव", "बैठकें"]


def test_logistic_regression_is_deterministic_and_learns_the_signal() -> None:
    feats = [{"a": 1.0, "n": float(i % 2)} for i in range(20)] + [
        {"b": 1.0, "n": float(i % 2)} for i in range(20)
    ]
    labels = [1] * 20 + [0] * 20
    w1, b1 = fit_logistic(feats, labels)
    w2, b2 = fit_logistic(feats, labels)
    assert (w1, b1) == (w2, b2)
    assert w1["a"] > 1.0 > -1.0 > w1["b"]
    assert abs(w1["n"]) < 0.5 < w1["a"]
    model = TriggerModel(weights=w1, bias=b1)
    assert model.prob({"a": 1.0}) > 0.85 > 0.15 > model.prob({"b": 1.0})


def test_conditional_logit_ranks_the_marked_candidate_first() -> None:
    groups = [[{"far": 1.0}, {"near": 1.0}, {"far": 1.0, "noise": 1.0}] for _ in range(10)]
    gold = [1] * 10
    w = fit_softmax(groups, gold)
    assert w == fit_softmax(groups, gold)
    assert w["near"] > w["far"] + 1.0


def test_the_ranker_chooses_only_among_allowed_candidates() -> None:
    from khabar.analysis.event_targets import choose

    weights = {"source": 3.0, "other": 1.0}
    feats = [{}, {"source": 1.0}, {"other": 1.0}]
    assert choose(weights, feats) == 1
    # the event's source is not its own target: the next best is taken, and "none" is always allowed
    assert choose(weights, feats, [True, False, True]) == 2
    assert choose(weights, feats, [False, False, False]) == 0


def test_source_ranker_fills_only_an_empty_source() -> None:
    import copy

    shipped = shipped_model()
    assert shipped is not None and shipped.source_weights
    eager = copy.copy(shipped)
    eager.source_weights = {"m=से": 50.0}  # a ranker that always wants the से-argument as source

    def read(text: str) -> list[tuple[str | None, str | None]]:
        article = make_article(text, SPEC, PUB)
        extract_dates(article)
        evs = extract_events(article, eager).events
        return [(e.actor1.entity if e.actor1 else None, e.actor2.entity if e.actor2 else None) for e in evs]

    # a ने agent is the rules' source and stays it
    assert read("ब्लिंकन ने जयशंकर से मुलाकात की.") == [("p3", "p4")]
    # with no agent the ranker fills the source, and the source is not also the target
    [(source, target)] = read("जयशंकर से मुलाकात हुई.")
    assert source == "p4" and target != "p4"


def test_overlapping_candidates_keep_the_most_probable_over_its_threshold() -> None:
    a, b, c = cand(0, 5), cand(3, 8), cand(10, 14)
    assert pick([(a, 0.6), (b, 0.9), (c, 0.55)], 0.5) == [b, c]
    assert pick([(a, 0.6), (b, 0.9), (c, 0.45)], 0.5) == [b]
    kept = cand(0, 5, rules=True)  # the rules keep it: judged against keep_threshold
    assert pick([(kept, 0.35), (b, 0.45)], 0.5, keep_threshold=0.3) == [kept]
    assert pick([(kept, 0.25)], 0.5, keep_threshold=0.3) == []


def test_model_json_round_trip(tmp_path: Path) -> None:
    model = TriggerModel(
        weights={"x": 0.5},
        bias=-1.0,
        threshold=0.4,
        keep_threshold=0.3,
        lexicon={"हमल": {"190": 3}},
        seen={"हमल": 5},
    )
    path = tmp_path / "m.json"
    model.save(path)
    back = TriggerModel.from_json(json.loads(path.read_text(encoding="utf-8")))
    assert back.to_json() == model.to_json()
    assert (back.threshold, back.keep_threshold, back.evidence("हमल", "19")) == (
        0.4,
        0.3,
        model.evidence("हमल", "19"),
    )


# --- the shipped model ------------------------------------------------------------------------------


def test_shipped_model_is_built_from_the_gold_set_in_the_repo() -> None:
    model = shipped_model()
    assert model is not None and model.weights and model.target_weights and model.source_weights
    assert model.meta["gold"] == "facts/articles.jsonl, facts2/articles.jsonl"
    assert model.meta["articles"] == sum(
        1 for gold in GOLDS for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()
    )


@pytest.mark.slow
def test_training_reproduces_the_shipped_model(tmp_path: Path) -> None:
    from khabar.train.events import train_event_model

    out = tmp_path / "event_triggers.json"
    train_event_model(GOLDS, out=out)
    built = json.loads(out.read_text(encoding="utf-8"))
    shipped = shipped_model()
    assert shipped is not None
    want = shipped.to_json()
    assert (built["lexicon"], built["seen"], built["threshold"]) == (
        want["lexicon"],
        want["seen"],
        want["threshold"],
    )
    for key in ("weights", "target_weights", "source_weights"):
        assert built[key].keys() == want[key].keys()
        assert all(abs(built[key][k] - v) < 1e-3 for k, v in want[key].items())


def test_cross_validation_needs_two_folds_and_no_predictions() -> None:
    run = subprocess.run(
        [sys.executable, "-c", "from khabar.cli import main; main()", "eval", "facts", "--cv", "1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.strip().splitlines() == [
        "khabar: error: --cv needs at least 2 folds and analyses the articles itself (no --predictions)"
    ]


@pytest.mark.slow
def test_cross_validation_by_article_is_deterministic() -> None:
    from khabar.eval.facts_gold import read_gold
    from khabar.train.events import cross_validate, folds_of, prepare

    items = prepare(read_gold(GOLD, "all")[:4])
    assert [[p.gold.id for p in f] for f in folds_of(items, 2)] == [
        [items[0].gold.id, items[2].gold.id],
        [items[1].gold.id, items[3].gold.id],
    ]
    first, second = cross_validate(items, k=2), cross_validate(items, k=2)
    assert first == second
    assert first["articles"] == 4 and 0.0 <= first["events"]["f1"] <= 1.0


# --- issue 14's error classes through the shipped model --------------------------------------------


def test_sense_conditions_hold_over_the_model() -> None:
    assert codes("भारत का प्रदर्शन शानदार रहा.") == []
    assert codes("अखिलेश यादव ने एक टीवी शो की मेजबानी की.") == []
    assert codes("सपा की साइकिल यात्रा लखनऊ से शुरू हुई.") == []
    assert codes("लोकसभा में बजट पर चर्चा हुई.") == []
    assert codes("प्रशासन ने भोपाल में धारा 144 लागू की.") == ["172"]


def test_modality_through_the_model() -> None:
    [plan] = events_of("शिवराज अगले हफ्ते अखिलेश से मुलाकात करेंगे.")
    [denied] = events_of("ब्लिंकन ने जयशंकर से मुलाकात नहीं की.")
    [done] = events_of("ब्लिंकन ने जयशंकर से मुलाकात की.")
    assert (plan.modality, denied.modality, done.modality) == ("planned", "negated", "occurred")
    assert (done.actor1.entity if done.actor1 else None, done.actor2.entity if done.actor2 else None) == (
        "p3",
        "p4",
    )
