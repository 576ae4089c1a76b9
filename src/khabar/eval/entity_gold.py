"""Loader for the entity gold set (`bench/data/gold/entities/`): paragraphs with inline mentions
`[[surface|TYPE|gid]]` and one row per real-world entity in `entities.tsv`.

The plain text of a paragraph is its `text` with every marker replaced by its surface; mention offsets
are into that plain text. TYPE is PER, LOC or ORG and is mapped to khabar's PERSON, LOCATION and
ORGANIZATION.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from khabar.errors import InputError

GOLD_TYPES = {"PER": "PERSON", "LOC": "LOCATION", "ORG": "ORGANIZATION"}
_MARKER = re.compile(r"\[\[([^\[\]|]+)\|([A-Z]+)\|([^\[\]|]+)\]\]")


@dataclass(frozen=True, slots=True)
class GoldMention:
    """One gold mention: offsets into the paragraph's plain text, its surface, type and entity id."""

    start: int
    end: int
    text: str
    type: str
    gid: str


@dataclass(frozen=True, slots=True)
class GoldEntity:
    """One real-world entity of the gold set (a row of `entities.tsv`)."""

    gid: str
    type: str
    name_en: str
    wikidata: str | None
    prominent: bool
    klass: str
    hindi: str
    note: str = ""


@dataclass(slots=True)
class GoldParagraph:
    """One gold paragraph: plain text, publication date, part (dev/test) and its mentions."""

    id: str
    part: str
    beat: str
    published: date | None
    text: str
    mentions: list[GoldMention] = field(default_factory=list)


@dataclass(slots=True)
class EntityGold:
    """The whole gold set: paragraphs in file order and entities by gid."""

    paragraphs: list[GoldParagraph]
    entities: dict[str, GoldEntity]

    def part(self, name: str) -> list[GoldParagraph]:
        """Paragraphs of one part ('dev', 'test') or all of them ('all')."""
        return [p for p in self.paragraphs if name in ("all", p.part)]


def parse_marked(text: str) -> tuple[str, list[GoldMention]]:
    """Plain text and mentions of a text with inline `[[surface|TYPE|gid]]` markers."""
    out: list[str] = []
    mentions: list[GoldMention] = []
    pos = 0
    length = 0
    for match in _MARKER.finditer(text):
        before = text[pos : match.start()]
        out.append(before)
        length += len(before)
        surface, kind, gid = match.group(1), match.group(2), match.group(3)
        if kind not in GOLD_TYPES:
            raise InputError(f"gold mention {match.group(0)!r}: type must be PER, LOC or ORG")
        mentions.append(GoldMention(length, length + len(surface), surface, GOLD_TYPES[kind], gid))
        out.append(surface)
        length += len(surface)
        pos = match.end()
    out.append(text[pos:])
    return "".join(out), mentions


def _read_entities(path: Path) -> dict[str, GoldEntity]:
    entities: dict[str, GoldEntity] = {}
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        cells = line.split("\t") + [""] * 8
        gid, kind = cells[0].strip(), cells[1].strip()
        if kind not in GOLD_TYPES:
            raise InputError(f"{path}:{number}: type must be PER, LOC or ORG, got {kind!r}")
        entities[gid] = GoldEntity(
            gid=gid,
            type=GOLD_TYPES[kind],
            name_en=cells[2].strip(),
            wikidata=cells[3].strip() or None,
            prominent=cells[4].strip() == "yes",
            klass=cells[5].strip(),
            hindi=cells[6].strip(),
            note=cells[7].strip(),
        )
    return entities


def load_entity_gold(folder: Path) -> EntityGold:
    """Read `paragraphs.jsonl` and `entities.tsv` from a gold folder."""
    para_path, ent_path = folder / "paragraphs.jsonl", folder / "entities.tsv"
    for path in (para_path, ent_path):
        if not path.is_file():
            raise InputError(f"entity gold file not found: {path}")
    entities = _read_entities(ent_path)
    paragraphs: list[GoldParagraph] = []
    for number, line in enumerate(para_path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            text, mentions = parse_marked(str(row["text"]))
            published = date.fromisoformat(row["published"]) if row.get("published") else None
            paragraphs.append(
                GoldParagraph(
                    str(row["id"]), str(row["part"]), str(row.get("beat", "")), published, text, mentions
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(f"{para_path}:{number}: bad gold paragraph ({exc})") from exc
        unknown = {m.gid for m in mentions} - set(entities)
        if unknown:
            raise InputError(f"{para_path}:{number}: gids missing from entities.tsv: {sorted(unknown)}")
    return EntityGold(paragraphs, entities)
