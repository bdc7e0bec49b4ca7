"""What the map of the territories shows: each territory's outline, its figures and its ties.

`map_data` reads the graph with a few fixed-length queries (no whole-graph read), except for
``betweenness``, which reads the ties of the actor network (`actor_network`: no communes,
departments, sites or sources; one query) and samples 300 sources above 600 actors, as the pages
do; the caller may pass the scores it computed (``tdi viz map`` computes them with
`queries.centrality` and caches them). Figures of each territory:

- ``programmes``: ANCT's other programmes present in it (a site covering one of its communes,
  directly or through the EPCI the commune belongs to, or one of its EPCI);
- ``degree``: its distinct neighbours in the graph (communes and EPCI covered included);
- ``projects``: the projects located in it, or in one of its communes or EPCI;
- ``euros``: the euros stated on ``FUNDS`` to or from it and to those projects;
- ``betweenness``: its betweenness in the actor network (only when it is the measure).

With ``region``, only the territories that lie in that region are read, as ``--region`` places
them everywhere (`graph.scope`): tied to it (``IN_REGION``), to one of its departments, or
covering one of its communes or an EPCI with communes in it.

Example
-------
>>> data = map_data(graph, phase="II", measure="programmes")   # doctest: +SKIP
>>> len(data.territories), data.territories[0]["name"]           # doctest: +SKIP
(183, 'Basse-Terre')
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graph.backend import GraphBackend
from graph.errors import QueryFailed, TdiError
from graph.regions import find_region

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["MAP_MEASURES", "MapData", "actor_network", "map_data"]

MAP_MEASURES = ("programmes", "degree", "betweenness", "euros", "projects")
ACTOR_LABELS = ("StateBody", "Region", "Epci", "Territory", "Company", "Operator", "Organisation", "Programme", "Project",
                "Agreement", "Person", "Event")  # fmt: skip

_TERRITORIES = (
    "MATCH (t:Territory) WHERE coalesce($phase, t.phase) = t.phase "
    "RETURN t.key AS key, t.name AS name, t.phase AS phase, t.official_id AS official_id, t.outline AS outline ORDER BY key"
)
_PROGRAMMES = [  # (territory, programme code) through each way a site reaches a territory's communes
    "MATCH (t:Territory)-[:COVERS]->(:Commune)<-[:COVERS]-(s:Site) WHERE t.key IN $keys RETURN DISTINCT t.key AS t, s.programme AS p",
    (
        "MATCH (t:Territory)-[:COVERS]->(:Commune)-[:IN_EPCI]->(:Epci)<-[:COVERS]-(s:Site) WHERE t.key IN $keys "
        "RETURN DISTINCT t.key AS t, s.programme AS p"
    ),
    (
        "MATCH (t:Territory)-[:COVERS]->(:Epci)<-[:IN_EPCI]-(:Commune)<-[:COVERS]-(s:Site) WHERE t.key IN $keys "
        "RETURN DISTINCT t.key AS t, s.programme AS p"
    ),
    "MATCH (t:Territory)-[:COVERS]->(:Epci)<-[:COVERS]-(s:Site) WHERE t.key IN $keys RETURN DISTINCT t.key AS t, s.programme AS p",
]
_DEGREE = "MATCH (t:Territory)--(x) WHERE t.key IN $keys RETURN t.key AS t, count(DISTINCT x) AS n"
_PROJECTS = [  # (territory, project key, euros funding the project)
    "MATCH (t:Territory)<-[:LOCATED_IN]-(p:Project) WHERE t.key IN $keys RETURN DISTINCT t.key AS t, p.key AS p",
    "MATCH (t:Territory)-[:COVERS]->()<-[:LOCATED_IN]-(p:Project) WHERE t.key IN $keys RETURN DISTINCT t.key AS t, p.key AS p",
]
_PROJECT_EUROS = "MATCH (p:Project)<-[f:FUNDS]-() WHERE p.key IN $keys RETURN p.key AS p, sum(f.amount_eur) AS eur"
_TERRITORY_EUROS = "MATCH (t:Territory)-[f:FUNDS]-() WHERE t.key IN $keys RETURN t.key AS t, sum(f.amount_eur) AS eur"
_TIES = [  # the ties drawn when a territory is clicked: all but its communes and the sources
    (
        "MATCH (t:Territory)-[r]->(x) WHERE t.key IN $keys AND head(labels(x)) <> 'Commune' "
        "RETURN t.key AS t, type(r) AS rel, head(labels(x)) AS kind, x.key AS key, x.name AS name, 'out' AS way"
    ),
    (
        "MATCH (t:Territory)<-[r]-(x) WHERE t.key IN $keys AND head(labels(x)) <> 'Commune' "
        "RETURN t.key AS t, type(r) AS rel, head(labels(x)) AS kind, x.key AS key, x.name AS name, 'in' AS way"
    ),
]
_ACTOR_TIES = (
    "MATCH (a)-[r]->(b) WHERE head(labels(a)) IN $labels AND head(labels(b)) IN $labels "
    "RETURN DISTINCT head(labels(a)) AS a_kind, a.key AS a, head(labels(b)) AS b_kind, b.key AS b"
)
_IN_REGION = " UNION ".join(
    f"MATCH (t:Territory){path}(r:Region) WHERE r.key = $region RETURN DISTINCT t.key AS key"
    for path in ("-[:IN_REGION]->", "-[:IN_DEPARTMENT]->(:Department)-[:IN_REGION]->",
                 "-[:COVERS]->(:Commune)-[:IN_DEPARTMENT]->(:Department)-[:IN_REGION]->",
                 "-[:COVERS]->(:Epci)<-[:IN_EPCI]-(:Commune)-[:IN_DEPARTMENT]->(:Department)-[:IN_REGION]->")
)  # fmt: skip
_COMMUNES = "MATCH (t:Territory)-[:COVERS]->(c:Commune) WHERE t.key IN $keys RETURN t.key AS t, count(c) AS n"


@dataclass
class MapData:
    """The territories to draw (outline, figures, ties), the measure that colours them, and what was left out.

    ``region`` is the (key, name) of the region the territories were cut to, if any.
    """

    measure: str
    phase: str | None
    territories: list[dict[str, Any]] = field(default_factory=list)
    undrawn: list[str] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    region: tuple[str, str] | None = None


def map_data(graph: GraphBackend, *, phase: str | None = None, measure: str = "programmes",
             betweenness: Mapping[str, float] | None = None, region: str | None = None) -> MapData:  # fmt: skip
    """Read the territories of ``phase`` (both when ``None``) with their outlines and figures.

    ``region`` (an INSEE code, an id or a name) keeps the territories that lie in it.

    ``betweenness`` (territory key → its betweenness in `actor_network`, rounded to 6 places) is
    used when given; otherwise, when it is the measure, it is computed here with NetworkX.

    Raises
    ------
    TdiError
        When no territory of the phase (and region) has an outline (the lists were loaded from CSV).
    ActorNotFound
        When the graph holds no region that ``region`` names.
    """
    if measure not in MAP_MEASURES:
        raise TdiError(f'Cannot colour the map by "{measure}". Use one of: {", ".join(MAP_MEASURES)}.')
    load_outlines = ("Load the lists from ANCT's GeoJSON: tdi load territories ti_phase2_groupements_anct_20240704.geojson "
                     "(or tdi demo --full --data DIR).")  # fmt: skip
    try:
        rows = graph.run(_TERRITORIES, {"phase": phase})
    except QueryFailed as exc:
        if "outline" not in str(exc):
            raise
        raise TdiError(f"This graph was made before tdi kept the territories' outlines. {load_outlines}") from exc
    place = find_region(graph.run, region) if region else None
    which = (f"phase {phase} " if phase else "") + "territory"
    if place:
        inside = {r["key"] for r in graph.run(_IN_REGION, {"region": place[0]})}
        if rows and not (rows := [r for r in rows if r["key"] in inside]):  # loaded, but none lies there: no list to load
            raise TdiError(f"No {which} lies in {place[1]} ({place[0]}): the map has nothing to draw.")
    drawn = [r for r in rows if r["outline"]]
    if not drawn:
        which += f" of {place[1]} ({place[0]})" if place else ""
        raise TdiError(f"No {which} has an outline to draw ({len(rows)} without). {load_outlines}")
    keys = [r["key"] for r in drawn]
    figures = _figures(graph, keys, measure, betweenness)
    ties = _ties(graph, keys)
    data = MapData(measure, phase, region=place, undrawn=[f"{r['name']} ({r['key']})" for r in rows if not r["outline"]])
    for r in drawn:
        data.territories.append({
            "id": f"territory:{r['key']}", "key": r["key"], "name": r["name"], "phase": r["phase"],
            "official_id": r["official_id"], "outline": json.loads(r["outline"])["coordinates"],
            "figures": figures[r["key"]], "value": figures[r["key"]][measure], "ties": ties.get(r["key"], []),
        })  # fmt: skip
    data.sources = graph.run("MATCH (s:Source) WHERE s.key IN $keys RETURN s.key AS key, s.name AS name, s.date AS date, "
                             "s.vintage AS vintage, s.url AS url ORDER BY key", {"keys": _cited(graph, keys)})  # fmt: skip
    return data


def _figures(graph: GraphBackend, keys: list[str], measure: str, betweenness: Mapping[str, float] | None) -> dict[str, dict[str, Any]]:
    """Each territory's figures; betweenness only when it is the measure (it reads the actor network)."""
    params = {"keys": keys}
    programmes: dict[str, set[str]] = defaultdict(set)
    for query in _PROGRAMMES:
        for r in graph.run(query, params):
            programmes[r["t"]].add(r["p"])
    projects: dict[str, set[str]] = defaultdict(set)
    for query in _PROJECTS:
        for r in graph.run(query, params):
            projects[r["t"]].add(r["p"])
    wanted = sorted(set().union(*projects.values())) if projects else []
    project_eur = {r["p"]: r["eur"] or 0 for r in graph.run(_PROJECT_EUROS, {"keys": wanted})} if wanted else {}
    own_eur = {r["t"]: r["eur"] or 0 for r in graph.run(_TERRITORY_EUROS, params)}
    degree = {r["t"]: r["n"] for r in graph.run(_DEGREE, params)}
    communes = {r["t"]: r["n"] for r in graph.run(_COMMUNES, params)}
    if betweenness is None and measure == "betweenness":
        betweenness = _betweenness(graph)
    return {
        k: {
            "programmes": len(programmes[k]),
            "degree": degree.get(k, 0),
            "projects": len(projects[k]),
            "euros": float(own_eur.get(k, 0) + sum(project_eur.get(p, 0) for p in projects[k])),
            "betweenness": None if betweenness is None else betweenness.get(k, 0.0),
            "communes": communes.get(k, 0),
            "programme_codes": sorted(programmes[k]),
        }
        for k in keys
    }


def actor_network(graph: GraphBackend) -> nx.Graph:
    """The actor network the map measures betweenness on, read with one query: nodes ``(kind, key)``
    of `ACTOR_LABELS`, one edge per tied pair; actors without a tie are not in it."""
    import networkx as nx

    U = nx.Graph()
    for r in graph.run(_ACTOR_TIES, {"labels": list(ACTOR_LABELS)}):
        U.add_edge((r["a_kind"], r["a"]), (r["b_kind"], r["b"]))
    return U


def _betweenness(graph: GraphBackend) -> dict[str, float]:
    """Betweenness of the territories in the actor network (sampled as `viz.measures` does), with NetworkX."""
    import networkx as nx

    from viz.measures import BETWEENNESS_SAMPLE, EXACT_BETWEENNESS_MAX

    U = actor_network(graph)
    sample = None if len(U) <= EXACT_BETWEENNESS_MAX else BETWEENNESS_SAMPLE
    scores = nx.betweenness_centrality(U, k=sample, seed=7 if sample else None)
    return {key: round(score, 6) for (kind, key), score in scores.items() if kind == "Territory"}


def _ties(graph: GraphBackend, keys: list[str]) -> dict[str, list[list[str]]]:
    """Territory key → [relationship, kind, id, name, way] of each tie but those to its communes."""
    found: dict[str, list[list[str]]] = defaultdict(list)
    for query in _TIES:
        for r in graph.run(query, {"keys": keys}):
            kind = r["kind"]
            found[r["t"]].append([r["rel"], kind, f"{kind.lower()}:{r['key']}", r["name"] or r["key"], r["way"]])
    return {k: sorted(v, key=lambda tie: (tie[1], tie[3])) for k, v in found.items()}


def _cited(graph: GraphBackend, keys: list[str]) -> list[str]:
    rows = graph.run("MATCH (t:Territory) WHERE t.key IN $keys RETURN t.sources AS sources", {"keys": keys})
    return sorted({s for r in rows for s in r["sources"] or []})
