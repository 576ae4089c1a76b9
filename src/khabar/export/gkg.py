"""A GDELT Global Knowledge Graph (GKG 2.1)-like TSV row per analysed article.

The 27 GKG 2.1 columns in their order; what khabar fills and how is documented in `docs/gkg.md`.
Offsets are character offsets into the article's clean text. Names are the entities' English names
(`name_en`); Hindi names go in the `<KHABAR_ENTITIES>` block of V2EXTRASXML. Values never contain a
tab or newline, and the delimiters of a field (`;`, `#`, `,`, `|`) are replaced inside values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from khabar.article import Article, Entity, Event, event_dict

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
# GKG location types: 1 country, 4 world city (khabar does not know finer types).
LOC_COUNTRY, LOC_CITY = "1", "4"
# GKG 2.1 date resolutions: 4 day with year, 2 month with year, 1 year.
DATE_RESOLUTION = {"day": "4", "week": "4", "month": "2", "year": "1"}
_DELIMS = re.compile(r"[\t\r\n;#,|]+")


def clean_value(value: object) -> str:
    """A value safe inside a GKG field: no tabs, newlines or field delimiters."""
    return _DELIMS.sub(" ", str(value)).strip()


def _tsv_cell(value: str) -> str:
    return re.sub(r"[\t\r\n]+", " ", value)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


@cache
def _country_code(name_en: str) -> str | None:
    """ISO 3166 alpha-2 code when an English name is a country (pycountry), else None."""
    import pycountry

    try:
        return str(pycountry.countries.lookup(name_en).alpha_2)
    except LookupError:
        return None


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


def _locations(ents: list[Entity]) -> tuple[str, str]:
    v1: list[str] = []
    v2: list[str] = []
    for e in ents:
        code = _country_code(e.name_en)
        kind = LOC_COUNTRY if code else LOC_CITY
        name = clean_value(e.name_en)
        v1.append(f"{kind}#{name}#{code or ''}####{e.wikidata or ''}")
        for m in e.mentions:
            v2.append(f"{kind}#{name}#{code or ''}#####{e.wikidata or ''}#{m.start}")
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


def _tone(article: Article, events: list[Event]) -> str:
    """Tone from the events' Goldstein values: mean, % positive, % negative, polarity, events per 100
    words, 0, word count (GKG's tone is lexicon sentiment; khabar reports event cooperation/conflict)."""
    words = len(article.text.split())
    scores = [ev.goldstein for ev in events]
    if not scores:
        return f"0,0,0,0,0,0,{words}"
    mean = sum(scores) / len(scores)
    pos = 100 * sum(1 for s in scores if s > 0) / len(scores)
    neg = 100 * sum(1 for s in scores if s < 0) / len(scores)
    density = 100 * len(scores) / max(1, words)
    return f"{mean:.2f},{pos:.2f},{neg:.2f},{pos + neg:.2f},{density:.2f},0,{words}"


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
    """Offset|Length|Verb|Quote|Speaker blocks joined by # (Speaker is a khabar extension)."""
    out = []
    for q in article.quotes:
        ent = article.entity(q.speaker) if q.speaker else None
        speaker = clean_value(ent.name_en) if ent else ""
        out.append(f"{q.start}|{q.end - q.start}|{clean_value(q.cue)}|{clean_value(q.text)}|{speaker}")
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
    if article.summary:
        parts.append(f"<KHABAR_SUMMARY>{_xml_text(' '.join(article.summary))}</KHABAR_SUMMARY>")
    return "".join(parts)


def gkg_row(article: Article, modalities: Iterable[str] = ("occurred",)) -> str:
    """One tab-separated GKG 2.1-like row for an analysed article; its events (tone and
    `<KHABAR_EVENTS>`) are those of the given modalities, by default only those reported as done."""
    keep = set(modalities)
    chosen = [ev for ev in article.events if ev.modality in keep]
    stamp = article.published.strftime("%Y%m%d000000") if article.published else ""
    persons = _names(_by_type(article, "PERSON"))
    orgs = _names(_by_type(article, "ORGANIZATION"))
    locs = _locations(_by_type(article, "LOCATION"))
    counts = _counts(article)
    source = article.source or ""
    if article.url:
        host = re.sub(r"^[a-z]+://", "", article.url).split("/")[0]
        source = host or source
    cells = {
        "GKGRECORDID": f"{stamp or 'undated'}-{article.id}",
        "V2.1DATE": stamp,
        "V2SOURCECOLLECTIONIDENTIFIER": SOURCE_COLLECTION_WEB,
        "V2SOURCECOMMONNAME": source,
        "V2DOCUMENTIDENTIFIER": article.url or article.source or "",
        "V1COUNTS": counts[0],
        "V2.1COUNTS": counts[1],
        "V1LOCATIONS": locs[0],
        "V2ENHANCEDLOCATIONS": locs[1],
        "V1PERSONS": persons[0],
        "V2ENHANCEDPERSONS": persons[1],
        "V1ORGANIZATIONS": orgs[0],
        "V2ENHANCEDORGANIZATIONS": orgs[1],
        "V1.5TONE": _tone(article, chosen),
        "V2.1ENHANCEDDATES": _dates(article),
        "V2.1QUOTATIONS": _quotes(article),
        "V2.1ALLNAMES": _all_names(article),
        "V2.1AMOUNTS": _amounts(article),
        "V2.1TRANSLATIONINFO": f"srclc:{'hin' if article.language == 'hi' else article.language};eng:khabar",
        "V2EXTRASXML": _extras(article, chosen),
    }
    return "\t".join(_tsv_cell(cells.get(col, "")) for col in GKG_COLUMNS)
