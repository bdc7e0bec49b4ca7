"""``match: name`` in a table mapping: rows that name an actor already in the graph, found with the name matcher."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.backend import GraphBackend
from graph.errors import LoaderError
from loaders.mapping import read_mapping
from loaders.table_load import load_table

MAPPING = """\
source: {name: Suivi des projets}
actors:
  project:
    kind: project
    key: {column: Projet, parser: slug}
    name: Projet
  epci:
    kind: epci
    existing: true
    match: name
    name: Intercommunalité
relationships:
  - {type: LOCATED_IN, from: project, to: epci}
"""


@pytest.fixture
def graph(empty_graph: GraphBackend) -> GraphBackend:
    empty_graph.upsert_nodes("Epci", [
        {"key": "200067205", "name": "CA du Cotentin"},
        {"key": "200067361", "name": "CC Grand-Figeac"},
        {"key": "200069615", "name": "CC du Pays de Bray"},
        {"key": "200071413", "name": "CA Pays de Bray"},
    ])  # fmt: skip
    return empty_graph


def write(tmp_path: Path, rows: str, mapping: str = MAPPING) -> tuple[Path, Path]:
    (tmp_path / "suivi.csv").write_text("Projet;Intercommunalité\n" + rows, encoding="utf-8")
    (tmp_path / "suivi.yaml").write_text(mapping, encoding="utf-8")
    return tmp_path / "suivi.csv", tmp_path / "suivi.yaml"


def test_rows_find_their_actor_by_name(graph: GraphBackend, tmp_path: Path) -> None:
    table, mapping = write(tmp_path, "Usine A;Communauté d'agglomération du Cotentin\nUsine B;Grand Figeac\n")
    load_table(graph, table, read_mapping(mapping))
    rows = graph.run("MATCH (p:Project)-[:LOCATED_IN]->(e:Epci) RETURN p.name AS project, e.key AS epci ORDER BY project")
    assert rows == [{"project": "Usine A", "epci": "200067205"}, {"project": "Usine B", "epci": "200067361"}]


def test_an_ambiguous_or_unknown_name_stops_the_load(graph: GraphBackend, tmp_path: Path) -> None:
    table, mapping = write(tmp_path, "Usine A;CA du Cotentin\nUsine B;Pays de Bray\nUsine C;Métropole de Lyon\n")
    with pytest.raises(LoaderError) as excinfo:
        load_table(graph, table, read_mapping(mapping))
    message = str(excinfo.value)
    assert f'{table}:3: column "Intercommunalité": "Pays de Bray" may name epci:' in message
    assert f'{table}:4: column "Intercommunalité": "Métropole de Lyon" names no epci with a score of 80 or more' in message
    assert graph.run("MATCH (p:Project) RETURN count(p) AS n") == [{"n": 0}]


def test_match_needs_existing_and_a_name(tmp_path: Path) -> None:
    _, mapping = write(tmp_path, "", MAPPING.replace("    existing: true\n", "").replace("    match: name\n", "    match: name\n    threshold: 40\n"))
    with pytest.raises(LoaderError) as excinfo:
        read_mapping(mapping)
    assert "actors.epci: match: name finds an actor already in the graph" in str(excinfo.value)
    assert 'actors.epci.threshold: "40"; expected a score from 60 to 100' in str(excinfo.value)
