"""GDELT Event 2.0 TSV rows: one per event reported as done (modality occurred) by default.

The 61 columns of the GDELT 2.0 event table in their order, no header line (`events_header()` when
one is wanted); what khabar fills is in `docs/gkg.md` ("Event export"). Names are English names
upper-cased as GDELT writes them; actor codes are the country's CAMEO country code (ISO 3166
alpha-3) followed by the CAMEO actor type (GOV, COP, MIL …) for generic actors; geography is
geocoded from the shipped GeoNames tables (`khabar.geo.locate`): GDELT location type, full name,
FIPS 10-4 country code, ADM1 code, coordinates and feature id. `SQLDATE` is the date the text gives
for the event, else (as GDELT does) the publication date.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

from khabar.article import Actor, Article, Event
from khabar.export.gkg import gkg_stamp
from khabar.geo import locate

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


def _clean(value: object) -> str:
    return " ".join(str(value).replace("\t", " ").split())


def _actor(article: Article, actor: Actor | None) -> list[str]:
    """The ten Actor columns."""
    if actor is None:
        return [""] * 10
    ent = article.entity(actor.entity) if actor.entity else None
    name = (ent.name_en if ent else actor.name_en) or actor.text
    place = locate(name, ent.wikidata) if ent is not None and ent.type == "LOCATION" else None
    # a country, or a place within one (a state, a city: "दिल्ली ने हरियाणा से मांग की"), is affiliated
    # with that country
    country = place.country_iso3 if place is not None else ""
    code = country + (actor.code or "")
    return [
        code,
        _clean(name).upper(),
        country,
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
    place = locate(ent.name_en, ent.wikidata) if ent is not None and ent.type == "LOCATION" else None
    if place is None:
        return ["0", "", "", "", "", "", "", ""]
    return [
        str(place.type),
        _clean(place.name),
        place.country_fips,
        place.adm1,
        "",
        place.lat,
        place.lon,
        place.feature_id,
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
    added = gkg_stamp(article)
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
            added,
            _clean(article.url or article.source or ""),
        ]
        n += 1


def events_header() -> str:
    """The tab-separated Event column names."""
    return "\t".join(EVENT_COLUMNS)


def export_events(
    kb: Any, out: str | Path, modalities: Iterable[str] = ("occurred",), header: bool = False
) -> int:
    """Write the Event rows of every stored article to `out` (a header line only when asked)."""
    keep = tuple(modalities)
    n = 0
    with Path(out).open("w", encoding="utf-8", newline="\n") as handle:
        if header:
            handle.write(events_header() + "\n")
        for data in kb.iter_articles():
            for row in event_rows(Article.from_dict(data), keep, first_id=n + 1):
                handle.write("\t".join(row) + "\n")
                n += 1
    return n
