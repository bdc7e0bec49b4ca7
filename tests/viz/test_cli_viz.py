"""``tdi viz …``, ``tdi export …`` and ``tdi load json|csv``: wiring and main errors, on the built-in dataset."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import cli
from graph.backend import open_graph
from viz.html import read_page_data


def run(runner, db: Path, *args: str):
    return runner.invoke(cli, ["--db", str(db), *args])


def loaded(G, folder: Path) -> Path:
    """The graph at ``folder / "graph"``, made by ``tdi load json`` from the node-link export of ``G``."""
    from viz.export import write_export

    write_export(G, "json", folder / "g.json", warn=print)
    result = CliRunner().invoke(cli, ["--db", str(folder / "graph"), "load", "json", str(folder / "g.json")])
    assert result.exit_code == 0, result.output
    return folder / "graph"


def drawn(path: Path) -> list[str]:
    """The ids of the nodes a page holds."""
    return [node["id"] for node in read_page_data(path)["nodes"]]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["viz", "--region", "32", "--phase", "II", "--size", "betweenness"], "region:32"),
        (["viz", "territory", "Béthune-Bruay"], "territory:I-ti-3204"),
        (["viz", "path", "Bpifrance", "region:32"], "operator:bpifrance"),
        (["viz", "query", "funders-of-territory", "-p", "territory=Béthune-Bruay"], "operator:bpifrance"),
        (["viz", "communities", "--collapse"], "community:1"),
        (["viz", "--max-nodes", "20", "--size", "euros"], "programme:territoires-d-industrie"),
    ],
)
def test_viz_views_write_a_page(runner, builtin_db, tmp_path, args, expected):
    out = tmp_path / "page.html"
    result = run(runner, builtin_db, *args, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert expected in drawn(out)
    assert result.stderr.startswith(f"Wrote {out} (")


def test_viz_reduction_is_said_on_stderr_and_in_the_page(runner, builtin_db, tmp_path):
    out = tmp_path / "big.html"
    result = run(runner, builtin_db, "viz", "--max-nodes", "20", "-o", str(out))
    assert result.exit_code == 0 and len(drawn(out)) == 20
    assert "more than 20" in result.stderr and 'id="tdi-notice"' in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["viz", "path", "region:01", "region:02"], "Error: No path joins region:01 and region:02."),
        (["viz", "territory", "region:32"], "Error: region:32 is not a territory."),
        (["viz", "query", "agreements", "-p", "nope=1"], 'Error: Query "agreements" has no parameter "nope".'),
        (["viz", "--region", "Atlantis"], 'Error: No region "Atlantis".'),
        (["viz", "ego", "Nowhere at all"], 'Error: No actor is named "Nowhere at all".'),
    ],
)
def test_viz_errors(runner, builtin_db, tmp_path, args, message):
    result = run(runner, builtin_db, *args, "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 1
    assert result.stderr.startswith(message)
    assert not (tmp_path / "x.html").exists()


def test_viz_filters_the_whole_graph_before_leaving_places_out(runner, builtin_db, tmp_path):
    """A region tied to nothing but its departments is found, and so are the actors placed in a region
    through places the view leaves out: the filters apply to the whole graph first."""
    overseas = run(runner, builtin_db, "viz", "--region", "Guadeloupe", "-o", str(tmp_path / "gp.html"))
    assert overseas.exit_code == 0, overseas.output
    drawn = run(runner, builtin_db, "viz", "--region", "32", "--kinds", "Territory,Operator,Region", "-o", str(tmp_path / "hdf.html"))
    assert drawn.exit_code == 0, drawn.output
    actors, links = map(int, re.search(r"\((\d+) actors, (\d+) links\)", drawn.stderr).groups())
    assert actors > 1 and links > 0
    assert "territory:" in (tmp_path / "hdf.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "expected"),
    [  # Béthune's ego view holds its department but not the region: the store says where it lies
        (["ego", "commune:62119", "--region", "Région Hauts de France"], "commune:62119"),
        (["territory", "Béthune-Bruay", "--region", "32"], "territory:I-ti-3204"),
        (["path", "Bpifrance", "region:32", "--region", "Hauts-de-France"], "region:32"),
    ],
)
def test_local_views_take_any_region_of_the_graph(runner, builtin_db, tmp_path, args, expected):
    out = tmp_path / "page.html"
    result = run(runner, builtin_db, "viz", *args, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert expected in drawn(out) and "Filters: region Hauts-de-France (32)" in out.read_text(encoding="utf-8")


def test_a_local_view_with_nothing_in_the_region_says_so(runner, builtin_db, tmp_path):
    result = run(runner, builtin_db, "viz", "ego", "commune:62119", "--region", "ile de france", "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 0, result.output
    assert "(0 actors, 0 links)" in result.stderr
    assert "Nothing of this view is left by its filters (region Île-de-France (11)): the page is empty." in result.stderr
    result = run(runner, builtin_db, "viz", "ego", "commune:62119", "--region", "Atlantis", "-o", str(tmp_path / "y.html"))
    assert result.exit_code == 1 and result.stderr.startswith('Error: No region "Atlantis".')


def test_viz_options_go_after_the_view(runner, builtin_db):
    result = run(runner, builtin_db, "viz", "--region", "32", "ego", "region:32")
    assert result.exit_code == 2 and "Put the options after the view" in result.stderr


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["-o", "x.html", "ego", "region:32"], "Error: Put the options after the view: tdi viz ego … --output …."),
        (["--all", "ego", "region:32"], 'Error: tdi viz ego takes no --all option: see "tdi viz ego --help".'),
        (["--kinds", "operator", "map"], 'Error: tdi viz map takes no --kinds option: see "tdi viz map --help".'),
    ],
)
def test_an_option_before_the_view_is_named_as_written_and_only_moved_where_it_is_taken(runner, builtin_db, args, error):
    result = run(runner, builtin_db, "viz", *args)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == error


@pytest.mark.parametrize(("fmt", "name"), [("graphml", "g.graphml"), ("gexf", "g.gexf"), ("cypher", "g.cypher"), ("csv", "g-csv")])
def test_export_formats(runner, builtin_db, tmp_path, fmt, name):
    result = run(runner, builtin_db, "export", fmt, "-o", str(tmp_path / name))
    assert result.exit_code == 0, result.output
    assert (tmp_path / name).exists() and "relationships)" in result.stderr


@pytest.mark.parametrize(("fmt", "name"), [("json", "g.json"), ("csv", "g-csv")])
def test_load_reads_an_export_back(runner, builtin_db, tmp_path, fmt, name):
    assert run(runner, builtin_db, "export", fmt, "-o", str(tmp_path / name)).exit_code == 0
    result = run(runner, tmp_path / "copy", "load", fmt, str(tmp_path / name))
    assert result.exit_code == 0, result.output
    with open_graph(builtin_db, read_only=True) as original, open_graph(tmp_path / "copy", read_only=True) as copy:
        assert copy.counts() == original.counts()


def test_load_csv_of_a_folder_without_exports(runner, tmp_path):
    result = run(runner, tmp_path / "g", "load", "csv", str(tmp_path))
    assert result.exit_code == 1 and "tdi export csv -o FOLDER" in result.stderr


@pytest.fixture(scope="module")
def commune_db(tmp_path_factory) -> Path:
    """A graph loaded by ``tdi load json``: a territory covering the three communes of one EPCI."""
    import networkx as nx

    G = nx.MultiDiGraph()
    G.add_node("source:press", kind="Source", key="press", type="press", name="Un premier bilan")
    G.add_node("epci:200072460", kind="Epci", key="200072460", name="CA de Béthune-Bruay", sources=["press"])
    G.add_node("territory:II-ti-6201", kind="Territory", key="II-ti-6201", name="Béthune-Bruay", phase="II", sources=["press"])
    for code in ("62119", "62178", "62186"):
        G.add_node(f"commune:{code}", kind="Commune", key=code, name=f"Commune {code}")
        G.add_edge(f"commune:{code}", "epci:200072460", key="IN_EPCI", type="IN_EPCI")
        G.add_edge("territory:II-ti-6201", f"commune:{code}", key="COVERS", type="COVERS", sources=["press"])
    return loaded(G, tmp_path_factory.mktemp("communes"))


def test_viz_territory_folds_communes_unless_expanded(runner, commune_db, tmp_path):
    folded = run(runner, commune_db, "viz", "territory", "territory:II-ti-6201", "-o", str(tmp_path / "f.html"))
    expanded = run(runner, commune_db, "viz", "territory", "territory:II-ti-6201", "--expand", "communes", "-o", str(tmp_path / "e.html"))
    assert folded.exit_code == expanded.exit_code == 0, folded.output + expanded.output
    assert folded.stderr.endswith("(2 actors, 1 links).\n3 communes are folded into their 1 EPCI (--expand communes draws them).\n")
    assert "folded" not in expanded.stderr
    assert sorted(drawn(tmp_path / "f.html")) == ["epci:200072460", "territory:II-ti-6201"]
    assert len(drawn(tmp_path / "e.html")) == 5
    assert '<h1 id="tdi-title">Territory Béthune-Bruay</h1>' in (tmp_path / "f.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sites_db(tmp_path_factory) -> Path:
    """A graph loaded by ``tdi load json``: a programme's three sites from its list, one of which a press article names."""
    import networkx as nx

    G = nx.MultiDiGraph()
    G.add_node("source:press", kind="Source", key="press", type="press", name="Un premier bilan")
    G.add_node("source:pvd-list", kind="Source", key="pvd-list", type="dataset", name="pvd.csv")
    G.add_node("programme:pvd", kind="Programme", key="pvd", name="Petites villes de demain", sources=["pvd-list"])
    G.add_node("operator:bdt", kind="Operator", key="bdt", name="Banque des Territoires", sources=["press"])
    G.add_edge("operator:bdt", "programme:pvd", key="FUNDS", type="FUNDS", sources=["press"])
    for code in ("62119", "62178", "62186"):
        G.add_node(f"site:pvd-{code}", kind="Site", key=f"pvd-{code}", name=f"PVD {code}", sources=["pvd-list"])
        G.add_edge(f"site:pvd-{code}", "programme:pvd", key="LABELLED", type="LABELLED", sources=["pvd-list"])
    G.nodes["site:pvd-62186"]["sources"] = ["pvd-list", "press"]
    return loaded(G, tmp_path_factory.mktemp("sites"))


def test_viz_folds_programme_sites_unless_expanded(runner, sites_db, tmp_path):
    folded = run(runner, sites_db, "viz", "-o", str(tmp_path / "f.html"))
    expanded = run(runner, sites_db, "viz", "--expand", "sites", "-o", str(tmp_path / "e.html"))
    assert folded.exit_code == expanded.exit_code == 0, folded.output + expanded.output
    assert folded.stderr.endswith("(3 actors, 2 links).\n2 programme sites are folded into their 1 programme (--expand sites draws them).\n")
    assert "folded" not in expanded.stderr
    assert sorted(drawn(tmp_path / "f.html")) == ["operator:bdt", "programme:pvd", "site:pvd-62186"]  # the press names that one
    assert len(drawn(tmp_path / "e.html")) == 5
    assert "Petites villes de demain (2 sites)" in (tmp_path / "f.html").read_text(encoding="utf-8")
