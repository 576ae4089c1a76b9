"""Reading one trigger occurrence: its roles, modality, place and date, or why the rules see no event."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from khabar.analysis._facts import (
    END,
    START,
    WORD_CHAR,
    SentenceSubject,
    alternation,
    entity_of,
    entity_type,
    lexicon,
    mentions_between,
    next_word,
    span_index,
)
from khabar.analysis.event_args import Arg, clause_args
from khabar.analysis.event_modality import read_modality
from khabar.analysis.event_model import Candidate, TriggerModel, features, find_candidates, stem
from khabar.analysis.event_roles import Roles, assign_roles
from khabar.analysis.event_triggers import (
    Status,
    Trigger,
    adjuncts_masked,
    code_trigger,
    cues,
    multi_stem_index,
    read_sense,
    read_status,
    stem_form,
    stem_index,
    trigger_pattern,
    triggers,
    words_between,
)
from khabar.article import Article, DateExpr, Modality, Span

# Actions one can demand ("रिहाई की मांग", "गिरफ्तारी की मांग", "बातचीत की अपील"): the demanded action is an
# event of its own (modality demanded) besides the demand; other demanded things (compensation, a
# policy) are only the demand.
DEMANDABLE = ("04", "063", "08", "173")
EMBED_MODALITY: dict[str, Modality] = {"demand": "demanded", "plan": "planned", "order": "occurred"}


# Actions whose announcement for the future is a promise of them (CAMEO 03x, an intent that was
# expressed: "मदद देगी" is 033, not a planned 070).
INTENT_CODES: dict[str, tuple[str, float, str]] = {"07": ("033", 5.2, "intent to provide aid")}


# Speech acts whose target may be the subject of their कि-statement (appeal, demand, criticize, accuse,
# reject, threaten).
SPEECH_ROOTS = frozenset({"02", "10", "11", "12", "13"})


# Rejections by the rules the trigger model may not override: the sense conditions, rumours,
# interviews, embedded readings and visitors (only `status`, the predicate test, is re-decided).
HARD_REASONS = frozenset({"sense", "rumour", "interview", "embedded", "visitor"})


@cache
def _clause_boundary() -> re.Pattern[str]:
    """Clause boundaries inside a sentence: a कि complement, conjunction or relative word, a contrast
    word after a comma (`lang/hi/clauses.tsv`), a semicolon."""
    rows = lexicon("clauses.tsv")
    after_comma = alternation(r[0] for r in rows if r[1] == "after_comma")
    breaks = alternation(r[0] for r in rows if r[1] == "break")
    return re.compile(rf",\s*(?:{after_comma})\s|;|\s(?:{breaks})\s")


def _clause(text: str, start: int, end: int, pos: int) -> tuple[int, int]:
    """The clause of the sentence `[start, end)` that holds offset `pos`."""
    cs, ce = start, end
    for b in _clause_boundary().finditer(text, start, end):
        if b.end() <= pos:
            cs = b.end()
        elif b.start() >= pos:
            ce = b.start()
            break
    return cs, ce


def _date_near(dates: list[DateExpr], spans: list[tuple[int, int]], pos: int) -> DateExpr | None:
    """The resolved date nearest `pos` in the first span that has one (day grain preferred)."""
    index = span_index(dates)
    for s, e in spans:
        inside = [d for d in index.starting_in_list_order(s, e) if d.value]
        if inside:
            inside.sort(key=lambda d: (d.grain != "day", abs(d.start - pos)))
            return inside[0]
    return None


def _place(article: Article, s: int, e: int) -> str | None:
    """The first LOCATION entity in `[s, e)` marked with में."""
    for m in mentions_between(article, s, e):
        ent = entity_of(article, m)
        if ent and entity_type(article, ent) == "LOCATION" and next_word(article.text, m.end) == "में":
            return ent
    return None


@cache
def _during_pattern() -> re.Pattern[str]:
    forms = [row[0] for row in lexicon("event_cues.tsv") if row[1] == "during"]
    return re.compile(rf"[\s\W]*(?:{alternation(forms)}){END}")


@dataclass(frozen=True, slots=True)
class Observation:
    """One trigger occurrence with what its sentence says about it."""

    span: Span
    trigger: Trigger
    status: Status
    roles: Roles
    place: str | None
    when: DateExpr | None
    modality: Modality
    dropped_subject: str | None
    during: bool
    sentence: Span
    index: int = 0
    args: tuple[Arg, ...] = ()


def observe(
    article: Article, span: Span, trig: Trigger, i: int, subjects: list[SentenceSubject], force: bool = False
) -> Observation | str:
    """Read one trigger occurrence `span` in sentence `i`: the mention, or the reason the rules give
    for it naming no event (with `force`, read its roles anyway: the trigger model keeps it)."""
    text = article.text
    sent = article.sentences[i]
    ts, te = span.start, span.end
    form = re.sub(r"\s+", " ", text[ts:te])
    status = read_status(text, ts, te, (sent.start, sent.end), trig, adjuncts_masked(article, te, sent.end))
    reason = ""
    if not (status.predicate or status.back):
        reason = "status"
    clause = _clause(text, sent.start, sent.end, ts)
    sensed = read_sense(article, trig, ts, te, clause)
    if sensed is None:
        reason, sensed = reason or "sense", trig
    if sensed.label == "consult" and _rumour(text, te, clause[1]):
        reason = reason or "rumour"  # "चर्चा है कि …": there is talk that, no event
    if (
        status.mode == "locative"
        and form == "बातचीत"
        and re.search(rf"{START}(?:ने|कहा|बताया){END}", text[te : sent.end])
    ):
        reason = reason or "interview"  # "अखबार से बातचीत में उन्होंने कहा": a statement
    if status.embed == "suppress" or (
        status.embed == "demand" and (not sensed.cameo.startswith(DEMANDABLE) or form == "चर्चा")
    ):
        reason = reason or "embedded"  # only the offer, threat or demand itself is an event
    if reason and not force:
        return reason
    when = _date_near(article.dates, [clause, (sent.start, sent.end)], ts)
    own = _date_near(article.dates, [clause], ts)  # a date in another clause plans nothing here
    ahead = bool(own and own.value and article.published and own.value > article.published.isoformat())
    if status.mode == "state":
        state = trig.condition("state")
        speech = sensed.cameo[:2] in SPEECH_ROOTS and re.search(r"(?:का|की|के)\s*$", text[clause[0] : ts])
        if state:
            code, goldstein, label = state[0].split(":")
            sensed = Trigger(code, float(goldstein), label, sensed.genitive)
        elif not (ahead or speech) and not force:
            return "state"  # "धारा 144 लागू है", "उन पर आरोप है": a state ("परिजनों का आरोप है" accuses)
    if _inside_accusation(text, sent.start, clause[0]) and not sensed.cameo.startswith("11") and not force:
        return "accusation"  # "आरोप है कि पुलिसकर्मियों ने पिटाई की": only the accusation is an event
    place = _place(article, *clause)
    args = clause_args(article, clause[0], clause[1], subjects[i]) if status.predicate or force else []
    roles = assign_roles(text, args, (ts, te), sensed.cameo, sensed.genitive, place)
    if status.embed == "demand" or modality_demanded(text, te, clause[1]):
        # "सौरभ को रिहा करने की मांग की": the demanded release has no releaser yet, only its target
        roles = Roles(None, roles.target, roles.others)
    if roles.target is None and sensed.cameo[:2] in SPEECH_ROOTS and clause[1] < sent.end:
        # "मांग की कि सरकार …", "आरोप लगाया कि पुलिस …": the statement is about its subject
        roles = _complement_target(article, roles, clause[1], sent.end, subjects[i])
    if (
        sensed.cameo.startswith("042")
        and place is None
        and roles.target is not None
        and roles.target.etype == "LOCATION"
    ):
        place = roles.target.entity
    agent = re.search(rf"{WORD_CHAR}\s+ने{END}", text[clause[0] : ts])
    if (
        sensed.cameo.startswith("042")
        and roles.source is None
        and (agent or i == 0 or not subjects[i - 1].entity)
        and not force
    ):
        return "visitor"  # a visit needs a visitor ("भारत जोड़ो यात्रा भोपाल पहुंची" is no visit)
    dropped = (
        subjects[i - 1].entity
        if (status.predicate or force)
        and roles.source is None
        and not agent
        and i > 0
        and not _passive(text, te, clause[1])
        else None
    )
    when = _date_near(article.dates, [clause, (sent.start, sent.end)], ts)
    own = _date_near(article.dates, [clause], ts)  # a date in another clause plans nothing here
    ahead = bool(own and own.value and article.published and own.value > article.published.isoformat())
    self_cue = (
        form if form in ("मांग", "माँग", "अपील", "आग्रह", "अनुरोध", "गुहार", "शर्त", "धमकी", "चेतावनी") else None
    )
    modality = read_modality(text, clause, (ts, te), self_cue, ahead)
    if status.embed:
        modality = EMBED_MODALITY.get(status.embed, modality)
    intent = INTENT_CODES.get(sensed.cameo[:2])
    if intent and modality == "planned":
        # "केंद्र राज्य को हर जरूरी मदद देगी": aid told as future is a promise of aid, which occurred
        sensed = Trigger(intent[0], intent[1], intent[2], sensed.genitive)
        modality = "occurred"
    during = _during_pattern().match(text, sent.start, sent.end) is not None
    return Observation(
        Span(ts, te),
        sensed,
        status,
        roles,
        place,
        when,
        modality,
        dropped,
        during,
        Span(sent.start, sent.end),
        i,
        tuple(args),
    )


def _complement_target(
    article: Article, roles: Roles, start: int, end: int, subject: SentenceSubject
) -> Roles:
    """Roles with the target taken from the first argument of the कि-statement after the clause."""
    text = article.text
    after = re.match(r"\s*कि\b|\s*कि\s", text[start : start + 6])
    if after is None:
        return roles
    cs = start + after.end()
    ce = _clause(text, cs, end, cs)[1]
    args = [a for a in clause_args(article, cs, ce, subject) if a.marker in ("", "ने", "को", "पर")]
    first = next((a for a in args if roles.source is None or a.key != roles.source.key), None)
    return Roles(roles.source, first, roles.others) if first else roles


def modality_demanded(text: str, e: int, ce: int) -> bool:
    """A subjunctive or imperative verb right after a trigger ("रिहा करो", "गिरफ्तार किया जाए")."""
    return bool(re.match(rf"\s*(?:{WORD_CHAR}+\s+)?(?:करो|करें|करे|किया जाए|किए जाएं|जाएं|जाए){END}", text[e:ce]))


def _inside_accusation(text: str, sent_start: int, clause_start: int) -> bool:
    """Whether a clause is the statement of an accusation ("आरोप है कि …", "आरोप लगाया कि …")."""
    before = text[sent_start:clause_start]
    return clause_start > sent_start and bool(re.search(rf"आरोप(?:\s+{WORD_CHAR}+){{0,3}}\s+कि\s*$", before))


def _rumour(text: str, e: int, ce: int) -> bool:
    """ "चर्चा है कि", "इसकी चर्चा भी थी": talk about something, not talks between actors."""
    return bool(re.match(rf"\s*(?:भी\s+)?(?:है|हैं|थी|थीं|थे){END}", text[e : ce + 1]))


def _passive(text: str, e: int, ce: int) -> bool:
    """A passive verb group after the trigger ("गिरफ्तार किया गया"): its agent is not dropped."""
    words = words_between(text, e, ce)[:4]
    return any(w in ("गया", "गई", "गए", "गयी", "जाएगा", "जाएगी", "जाएंगे") for w in words[1:])


def read_candidates(
    article: Article, i: int, subjects: list[SentenceSubject], model: TriggerModel
) -> list[tuple[Candidate, dict[str, float], Observation]]:
    """Every trigger candidate of sentence `i` with its features and its reading (read with `force`
    when the rules reject it, so a kept candidate has roles, modality, place and date)."""
    text = article.text
    sent = article.sentences[i]
    table = [
        (Span(tm.start(), tm.end()), triggers()[re.sub(r"\s+", " ", tm.group(0))])
        for tm in trigger_pattern().finditer(text, sent.start, sent.end)
    ]
    spans = [(sp, t.cameo) for sp, t in table]
    out = []
    light, negation = cues("light"), cues("negation")
    multi = multi_stem_index()
    codes = {form: triggers()[form].cameo for form in multi.values()}
    for cand in find_candidates(article, i, spans, stem_index(), model, multi, codes):
        if cand.source == "table":
            trig = next(t for sp, t in table if sp == cand.span)
        elif cand.source == "stem":
            trig = triggers()[stem_form(cand.form)]
        else:
            trig = code_trigger(cand.cameo)
        obs = observe(article, cand.span, trig, i, subjects)
        if isinstance(obs, str) and obs in HARD_REASONS:
            continue  # the sense conditions and the rules' other readings hold over the model
        verdict = f"reject:{obs}" if isinstance(obs, str) else f"keep:{obs.status.mode or 'back'}"
        cand = replace(cand, rules=cand.source == "table" and not isinstance(obs, str))
        if isinstance(obs, str):
            obs = observe(article, cand.span, trig, i, subjects, force=True)
        assert not isinstance(obs, str)
        if obs.trigger.cameo[:2] != cand.root:
            cand = replace(cand, cameo=obs.trigger.cameo)  # a sense recode (हमला बोला: criticism)
        roles = (obs.roles.source is not None, obs.roles.target is not None)
        evidence = model.evidence(stem(cand.form.split()[-1]), cand.root)
        feats = features(article, cand, verdict, obs.modality, roles, evidence, light, negation)
        out.append((cand, feats, obs))
    return out
