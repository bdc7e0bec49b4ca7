"""Official names and keys of places: the administrative map shipped with tdi, and territories.

Territories of industry are not shipped (ANCT's lists stay outside the package): they come from
the graph the article is matched with (`graph_territories`), or from lists given by the caller.

Regions, departments, communes (INSEE codes) and EPCI (SIREN) are looked up by a normal form
of their name that ignores case, accents, hyphens and the usual prefixes, so that
"Communauté d'agglomération Béthune-Bruay Artois Lys Romane" finds "CA Béthune-Bruay,
Artois-Lys Romane". A commune name shared by several communes gives the most populous one to
`lookup`, which tells what kind of place a name is; `communes_named` gives every commune of that
name, and keeps the particles the name is written with ("Pont-l'Évêque" is not "Pont-Évêque").

Example
-------
>>> places = gazetteer()
>>> places.lookup("region", "Hauts-de-France"), places.lookup("epci", "CA du Grand Chalon")[0]
(('32', 'Hauts-de-France'), '247100589')
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from graph.keys import fold
from graph.names import particles
from graph.names import words as name_words

__all__ = ["Commune", "Gazetteer", "gazetteer", "graph_territories", "place_form"]

_REFERENCE = Path(__file__).resolve().parents[1] / "builtin" / "reference"
_TERRITORIES = "MATCH (t:Territory) RETURN t.key AS key, t.name AS name, t.phase AS phase ORDER BY key"
_SHORT = {"communaute de communes": "cc", "communaute d'agglomeration": "ca", "communaute urbaine": "cu",
          "agglomeration": "ca", "agglo": "ca", "saint": "st", "sainte": "ste"}  # fmt: skip
_PREFIXES = re.compile(r"\b(?:" + "|".join(_SHORT) + r")\b")
_WORD = re.compile(r"[a-z0-9]+")
_JOIN = re.compile(r"\s+[-–—]\s+")
_PARTICLES = {"de", "du", "des", "la", "le", "les", "l", "d", "en", "et"}


def place_form(name: str) -> str:
    """The normal form places are looked up by.

    >>> place_form("Communauté de Communes du Pays de Saint-Omer")
    'cc pays st omer'
    """
    text = fold(name).replace("’", "'").replace("œ", "oe").replace("æ", "ae")
    text = _PREFIXES.sub(lambda m: _SHORT[m.group(0)], text) if "communaute" in text or "agglo" in text or "saint" in text else text
    words = _WORD.findall(text)
    return " ".join(w for w in words if w not in _PARTICLES)


class Commune(NamedTuple):
    """A commune of the map: INSEE code, official name, department and region codes."""

    code: str
    name: str
    department: str
    region: str


@dataclass
class Gazetteer:
    """Names to (key, official name), by kind: region, department, commune, epci; and every commune of a name."""

    names: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    communes: dict[str, list[Commune]] = field(default_factory=dict)

    def communes_named(self, name: str) -> list[Commune]:
        """Every commune called ``name`` (by its normal form), less those lacking a particle the name is written with
        (`graph.names.particles`, as ``tdi find`` reads them); those written the same, if any ("Pont-Évêque" is not a
        "Pont-l'Évêque" written short, "Havre" is "Le Havre").

        >>> [c.code for c in gazetteer().communes_named("Pont-l'Évêque")], [c.code for c in gazetteer().communes_named("Pont-Évêque")]
        (['14514', '60506'], ['38318'])
        """
        written = Counter(particles(name))
        found = [c for c in self.communes.get(place_form(name), []) if written <= Counter(particles(c.name))]
        return [c for c in found if _written(c.name) == _written(name)] or found

    def areas_in(self, text: str) -> set[tuple[str, str]]:
        """The departments and regions ``text`` names, as (kind, code): by name, or a department by its number in brackets.

        >>> sorted(gazetteer().areas_in("à Pont-l'Évêque (14), en Normandie, pas dans l'Oise"))
        [('department', '14'), ('department', '60'), ('region', '28')]
        """
        if "_areas" not in self.__dict__:
            official = [name for kind in ("department", "region") for _, name in self.names[kind].values()]
            words = "|".join(r"(?:\s*-\s*|\s+)".join(map(re.escape, re.split(r"[\s\-]+", n))) for n in sorted(official, key=len, reverse=True))
            self.__dict__["_areas"] = re.compile(rf"(?<![\w-])(?:{words})(?![\w-])|\((?P<code>\d[\dAB]\d?)\)")
        found = set()
        for match in self.__dict__["_areas"].finditer(text):
            code = match.group("code")
            if code:
                found.update(("department", key) for key, _ in self.names["department"].values() if key == code)
            else:
                found.update((kind, place[0]) for kind in ("department", "region") if (place := self.lookup(kind, match.group(0))))
        return found

    def lookup(self, kind: str, name: str) -> tuple[str, str] | None:
        """The key and official name of the place of ``kind`` called ``name``, if known."""
        table = self.names.get(kind, {})
        form = place_form(name)
        found = table.get(form)
        if found is None and kind == "epci":
            found = table.get(re.sub(r"^(?:cc|ca|cu|metropole) ", "", form))
        return found

    def epci_names(self) -> re.Pattern[str]:
        """The EPCI names distinctive enough to be found alone ("Grand Belfort", "Pays de Montbéliard Agglomération")."""
        if "_epci_pattern" not in self.__dict__:
            names = set()
            for _, official in self.names["epci"].values():
                bare = re.sub(r"^(?:CC|CA|CU|Métropole|Communauté urbaine)\s+(?:de la |de l'|du |des |de |d')?", "", official)
                if len(bare.split()) >= 2 and self.kind_of(bare) == "epci" and "," not in bare:
                    names.add(bare)
            alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
            self.__dict__["_epci_pattern"] = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")
        return self.__dict__["_epci_pattern"]

    def with_territories(self, territories: Iterable[tuple[str, str, str]]) -> Gazetteer:
        """A copy that also knows these territories: (key such as ``II-ti-3207``, name, phase ``I`` or ``II``)."""
        names = {kind: dict(table) for kind, table in self.names.items()}
        for key, name, phase in territories:
            names.setdefault(f"territory:{phase}", {})[place_form(name)] = (key, name)
            names[f"territory:{phase}"].setdefault(_parts_form(name), (key, name))
            for part in _JOIN.split(name.strip()) if _JOIN.search(name.strip()) else []:
                names.setdefault("territory-part", {}).setdefault(place_form(part), (key, name))
        return Gazetteer(names, self.communes)

    def territory(self, name: str, phase: str) -> tuple[str, str] | None:
        """The key (``II-ti-3207``) and official name of a labelled territory, in ``phase`` first."""
        other = "I" if phase == "II" else "II"
        for form in (place_form(name), _parts_form(name)):
            found = self.names.get(f"territory:{phase}", {}).get(form) or self.names.get(f"territory:{other}", {}).get(form)
            if found:
                return found
        return None

    def territory_part(self, name: str) -> tuple[str, str] | None:
        """The territory one part of whose dashed name is ``name``: "Cognac" is "Angoulême – Cognac"."""
        return self.names.get("territory-part", {}).get(place_form(name))

    def territory_names(self) -> re.Pattern[str]:
        """Territory names of the official lists distinctive enough to be found alone ("Nord Franche-Comté")."""
        if "_territory_pattern" not in self.__dict__:
            patterns = set()
            for phase in ("I", "II"):
                for _, official in self.names.get(f"territory:{phase}", {}).values():
                    if len(re.findall(r"[\w'’]+", official)) >= 2 and self.kind_of(official) is None:
                        parts = _JOIN.split(official.strip())  # "Angoulême – Cognac" is also written "Cognac - Angoulême"
                        orders = [parts, parts[::-1]] if len(parts) == 2 else [parts]
                        patterns.update(r"[\s\-–—]+".join(_loose_word(w) for part in order for w in re.findall(r"[\w'’]+", part)) for order in orders)
            alternatives = "|".join(sorted(patterns, key=len, reverse=True)) or r"(?!)"
            self.__dict__["_territory_pattern"] = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")
        return self.__dict__["_territory_pattern"]

    def kind_of(self, name: str) -> str | None:
        """The first of region, department, commune, epci that knows ``name`` ("Lyon" is the city; "Métropole de Lyon" the EPCI)."""
        return next((k for k in ("region", "department", "commune", "epci") if self.lookup(k, name)), None)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer of the shipped administrative map (read once per process)."""
    places = Gazetteer()
    places.names["region"] = {place_form(r["name"]): (r["code"], r["name"]) for r in _rows("regions")}
    paca = next(v for v in places.names["region"].values() if v[0] == "93")
    places.names["region"]["sud"] = paca  # "la Région Sud", the name Provence-Alpes-Côte d'Azur goes by
    places.names["department"] = {place_form(r["name"]): (r["code"], r["name"]) for r in _rows("departments")}
    communes: dict[str, tuple[str, str]] = {}
    for row in sorted(_rows("communes"), key=lambda r: int(r["population"] or 0)):
        form = place_form(row["name"])
        communes[form] = (row["code"], row["name"])
        places.communes.setdefault(form, []).append(Commune(row["code"], row["name"], row["department"], row["region"]))
    places.names["commune"] = communes
    for namesakes in places.communes.values():
        namesakes.sort()
    epci = {}
    for row in _rows("groupements"):
        form = place_form(row["name"])
        epci[form] = (row["siren"], row["name"])
        epci.setdefault(re.sub(r"^(?:cc|ca|cu|metropole) ", "", form), (row["siren"], row["name"]))
    places.names["epci"] = epci
    return places


def _written(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A name's words and particles as `graph.names` reads them: the same for two spellings of one name."""
    return name_words(name), particles(name)


def _parts_form(name: str) -> str:
    """The normal form of a name joined by dashes, whatever the order of its parts: "Cognac - Angoulême" is "Angoulême – Cognac"."""
    return " | ".join(sorted(place_form(part) for part in _JOIN.split(name.strip())))


def _loose_word(word: str) -> str:
    """A word of a name as a pattern that takes either apostrophe ("Pays d'Evian", "Pays d’Evian")."""
    return re.sub(r"['’]", "['’]", re.escape(word).replace("\\'", "'"))


def graph_territories(graph: object) -> list[tuple[str, str, str]]:
    """The territories a graph holds, as (key, name, phase), for `Gazetteer.with_territories`."""
    return [(r["key"], r["name"], r["phase"]) for r in graph.run(_TERRITORIES) if r["name"] and r["phase"]]  # type: ignore[attr-defined]


def _rows(name: str, folder: Path = _REFERENCE) -> list[dict[str, str]]:
    with gzip.open(folder / f"{name}.csv.gz", "rb") as handle:
        return list(csv.DictReader(io.TextIOWrapper(handle, encoding="utf-8")))
