"""Issue 14, round 6: group actors named by their direct form, a body's members read through a
compound or a count, owner phrases that stop at a verb, and the target ranker's head-noun cues."""

from __future__ import annotations

from datetime import date

from facts_support import EntitySpec, article_events, make_article
from khabar.analysis._facts import track_subjects
from khabar.analysis.event_args import clause_args, group_form
from khabar.analysis.event_targets import TargetCandidate, target_features
from khabar.article import Event, Span

PUB = date(2026, 3, 10)
SPEC: EntitySpec = {
    "o1": ("ORGANIZATION", "झामुमो", ("झामुमो",)),
    "o2": ("ORGANIZATION", "प्रवर्तन निदेशालय", ("प्रवर्तन निदेशालय", "ईडी")),
    "o3": ("ORGANIZATION", "कांग्रेस", ("कांग्रेस",)),
    "l1": ("LOCATION", "धनबाद", ("धनबाद",)),
    "l2": ("LOCATION", "श्रीलंका", ("श्रीलंका",)),
    "p1": ("PERSON", "मल्लिकार्जुन खरगे", ("मल्लिकार्जुन खरगे", "खरगे")),
}


def events_of(text: str) -> list[Event]:
    return article_events(text, SPEC, PUB, rules_only=True)


def test_a_plural_oblique_of_a_noun_in_a_is_named_by_its_direct_plural() -> None:
    # the bare stem (मछुआर, ठिकान, खात) is no word: the attested -े plural is the name
    assert [group_form(w) for w in ("मछुआरों", "ठिकानों", "खातों", "वालों")] == [
        "मछुआरे",
        "ठिकाने",
        "खाते",
        "वाले",
    ]
    # nouns whose stem is the word keep it (किसानों → किसान, दुकानों → दुकान), and the other endings
    # are base_form's
    assert [group_form(w) for w in ("किसानों", "दुकानों", "लोगों", "यात्रियों", "महिलाओं")] == [
        "किसान",
        "दुकान",
        "लोग",
        "यात्री",
        "महिला",
    ]


def test_a_group_target_is_named_by_its_direct_form() -> None:
    [ev] = events_of("श्रीलंका की नौसेना ने रामेश्वरम के 12 मछुआरों को गिरफ्तार कर लिया.")
    assert ev.cameo.startswith("17")
    assert ev.actor2 is not None and ev.actor2.text == "मछुआरे"


def test_members_right_after_a_body_make_the_body_the_source() -> None:
    [ev] = events_of("झामुमो कार्यकर्ताओं ने कल धनबाद में ईडी के खिलाफ प्रदर्शन किया.")
    assert ev.cameo.startswith("14")
    assert ev.actor1 is not None and ev.actor1.entity == "o1"  # not "कार्यकर्ता"
    assert ev.actor2 is not None and ev.actor2.entity == "o2"
    [counted] = events_of("कांग्रेस के सैकड़ों कार्यकर्ताओं ने धनबाद में ईडी के खिलाफ प्रदर्शन किया.")
    assert counted.actor1 is not None and counted.actor1.entity == "o3"


def test_an_owner_phrase_stops_at_a_verb() -> None:
    text = "संघ के नेता ने आरोप लगाया कि नौसेना के जवानों ने मछुआरों के साथ मारपीट की."
    article = make_article(text, SPEC, PUB)
    sent = article.sentences[0]
    args = clause_args(article, sent.start, sent.end, track_subjects(article)[0])
    assert "नौसेना" in [a.text for a in args if a.marker == "ने"]
    assert not any("लगाया" in a.text for a in args)


def test_the_ranker_sees_the_noun_a_genitive_qualifies() -> None:
    text = "दुकानदारों ने खरगे के आवास पर बैठक की."
    article = make_article(text, SPEC, PUB)
    sent = article.sentences[0]
    args = clause_args(article, sent.start, sent.end, track_subjects(article)[0])
    kharge = next(a for a in args if a.entity == "p1")
    trig = text.index("बैठक")
    feats = target_features(
        article, TargetCandidate(kharge, "clause", 5), "040", None, None, Span(trig, trig + 4)
    )
    assert feats.get("gen_head=आवास") == 1.0  # "खरगे के आवास पर": whose house, no participant
    group = next(a for a in args if a.entity is None and a.marker == "ने")
    gfeats = target_features(
        article, TargetCandidate(group, "clause", 5), "040", None, None, Span(trig, trig + 4)
    )
    assert gfeats.get("phrase_group=True") == 1.0
