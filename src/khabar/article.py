"""The data model: an `Article` owns its clean text; every layer is a list of small frozen records
whose spans are character offsets into `Article.text`.

`to_dict()` / `from_dict()` round-trip exactly; the JSON carries `schema_version`.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

SCHEMA_VERSION = 1

BlockKind = Literal["paragraph", "heading", "boilerplate", "duplicate"]
EntityType = Literal["PERSON", "LOCATION", "ORGANIZATION"]
KEPT_KINDS: frozenset[str] = frozenset({"paragraph", "heading"})


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range `[start, end)` into the clean text."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Block:
    """One input block (a line, paragraph or HTML block) and what it was classified as.

    `text` is the normalised block text; `raw` the block as it came in. `start`/`end` locate a kept
    block (paragraph or heading) in the clean text and are None for removed blocks.
    `duplicate_of` is the index of the earlier block a duplicate repeats; `rule` says why a block
    was classified so (e.g. the boilerplate pattern's label).
    """

    index: int
    kind: BlockKind
    text: str
    raw: str
    start: int | None = None
    end: int | None = None
    duplicate_of: int | None = None
    rule: str | None = None

    @property
    def kept(self) -> bool:
        return self.kind in KEPT_KINDS


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence span; `tokens` are `(start, end)` pairs into the clean text; `block` its block index."""

    start: int
    end: int
    tokens: tuple[tuple[int, int], ...] = ()
    block: int | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    """A named-entity mention. `source` is `model`, `gazetteer` or `pattern`.

    `role` is a title or role found with this mention (e.g. राष्ट्रपति) and `name` the mention text
    with titles stripped; `entity` the id of the entity it resolved to.
    """

    start: int
    end: int
    text: str
    type: EntityType
    source: str = "model"
    name: str | None = None
    role: str | None = None
    entity: str | None = None


NameSource = Literal["gazetteer", "gazetteer_key", "composed", "parts", "romanized", "rules"]


@dataclass(frozen=True, slots=True)
class Entity:
    """One real-world person, place or organisation within an article.

    `name_en_source` says how `name_en` was found: `gazetteer` (a knowledge-base form spelled so),
    `gazetteer_key` (a form with the same spelling-variant key), `composed` (an organisation from a head
    and a known part), `parts` (known name words), `romanized` (the learned romaniser), `rules`.
    `category` is the knowledge base's class (human, city, state, country, party, media …); places may
    carry `country` (ISO 3166-1), `adm1` (GeoNames admin-1 code, e.g. IN.36) and `coordinates` (lat, lon).
    `aliases_en` holds other English names (a renamed place's current name).
    """

    id: str
    type: EntityType
    name: str
    name_en: str
    name_en_source: NameSource
    wikidata: str | None = None
    roles: tuple[str, ...] = ()
    mentions: tuple[Mention, ...] = ()
    aliases: tuple[str, ...] = ()
    category: str | None = None
    country: str | None = None
    adm1: str | None = None
    coordinates: tuple[float, float] | None = None
    aliases_en: tuple[str, ...] = ()


Grain = Literal["day", "week", "month", "year"]


@dataclass(frozen=True, slots=True)
class DateExpr:
    """A date expression; `value` is an ISO date (the first day of the period for coarser grains).

    For a range ("10 से 13 अप्रैल") `value` is its first day and `last` its last day (None otherwise);
    `grain` applies to both."""

    start: int
    end: int
    text: str
    value: str | None
    grain: Grain
    rule: str
    last: str | None = None


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with its hedge (`op`: `=`, `>`, `>=`, `<`, `<=`, `~`) and counted noun or unit."""

    start: int
    end: int
    text: str
    value: float
    op: str = "="
    unit: str | None = None


SourceKind = Literal["unnamed_official", "report", "agency", "document", "other"]


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct or reported statement; `speaker` is an entity id or None; `cue` the cue verb/phrase.

    When the speaker is named but is no entity (a group, or an organisation the NER missed:
    परिजनों, कानपुर पुलिस), `speaker_text` holds the words naming it. When the text names no speaker,
    `source_kind` says what stands in for one: an unnamed official (एक अधिकारी ने कहा), a report
    (रिपोर्टों में कहा गया), a news agency, a document, or other."""

    start: int
    end: int
    text: str
    speaker: str | None
    cue: str
    kind: Literal["direct", "reported"] = "reported"
    source_kind: SourceKind | None = None
    speaker_text: str | None = None


Modality = Literal["occurred", "planned", "demanded", "speculative", "negated"]
MODALITIES: tuple[str, ...] = ("occurred", "planned", "demanded", "speculative", "negated")


@dataclass(frozen=True, slots=True)
class Actor:
    """An event's source or target: a named entity (`entity` id) or a generic actor that is no entity
    (पुलिस → police, `code` COP). `text` is how the article names it, `name_en` its English name."""

    entity: str | None
    text: str
    name_en: str
    code: str | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """A CAMEO-coded event as GDELT codes one: `actor1` (source) did `cameo` to `actor2` (target).

    `trigger` is the first trigger mention, `mentions` all mentions of the same real-world action;
    `participants` every entity involved (actors first); `others` the participants that are neither
    actor. `modality` says whether the text reports it as done or as planned, demanded, speculated or
    denied. `date` (with `date_grain`, and `date_last` for a range) is the date the text gives for
    it, None when it gives none. `evidence` is the sentence that best states it."""

    type: str
    cameo: str
    goldstein: float
    trigger: Span
    trigger_text: str
    participants: tuple[str, ...] = ()
    location: str | None = None
    date: str | None = None
    mentions: tuple[Span, ...] = ()
    sentence: int | None = None
    actor1: Actor | None = None
    actor2: Actor | None = None
    others: tuple[str, ...] = ()
    modality: Modality = "occurred"
    date_grain: Grain | None = None
    date_last: str | None = None
    evidence: Span | None = None
    confidence: float = 1.0

    @property
    def root(self) -> str:
        """The CAMEO root code (the first two digits)."""
        return self.cameo[:2]

    @property
    def quad_class(self) -> int:
        """GDELT's QuadClass: 1 verbal cooperation (01-05), 2 material cooperation (06-08), 3 verbal
        conflict (09-13), 4 material conflict (14-20)."""
        return quad_class(self.cameo)


def quad_class(cameo: str) -> int:
    """GDELT's QuadClass of a CAMEO code (0 when the code has no root)."""
    root = int(cameo[:2]) if cameo[:2].isdigit() else 0
    if 1 <= root <= 5:
        return 1
    if 6 <= root <= 8:
        return 2
    if 9 <= root <= 13:
        return 3
    if 14 <= root <= 20:
        return 4
    return 0


@dataclass(slots=True)
class Article:
    """A news article: raw input, clean text and every analysis layer."""

    text: str
    raw: str = ""
    id: str = ""
    source: str | None = None
    url: str | None = None
    title: str | None = None
    published: date | None = None
    language: str = "hi"
    language_confidence: float = 1.0
    blocks: list[Block] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    dates: list[DateExpr] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    def span_text(self, start: int, end: int) -> str:
        """The clean text of a span."""
        return self.text[start:end]

    @property
    def kept_blocks(self) -> list[Block]:
        return [b for b in self.blocks if b.kept]

    def entity(self, entity_id: str) -> Entity | None:
        """The entity with this id, or None."""
        for ent in self.entities:
            if ent.id == entity_id:
                return ent
        return None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of the whole article."""
        return {
            "schema_version": SCHEMA_VERSION,
            "id": self.id,
            "source": self.source,
            "url": self.url,
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "language": self.language,
            "language_confidence": self.language_confidence,
            "text": self.text,
            "raw": self.raw,
            "blocks": [_record(b) for b in self.blocks],
            "sentences": [
                {"start": s.start, "end": s.end, "block": s.block, "tokens": [list(t) for t in s.tokens]}
                for s in self.sentences
            ],
            "mentions": [_record(m) for m in self.mentions],
            "entities": [_entity_dict(e) for e in self.entities],
            "dates": [_record(d) for d in self.dates],
            "quantities": [_record(q) for q in self.quantities],
            "quotes": [_record(q) for q in self.quotes],
            "events": [event_dict(self, e) for e in self.events],
            "summary": list(self.summary),
            "warnings": list(self.warnings),
            "meta": dict(self.meta),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        """Rebuild an article from `to_dict()` output; rejects a newer schema version."""
        version = data.get("schema_version", SCHEMA_VERSION)
        if not isinstance(version, int) or version > SCHEMA_VERSION:
            raise ValueError(
                f"unsupported article schema_version {version!r} (this khabar reads <= {SCHEMA_VERSION})"
            )
        published = data.get("published")
        return cls(
            text=data["text"],
            raw=data.get("raw", ""),
            id=data.get("id", ""),
            source=data.get("source"),
            url=data.get("url"),
            title=data.get("title"),
            published=date.fromisoformat(published) if published else None,
            language=data.get("language", "hi"),
            language_confidence=data.get("language_confidence", 1.0),
            blocks=[Block(**b) for b in data.get("blocks", [])],
            sentences=[
                Sentence(
                    start=s["start"],
                    end=s["end"],
                    block=s.get("block"),
                    tokens=tuple((t[0], t[1]) for t in s.get("tokens", [])),
                )
                for s in data.get("sentences", [])
            ],
            mentions=[Mention(**m) for m in data.get("mentions", [])],
            entities=[_entity_from(e) for e in data.get("entities", [])],
            dates=[DateExpr(**_known(DateExpr, d)) for d in data.get("dates", [])],
            quantities=[Quantity(**q) for q in data.get("quantities", [])],
            quotes=[Quote(**_known(Quote, q)) for q in data.get("quotes", [])],
            events=[_event_from(e) for e in data.get("events", [])],
            summary=list(data.get("summary", [])),
            warnings=list(data.get("warnings", [])),
            meta=dict(data.get("meta", {})),
        )


def date_label(value: str | None, grain: str | None, last: str | None = None) -> str:
    """A date shown at its grain, the one way every output writes a date: 2026-01-06, 2026-W02,
    2026-01, 2026; a range as an ISO 8601 interval (2026-04-10/2026-04-13); '' for no date."""
    if not value:
        return ""
    label = at_grain(value, grain)
    return f"{label}/{at_grain(last, grain)}" if last else label


def at_grain(value: str, grain: str | None) -> str:
    """A date value cut to its grain: 2026, 2026-01, 2026-W02 (ISO week) or 2026-01-07."""
    if grain == "year":
        return value[:4]
    if grain == "month":
        return value[:7]
    if grain == "week":
        try:
            y, w, _ = date.fromisoformat(value[:10]).isocalendar()
        except ValueError:
            return value
        return f"{y}-W{w:02d}"
    return value[:10]


# Longest headline made from a first sentence before it is cut at a word boundary (fits one line).
HEADLINE_MAX_CHARS = 90


def headline(title: str | None, first_sentence: str) -> str | None:
    """What every output shows as an article's title: its title, else its first sentence (cut at a
    word near HEADLINE_MAX_CHARS, with an ellipsis); None for an article without text."""
    if title and title.strip():
        return title.strip()
    first = " ".join(first_sentence.split())
    if not first:
        return None
    if len(first) <= HEADLINE_MAX_CHARS:
        return first
    cut = first.rfind(" ", 0, HEADLINE_MAX_CHARS)
    return first[: cut if cut > 0 else HEADLINE_MAX_CHARS].rstrip(" ,.;:।") + "…"


def article_headline(article: Article) -> str | None:
    """`headline` of an article (its title, else its first sentence)."""
    first = article.sentences[0] if article.sentences else None
    sentence = article.text[first.start : first.end] if first else article.text.split("\n", 1)[0]
    return headline(article.title, sentence)


def content_id(text: str) -> str:
    """A stable article id from content: the first 16 hex digits of SHA-256."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _record(obj: Any) -> dict[str, Any]:
    return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}


def _entity_dict(ent: Entity) -> dict[str, Any]:
    data = _record(ent)
    data["roles"] = list(ent.roles)
    data["aliases"] = list(ent.aliases)
    data["mentions"] = [_record(m) for m in ent.mentions]
    data["coordinates"] = list(ent.coordinates) if ent.coordinates else None
    data["aliases_en"] = list(ent.aliases_en)
    return data


def _entity_from(data: dict[str, Any]) -> Entity:
    fields = dict(data)
    fields["roles"] = tuple(fields.get("roles", ()))
    fields["aliases"] = tuple(fields.get("aliases", ()))
    fields["mentions"] = tuple(Mention(**m) for m in fields.get("mentions", ()))
    coordinates = fields.get("coordinates")
    fields["coordinates"] = (float(coordinates[0]), float(coordinates[1])) if coordinates else None
    fields["aliases_en"] = tuple(fields.get("aliases_en", ()))
    return Entity(**fields)


def _known(cls: Any, data: dict[str, Any]) -> dict[str, Any]:
    """The keys of `data` that are fields of the dataclass `cls` (derived keys in the JSON are dropped)."""
    names = {f.name for f in dataclasses.fields(cls)}
    return {k: v for k, v in data.items() if k in names}


def actor_dict(article: Article, actor: Actor | None) -> dict[str, Any] | None:
    """An actor as JSON: entity id, text, English name, CAMEO actor code and entity type."""
    if actor is None:
        return None
    ent = article.entity(actor.entity) if actor.entity else None
    return {
        "entity": actor.entity,
        "text": actor.text,
        "name_en": ent.name_en if ent else actor.name_en,
        "code": actor.code,
        "type": ent.type if ent else None,
    }


def event_when(
    value: str | None, grain: str | None, last: str | None, published: str | None
) -> dict[str, Any]:
    """The one rule for an event's date in every output (article JSON, CLI, API, pages, exports): the
    date the text gives for it, at its grain and with a range's last day; when the text gives none,
    `date` is null and `date_shown` names the publication date as such (`date_source` publication)."""
    if value:
        return {
            "date": value,
            "date_grain": grain,
            "date_last": last,
            "date_shown": date_label(value, grain or "day", last),
            "date_source": "text",
        }
    return {
        "date": None,
        "date_grain": None,
        "date_last": None,
        "date_shown": f"{published} (published)" if published else "",
        "date_source": "publication" if published else None,
    }


def event_dict(article: Article, ev: Event) -> dict[str, Any]:
    """One event as JSON. Its fields (type, cameo, root, quad_class, goldstein, modality, confidence,
    actor1/actor2/others as actors with English names, place, the `event_when` date fields, trigger,
    evidence) are the event shape of every khabar output; the article JSON adds local ids
    (`participants`, `location`), the trigger `mentions` and the `sentence` index."""
    place = article.entity(ev.location) if ev.location else None
    evidence = ev.evidence
    published = article.published.isoformat() if article.published else None
    return {
        "type": ev.type,
        "cameo": ev.cameo,
        "root": ev.root,
        "quad_class": ev.quad_class,
        "goldstein": ev.goldstein,
        "modality": ev.modality,
        "confidence": ev.confidence,
        "actor1": actor_dict(article, ev.actor1),
        "actor2": actor_dict(article, ev.actor2),
        "others": [actor_dict(article, _entity_actor(article, o)) for o in ev.others],
        "place": {"entity": place.id, "text": place.name, "name_en": place.name_en} if place else None,
        **event_when(ev.date, ev.date_grain, ev.date_last, published),
        "trigger": {"start": ev.trigger.start, "end": ev.trigger.end, "text": ev.trigger_text},
        "evidence": (
            {
                "start": evidence.start,
                "end": evidence.end,
                "text": article.text[evidence.start : evidence.end],
            }
            if evidence
            else None
        ),
        "participants": list(ev.participants),
        "location": ev.location,
        "mentions": [{"start": m.start, "end": m.end} for m in ev.mentions],
        "sentence": ev.sentence,
    }


def _entity_actor(article: Article, entity_id: str) -> Actor:
    ent = article.entity(entity_id)
    return Actor(entity_id, ent.name if ent else entity_id, ent.name_en if ent else entity_id)


def _actor_from(data: Any) -> Actor | None:
    if not isinstance(data, dict):
        return None
    return Actor(data.get("entity"), data.get("text", ""), data.get("name_en", ""), data.get("code"))


def _event_from(data: dict[str, Any]) -> Event:
    fields = _known(Event, data)
    trig = fields.pop("trigger")
    fields["trigger"] = Span(trig["start"], trig["end"])
    fields["trigger_text"] = trig.get("text", "")
    fields["participants"] = tuple(fields.get("participants", ()))
    fields["mentions"] = tuple(Span(m["start"], m["end"]) for m in fields.get("mentions", ()))
    fields["actor1"] = _actor_from(fields.get("actor1"))
    fields["actor2"] = _actor_from(fields.get("actor2"))
    fields["others"] = tuple(o["entity"] if isinstance(o, dict) else o for o in fields.get("others", ()))
    ev = fields.get("evidence")
    fields["evidence"] = Span(ev["start"], ev["end"]) if isinstance(ev, dict) else None
    return Event(**fields)
