"""How an event is reported: occurred, planned, demanded, speculative or negated.

Read from the trigger's clause (`lang/hi/modality_cues.tsv`):

- negated: a negation or cancellation in the words after the trigger up to its verb ("बैठक नहीं हुई",
  "हमले से इनकार किया", "दौरा रद्द");
- speculative: a modal (हो सकती है), a word of likelihood or fear (संभावना, आशंका, अटकलें), a threat or
  warning of it (हमले की धमकी), a condition (अगर … तो);
- demanded: the trigger is what a demand or appeal asks for (रिहाई की मांग, बातचीत की अपील, … चाहिए);
- planned: a future verb (होगी, करेंगे), an infinitive + वाला/जा रहा (होने वाली, करने जा रहे), a plan
  word (की योजना, प्रस्तावित, आगामी), or a date after publication with no past verb;
- occurred otherwise (past, perfect, present progressive).

The first cue after the trigger decides, so "हमले की धमकी नहीं दी" is speculative (a threat), and
the verb group of a demand noun itself ("मांग की") is read as occurred.
"""

from __future__ import annotations

import re
from functools import cache

from khabar.analysis._facts import WORD_CHAR, lexicon
from khabar.analysis.date_base import FUTURE_WORD, INFINITIVE, past_word
from khabar.article import Modality

# Words after a trigger read for a modality cue: covers "की रिहाई की मांग", "बैठक हो सकती है".
AFTER_WINDOW = 4


@cache
def _cues(where: str) -> dict[str, str]:
    return {row[0]: row[1] for row in lexicon("modality_cues.tsv") if row[2] == where}


def _modality(word: str) -> Modality | None:
    value = _cues("after").get(word)
    if value in ("negated", "speculative", "demanded", "planned"):
        return value  # type: ignore[return-value]
    return None


def read_modality(
    text: str, clause: tuple[int, int], trigger: tuple[int, int], self_cue: str | None, date_ahead: bool
) -> Modality:
    """The modality of a trigger at `trigger` in the clause `clause`; `self_cue` is the trigger's own
    modality word (a demand noun is no demand of itself); `date_ahead` says the event's date lies
    after publication."""
    cs, ce = clause
    own = re.findall(rf"{WORD_CHAR}+", text[trigger[0] : trigger[1]])[1:]  # "आ सकते": the trigger's own words
    after = own + re.findall(rf"{WORD_CHAR}+", text[trigger[1] : ce])
    before = re.findall(rf"{WORD_CHAR}+", text[cs : trigger[0]])
    whole = before + after
    window = after[: AFTER_WINDOW + len(own)]
    if any(_modality(w) == "negated" for w in window):
        return "negated"  # "प्रस्तावित शिखर बैठक रद्द कर दी": a cancelled plan did not happen
    if any(w in _cues("clause") for w in whole):
        return "speculative"
    value = next((_cues("before")[w] for w in before[-2:][::-1] if w in _cues("before")), None)
    if value in ("planned", "speculative"):
        return value  # type: ignore[return-value]
    if len(before) > 1 and before[-1] in ("वाली", "वाला", "वाले") and INFINITIVE.search(before[-2]):
        return "planned"  # "होने वाली बैठक"
    past = False
    for i, w in enumerate(window):
        found = _modality(w)
        if found and w != self_cue:
            return found
        if _cues("after").get(w) == "planned_inf" and i > 0 and INFINITIVE.search(window[i - 1]):
            return "planned"  # "बैठक करने वाले हैं", "हमला करने जा रहे"
        if FUTURE_WORD.search(w):
            return "planned"
        past = past or past_word(w)
    if date_ahead and not past:
        return "planned"
    return "occurred"
