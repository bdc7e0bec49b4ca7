"""Time ``tdi load table`` on a large SIRENE-like CSV: wall time, CPU time and peak memory of the real command.

Generates, in a temporary directory, a CSV shaped like INSEE's StockEtablissement (its 53
columns plus the legal unit's name; UTF-8, ``,``; rows sorted by SIRET; one to four
establishments per company, about 30 % of them closed; sites in the communes of the shipped
administrative map, a few abroad) of the size asked (200 MB by default). Then runs, each as its
own ``tdi`` process: ``load reference`` (the communes the rows point to), ``load table FILE
--mapping sirene``, the reload that changes nothing (recorded: not redone), one actor added
(another write), the reload after it (read, checked and compared in full), and a dry run. For each
prints wall time, CPU time (user + system) and peak resident memory of that process, taken
from ``os.wait4``.

    python bench/load_table_large.py [--mb 200] [--keep DIR]
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run from a clone whether or not the package is installed
from process_time import tdi_command, time_process

from graph.keys import luhn_check_digit

COLUMNS = [
    "siren", "nic", "siret", "statutDiffusionEtablissement", "dateCreationEtablissement", "trancheEffectifsEtablissement",
    "anneeEffectifsEtablissement", "activitePrincipaleRegistreMetiersEtablissement", "dateDernierTraitementEtablissement",
    "etablissementSiege", "nombrePeriodesEtablissement", "complementAdresseEtablissement", "numeroVoieEtablissement",
    "indiceRepetitionEtablissement", "dernierNumeroVoieEtablissement", "indiceRepetitionDernierNumeroVoieEtablissement",
    "typeVoieEtablissement", "libelleVoieEtablissement", "codePostalEtablissement", "libelleCommuneEtablissement",
    "libelleCommuneEtrangerEtablissement", "distributionSpecialeEtablissement", "codeCommuneEtablissement",
    "codeCedexEtablissement", "libelleCedexEtablissement", "codePaysEtrangerEtablissement", "libellePaysEtrangerEtablissement",
    "identifiantAdresseEtablissement", "coordonneeLambertAbscisseEtablissement", "coordonneeLambertOrdonneeEtablissement",
    "complementAdresse2Etablissement", "numeroVoie2Etablissement", "indiceRepetition2Etablissement", "typeVoie2Etablissement",
    "libelleVoie2Etablissement", "codePostal2Etablissement", "libelleCommune2Etablissement",
    "libelleCommuneEtranger2Etablissement", "distributionSpeciale2Etablissement", "codeCommune2Etablissement",
    "codeCedex2Etablissement", "libelleCedex2Etablissement", "codePaysEtranger2Etablissement",
    "libellePaysEtranger2Etablissement", "dateDebut", "etatAdministratifEtablissement", "enseigne1Etablissement",
    "enseigne2Etablissement", "enseigne3Etablissement", "denominationUsuelleEtablissement",
    "activitePrincipaleEtablissement", "nomenclatureActivitePrincipaleEtablissement", "caractereEmployeurEtablissement",
    "denominationUniteLegale",
]  # fmt: skip
STREETS = ["RUE DE LA REPUBLIQUE", "AVENUE JEAN JAURES", "ZI DES PRES", "CHEMIN DU MOULIN", "PLACE DU GENERAL DE GAULLE"]
ACTIVITIES = ["25.62A", "10.71C", "47.11F", "62.01Z", "70.10Z", "46.90Z", "43.21A", "56.10A", "68.20B", "86.21Z"]


def siren(n: int) -> str:
    """A Luhn-valid SIREN made of ``n`` (8 digits) and its check digit."""
    return f"{n:08d}" + luhn_check_digit(f"{n:08d}")


def communes() -> list[tuple[str, str]]:
    """(INSEE code, name) of the current communes of the shipped map."""
    from loaders.reference import read_reference

    return [(c.code, c.name.upper()) for c in read_reference(None).communes]


def site(rng: random.Random, s: str, nic: int, place: tuple[str, str], name: str, head: bool) -> list[str]:
    """One establishment row, with the cells a real extract fills."""
    code, town = place
    row = dict.fromkeys(COLUMNS, "")
    abroad = rng.random() < 0.005
    row.update(
        siren=s, nic=f"{nic:05d}", siret=f"{s}{nic:05d}", statutDiffusionEtablissement="O",
        dateCreationEtablissement=f"{rng.randint(1960, 2024)}-{rng.randint(1, 12):02d}-01", trancheEffectifsEtablissement=rng.choice(["NN", "00", "01", "02", "11"]),
        anneeEffectifsEtablissement="2022", dateDernierTraitementEtablissement="2024-03-22T09:12:45", etablissementSiege=str(head).lower(),
        nombrePeriodesEtablissement=str(rng.randint(1, 5)), numeroVoieEtablissement=str(rng.randint(1, 200)),
        typeVoieEtablissement="RUE", libelleVoieEtablissement=rng.choice(STREETS), codePostalEtablissement=f"{code[:2]}{rng.randint(0, 999):03d}",
        libelleCommuneEtablissement="" if abroad else town, codeCommuneEtablissement="" if abroad else code,
        identifiantAdresseEtablissement=f"{code}_{rng.randint(1000, 9999)}_{rng.randint(1, 200):05d}",
        coordonneeLambertAbscisseEtablissement=f"{rng.uniform(1e5, 1.2e6):.1f}", coordonneeLambertOrdonneeEtablissement=f"{rng.uniform(6e6, 7.1e6):.1f}",
        dateDebut=f"{rng.randint(2000, 2024)}-01-01", etatAdministratifEtablissement="F" if rng.random() < 0.3 else "A",
        activitePrincipaleEtablissement=rng.choice(ACTIVITIES), nomenclatureActivitePrincipaleEtablissement="NAFRev2",
        caractereEmployeurEtablissement=rng.choice("ON"), denominationUniteLegale=name,
    )  # fmt: skip
    if abroad:
        row.update(codePaysEtrangerEtablissement="99109", libellePaysEtrangerEtablissement="ALLEMAGNE", libelleCommuneEtrangerEtablissement="BERLIN")
    if rng.random() < 0.2:
        row["enseigne1Etablissement"] = f"{name} {town}"
    return list(row.values())


def write_csv(path: Path, megabytes: int) -> tuple[int, int]:
    """Write about ``megabytes`` MB of establishments; return (rows, companies)."""
    rng, places, target = random.Random(17), communes(), megabytes * 1_000_000
    rows = companies = 0
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        while handle.tell() < target:
            companies += 1
            s, name, home = siren(30_000_000 + companies * 7), f"SOCIETE {companies} {rng.choice(STREETS)[-6:]}", rng.choice(places)
            for nic in range(1, rng.choice((1, 1, 1, 2, 2, 3, 4)) + 1):
                writer.writerow(site(rng, s, nic * 10 + 1, home if nic == 1 else rng.choice(places), name, nic == 1))
                rows += 1
    return rows, companies


def run(name: str, *args: str) -> None:
    """Run ``tdi ARGS`` in its own process and print its wall time, CPU time and peak memory."""
    t = time_process(tdi_command(*args), cwd=REPO)
    print(f"{name:28} wall {t.wall:6.1f} s  CPU {t.cpu:6.1f} s  peak {t.peak_mib:6,.0f} MiB  "
          f"exit {t.exit_code}  {t.messages[-1] if t.messages else ''}")  # fmt: skip
    for line in t.messages[:-1]:
        if "page memory" in line:  # the load did not fit and was written again with more memory
            print(f"{'':>28} {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=int, default=200, help="size of the CSV, in MB (default 200)")
    parser.add_argument("--keep", type=Path, help="write the CSV and graph here and keep them (a CSV already there is reused)")
    args = parser.parse_args()
    work = Path(args.keep or tempfile.mkdtemp(prefix="tdi-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        path, db = work / "StockEtablissement_bench.csv", str(work / "graph")
        start = time.perf_counter()
        if path.exists() and args.keep:
            print(f"{path.name}: {path.stat().st_size / 1e6:,.0f} MB, kept from an earlier run")
        else:
            rows, companies = write_csv(path, args.mb)
            print(f"{path.name}: {path.stat().st_size / 1e6:,.0f} MB, {rows:,} rows, {companies:,} companies "
                  f"(written in {time.perf_counter() - start:.0f} s)")  # fmt: skip
        shutil.rmtree(db, ignore_errors=True)
        Path(db).unlink(missing_ok=True)
        run("load reference", "--db", db, "load", "reference")
        run("load table", "--db", db, "load", "table", str(path), "--mapping", "sirene")
        run("load table again", "--db", db, "load", "table", str(path), "--mapping", "sirene")
        run("actor add (another write)", "--db", db, "actor", "add", "operator", "--key", "bench-operator", "--name", "Bench")
        run("load table after that write", "--db", db, "load", "table", str(path), "--mapping", "sirene")
        run("load table --dry-run", "--db", db, "load", "table", str(path), "--mapping", "sirene", "--dry-run")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
