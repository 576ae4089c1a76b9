"""Test helpers for the fact extractors: an article with hand-made mentions and entities.

The NER and resolution steps are other modules; these tests pin the fact rules independently of them
by attaching mentions at every occurrence of given strings.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

from khabar.analysis.dates import extract_dates
from khabar.analysis.events import extract_events
from khabar.article import Article, Entity, EntityType, Event, Mention
from khabar.pipeline import FOUNDATION_STEPS, analyze

# entity id -> (type, canonical name, surface forms)
EntitySpec = dict[str, tuple[EntityType, str, tuple[str, ...]]]

SEED_ENTITIES: EntitySpec = {
    "e1": ("PERSON", "वोलोदिमिर जेलेंस्की", ("वोलोदिमिर जेलेंस्की", "जेलेंस्की")),
    "e2": ("LOCATION", "रूस", ("रूस",)),
    "e3": ("LOCATION", "यूक्रेन", ("यूक्रेन",)),
    "e4": ("LOCATION", "अमेरिका", ("अमेरिका", "अमेरिकी")),
    "e5": ("PERSON", "स्टीव विटकॉफ", ("स्टीव विटकॉफ", "विटकोफ")),
    "e6": ("PERSON", "जेरेड कुशनर", ("जेरेड कुशनर", "जैरेड कुश्नर")),
    "e7": ("ORGANIZATION", "कोएलिशन ऑफ द विलिंग", ("कोएलिशन ऑफ द विलिंग",)),
    "e8": ("LOCATION", "पेरिस", ("पेरिस",)),
    "e9": ("PERSON", "एलेक्स ग्रिंकेविच", ("एलेक्स ग्रिंकेविच",)),
    "e10": ("PERSON", "चार्ल्स कुश्नर", ("चार्ल्स कुश्नर",)),
    "e11": ("PERSON", "जोश ग्रुएनबाम", ("जोश ग्रुएनबाम",)),
    "e12": ("ORGANIZATION", "यूरोपीय कमीशन", ("यूरोपीय कमीशन",)),
    "e13": ("LOCATION", "फ्रांस", ("फ्रांस",)),
    "e14": ("PERSON", "इमेनुएल मैक्रों", ("इमेनुएल मैक्रों",)),
}
SEED = Path(__file__).resolve().parents[1] / "examples" / "000_3ad8789db8de2740.txt"
_WORD = r"[\w\u0900-\u0963\u0966-\u097f]"


def attach_entities(article: Article, spec: EntitySpec) -> Article:
    """Add mentions at each whole-word occurrence of the surface forms in kept text, and entities."""
    forms = sorted(
        ((form, eid) for eid, (_, _, surfaces) in spec.items() for form in surfaces), key=lambda x: -len(x[0])
    )
    taken: list[tuple[int, int]] = []
    mentions: list[Mention] = []
    for form, eid in forms:
        etype = spec[eid][0]
        for m in re.finditer(rf"(?<!{_WORD}){re.escape(form)}(?!{_WORD})", article.text):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            taken.append((s, e))
            mentions.append(Mention(s, e, form, etype, "pattern", form, None, eid))
    mentions.sort(key=lambda m: m.start)
    article.mentions = mentions
    article.entities = [
        Entity(
            id=eid,
            type=etype,
            name=name,
            name_en=name,
            name_en_source="romanized",
            mentions=tuple(m for m in mentions if m.entity == eid),
        )
        for eid, (etype, name, _) in spec.items()
        if any(m.entity == eid for m in mentions)
    ]
    return article


def make_article(
    text: str,
    spec: EntitySpec | None = None,
    published: date | None = None,
    roles: dict[str, tuple[str, ...]] | None = None,
) -> Article:
    """Clean and split `text` (foundation steps only), then attach hand-made entities (with `roles`
    per entity id)."""
    article = analyze(text, published=published, steps=FOUNDATION_STEPS)
    attach_entities(article, spec or {})
    article.entities = [replace(e, roles=(roles or {}).get(e.id, ())) for e in article.entities]
    return article


def article_events(text: str, spec: EntitySpec, published: date, rules_only: bool = False) -> list[Event]:
    """The events of `text` with hand-made entities and its dates read (the shipped trigger model,
    or the rules alone)."""
    article = make_article(text, spec, published)
    extract_dates(article)
    return extract_events(article, rules_only=rules_only).events


def read_seed() -> str:
    """The user's example article (for module-scoped fixtures; `seed_text` is function-scoped)."""
    return SEED.read_text(encoding="utf-8")
