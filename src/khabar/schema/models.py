"""Typed models of every JSON shape khabar outputs; the API's OpenAPI is generated from them.

The layers of an article (blocks, sentences, mentions, entities, dates, quantities, quotes) are the
frozen records of `khabar.article` themselves; an event adds derived fields (`article.event_dict`).
Every model forbids unknown keys, so a field added to an output without adding it here fails the
tests instead of drifting. `dump(Model, data)` is how the CLI prints JSON: through the same model as
the API.
"""

from __future__ import annotations

import datetime as dt
from datetime import date
from functools import cache
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from khabar.article import Block, DateExpr, Entity, EntityType, Grain, Mention, Modality, Quantity, Quote

T = TypeVar("T")


class Model(BaseModel):
    """Base of the output models: unknown keys are an error."""

    model_config = ConfigDict(extra="forbid")


# -- pieces -----------------------------------------------------------------------------------------


class Span(Model):
    """A half-open character range into the article's clean text."""

    start: int
    end: int


class TextSpan(Model):
    """A span with its text."""

    start: int
    end: int
    text: str | None = None


class SentenceOut(Model):
    """A sentence: its span, block index and token spans."""

    start: int
    end: int
    block: int | None = None
    tokens: list[tuple[int, int]] = []


class Actor(Model):
    """An event's source or target (or another participant): an entity or a generic actor."""

    entity: str | None = Field(
        None, description="entity id (local in an article, KB id in the knowledge base)"
    )
    text: str | None = Field(None, description="how the article names it (Hindi)")
    name_en: str | None = Field(None, description="English name")
    code: str | None = Field(None, description="CAMEO actor type of a generic actor (COP, MIL, GOV …)")
    type: EntityType | None = None


class Place(Model):
    """Where an event happened: a LOCATION entity."""

    entity: str
    text: str | None = None
    name_en: str | None = None


# -- events -----------------------------------------------------------------------------------------


class EventBase(Model):
    """A CAMEO-coded event, the same in the article JSON, `/api/events`, `khabar events` and exports."""

    type: str = Field(description="English label of the CAMEO code")
    cameo: str
    root: str = Field(description="CAMEO root code (first two digits)")
    quad_class: int = Field(ge=0, le=4, description="GDELT QuadClass (1-4; 0 for no root)")
    goldstein: float
    modality: Modality = "occurred"
    confidence: float | None = None
    actor1: Actor | None = Field(None, description="the source")
    actor2: Actor | None = Field(None, description="the target")
    others: list[Actor | None] = []
    place: Place | None = None
    date: str | None = Field(None, description="the date the text gives (a range's first day), else null")
    date_grain: Grain | None = None
    date_last: str | None = None
    date_shown: str = Field(description="the date as shown: at its grain, or the publication date, marked")
    date_source: Literal["text", "publication"] | None = None
    trigger: TextSpan
    evidence: TextSpan | None = None
    participants: list[str | None] = Field(description="entity ids of every participant, actors first")
    location: str | None = Field(None, description="entity id of the place")
    sentence: int | None = None


class ArticleEvent(EventBase):
    """An event in the article JSON: with every mention of the same action."""

    mentions: list[Span] = []


class EventRecord(EventBase):
    """An event in the knowledge base, with its article."""

    id: int
    article_id: str
    article_title: str | None = Field(None, description="the article's headline (title or first sentence)")


# -- articles ---------------------------------------------------------------------------------------


class ArticleDoc(Model):
    """`Article.to_dict()`: the whole analysis of one article (`raw` null where it is not kept)."""

    schema_version: int
    id: str
    source: str | None = None
    url: str | None = None
    title: str | None = None
    published: date | None = None
    language: str = "hi"
    language_confidence: float = 1.0
    text: str
    raw: str | None = None
    blocks: list[Block] = []
    sentences: list[SentenceOut] = []
    mentions: list[Mention] = []
    entities: list[Entity] = []
    dates: list[DateExpr] = []
    quantities: list[Quantity] = []
    quotes: list[Quote] = []
    events: list[ArticleEvent] = []
    summary: list[str] = []
    warnings: list[str] = []
    meta: dict[str, Any] = {}


class ArticleRecord(ArticleDoc):
    """A stored article: the analysis plus its links in the knowledge base."""

    headline: str | None = Field(None, description="title, else the first sentence")
    cluster: str | None = Field(None, description="its duplicate cluster (null: no other copy stored)")
    story: str | None = Field(None, description="its story: the cluster id, or its own id")
    representative: bool = Field(True, description="whether it stands for its story (one per story)")
    kb_entities: dict[str, str] = Field({}, description="local entity id -> KB entity id")
    sources: list[str] = []


class ArticleRef(Model):
    """An article as listed under an entity or in a list of articles."""

    id: str
    headline: str | None = None
    title: str | None = None
    published: date | None = None
    source: str | None = None


class SearchHit(Model):
    """A search result, one per story: `score` (higher is better: BM25 in keyword mode, cosine in
    semantic mode, reciprocal-rank fusion in hybrid mode), an HTML-safe snippet with `<mark>` hits, the
    duplicate `cluster` and how many of its other `copies` matched too."""

    id: str
    headline: str | None = None
    title: str | None = None
    source: str | None = None
    published: date | None = None
    score: float
    snippet: str
    cluster: str | None = None
    copies: int = 0


class EntityRead(Model):
    """An entity a Latin-script query was read as (or may mean): `matched` is the English or
    romanised form that matched."""

    id: str
    type: EntityType
    name: str
    name_en: str | None = None
    articles: int
    matched: str


class FacetEntity(Model):
    id: str
    name: str
    name_en: str | None = None
    type: EntityType
    articles: int


class FacetSource(Model):
    source: str | None = None
    articles: int


class FacetDate(Model):
    date: dt.date
    articles: int


class SearchFacets(Model):
    """Counts over every matching article: top entities and sources, articles per day."""

    entities: list[FacetEntity] = []
    sources: list[FacetSource] = []
    dates: list[FacetDate] = []


# -- entities ---------------------------------------------------------------------------------------


class EntitySummary(Model):
    """A knowledge-base entity with its story, article, document and mention counts."""

    id: str
    type: EntityType
    name: str
    name_en: str | None = None
    wikidata: str | None = None
    stories: int = Field(description="stories (copies of one story count once) mentioning it")
    articles: int = Field(description="stored articles mentioning it (each copy counts)")
    documents: int = Field(description="ingested documents of those articles")
    mentions: int


class CoMention(Model):
    """An entity mentioned in the same articles; `count` is how many stories, `articles` how many
    articles."""

    id: str
    name: str
    name_en: str | None = None
    type: EntityType
    count: int = Field(description="stories mentioning both")
    articles: int | None = Field(default=None, description="articles mentioning both")


class DayCount(Model):
    """A count on one day (and, for an entity's mentions, the stories of that day)."""

    day: date
    count: int
    stories: int | None = None


class Candidate(Model):
    """A knowledge-base entity a user's name may mean (`khabar.store.lookup.Candidate`)."""

    id: str
    type: str
    name: str
    name_en: str | None = None
    wikidata: str | None = None
    articles: int = Field(ge=0, description="articles that mention it")
    match: str = Field(description="how the query matched: id, name, alias, english or word")
    type_fit: bool = Field(description="its type is the one asked for or expected for the query")


class EntityResolution(Model):
    """What a user's entity name resolved to: the best candidate (used) and the others, best first."""

    query: str
    best: Candidate | None = None
    candidates: list[Candidate] = []


class EntityDetail(Model):
    """One entity: names, class, place data, roles, articles (newest first), co-mentions, mentions per
    day, and the other `candidates` the queried name may mean."""

    id: str
    type: EntityType
    name: str
    name_en: str | None = None
    wikidata: str | None = None
    category: str | None = Field(None, description="the name knowledge base's class: human, city, party …")
    country: str | None = Field(None, description="ISO 3166-1 alpha-2")
    adm1: str | None = Field(None, description="GeoNames admin-1 code, e.g. IN.36")
    coordinates: list[float] | None = Field(None, description="[lat, lon] of a known place")
    aliases: list[str] = []
    roles: list[str] = []
    stories: int = Field(default=0, description="stories mentioning it (copies of one story count once)")
    article_count: int = Field(default=0, description="stored articles mentioning it")
    documents: int = Field(default=0, description="ingested documents of those articles")
    articles: list[ArticleRef] = []
    co_mentions: list[CoMention] = []
    mentions_per_day: list[DayCount] = []
    query: str | None = Field(None, description="the name or id asked for")
    candidates: list[Candidate] = []


# -- duplicates -------------------------------------------------------------------------------------


class ClusterMember(Model):
    """One stored document of a cluster (an article stored from two paths is listed twice)."""

    id: str
    source: str | None = None
    title: str | None = None
    headline: str | None = None


class Cluster(Model):
    """Copies of one story, the representative first."""

    id: str
    size: int = Field(description="documents listed")
    articles: list[ClusterMember]


# -- envelope, stats, problems ----------------------------------------------------------------------


class Page(Model, Generic[T]):
    """One page of a list: `next` is the API link of the next page, null on the last."""

    items: list[T]
    total: int = Field(ge=0, description="rows in the whole list")
    limit: int = Field(ge=1)
    offset: int = Field(ge=0)
    next: str | None = None


class SearchPage(Page[SearchHit]):
    """A page of search hits: `total` counts stories (copies grouped), `total_articles` articles;
    `entity` is how an English or romanised name was read, `candidates` what else it may mean."""

    mode: Literal["keyword", "semantic", "hybrid"] = "keyword"
    total_articles: int = 0
    total_approximate: bool = Field(
        False,
        description="true when the query matched more articles than are ranked (keyword_rank.RANK_WINDOW): "
        "`total` and `total_articles` are estimates (shown as 'about N'), and the ranking and facets cover "
        "the newest matches",
    )
    entity: EntityRead | None = None
    candidates: list[EntityRead] = []
    facets: SearchFacets | None = None
    entity_resolution: EntityResolution | None = Field(
        None, description="for an entity filter: the entity its name was taken to mean, and the others"
    )


class FilteredPage(Page[T], Generic[T]):
    """A page of a list that an entity filter may narrow: `entity_resolution` says which entity the
    filter's name was taken to mean and which others it may mean."""

    entity_resolution: EntityResolution | None = None


class Stats(Model):
    """Counts over the knowledge base."""

    schema_version: int
    articles: int
    documents: int
    entities: int
    entities_by_type: dict[str, int]
    mentions: int
    quotes: int
    events: int
    clusters: int = Field(description="duplicate groups: stories with two or more documents")
    stories: int = Field(description="clusters of copies, and articles in no cluster")
    clustered_articles: int
    errors: int


class Health(Model):
    """Liveness."""

    status: Literal["ok"]


class ParamError(Model):
    """One invalid request parameter."""

    name: str
    message: str


class Problem(Model):
    """An error as RFC 9457 problem details (`application/problem+json`)."""

    type: str = Field("about:blank", description="a URI naming the problem type")
    title: str = Field(description="the HTTP status phrase")
    status: int
    detail: str = Field(description="what went wrong, in one line")
    instance: str | None = Field(None, description="the request path")
    errors: list[ParamError] | None = Field(None, description="each invalid parameter")


@cache
def _adapter(model: Any) -> TypeAdapter[Any]:
    return TypeAdapter(model)


def dump(model: Any, data: Any) -> Any:
    """`data` validated by `model` (a model class or a type such as `Page[SearchHit]`) and dumped as
    JSON-ready Python: exactly what the API sends."""
    adapter = _adapter(model)
    return adapter.dump_python(adapter.validate_python(data), mode="json")
