"""GDELT Event 2.0-like TSV rows: one per event reported as done (modality occurred) by default.

The 61 columns of the GDELT 2.0 event table in their order; what khabar fills is in `docs/gkg.md`
("Event export"). Names are English names upper-cased as GDELT writes them; actor codes are the
country's ISO 3166 alpha-3 code (close to CAMEO's country codes) followed by the CAMEO actor type
(GOV, COP, MIL …) for generic actors; geography has names and ISO alpha-2 codes but no coordinates.
`SQLDATE` is the date the text gives for the event, else (as GDELT does) the publication date.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from functools import cache

from khabar.article import Actor, Article, Event

EVENT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    *(
        f"{side}{field}"
        for side in ("Actor1", "Actor2")
        for field in (
            "Code",
            "Name",
            "CountryCode",
            "KnownGroupCode",
            "EthnicCode",
            "Religion1Code",
            "Religion2Code",
            "Type1Code",
            "Type2Code",
            "Type3Code",
        )
    ),
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    *(
        f"{side}Geo_{field}"
        for side in ("Actor1", "Actor2", "Action")
        for field in ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
    ),
    "DATEADDED",
    "SOURCEURL",
)
# GDELT geo types: 1 country, 4 world city.
GEO_COUNTRY, GEO_CITY = "1", "4"


@cache
def _country(name_en: str) -> tuple[str, str] | None:
    """(alpha-3, alpha-2) of a country's English name (pycountry), else None."""
    import pycountry

    try:
        c = pycountry.countries.lookup(name_en)
    except LookupError:
        return None
    return str(c.alpha_3), str(c.alpha_2)


def _clean(value: object) -> str:
    return " ".join(str(value).replace("\t", " ").split())


def _actor(article: Article, actor: Actor | None) -> list[str]:
    """The ten Actor columns."""
    if actor is None:
        return [""] * 10
    ent = article.entity(actor.entity) if actor.entity else None
    name = (ent.name_en if ent else actor.name_en) or actor.text
    country = _country(name) if ent is not None and ent.type == "LOCATION" else None
    code = (country[0] if country else "") + (actor.code or "")
    return [
        code,
        _clean(name).upper(),
        country[0] if country else "",
        "",
        "",
        "",
        "",
        actor.code or "",
        "",
        "",
    ]


def _geo(article: Article, entity_id: str | None) -> list[str]:
    """The eight Geo columns of a place."""
    ent = article.entity(entity_id) if entity_id else None
    if ent is None or ent.type != "LOCATION":
        return [""] * 8
    country = _country(ent.name_en)
    return [
        GEO_COUNTRY if country else GEO_CITY,
        _clean(ent.name_en),
        country[1] if country else "",
        "",
        "",
        "",
        "",
        "",
    ]


def _event_day(ev: Event, published: date | None) -> date | None:
    if ev.date:
        try:
            return date.fromisoformat(ev.date[:10])
        except ValueError:
            return published
    return published


def event_rows(
    article: Article, modalities: Iterable[str] = ("occurred",), first_id: int = 1
) -> Iterator[list[str]]:
    """The Event rows of one article (events of the given modalities), ids counting from `first_id`."""
    keep = set(modalities)
    lead = article.sentences[0].block if article.sentences else None
    n = first_id
    for ev in article.events:
        if ev.modality not in keep:
            continue
        day = _event_day(ev, article.published)
        sql = day.strftime("%Y%m%d") if day else ""
        fraction = f"{day.year + (day.timetuple().tm_yday - 1) / 365:.4f}" if day else ""
        root_event = ev.sentence is not None and article.sentences[ev.sentence].block == lead
        yield [
            str(n),
            sql,
            sql[:6],
            sql[:4],
            fraction,
            *_actor(article, ev.actor1),
            *_actor(article, ev.actor2),
            "1" if root_event else "0",
            ev.cameo,
            ev.cameo[:3],
            ev.root,
            str(ev.quad_class),
            f"{ev.goldstein:g}",
            str(len(ev.mentions) or 1),
            "1",
            "1",
            "0",
            *_geo(article, ev.actor1.entity if ev.actor1 else None),
            *_geo(article, ev.actor2.entity if ev.actor2 else None),
            *_geo(article, ev.location),
            article.published.strftime("%Y%m%d000000") if article.published else "",
            _clean(article.url or article.source or ""),
        ]
        n += 1


def events_header() -> str:
    """The tab-separated Event column names."""
    return "\t".join(EVENT_COLUMNS)
