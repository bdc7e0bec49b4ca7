"""Reading exports back: the built-in dataset survives JSON and CSV round trips exactly; bad files load nothing."""

from __future__ import annotations

import json
import random
from pathlib import Path

import networkx as nx
import pytest

from graph.backend import open_graph
from graph.errors import LoaderError
from loaders.graph_files import load_graph_records, read_neo4j_csv, read_node_link
from tests.cli_graph import counts, run
from viz.export import write_export

READERS = {"json": ("ti.json", read_node_link), "csv": ("ti-csv", read_neo4j_csv)}


@pytest.fixture(scope="module")
def builtin_export(builtin_db, tmp_path_factory) -> tuple[dict, nx.MultiDiGraph, Path]:
    folder = tmp_path_factory.mktemp("export")
    with open_graph(builtin_db, read_only=True) as graph:
        counts, G = graph.counts(), graph.to_networkx()
    for fmt, (name, _) in READERS.items():
        write_export(G, fmt, folder / name)
    return counts, G, folder


@pytest.mark.parametrize("fmt", READERS)
def test_round_trip_preserves_counts_keys_properties_and_sources(builtin_export, empty_graph, fmt):
    counts, G, folder = builtin_export
    name, read = READERS[fmt]
    load_graph_records(empty_graph, read(folder / name))
    assert empty_graph.counts() == counts
    H = empty_graph.to_networkx()
    rng = random.Random(1)
    for node in rng.sample(sorted(G), 40):
        assert H.nodes[node] == G.nodes[node]
    for edge in rng.sample(sorted(G.edges(keys=True)), 40):
        assert H.edges[edge] == G.edges[edge]
    assert nx.utils.graphs_equal(H, G)
    again = load_graph_records(empty_graph, read(folder / name))
    assert not again.changed


def test_csv_error_names_file_line_and_column(tmp_path):
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "nodes-Project.csv").write_text(":ID,key,name,amount_eur:double,:LABEL\nproject:a,a,A,12,Project\nproject:b,b,B,lots,Project\n")
    with pytest.raises(LoaderError, match='nodes-Project.csv, line 3: column "amount_eur" is "lots"; expected double'):
        read_neo4j_csv(folder)


def test_csv_reads_id_spaces_and_named_id_columns(tmp_path):
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "nodes-Region.csv").write_text("key:ID(Region),name,aliases:string[]\n32,Hauts-de-France,HdF;Nord\n")
    (folder / "nodes-Operator.csv").write_text("key:ID(Operator),name,:LABEL\nbpifrance,Bpifrance,Operator\n")
    (folder / "relationships-PARTNER_OF.csv").write_text(":START_ID(Operator),:END_ID(Region),:TYPE\nbpifrance,32,PARTNER_OF\n")
    records = read_neo4j_csv(folder)
    assert records.nodes["Region"] == [{"key": "32", "name": "Hauts-de-France", "aliases": ["HdF", "Nord"]}]
    [edge] = records.edges["PARTNER_OF"]
    assert (edge.from_label, edge.from_key, edge.to_label, edge.to_key) == ("Operator", "bpifrance", "Region", "32")


def test_json_error_names_the_entry(tmp_path):
    path = tmp_path / "g.json"
    path.write_text(json.dumps({"nodes": [{"id": "widget:1", "kind": "Widget", "key": "1", "name": "W"}], "links": []}))
    with pytest.raises(LoaderError, match=r"g.json, node 1 \(widget:1\): Unknown kind"):
        read_node_link(path)


def test_a_file_loads_completely_or_not_at_all(empty_graph, tmp_path):
    data = {
        "nodes": [{"id": "region:32", "kind": "Region", "key": "32", "name": "Hauts-de-France"}],
        "links": [{"source": "region:32", "target": "operator:missing", "type": "PARTNER_OF", "key": "PARTNER_OF"}],
    }
    path = tmp_path / "g.json"
    path.write_text(json.dumps(data))
    with pytest.raises(LoaderError, match="operator:missing.*Nothing was loaded"):
        load_graph_records(empty_graph, read_node_link(path))
    assert empty_graph.counts()["nodes"] == {}


def test_not_json_says_how_to_make_one(tmp_path):
    path = tmp_path / "g.json"
    path.write_text("nodes: []")
    with pytest.raises(LoaderError, match="tdi export json"):
        read_node_link(path)


def test_a_period_that_ends_before_it_starts_names_its_entry(tmp_path):
    link = {"source": "person:p", "target": "region:32", "type": "HOLDS_ROLE", "since": "2024", "until": "2016"}
    path = tmp_path / "g.json"
    path.write_text(json.dumps({"nodes": [{"id": "person:p", "kind": "Person", "key": "p", "name": "P"}], "links": [link]}))
    with pytest.raises(LoaderError) as error:
        read_node_link(path)
    assert str(error.value) == f'{path}, link 1 (person:p -> region:32): until: "2016" is before since "2024": a period cannot end before it starts.'
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "nodes-Epci.csv").write_text("key:ID(Epci),name,since,until\n200072460,E,2020-05,2020\n247100589,F,2020,2019-12-31\n")
    with pytest.raises(LoaderError) as error:
        read_neo4j_csv(folder)
    assert str(error.value) == f'{folder}, nodes-Epci.csv, line 3: until: "2019-12-31" is before since "2020": a period cannot end before it starts.'


def _programme_files(tmp_path: Path, name: str, value: str) -> dict[str, Path]:
    """The same programme as node-link JSON and as a neo4j-admin CSV folder, with property ``name`` set to ``value``."""
    node = {"id": "programme:ti", "kind": "Programme", "key": "ti", "name": "Territoires d'industrie", name: value}
    stem = f"{name}-{value}".replace("/", "-")
    path = tmp_path / f"{stem}.json"
    path.write_text(json.dumps({"nodes": [node], "links": []}))
    folder = tmp_path / f"{stem}-csv"
    folder.mkdir()
    (folder / "nodes-Programme.csv").write_text(f":ID,key,name,{name},:LABEL\nprogramme:ti,ti,Territoires d'industrie,{value},Programme\n")
    return {"json": path, "csv": folder}


@pytest.mark.parametrize("fmt", READERS)
def test_load_refuses_a_date_the_graph_does_not_store_and_writes_nothing(runner, tmp_path, fmt):
    db = tmp_path / "graph"
    assert run(runner, db, "load", fmt, str(_programme_files(tmp_path, "since", "2018")[fmt])).exit_code == 0
    before = counts(db)
    bad = _programme_files(tmp_path, "since", "31/12/2023")[fmt]
    result = run(runner, db, "load", fmt, str(bad))
    assert result.exit_code == 1
    where = f"{bad}, node 1 (programme:ti): property" if fmt == "json" else f"{bad}, nodes-Programme.csv, line 2: column"
    expected = f'{where} "since" is "31/12/2023"; expected a date written YYYY, YYYY-MM or YYYY-MM-DD (2023-12-31 for this one).'
    assert result.stderr == f"Error: {expected}\n"
    assert counts(db) == before
    with open_graph(db, read_only=True) as graph:
        assert graph.run("MATCH (p:Programme) RETURN p.since AS since") == [{"since": "2018"}]


@pytest.mark.parametrize("fmt", READERS)
def test_an_until_before_the_since_the_graph_holds_names_its_entry(runner, tmp_path, fmt):
    db = tmp_path / "graph"
    assert run(runner, db, "load", fmt, str(_programme_files(tmp_path, "since", "2018")[fmt])).exit_code == 0
    before = counts(db)
    bad = _programme_files(tmp_path, "until", "2016")[fmt]
    result = run(runner, db, "load", fmt, str(bad))
    assert result.exit_code == 1
    where = f"{bad}, node 1 (programme:ti)" if fmt == "json" else f"{bad}, nodes-Programme.csv, line 2"
    held = 'programme:ti, with what the graph holds: until "2016" is before since "2018": a period cannot end before it starts.'
    assert result.stderr == f"Error: {where}: {held} Nothing was loaded.\n"
    assert counts(db) == before


def test_a_link_whose_until_is_before_the_since_the_graph_holds_is_named(runner, tmp_path):
    db, nodes = tmp_path / "graph", [{"id": "person:p", "kind": "Person", "key": "p", "name": "P"}, {"id": "region:32", "key": "32", "name": "HdF"}]
    for name, value in (("first", "2024"), ("then", None)):
        link = {"source": "person:p", "target": "region:32", "type": "HOLDS_ROLE", **({"since": value} if value else {"until": "2016"})}
        (tmp_path / f"{name}.json").write_text(json.dumps({"nodes": nodes, "links": [link]}))
    assert run(runner, db, "load", "json", str(tmp_path / "first.json")).exit_code == 0
    result = run(runner, db, "load", "json", str(tmp_path / "then.json"))
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {tmp_path / 'then.json'}, link 1 (person:p -> region:32): HOLDS_ROLE person:p -> region:32, with what the graph "
                             'holds: until "2016" is before since "2024": a period cannot end before it starts. Nothing was loaded.\n')  # fmt: skip
