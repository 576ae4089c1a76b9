"""CAMEO-coded events as GDELT codes them: who (Actor1) did what to whom (Actor2), where and when.

1. Triggers (`event_triggers.py`) come from `lang/hi/event_triggers.tsv` (Hindi word or phrase → CAMEO
   code, Goldstein value, label, the role of its genitive, sense conditions). A trigger names an event
   only when it is the predicate (a light verb within `LIGHT_WINDOW` words after it: चर्चा हुई, वादा किया,
   मीटिंग की; not across a postposition, सहयोग पर बातचीत हुई, except हिरासत में लिया), follows a
   participle (हुई बैठक), is a verb itself (मिले, पहुंचे), is what a demand, plan or threat is about
   (रिहाई की मांग, प्रस्तावित बैठक), is a meeting noun with a locative (बैठक में), or refers back with a
   demonstrative (इस बैठक). Purpose and condition phrases (युद्ध विराम के लिए / होते ही) yield no event.
2. Its sense conditions decide from the context whether it is that event at all ("खून की जांच" is no
   investigation, "करार दिया" no agreement, "भारत जोड़ो यात्रा" no visit, "सदन में चर्चा" no
   consultation) or another one ("सरकार पर हमला बोला" criticizes; a ban with no country in it is
   172, not 163).
3. Roles: the clause's arguments with their case markers (`event_args.py`), source and target from
   those markers (`event_roles.py`); modality (`event_modality.py`): occurred, planned, demanded,
   speculative or negated. `event_mentions.py` reads one occurrence with its roles, place and date.
4. The place is a LOCATION with में in the clause; the date the resolved date expression nearest the
   trigger in its clause, else in its sentence (with grain and a range's last day); none when the text
   gives none. An event told in a sentence that mentions another event takes that event's place and
   date where it has none; one opening with "इस दौरान" takes those of the event told just before.
5. One event per real-world action (`event_merge.py`): a trigger joins the most recent event of its
   family (all 04x consultations are one family, so are 18x-20x violence) within `MERGE_WINDOW`
   sentences unless a determiner marks a new one (एक, दूसरी, अगली), its date, place or modality
   differs, or its actors conflict with that event's; it must refer back, share the sentence or a
   participant, or bring no actors of its own.

This module runs these steps over an article's sentences and builds its `Event` records.
"""

from __future__ import annotations

import re

from khabar.analysis._facts import SentenceSubject, track_subjects
from khabar.analysis.event_args import Arg
from khabar.analysis.event_mentions import observe, read_candidates
from khabar.analysis.event_merge import Draft, add_mention, inherit_context
from khabar.analysis.event_model import TriggerModel, pick, shipped_model
from khabar.analysis.event_targets import choose, ranks, target_candidates, target_features
from khabar.analysis.event_triggers import trigger_pattern, triggers
from khabar.article import Actor, Article, Event, Span


def extract_events(
    article: Article,
    model: TriggerModel | None = None,
    *,
    rules_only: bool = False,
    collect: list[list[tuple[Arg | None, dict[str, float], dict[str, float]]]] | None = None,
) -> Article:
    """Set `article.events`: CAMEO-coded events with source, target, modality, place and date, one per
    real-world action. Triggers are decided by the trigger model (`model`, default the shipped one)
    over the rules' readings, or by the rules alone (`rules_only`, or no model shipped); the target
    by the model's ranker (`collect` gathers each event's target candidates and features)."""
    subjects = track_subjects(article)
    drafts: list[Draft] = []
    live: list[Draft] = []
    model = None if rules_only else (model or shipped_model())
    if model is None:
        for i, sent in enumerate(article.sentences):
            for tm in trigger_pattern().finditer(article.text, sent.start, sent.end):
                trig = triggers()[re.sub(r"\s+", " ", tm.group(0))]
                obs = observe(article, Span(tm.start(), tm.end()), trig, i, subjects)
                if not isinstance(obs, str):
                    add_mention(drafts, live, obs, i, article.text)
    else:
        for i in range(len(article.sentences)):
            readings = read_candidates(article, i, subjects, model)
            scored = [(c, model.prob(f)) for c, f, _ in readings]
            by_cand = {id(c): obs for c, _, obs in readings}
            for cand in pick(scored, model.threshold, model.keep_threshold):
                add_mention(drafts, live, by_cand[id(cand)], i, article.text)
    inherit_context(drafts)
    if model is not None and (model.target_weights or model.source_weights or collect is not None):
        for d in drafts:
            _rank_target(article, d, subjects, model, collect)
    article.events = [_event(article, d) for d in drafts]
    return article


def _rank_target(
    article: Article,
    d: Draft,
    subjects: list[SentenceSubject],
    model: TriggerModel,
    collect: list[list[tuple[Arg | None, dict[str, float], dict[str, float]]]] | None,
) -> None:
    """Set the draft's target to the ranker's choice (`collect`: also gather the candidates with their
    features)."""
    mentions = [(o.span, o.index, o.args) for o in d.observed]
    dropped = _dropped_arg(article, d)
    cands = target_candidates(article, mentions, subjects, dropped)
    rule_source = d.source or dropped
    source = rule_source.key if rule_source else None
    rule = d.target.key if d.target else None
    places = ranks(cands)
    in_clause = sum(1 for c in cands if c.where == "clause")
    feats = [
        target_features(article, c, d.trigger.cameo, rule, source, d.first, r, in_clause)
        for c, r in zip(cands, places, strict=True)
    ]
    # the same candidates read for the source role: the rules' source is the marked one
    sfeats = [
        target_features(article, c, d.trigger.cameo, source, None, d.first, r, in_clause)
        for c, r in zip(cands, places, strict=True)
    ]
    if collect is not None:
        collect.append([(c.arg, f, sf) for c, f, sf in zip(cands, feats, sfeats, strict=True)])
    if model.source_weights and (rule_source is None or not SOURCE_FILL_ONLY):
        chosen = cands[choose(model.source_weights, sfeats)].arg
        d.source, d.dropped_subject = chosen, None
        source = chosen.key if chosen else None
    if model.target_weights:
        # the source is not its own target ("X ने मांग की": X demands of someone else)
        allowed = [c.arg is None or c.arg.key != source for c in cands]
        d.target = cands[choose(model.target_weights, feats, allowed)].arg


def _dropped_arg(article: Article, d: Draft) -> Arg | None:
    """The previous sentence's person subject standing for a dropped source, as an argument."""
    ent = article.entity(d.dropped_subject) if d.dropped_subject else None
    if ent is None or not ent.mentions:
        return None
    m = ent.mentions[0]
    return Arg(m.start, m.end, ent.id, ent.type, ent.name, ent.name_en, None, "")


# The learned source ranker only fills in a source the rules (case markers, a dropped subject) leave
# empty (chosen by cross-validation, docs/facts.md).
SOURCE_FILL_ONLY = True


def _event(article: Article, d: Draft) -> Event:
    if d.within is not None:
        # "इस दौरान अमेरिका ने वादा किया": inside the event told just before
        d.location = d.location or d.within.location
        d.when = d.when or d.within.when
    source = d.source.actor() if d.source else None
    if source is None and d.dropped_subject:
        # "राहुल दिल्ली पहुंचे. वहां किसानों से मुलाकात की.": the dropped subject is the previous
        # sentence's person
        ent = article.entity(d.dropped_subject)
        if ent is not None and (d.target is None or d.target.entity != ent.id):
            source = Actor(ent.id, ent.name, ent.name_en)
    target = d.target.actor() if d.target else None
    actors = [a.entity for a in (source, target) if a and a.entity]
    others = [p for p in d.others if p not in actors and p != d.location]
    best = max(d.observed, key=lambda o: (o.roles.source is not None) + (o.roles.target is not None))
    return Event(
        type=d.trigger.label,
        cameo=d.trigger.cameo,
        goldstein=d.trigger.goldstein,
        trigger=d.first,
        trigger_text=d.first_text,
        participants=tuple(actors + others),
        location=d.location,
        date=d.when.value if d.when else None,
        mentions=tuple(d.mentions),
        sentence=d.sentence,
        actor1=source,
        actor2=target,
        others=tuple(others),
        modality=d.modality,
        date_grain=d.when.grain if d.when else None,
        date_last=d.when.last if d.when else None,
        evidence=best.sentence,
        confidence=_confidence(d, source, target),
    )


def _confidence(d: Draft, source: Actor | None, target: Actor | None) -> float:
    """A ranking score in [0, 1], not a calibrated probability: how directly the text states the event
    (a predicate or verb rather than a back-reference or locative), with its actors, how often."""
    direct = any(o.status.mode in ("light", "verb") for o in d.observed)
    score = 0.45 + (0.2 if direct else 0.0) + (0.15 if source else 0.0) + (0.1 if target else 0.0)
    score += min(0.1, 0.05 * (len(d.mentions) - 1))
    return round(min(score, 0.95), 2)
