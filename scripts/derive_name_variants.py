"""Derive the annotated list of name variants that `bench/names.py` scores the name matcher on.

Each variant is made by a rule from official names (the COG copy shipped in
``loaders/builtin/reference``, ANCT's phase II list of territories read from ``--data``, the
built-in facts) and carries the
id or ids it means; the actors are sampled with a fixed seed, never picked one by one. Names that
are not in the graph (places abroad, programmes and companies the graph does not hold) are drawn
the same way; any that a graph actor bears once normalised is left out. Writes
``tests/fixtures/names/variants.csv`` (``variant, ids, context, rule``; ``ids`` empty for a name
not in the graph, ``|``-separated when namesakes share the name).

    python scripts/derive_name_variants.py --db ./tdi-graph-full --data ../shared/data/raw   # a graph loaded by `tdi demo --full`
"""

from __future__ import annotations

import argparse
import csv
import gzip
import os
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.backend import open_graph
from graph.names import analyse, fold_name
from loaders.cog_compact import builtin_reference_dir

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "tests" / "fixtures" / "names" / "variants.csv"
ANCT_LIST = "ti_phase2_groupements_anct_20240704.csv"  # ANCT's own spellings of the EPCI names
LONG_FORMS = {"CC": "Communauté de communes", "CA": "Communauté d'agglomération", "CU": "Communauté urbaine"}
ACRONYMS = {  # the usual short forms of the built-in operators and State bodies
    "BPI": "operator:bpifrance", "Bpi France": "operator:bpifrance", "BdT": "operator:banque-des-territoires",
    "AdCF": "organisation:intercommunalites-de-france", "CESE": "statebody:cese", "l'Etat": "statebody:etat",
    "Business France": "operator:business-france", "Team France Export": "operator:team-france-export",
}  # fmt: skip
ABROAD = [  # places outside France
    "Liège", "Namur", "Charleroi", "Genève", "Lausanne", "Tournai", "Bruxelles", "Anvers", "Gand", "Bruges", "Ostende",
    "Louvain-la-Neuve", "Neuchâtel", "Fribourg", "Montreux", "Québec", "Montréal", "Dakar", "Tunis", "Alger", "Rabat",
    "Casablanca", "Turin", "Milan", "Gênes", "Barcelone", "Saragosse", "Bilbao", "Porto", "Lisbonne", "Cologne",
    "Aix-la-Chapelle", "Trèves", "Sarrebruck", "Bâle", "Zurich", "Berne", "Lugano", "Innsbruck", "Munich", "Stuttgart",
    "Karlsruhe", "Mannheim", "Francfort", "Amsterdam", "Rotterdam", "La Haye", "Utrecht", "Copenhague", "Stockholm",
    "Oslo", "Helsinki", "Varsovie", "Cracovie", "Prague", "Vienne-en-Autriche", "Budapest", "Bucarest", "Sofia",
    "Athènes", "Thessalonique", "Naples", "Palerme", "Florence", "Venise", "Vérone", "Séville", "Grenade",
    "Valence-d'Espagne", "Madrid",
]  # fmt: skip
ELSEWHERE = [  # programmes of the ANCT and companies the seed documents name, which the graph does not hold
    "Action cœur de ville", "Petites villes de demain", "Villages d'avenir", "France services", "Entrées de ville",
    "Fabriques de territoire", "Manufactures de proximité", "Cités éducatives", "Avenir montagnes",
    "Nacon", "Verescence", "Bridgestone", "Stellantis", "Aletheia Press", "Chambre d'agriculture du Gers",
    "Agence de développement économique de la Nièvre", "Société du Grand Paris", "Pôle emploi Occitanie",
]  # fmt: skip


def _rows(path: Path) -> list[dict[str, str]]:
    with (gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open(encoding="utf-8")) as file:
        return list(csv.DictReader(file))


def _sample(rng: random.Random, items: list, size: int) -> list:
    return rng.sample(items, min(size, len(items)))


def _positives(rng: random.Random, by_name: dict[str, list[str]], data: Path) -> list[tuple[str, str, str, str]]:
    ref = builtin_reference_dir()
    epci = [r for r in _rows(ref / "groupements.csv.gz")]
    communes = _rows(ref / "communes.csv.gz")
    out: list[tuple[str, str, str, str]] = []
    cog_names = {r["siren"]: r["name"] for r in epci}
    anct = _rows(data / ANCT_LIST)
    spelled = [r for r in anct if r["siren_groupement"] in cog_names and fold_name(r["lib_groupement"]) != fold_name(cog_names[r["siren_groupement"]])]
    out += [(r["lib_groupement"], f"epci:{r['siren_groupement']}", "", "anct-spelling") for r in _sample(rng, spelled, 80)]
    formed = [r for r in epci if r["name"].split(" ", 1)[0] in LONG_FORMS]
    for r in _sample(rng, formed, 70):
        form, rest = r["name"].split(" ", 1)
        out.append((f"{LONG_FORMS[form]} {rest}", f"epci:{r['siren']}", "", "epci-long-form"))
    for r in _sample(rng, formed, 70):
        short = re.sub(r"^(?:du |de la |de l'|des |de |d')", "", r["name"].split(" ", 1)[1])
        if set(by_name.get(analyse(short).canon, [f"epci:{r['siren']}"])) == {f"epci:{r['siren']}"}:
            out.append((short, f"epci:{r['siren']}", "", "epci-short-form"))
    regions = [r for r in _rows(ref / "regions.csv.gz") if r["zone"] in ("metro", "drom")]
    out += [(f"Région {r['name']}", f"region:{r['code']}", "", "region-prefix") for r in regions]
    for r in _sample(rng, _rows(ref / "departments.csv.gz"), 50):
        out.append((f"Département de {r['name']}", f"department:{r['code']}", "", "department-prefix"))
    saints = [r for r in communes if re.search(r"\bSainte?-", r["name"])]
    for r in _sample(rng, saints, 50):
        short = re.sub(r"\bSainte-", "Ste-", re.sub(r"\bSaint-", "St-", r["name"]))
        out.append((short, f"commune:{r['code']}", r["department"], "commune-saint"))
    quoted = [r for r in communes if "'" in r["name"]]
    out += [(r["name"].replace("'", "’"), f"commune:{r['code']}", r["department"], "commune-apostrophe") for r in _sample(rng, quoted, 40)]
    upper = _sample(rng, communes, 50)
    out += [(fold_name(r["name"]).upper(), f"commune:{r['code']}", r["department"], "commune-upper-case") for r in upper]
    dashed = [r for r in communes if "-" in r["name"]]
    out += [(r["name"].replace("-", " "), f"commune:{r['code']}", r["department"], "commune-spaces") for r in _sample(rng, dashed, 40)]
    return out


def _territories(rng: random.Random, graph_rows: list[dict]) -> list[tuple[str, str, str, str]]:
    namesakes: dict[str, list[str]] = defaultdict(list)  # territories of both phases bear the same names
    names: dict[str, str] = {}
    for row in graph_rows:
        if row["kind"] == "Territory":
            namesakes[analyse(row["name"]).canon].append(f"territory:{row['key']}")
            names.setdefault(analyse(row["name"]).canon, row["name"])
    out = []
    for canon in _sample(rng, sorted(namesakes), 50):
        name = names[canon]
        variant = name.replace(" - ", " – ") if " - " in name else name.replace(" – ", "-")
        out.append((f"Territoire d'industrie {variant}", "|".join(sorted(namesakes[canon])), "", "territory-prefix"))
    return out


def _facts(rng: random.Random, graph_rows: list[dict]) -> list[tuple[str, str, str, str]]:
    kinds = {"Operator", "StateBody", "Organisation", "Programme", "Person"}
    written = [(text, f"{r['kind'].lower()}:{r['key']}") for r in graph_rows if r["kind"] in kinds for text in [r["name"], *(r["aliases"] or [])]]
    out = [(text.replace("'", "’").lower() if "'" in text else text.upper(), node, "", "facts-spelling") for text, node in _sample(rng, written, 40)]
    return out + [(text, node, "", "acronym") for text, node in ACRONYMS.items()]


def _negatives(by_name: dict[str, list[str]]) -> list[tuple[str, str, str, str]]:
    names = [*ABROAD, *ELSEWHERE]
    return [(name, "", "", "not-in-graph") for name in names if analyse(name).canon not in by_name and analyse(name).core not in by_name]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="an embedded graph loaded with `tdi demo --full`")
    parser.add_argument("--data", default=os.environ.get("TDI_DATA"), help=f"the folder holding ANCT's {ANCT_LIST} (default: $TDI_DATA)")
    args = parser.parse_args()
    if not args.data or not (Path(args.data) / ANCT_LIST).is_file():
        parser.error(f"--data (or TDI_DATA) must name the folder holding {ANCT_LIST}, as for tdi demo --full.")
    with open_graph(args.db, read_only=True) as graph:
        rows = graph.run("MATCH (n) WHERE n.search_text IS NOT NULL RETURN head(labels(n)) AS kind, n.key AS key, n.name AS name, n.aliases AS aliases")
    by_name: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        for text in [row["name"], *(row["aliases"] or [])]:
            form = analyse(text or "")
            by_name[form.canon].append(f"{row['kind'].lower()}:{row['key']}")
            by_name[form.core].append(f"{row['kind'].lower()}:{row['key']}")
    rng = random.Random(12)
    variants = _positives(rng, by_name, Path(args.data)) + _territories(rng, rows) + _facts(rng, rows) + _negatives(by_name)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(["variant", "ids", "context", "rule"])
        writer.writerows(variants)
    counts = defaultdict(int)
    for *_, rule in variants:
        counts[rule] += 1
    print(f"{OUT.relative_to(REPO)}: {len(variants)} variants: " + ", ".join(f"{rule} {n}" for rule, n in counts.items()))


if __name__ == "__main__":
    main()
