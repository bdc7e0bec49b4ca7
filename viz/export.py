"""Write the graph to files other tools read, and read the GraphML and GEXF files back.

Formats (`FORMATS`): ``json`` (NetworkX node-link), ``graphml`` (Gephi, Cytoscape, yEd,
NetworkX), ``gexf`` (Gephi, NetworkX), ``csv`` (a folder in the header format of
``neo4j-admin database import``; see `viz.neo4j_export`) and ``cypher`` (a script that recreates
the graph in Neo4j). Every format holds every node (with its ``kind``, ``key`` and properties,
`Source` nodes included) and every relationship (with its type and properties).

GraphML and GEXF have no list type: list properties (``aliases``, ``sources``, ``evidence``…)
are written as JSON arrays in text (``["seed-1", "seed-2"]``); in GraphML the graph attribute
``tdi_list_properties`` names them, in GEXF they are the list properties of the schema. Both files give each node a ``label`` (its name) for Gephi.
GEXF reserves two names: an edge's relationship type is written as ``rel_type`` (and as its
label), and NetworkX writes the node property ``key`` as ``networkx_key``. `read_graph_file`
undoes all of this and returns the graph as ``to_networkx()`` gave it.

XML 1.0 cannot hold most control characters (NUL, U+0001 to U+001F but tab, line feed and
carriage return), U+FFFE, U+FFFF or lone surrogates: GraphML and GEXF write each of them as
U+FFFD (�), in ids, names and every other text, so that the file always parses. JSON is strict:
a number that is not finite (NaN, infinity) is written as ``null`` and reported through ``warn``.

Example
-------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("region:32", kind="Region", key="32", name="Hauts-de-France", aliases=["HdF"])
>>> node_link(G)["nodes"][0]["id"]
'region:32'
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

from graph.errors import SchemaError
from graph.writing import writing
from viz.graphml import LIST_ATTRIBUTE, flat_properties, xml_ids, xml_safe

__all__ = ["FORMATS", "node_link", "read_graph_file", "write_export", "write_gexf", "write_graphml", "write_json", "xml_safe"]

FORMATS = ("graphml", "gexf", "json", "csv", "cypher")
def node_link(G: nx.MultiDiGraph) -> dict[str, Any]:
    """The graph as node-link data: ``nodes`` (id, kind, key, properties) and ``links`` (source, target, key, type, properties)."""
    data = nx.node_link_data(G, edges="links")
    data["nodes"] = sorted(data["nodes"], key=lambda n: n["id"])
    data["links"] = sorted(data["links"], key=lambda e: (e["source"], e["target"], e["key"]))
    return data


def write_json(G: nx.MultiDiGraph, path: str | Path, *, warn: Callable[[str], None] | None = None) -> Path:
    """Write `node_link` of ``G`` to ``path`` as strict UTF-8 JSON; returns the path.

    A number that is not finite (NaN, infinity), which JSON cannot hold, is written as ``null``;
    ``warn`` is then called once with a message naming the first few.

    Examples
    --------
    >>> import tempfile
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("project:p", kind="Project", key="p", amount_eur=float("inf"))
    >>> path = write_json(G, Path(tempfile.mkdtemp()) / "g.json", warn=print)
    1 number that JSON cannot hold (NaN or infinity) written as null: project:p amount_eur.
    >>> json.loads(path.read_text())["nodes"][0]["amount_eur"] is None
    True
    """
    from viz.node_link import write_node_link

    data = node_link(G)
    header = {k: v for k, v in data.items() if k not in ("nodes", "links")}
    return _write(Path(path), lambda p: write_node_link(data["nodes"], data["links"], p, warn=warn, header=header))


def write_graphml(G: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write ``G`` as GraphML (lists as JSON text, a ``label`` per node); returns the path."""
    return _write(Path(path), lambda p: nx.write_graphml(_flat(G, gexf=False), p, encoding="utf-8"))


def write_gexf(G: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write ``G`` as GEXF 1.2 (lists as JSON text, ``rel_type`` for the type); returns the path."""
    return _write(Path(path), lambda p: nx.write_gexf(_flat(G, gexf=True), p, encoding="utf-8"))


def write_export(G: nx.MultiDiGraph, fmt: str, path: str | Path, *, warn: Callable[[str], None] | None = None) -> Path:
    """Write ``G`` in the format ``fmt`` (one of `FORMATS`) to ``path`` (a folder for ``csv``).

    ``warn`` receives what had to be changed to fit the format (see `write_json`).

    Raises
    ------
    SchemaError
        Unknown format.
    TdiError
        The file cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> G = nx.MultiDiGraph([("region:1", "region:2")])
    >>> write_export(G, "graphml", Path(tempfile.mkdtemp()) / "g.graphml").suffix
    '.graphml'
    """
    from viz.neo4j_export import write_cypher, write_neo4j_csv

    writers: dict[str, Callable[[nx.MultiDiGraph, Path], Path]] = {
        "graphml": write_graphml, "gexf": write_gexf, "json": lambda G, p: write_json(G, p, warn=warn),
        "csv": write_neo4j_csv, "cypher": write_cypher,
    }  # fmt: skip
    if fmt not in writers:
        raise SchemaError(f'Unknown export format "{fmt}". Use one of: {", ".join(FORMATS)}.')
    return writers[fmt](G, Path(path))


def read_graph_file(path: str | Path) -> nx.MultiDiGraph:
    """Read a GraphML or GEXF file written by `write_export` back into the graph it came from.

    Examples
    --------
    >>> import tempfile
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("region:32", kind="Region", key="32", name="HdF", aliases=["Hauts"])
    >>> _ = G.add_edge("region:32", "region:32", key="PARTNER_OF", type="PARTNER_OF", sources=["s"])
    >>> folder = Path(tempfile.mkdtemp())
    >>> [nx.utils.graphs_equal(read_graph_file(write_export(G, f, folder / f"g.{f}")), G) for f in ("graphml", "gexf")]
    [True, True]
    """
    path = Path(path)
    gexf = path.suffix.lower() == ".gexf"
    F = nx.read_gexf(path) if gexf else nx.read_graphml(path, force_multigraph=True)
    lists = set(json.loads(F.graph[LIST_ATTRIBUTE])) if LIST_ATTRIBUTE in F.graph else _schema_lists()
    G: nx.MultiDiGraph = nx.MultiDiGraph()
    for n, data in F.nodes(data=True):
        props = {("key" if k == "networkx_key" else k): _unflat(k, v, lists) for k, v in data.items() if k != "label"}
        G.add_node(n, **props)
    for u, v, data in F.edges(data=True):
        rel_type = data.get("rel_type") if gexf else data.get("type")
        props = {k: _unflat(k, x, lists) for k, x in data.items() if k not in ("rel_type", "label", "id")}
        G.add_edge(u, v, key=rel_type, **({"type": rel_type} | props))
    return G


def _schema_lists() -> set[str]:
    """The list properties of the schema (GEXF files keep no graph attribute to name them)."""
    from graph.schema import schema

    s = schema()
    every = [*(k.properties.values() for k in s.kinds.values()), *(r.properties.values() for r in s.rels.values())]
    return {p.name for props in every for p in props if p.type == "list"}


def _flat(G: nx.MultiDiGraph, *, gexf: bool) -> nx.MultiDiGraph:
    """A copy without list values (JSON text instead), XML-safe text, labels, and GEXF's reserved names avoided."""
    lists: set[str] = set()
    F: nx.MultiDiGraph = nx.MultiDiGraph()
    ids = xml_ids(G.nodes)
    for n, data in sorted(G.nodes(data=True), key=lambda item: str(item[0])):
        F.add_node(ids[n], **flat_properties(data, lists), label=xml_safe(str(data.get("name") or n)))
    for u, v, k, data in sorted(G.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), str(e[2]))):
        props = flat_properties(data, lists)
        if gexf:
            props["rel_type"] = props.pop("type", xml_safe(str(k)))
            props["label"] = props["rel_type"]
        F.add_edge(ids[u], ids[v], key=xml_safe(str(k)), **props)
    F.graph[LIST_ATTRIBUTE] = json.dumps(sorted(lists))
    return F


def _unflat(name: str, value: Any, lists: set[str]) -> Any:
    return json.loads(value) if name in lists and isinstance(value, str) else value


def _write(path: Path, write: Callable[[Path], Any]) -> Path:
    with writing(path):
        write(path)
    return path
