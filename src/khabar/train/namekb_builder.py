"""The name knowledge base being built: its entities and the builder that merges rows naming one thing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

# A version of one form: (hindi, english or None, kind, common, hand-written), as in `KBEntity.forms`.
FormVersion = tuple[str, str | None, str, bool, bool]
# Kinds of form, the entity's own name first: a former name or a short name never takes over a
# spelling that an equally trusted source gives as the name the entity is for.
KIND_ORDER = {"name": 0, "former": 1, "short": 2}


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
    forms: list[FormVersion] = field(default_factory=list)


def merge_versions(versions: Iterable[FormVersion]) -> tuple[str | None, str, bool]:
    """(english, kind, common) of one form row (one Hindi spelling of one entity) that several sources
    give, whatever order they come in:

    - English name and kind come from the best version: a hand-written one beats a generated one (a
      former name from renamed_places keeps its English name although GeoNames still lists the
      spelling among the current place's names); among equally trusted versions the entity's own name
      beats a former or short name (`KIND_ORDER`), then the English name decides (None first);
    - the form is common if any version says so (only the curated tables mark spellings that are also
      ordinary words; the other sources say nothing either way).
    """
    versions = list(versions)
    if not versions:
        raise ValueError("a form needs at least one version")
    _hindi, english, kind, _common, _curated = min(versions, key=_version_order)
    return english, kind, any(v[3] for v in versions)


def _version_order(version: FormVersion) -> tuple[bool, int, str, bool, str]:
    _hindi, english, kind, _common, curated = version
    return not curated, KIND_ORDER.get(kind, len(KIND_ORDER)), kind, english is not None, english or ""


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
