"""Table mappings: the shipped ones read, and a wrong one is reported line by line."""

from __future__ import annotations

import textwrap

import pytest

from cli import cli
from graph.errors import LoaderError
from loaders.mapping import find_mapping, read_mapping, shipped_mappings
from loaders.table_cells import Cell, CellError


@pytest.mark.parametrize("name", sorted(shipped_mappings()))
def test_shipped_mappings_read_and_are_described(name):
    mapping = read_mapping(name)
    assert mapping.description and mapping.source["licence"]
    assert find_mapping(name) == shipped_mappings()[name]


def _mapping(tmp_path, text):
    path = tmp_path / "m.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_every_mistake_is_reported_with_its_line(tmp_path):
    path = _mapping(tmp_path, """\
        source:
          name: Suivi
          editor: moi
        actors:
          firm:
            kind: entreprise
            key: siren
          programme:
            kind: programme
            key: {column: Dispositif, parser: slugify}
          place:
            kind: commune
            key: code
            existing: true
            properties:
              population: pop
          company:
            kind: company
            key: siren
            name: nom
            properties:
              turnover: ca
        relationships:
          - type: FUNDS
            from: programme
            to: firm
          - type: LOCATED_IN
            from: place
            to: company
          - type: PAYS
            from: company
            to: programme
        """)
    with pytest.raises(LoaderError) as error:
        read_mapping(path)
    assert str(error.value).splitlines() == [
        f"{path}: 9 problem(s), nothing was loaded:",
        f"{path}:3: editor: unknown field of the source; expected name, type, publisher, date, url, licence, vintage",
        f'{path}:6: actors.firm.kind: Unknown kind "entreprise". Known kinds: ' + str(error.value).split("Known kinds: ")[1].split("\n")[0],
        f"{path}:9: actors.programme.name: a programme needs a name (or existing: true if it is already in the graph)",
        f'{path}:10: actors.programme.key.parser: unknown parser "slugify"; known: text, int, float, amount, date, year, list, siren, commune, slug',
        f"{path}:12: actors.place: an existing actor is only found by its key: leave out its name and properties",
        f"{path}:22: actors.company.properties.turnover: Company has no such property; its properties: aliases, description, url, sector",
        f'{path}:26: to: no actor "firm" in this mapping; its actors: programme, place, company',
        f"{path}:27: type: LOCATED_IN cannot go from Commune to Company; it joins " + str(error.value).split("it joins ")[1].split("\n")[0],
        f'{path}:30: type: Unknown relationship type "PAYS". Known types: ' + str(error.value).split("Known types: ")[1].split("\n")[0],
    ]


COMPANY = "  company: {kind: company, key: SIRET, name: Nom}\n"


@pytest.mark.parametrize(
    ("text", "field", "reason"),
    [
        ("description: Suivi\nactors:  # <-\n  - kind: company\n", "actors", "expected a mapping of name: entry"),
        ("description: Suivi\nwhere:  # <-\n  - Statut\nactors:\n" + COMPANY, "where", "expected a mapping of column: values"),
        ("actors:\n" + COMPANY + "relationships:  # <-\n  type: CARRIES\n", "relationships", "expected a list of entries"),
        ("actors:\n" + COMPANY + "relationships:  # <-\n  - CARRIES\n", "relationships", "expected a list of entries"),
        ("actors:\n" + COMPANY + "source:  # <-\n  - name: Suivi\n", "source", "expected a mapping with name, type"),
        ("description: Suivi\nactors:\n" + COMPANY + "  project: SIRET  # <-\n", "actors.project", "expected a mapping with kind, key"),
        (
            "actors:\n  company:\n    kind: company\n    key: SIRET\n    name: Nom\n    properties:  # <-\n      - sector\n",
            "actors.company.properties", "expected a mapping of property: column",
        ),
    ],
)  # fmt: skip
def test_a_section_of_the_wrong_shape_is_named_at_its_line(tmp_path, text, field, reason):
    path = _mapping(tmp_path, text)
    [line] = [number for number, row in enumerate(text.splitlines(), 1) if "# <-" in row]
    with pytest.raises(LoaderError) as error:
        read_mapping(path)
    [problem] = str(error.value).splitlines()[1:]
    assert problem.startswith(f"{path}:{line}: {field}: {reason}"), problem


def test_not_a_mapping(tmp_path):
    with pytest.raises(LoaderError, match=r"m.yaml:3: not valid YAML"):
        read_mapping(_mapping(tmp_path, "actors:\n  - [\n"))
    with pytest.raises(LoaderError, match=r'No mapping "nope": give a YAML file, or one of laureates, sirene'):
        read_mapping("nope")


def test_cells_read_columns_templates_and_constants():
    row = {"Nom": "", "Enseigne": "Boulangerie", "Année": 2024, "Dispositif": "Fonds vert", "Montant": "5 M€"}
    assert Cell(("Nom", "Enseigne")).read(row) == "Boulangerie"
    assert Cell(("Dispositif", "Année"), template="{Dispositif} {Année}", parser="slug").read(row) == "fonds-vert-2024"
    assert Cell(value="Fonds vert").read(row) == "Fonds vert"
    assert Cell(("Montant",), parser="amount").read(row) == 5_000_000
    with pytest.raises(CellError, match=r'column "Dispositif": "Fonds vert" is not an amount'):
        Cell(("Dispositif",), parser="amount").read(row)


def test_columns_match_whatever_their_case_accents_and_spaces(tmp_path):
    mapping = read_mapping("laureates").bind(["BENEFICIAIRE", "Siret", "Montant ", "dispositif", "Code  commune", "date"], "t.csv")
    assert mapping.actors["company"].label.columns == ("BENEFICIAIRE",)
    assert mapping.actors["commune"].key.columns == ("Code  commune",)


def test_the_readme_example_mapping_is_valid(tmp_path):
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    example = readme.split("## Loading your own tables", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    mapping = read_mapping(_mapping(tmp_path, example))
    assert set(mapping.actors) == {"company", "project", "programme", "commune"}
    assert [r.type for r in mapping.relationships] == ["CARRIES", "FUNDS", "LOCATED_IN"]
    assert mapping.where == {"Statut": frozenset({"Attribué", "Versé"})}


WHERE_MAPPING = "where:\n  Statut: {}\nactors:\n  company:\n    kind: company\n    key: SIRET\n    name: Nom\n"


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("{a: 1}", "is a mapping"),
        ("", "is empty"),
        ("[]", "is empty"),
        ("[Attribué, {a: 1}]", "holds a mapping"),
        ("[Attribué, null]", "holds an empty item"),
        ("yes", 'is true as YAML reads it: write the text in quotes ("yes", "true")'),
    ],
)  # fmt: skip
def test_a_where_value_no_cell_can_hold_is_refused_at_its_line(runner, tmp_path, value, problem):
    table = tmp_path / "t.csv"
    table.write_text("SIRET,Nom,Statut\n55203253400646,Danone,Attribué\n", encoding="utf-8")
    path = _mapping(tmp_path, WHERE_MAPPING.format(value))
    result = runner.invoke(cli, ["--db", str(tmp_path / "graph"), "load", "table", str(table), "--mapping", str(path)])
    assert result.exit_code == 1
    expected = f"{path}:2: where.Statut: {problem}; expected the text a cell must hold, or a list of them (Statut: [Attribué, Versé])"
    assert result.stderr == f"Error: {path}: 1 problem(s), nothing was loaded:\n{expected}\n"
    assert not (tmp_path / "graph").exists()


def test_a_bad_field_is_named_at_its_own_line(tmp_path):
    path = _mapping(tmp_path, """\
        actors:
          firm:
            key: siren
            name: nom
            kind: entreprise
          company:
            name: nom
            kind: company
            key:
              parser: siren
          project:
            key: code
            name:
              column: nom
              parser: slugify
              combine: average
            kind: project
        relationships:
          - from: project
            to: project
            type: PAYS
          - from: project
            to: project
            type: LOCATED_IN
        """)
    with pytest.raises(LoaderError) as error:
        read_mapping(path)
    problems = [line.split(": ", 2)[:2] for line in str(error.value).splitlines()[1:]]
    assert problems == [
        [f"{path}:5", "actors.firm.kind"],
        [f"{path}:9", "actors.company.key"],
        [f"{path}:15", "actors.project.name.parser"],
        [f"{path}:16", "actors.project.name.combine"],
        [f"{path}:21", "type"],
        [f"{path}:24", "type"],
    ]
