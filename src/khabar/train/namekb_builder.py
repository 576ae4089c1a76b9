"""The name knowledge base being built: its entities and the builder that merges rows naming one thing."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field


@dataclass(slots=True)
class KBEntity:
    """One entity being built; `forms` are (hindi, english or None, kind, common, hand-written)."""

    english: str
    type: str
    klass: str = ""
    wikidata: str = ""
    country: str = ""
    adm1: str = ""
    lat: float | None = None
    lon: float | None = None
    population: int = 0
    rank: int = 0
    source: str = ""
    forms: list[tuple[str, str | None, str, bool, bool]] = field(default_factory=list)


class Builder:
    """Collects entities, merging a new row into an existing entity when it is the same thing."""

    def __init__(self) -> None:
        self.entities: list[KBEntity] = []
        self._by_qid: dict[str, int] = {}
        self._by_name: dict[tuple[str, str], list[int]] = defaultdict(list)

    def find(self, type: str, english: str, country: str = "", adm1: str = "", qid: str = "") -> int | None:
        """An existing entity for this thing: same Wikidata id, else same type and English name, with the
        same country and ADM1 where both know them."""
        if qid and qid in self._by_qid:
            return self._by_qid[qid]
        for index in self._by_name.get((type, english.lower()), []):
            ent = self.entities[index]
            if country and ent.country and country != ent.country:
                continue
            if adm1 and ent.adm1 and adm1 != ent.adm1:
                continue
            if qid and ent.wikidata and qid != ent.wikidata:
                continue
            return index
        return None

    def add(self, ent: KBEntity, merge: bool = True) -> int:
        """Add an entity (or merge it into the same existing one); returns its index."""
        index = self.find(ent.type, ent.english, ent.country, ent.adm1, ent.wikidata) if merge else None
        if index is None:
            index = len(self.entities)
            self.entities.append(ent)
            self._by_name[(ent.type, ent.english.lower())].append(index)
        else:
            old = self.entities[index]
            old.forms.extend(ent.forms)
            for name in ("klass", "wikidata", "country", "adm1", "source"):
                if not getattr(old, name):
                    setattr(old, name, getattr(ent, name))
            if old.lat is None and ent.lat is not None:
                old.lat, old.lon = ent.lat, ent.lon
            old.population = max(old.population, ent.population)
            old.rank = max(old.rank, ent.rank)
        if self.entities[index].wikidata:
            self._by_qid.setdefault(self.entities[index].wikidata, index)
        return index
