"""``tdi path`` and ``tdi analyze …``: wiring, output formats and the main errors, on the built-in dataset."""

from __future__ import annotations

import csv
import io
import json

import pytest

from cli import cli


@pytest.fixture
def run(runner, builtin_db):
    return lambda *args: runner.invoke(cli, ["--db", str(builtin_db), *args])


def test_path_by_id_and_name(run):
    result = run("path", "operator:bpifrance", "Xavier Bertrand", "--format", "json")
    assert result.exit_code == 0, result.output
    (path,) = json.loads(result.stdout)
    assert path["steps"][-1]["to"] == "person:xavier-bertrand"
    table = run("path", "operator:bpifrance", "person:xavier-bertrand", "--all")
    assert table.exit_code == 0 and "-[PARTNER_OF]->" in table.stdout


def test_path_none_within_max_length_exits_with_1(run):
    result = run("path", "operator:bpifrance", "person:xavier-bertrand", "--max-length", "1")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "No path between operator:bpifrance and person:xavier-bertrand within 1 steps; a longer --max-length may find one.\n"


def test_path_names_a_longer_max_length_only_when_it_is_enough(run):
    result = run("path", "operator:bpifrance", "commune:62119", "--max-length", "2")
    assert (result.exit_code, result.stderr) == (1, "No path between operator:bpifrance and commune:62119 within 2 steps. Try --max-length 3.\n")
    assert run("path", "operator:bpifrance", "commune:62119", "--max-length", "3").exit_code == 0


def test_path_from_an_actor_with_no_tie_joins_nothing_whatever_the_length(run):
    for max_length in ("6", "100"):
        result = run("path", "person:david-talmat", "region:32", "--max-length", max_length)
        assert (result.exit_code, result.stdout) == (1, "")
        assert result.stderr == "No path joins person:david-talmat and region:32, whatever its length.\n"


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_path_from_an_actor_to_itself_is_refused(run, fmt):
    result = run("path", "region:32", "Hauts-de-France", "--format", fmt)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.endswith("Error: FROM and TO are the same actor, region:32: give two actors to join.\n")


def test_path_unknown_actor(run):
    result = run("path", "operator:nope", "region:32")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: No actor operator:nope.")


def test_centrality_json(run):
    result = run("analyze", "centrality", "--top", "3", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["rank"] for r in rows] == [1, 2, 3] and "programme:territoires-d-industrie" not in {r["id"] for r in rows}
    left_out, measured = result.stderr.splitlines()
    assert left_out.startswith("Left out the structure of the map (add --include-structure to keep it): the programme Territoires")
    assert measured.startswith("Betweenness is exact (")
    everything = run("analyze", "centrality", "--top", "3", "--format", "json", "--include-structure")
    assert json.loads(everything.stdout)[0]["id"] == "programme:territoires-d-industrie"
    assert everything.stderr == "Betweenness is exact (58 actors).\n"


@pytest.mark.parametrize("command", [["centrality"], ["brokers"], ["communities"], ["report"]])
def test_analyses_of_a_network_left_empty_by_the_filters(run, tmp_path, command):
    """Kinds with no tie among them leave no actor: every analysis says so and ends well (PageRank divided by zero)."""
    out = ["-o", str(tmp_path / "r.md")] if command[0] == "report" else []
    result = run("analyze", *command, "--kinds", "Operator,Project,Company", *out)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    if command[0] == "report":
        assert "No actor matches these filters." in (tmp_path / "r.md").read_text(encoding="utf-8")
    elif command[0] != "communities":
        assert "(no rows)" in result.output


def test_centrality_bad_date_and_kind(run):
    bad_date = run("analyze", "centrality", "--as-of", "last year")
    assert bad_date.exit_code == 2 and "is not a date" in bad_date.stderr
    bad_kind = run("analyze", "centrality", "--kinds", "castle")
    assert bad_kind.exit_code == 1 and bad_kind.stderr.startswith('Error: Unknown kind "castle"')


@pytest.mark.parametrize(
    ("args", "refused"),
    [
        (["analyze", "centrality", "--as-of", "2019-13-01"], '"2019-13-01" is not a date of the calendar (day 1, month 13, year 2019).'),
        (["analyze", "brokers", "--as-of", "2019-02-30"], '"2019-02-30" is not a date of the calendar (day 30, month 2, year 2019).'),
        (["analyze", "report", "--as-of", "2019-00"], '"2019-00" is not a date of the calendar (month 0, year 2019).'),
        (["analyze", "compare", "--as-of", "2020", "--as-of", "2023-02-29"], '"2023-02-29" is not a date of the calendar (day 29'),
        (["extract", "-", "--date", "2024-04-31"], '"2024-04-31" is not a date of the calendar (day 31, month 4, year 2024).'),
        (["extract", "-", "--date", "2024-04"], '"2024-04" is not a date: use YYYY-MM-DD.'),
    ],
)
def test_impossible_dates_are_refused_naming_the_option(run, args, refused):
    result = run(*args)
    assert result.exit_code == 2, result.output
    option = "--date" if args[0] == "extract" else "--as-of"
    assert f"Error: Invalid value for '{option}': {refused}" in result.stderr
    assert result.stdout == "" and "Traceback" not in result.output


def test_brokers_csv_with_a_sample(run):
    result = run("analyze", "brokers", "--region", "32", "--by", "region", "--sample", "5", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {"constraint", "effective_size", "gatekeeper", "liaison"} <= set(rows[0])
    assert result.stderr.count("estimated from 5 of") == 1


def test_communities_table_and_leiden(run):
    result = run("analyze", "communities", "--top", "2")
    assert result.exit_code == 0 and result.stdout.startswith("community  size")
    assert "modularity" in result.stderr
    leiden = run("analyze", "communities", "--method", "leiden")
    assert leiden.exit_code in (0, 1)
    if leiden.exit_code:
        assert "Use --method louvain." in leiden.stderr


def test_cofunding_and_comembership(run):
    result = run("analyze", "cofunding", "--with-support", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)[0]["shared"] >= 1
    result = run("analyze", "comembership", "--phase", "I", "--min-shared", "2", "--format", "csv")
    assert result.exit_code == 0 and result.stdout.startswith("member_a,name_a,member_b")


def test_compare_phases_and_usage(run):
    result = run("analyze", "compare", "--phase", "I", "--phase", "II", "--format", "json")
    assert result.exit_code == 0, result.output
    assert {"entered", "left", "stayed"} >= {r["change"] for r in json.loads(result.stdout)}
    ties = run("analyze", "compare", "--as-of", "2020", "--as-of", "2025", "--ties", "--format", "csv")
    assert ties.exit_code == 0 and ties.stdout.startswith("change,from,from_name,type")
    top = run("analyze", "compare", "--phase", "I", "--phase", "II", "--ties", "--top", "3", "--format", "csv")
    assert top.exit_code == 0 and len(list(csv.DictReader(io.StringIO(top.stdout)))) == 3
    assert "ties appeared" in top.stderr  # the counts stay those of every tie
    wrong = run("analyze", "compare", "--phase", "I")
    assert wrong.exit_code == 2 and "Give two phases" in wrong.stderr
    lower = run("analyze", "compare", "--phase", "i", "--phase", "ii", "--format", "json")  # any case, as in viz
    assert lower.exit_code == 0 and json.loads(lower.stdout) == json.loads(result.stdout)
    assert run("analyze", "centrality", "--phase", "ii").exit_code == 0


@pytest.mark.parametrize("name", ["report.md", "report.html"])
def test_report(run, tmp_path, name):
    out = tmp_path / name
    result = run("analyze", "report", "--region", "Région Hauts de France", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"Wrote {out}: 5 findings")
    assert "Key findings" in out.read_text(encoding="utf-8") and "region Hauts-de-France" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("command", "header"),
    [
        (["centrality"], "rank,id,name,kind,regions,degree,ties,betweenness,pagerank"),
        (["brokers"], ("rank,id,name,kind,regions,betweenness,constraint,effective_size,brokerage,coordinator,itinerant,"
                       "representative,gatekeeper,liaison")),
        (["cofunding"], "funder_a,name_a,funder_b,name_b,shared,recipients,euros,euros_a,euros_b"),
        (["comembership"], "member_a,name_a,member_b,name_b,shared,partners"),
        (["overlap"], ("programme_a,programme_b,a_communes,b_communes,shared_communes,jaccard_communes,lift_communes,"
                       "a_epci,b_epci,shared_epci,jaccard_epci,lift_epci")),
        (["compare", "--phase", "I", "--phase", "II"], ("id,name,kind,change,degree_before,degree_after,betweenness_before,"
                                                        "betweenness_after,betweenness_change,degree_change")),
        (["compare", "--phase", "I", "--phase", "II", "--ties"], "change,from,from_name,type,to,to_name"),
    ],
)  # fmt: skip
def test_an_analysis_with_no_row_still_writes_its_csv_header(run, command, header):
    result = run("analyze", *command, "--region", "975", "--format", "csv")  # Saint-Pierre-et-Miquelon: no actor there
    assert result.exit_code == 0, result.output
    assert result.stdout == header + "\n"
