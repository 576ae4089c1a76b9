"""A GDELT Global Knowledge Graph 2.1 row per analysed article, as GDELT tools read one.

The 27 GKG 2.1 columns in their order, no header line (`gkg_header()` when one is wanted); what khabar
fills and how is documented in `docs/gkg.md`. Record ids are `YYYYMMDDHHMMSS-N`; places are geocoded
from the shipped GeoNames tables (`khabar.geo.locate`) with GDELT's location types, FIPS 10-4 country
codes, ADM1 codes and coordinates; quotations have GKG's four fields; V1.5TONE is empty (khabar has
no tone). Offsets are character offsets into the article's clean text. Names are the entities'
English names (`name_en`); Hindi names go in the `<KHABAR_ENTITIES>` block of V2EXTRASXML. Values
never contain a tab or newline, and the delimiters of a field (`;`, `#`, `,`, `|`) are replaced.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from khabar.article import Article, Entity, Event, event_dict
from khabar.geo import GeoPlace, locate

GKG_COLUMNS: tuple[str, ...] = (
    "GKGRECORDID",
    "V2.1DATE",
    "V2SOURCECOLLECTIONIDENTIFIER",
    "V2SOURCECOMMONNAME",
    "V2DOCUMENTIDENTIFIER",
    "V1COUNTS",
    "V2.1COUNTS",
    "V1THEMES",
    "V2ENHANCEDTHEMES",
    "V1LOCATIONS",
    "V2ENHANCEDLOCATIONS",
    "V1PERSONS",
    "V2ENHANCEDPERSONS",
    "V1ORGANIZATIONS",
    "V2ENHANCEDORGANIZATIONS",
    "V1.5TONE",
    "V2.1ENHANCEDDATES",
    "V2GCAM",
    "V2.1SHARINGIMAGE",
    "V2.1RELATEDIMAGES",
    "V2.1SOCIALIMAGEEMBEDS",
    "V2.1SOCIALVIDEOEMBEDS",
    "V2.1QUOTATIONS",
    "V2.1ALLNAMES",
    "V2.1AMOUNTS",
    "V2.1TRANSLATIONINFO",
    "V2EXTRASXML",
)
# GKG source collection 1 = WEB (the only kind khabar reads).
SOURCE_COLLECTION_WEB = "1"
# GKG 2.1 date resolutions: 4 day with year, 2 month with year, 1 year.
DATE_RESOLUTION = {"day": "4", "week": "4", "month": "2", "year": "1"}
_DELIMS = re.compile(r"[\t\r\n;#,|]+")
_LOCATION_DELIMS = re.compile(r"[\t\r\n;#]+")


def clean_value(value: object) -> str:
    """A value safe inside a GKG field: no tabs, newlines or field delimiters."""
    return _DELIMS.sub(" ", str(value)).strip()


def _tsv_cell(value: str) -> str:
    return re.sub(r"[\t\r\n]+", " ", value)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def gkg_header() -> str:
    """The tab-separated GKG 2.1 column names."""
    return "\t".join(GKG_COLUMNS)


def _by_type(article: Article, etype: str) -> list[Entity]:
    return [e for e in article.entities if e.type == etype]


def _names(ents: list[Entity]) -> tuple[str, str]:
    """(V1 list, V2 enhanced list with offsets) of entity English names."""
    v1 = ";".join(clean_value(e.name_en) for e in ents)
    v2 = ";".join(f"{clean_value(e.name_en)},{m.start}" for e in ents for m in e.mentions)
    return v1, v2


def place_of(ent: Entity) -> GeoPlace | None:
    """The geocoded place of a LOCATION entity (None: not a place GDELT can code)."""
    return locate(ent.name_en, ent.wikidata) if ent.type == "LOCATION" else None


def _locations(ents: list[Entity]) -> tuple[str, str]:
    """V1LOCATIONS (type#name#country#ADM1#lat#long#featureid, once per place) and V2ENHANCEDLOCATIONS
    (with the ADM2 slot and the offset, per mention). Places the gazetteer cannot code are left out."""
    v1: list[str] = []
    v2: list[str] = []
    seen: set[str] = set()
    for e in ents:
        p = place_of(e)
        if p is None:
            continue
        name = _LOCATION_DELIMS.sub(" ", p.name).strip()  # commas belong in a full name (Paris, France)
        fields = (p.country_fips, p.adm1, p.lat, p.lon, p.feature_id)
        if p.feature_id not in seen:
            seen.add(p.feature_id)
            v1.append("#".join((str(p.type), name, *fields)))
        for m in e.mentions:
            v2.append(
                "#".join(
                    (str(p.type), name, p.country_fips, p.adm1, "", p.lat, p.lon, p.feature_id, str(m.start))
                )
            )
    return ";".join(v1), ";".join(v2)


def _counts(article: Article) -> tuple[str, str]:
    v1: list[str] = []
    v2: list[str] = []
    for q in article.quantities:
        if q.unit in (None, "प्रतिशत"):
            continue
        block = f"COUNT#{_number(q.value)}#{clean_value(q.unit)}#0######"
        v1.append(block)
        v2.append(f"{block}#{q.start}")
    return ";".join(v1), ";".join(v2)


def _dates(article: Article) -> str:
    out = []
    for d in article.dates:
        if d.value is None:
            continue
        y, m, day = d.value.split("-")
        res = DATE_RESOLUTION[d.grain]
        month = int(m) if res in ("4", "2") else 0
        dd = int(day) if res == "4" else 0
        out.append(f"{res}#{month}#{dd}#{int(y)}#{d.start}")
    return ";".join(out)


def _quotes(article: Article) -> str:
    """GKG's Offset|Length|Verb|Quote blocks joined by # (speakers go in `<KHABAR_QUOTES>`)."""
    return "#".join(
        f"{q.start}|{q.end - q.start}|{clean_value(q.cue)}|{clean_value(q.text)}" for q in article.quotes
    )


def _speakers(article: Article) -> str:
    """offset|speaker (English name) per quote with a named speaker, `#`-joined."""
    out = []
    for q in article.quotes:
        ent = article.entity(q.speaker) if q.speaker else None
        if ent is not None:
            out.append(f"{q.start}|{clean_value(ent.name_en)}")
    return "#".join(out)


def _all_names(article: Article) -> str:
    pairs = sorted((m.start, clean_value(e.name_en)) for e in article.entities for m in e.mentions)
    return ";".join(f"{name},{start}" for start, name in pairs)


def _amounts(article: Article) -> str:
    return ";".join(f"{_number(q.value)},{clean_value(q.unit or '')},{q.start}" for q in article.quantities)


def _xml_text(value: str) -> str:
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\t", " ")
        .replace("\n", " ")
    )


def _actor_en(actor: dict[str, object] | None) -> str:
    return str(actor.get("name_en") or actor.get("text") or "") if actor else ""


def _extras(article: Article, chosen: list[Event]) -> str:
    parts = []
    if article.title:
        parts.append(f"<PAGE_TITLE>{_xml_text(article.title)}</PAGE_TITLE>")
    ents = ";".join(f"{_xml_text(e.name)}={_xml_text(e.name_en)}" for e in article.entities)
    if ents:
        parts.append(f"<KHABAR_ENTITIES>{ents}</KHABAR_ENTITIES>")
    events = []
    for ev in chosen:
        data = event_dict(article, ev)
        names = [_actor_en(data.get("actor1")), _actor_en(data.get("actor2"))]
        others = ",".join(_actor_en(o) for o in data["others"])
        place = data["place"]["name_en"] if data.get("place") else ""
        events.append(
            "|".join(
                _xml_text(clean_value(v))
                for v in (
                    ev.cameo,
                    f"{ev.goldstein:g}",
                    ev.type,
                    names[0],
                    names[1],
                    others,
                    place,
                    data["date_shown"] if data["date"] else "",
                    ev.date_grain or "",
                    ev.modality,
                )
            )
        )
    if events:
        parts.append(f"<KHABAR_EVENTS>{'#'.join(events)}</KHABAR_EVENTS>")
    speakers = _speakers(article)
    if speakers:
        parts.append(f"<KHABAR_QUOTES>{_xml_text(speakers)}</KHABAR_QUOTES>")
    unplaced = [e.name_en for e in article.entities if e.type == "LOCATION" and place_of(e) is None]
    if unplaced:
        parts.append(
            f"<KHABAR_PLACES>{_xml_text(';'.join(clean_value(n) for n in unplaced))}</KHABAR_PLACES>"
        )
    if article.summary:
        parts.append(f"<KHABAR_SUMMARY>{_xml_text(' '.join(article.summary))}</KHABAR_SUMMARY>")
    return "".join(parts)


def gkg_stamp(article: Article, now: datetime | None = None) -> str:
    """YYYYMMDDHHMMSS of the record: the publication day at 00:00:00, else the time of the export."""
    if article.published:
        return article.published.strftime("%Y%m%d000000")
    return (now or datetime.now(UTC)).strftime("%Y%m%d%H%M%S")


def outlet_name(article: Article) -> str:
    """V2SOURCECOMMONNAME: the outlet's domain (`bhaskar.com`), from the URL; empty without one
    (a file path names no outlet)."""
    if not article.url:
        return str(article.meta.get("outlet") or "")
    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", article.url.strip(), flags=re.I).split("/")[0]
    host = host.split("@")[-1].split(":")[0].lower()
    return host.removeprefix("www.")


def gkg_row(
    article: Article, modalities: Iterable[str] = ("occurred",), seq: int = 0, now: datetime | None = None
) -> str:
    """One tab-separated GKG 2.1 row; `seq` numbers the record within its file (GKGRECORDID
    `YYYYMMDDHHMMSS-seq`). Its events (`<KHABAR_EVENTS>`) are those of the given modalities, by
    default only those reported as done."""
    keep = set(modalities)
    chosen = [ev for ev in article.events if ev.modality in keep]
    stamp = gkg_stamp(article, now)
    persons = _names(_by_type(article, "PERSON"))
    orgs = _names(_by_type(article, "ORGANIZATION"))
    locs = _locations(_by_type(article, "LOCATION"))
    counts = _counts(article)
    cells = {
        "GKGRECORDID": f"{stamp}-{seq}",
        "V2.1DATE": stamp,
        "V2SOURCECOLLECTIONIDENTIFIER": SOURCE_COLLECTION_WEB,
        "V2SOURCECOMMONNAME": outlet_name(article),
        "V2DOCUMENTIDENTIFIER": article.url or article.source or "",
        "V1COUNTS": counts[0],
        "V2.1COUNTS": counts[1],
        "V1LOCATIONS": locs[0],
        "V2ENHANCEDLOCATIONS": locs[1],
        "V1PERSONS": persons[0],
        "V2ENHANCEDPERSONS": persons[1],
        "V1ORGANIZATIONS": orgs[0],
        "V2ENHANCEDORGANIZATIONS": orgs[1],
        "V2.1ENHANCEDDATES": _dates(article),
        "V2.1QUOTATIONS": _quotes(article),
        "V2.1ALLNAMES": _all_names(article),
        "V2.1AMOUNTS": _amounts(article),
        "V2.1TRANSLATIONINFO": f"srclc:{'hin' if article.language == 'hi' else article.language}",
        "V2EXTRASXML": _extras(article, chosen),
    }
    return "\t".join(_tsv_cell(cells.get(col, "")) for col in GKG_COLUMNS)


def export_gkg(
    kb: Any, out: str | Path, modalities: Iterable[str] = ("occurred",), header: bool = False
) -> int:
    """Write one GKG row per stored article to `out` (a header line only when asked); returns rows."""
    keep = tuple(modalities)
    n = 0
    with Path(out).open("w", encoding="utf-8", newline="\n") as handle:
        if header:
            handle.write(gkg_header() + "\n")
        now = datetime.now(UTC)
        for data in kb.iter_articles():
            handle.write(gkg_row(Article.from_dict(data), keep, seq=n, now=now) + "\n")
            n += 1
    return n
