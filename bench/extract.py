"""Quality and speed of ``tdi extract`` on an annotated set: precision and recall, by kind and by type.

The set is the texts of ``bench/extract_corpus/`` (written for the bench, in the style of regional
press, annotated in ``annotations.yaml``; the ``held_out…`` texts were annotated
before the extractor first read them and are reported apart) and the five seed documents of
``../shared/seeds/`` (skipped when absent), annotated by the built-in dataset. Extraction runs without a graph, so
nothing is found by matching names the annotations themselves put in a graph.

An extracted actor is right when an annotated actor of the same kind has its name (or one of the
article's spellings of it), ignoring case and accents; projects, agreements and events may also
contain each other's names ("projet de chaudière biomasse" / "chaudière biomasse"). A relationship
is right when its type and both ends are right.

Usage::

    python bench/extract.py              # every text, the figures
    python bench/extract.py --details    # and, per text, what was missed and what was extra
    python bench/extract.py --only texts seeds   # some of the sets
    python bench/extract.py --db GRAPH   # and the time of one article matched with a graph
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from graph.keys import fold

CORPUS = REPO / "bench" / "extract_corpus"
SEEDS = REPO.parent / "shared" / "seeds"
LOOSE = {"project", "agreement", "event"}
TARGETED = {"HOLDS_ROLE", "SIGNED", "FUNDS", "PILOTS", "CARRIES", "SUPPORTS", "PARTNER_OF", "TOOK_PART", "COVERS", "LABELLED", "LOCATED_IN"}


def norm(name: str) -> str:
    """A name as compared: folded, straight apostrophes, single spaces."""
    return " ".join(fold(name).replace("’", "'").replace("œ", "oe").split())


def corpus_gold(section: str = "texts") -> list[dict]:
    """The written texts of one section of the annotations (``texts``, ``held_out``, ``held_out_2`` … ``held_out_5``)."""
    import yaml

    notes = yaml.safe_load((CORPUS / "annotations.yaml").read_text(encoding="utf-8"))
    gold = []
    for name, entry in (notes.get(section) or {}).items():
        actors = [(kind, [n.strip() for n in names.split("|")]) for kind, names in entry["actors"]]
        gold.append({"name": name, "path": CORPUS / name, "date": entry["date"], "actors": actors,
                     "relationships": [tuple(r) for r in entry["relationships"]]})  # fmt: skip
    return gold


def seed_gold() -> list[dict]:
    """The seed documents annotated by the built-in dataset (plus the companies it leaves out), without the
    relationships whose end the document never names (the dataset reads them from other documents)."""
    import yaml

    from loaders.facts import builtin_facts_path

    if not SEEDS.is_dir():
        return []
    facts = yaml.safe_load(builtin_facts_path().read_text(encoding="utf-8"))
    extra = yaml.safe_load((CORPUS / "annotations.yaml").read_text(encoding="utf-8"))["seeds"]
    names = {a["id"]: [a["name"], *(a.get("aliases") or [])] for a in facts["actors"]}
    gold = []
    for source in facts["sources"]:

        def cites(item: dict, source: dict = source) -> bool:
            return any(e["source"] == source["id"] for e in item.get("evidence", []))

        actors = [(a["id"].split(":")[0], names[a["id"]]) for a in facts["actors"] if cites(a) and not a["id"].startswith("figure:")]
        links = [(r["type"], names[r["from"]][0], names[r["to"]][0]) for r in facts["relationships"]
                 if cites(r) and not (r["from"].startswith("figure:") or r["to"].startswith("figure:"))]  # fmt: skip
        for kind, more in (extra.get(source["document"]) or {}).get("actors", []):
            actors.append((kind, [more]))
        links += [tuple(r) for r in (extra.get(source["document"]) or {}).get("relationships", [])]
        named = {norm(n) for _, spellings in actors for n in spellings}
        links = [r for r in links if norm(r[1]) in named and norm(r[2]) in named]  # an end the document never names cannot be read from it
        date = source["date"] if len(source["date"]) == 10 else None
        gold.append({"name": source["document"], "path": SEEDS / source["document"], "date": date, "actors": actors, "relationships": links})
    return gold


def schema_problems(texts: list[dict]) -> list[str]:
    """Annotated relationships the schema does not allow between the annotated kinds of their ends."""
    from graph.schema import schema

    problems = []
    for gold in texts:
        kinds = {norm(n): kind for kind, names in gold["actors"] for n in names}
        for rel_type, a, b in gold["relationships"]:
            ends = kinds.get(norm(a)), kinds.get(norm(b))
            if None in ends or not schema().rel(rel_type).allows(schema().kind(ends[0]).label, schema().kind(ends[1]).label):
                problems.append(f"{gold['name']}: {rel_type} {a} ({ends[0]}) -> {b} ({ends[1]})")
    return problems


def same(kind: str, gold_names: list[str], names: list[str]) -> bool:
    """Whether an extracted actor with ``names`` is the annotated one."""
    wanted, found = {norm(n) for n in gold_names}, {norm(n) for n in names}
    if wanted & found:
        return True
    return kind in LOOSE and any(w in f or f in w for w in wanted for f in found)


def score(extraction, gold: dict) -> tuple[Counter, set, set]:
    """Counts per kind (tp, fp, fn) and the relationships found and missed."""
    from loaders.extract.article import kind_of

    counts: Counter = Counter()
    mapping = {}
    for actor in extraction.actors:
        kind = kind_of(actor)
        names = [actor.name, *actor.surface_forms]
        hit = next((g for g in gold["actors"] if g[0] == kind and same(kind, g[1], names)), None)
        counts[(kind, "tp" if hit else "fp")] += 1
        if hit:
            mapping[id(actor)] = norm(hit[1][0])
    found_gold = set(mapping.values())
    for kind, names in gold["actors"]:
        if norm(names[0]) not in found_gold:
            counts[(kind, "fn")] += 1
    aliases = {norm(n): norm(names[0]) for _, names in gold["actors"] for n in names}
    wanted = {(t, aliases.get(norm(a), norm(a)), aliases.get(norm(b), norm(b))) for t, a, b in gold["relationships"]}
    got = {(r.type, mapping.get(id(r.source), "?" + r.source.name), mapping.get(id(r.target), "?" + r.target.name)) for r in extraction.relations}
    counts["missed"] = sorted(names[0] for kind, names in gold["actors"] if norm(names[0]) not in found_gold)  # type: ignore[assignment]
    counts["extra"] = sorted(f"{kind_of(a)}:{a.name}" for a in extraction.actors if id(a) not in mapping)  # type: ignore[assignment]
    return counts, got, wanted


def raw_territories() -> list[tuple[str, str, str]]:
    """The territories of both phases' lists in ../shared/data/raw, as (key, name, phase); none when absent."""
    import csv

    raw = REPO.parent / "shared" / "data" / "raw"
    found = []
    for phase, name in (("I", "ti_phase1_groupements_anct_datagouv.csv"), ("II", "ti_phase2_groupements_anct_20240704.csv")):
        if (raw / name).exists():
            with (raw / name).open(encoding="utf-8") as stream:
                found += list({(f"{phase}-{r['id_ti']}", r["lib_ti"], phase) for r in csv.DictReader(stream)})
    return found


def ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--details", action="store_true", help="print what was missed and what was extra, per text")
    parser.add_argument("--db", help="also time extraction matched with this graph (opened read-only)")
    parser.add_argument("--only", nargs="+", choices=["texts", "held_out", "held_out_2", "held_out_3", "held_out_4", "held_out_5", "seeds"], help="measure these sets only")
    options = parser.parse_args()
    from loaders.extract.article import Extractor
    from loaders.extract.text import read_article

    began = time.perf_counter()
    extractor = Extractor()
    # No graph here: the territories come from ANCT's lists beside the repository, as a graph would hold them.
    extractor.places = extractor.places.with_territories(raw_territories())
    print(f"model and administrative map loaded in {time.perf_counter() - began:.1f} s ({time.process_time():.1f} s CPU)")
    everything: Counter = Counter()
    groups = (("texts", "texts written for the bench", corpus_gold()),
              ("held_out", "held-out texts, first round (annotated before the extractor read them; their errors were then studied)", corpus_gold("held_out")),
              ("held_out_2", "held-out texts, second round (annotated before the extractor read them; their errors were seen)", corpus_gold("held_out_2")),
              ("held_out_3", "held-out texts, third round (annotated before the extractor read them; never used to change it)", corpus_gold("held_out_3")),
              ("held_out_4", "held-out texts, fourth round (annotated before the list rules were written; their errors were then studied)", corpus_gold("held_out_4")),
              ("held_out_5", "held-out texts, fifth round (annotated before the fourth round's errors were studied; never used to change the rules)", corpus_gold("held_out_5")),
              ("seeds", "seed documents", seed_gold()))  # fmt: skip
    for section, label, texts in groups:
        if options.only and section not in options.only:
            continue
        for problem in schema_problems(texts):
            print("annotation the schema does not allow:", problem)
        totals: Counter = Counter()
        for gold in texts:
            extraction = extractor.extract(read_article(gold["path"], date=gold["date"]))
            counts, got, wanted = score(extraction, gold)
            missed, extra = counts.pop("missed"), counts.pop("extra")
            totals.update(counts)
            targeted = {r for r in wanted if r[0] in TARGETED}
            totals.update(rel_tp=len(got & wanted), rel_fp=len(got - wanted), rel_fn=len(wanted - got), rel_fn_targeted=len(targeted - got))
            for rel_type, *_ in got & wanted:
                totals[("rel", rel_type, "tp")] += 1
            for rel_type, *_ in got - wanted:
                totals[("rel", rel_type, "fp")] += 1
            for rel_type, *_ in wanted - got:
                totals[("rel", rel_type, "fn")] += 1
            if options.details:
                print(f"\n== {gold['name']}: {len(extraction.actors)} actors, {len(extraction.relations)} relationships")
                print("  actors missed:", missed)
                print("  actors extra: ", extra)
                print("  relationships missed:", sorted(wanted - got))
                print("  relationships extra: ", sorted(got - wanted))
        if texts:
            print(f"\n# {label} ({len(texts)})")
            print_table(totals)
        everything.update(totals)
    print("\n# all")
    print_table(everything)
    print_speed(extractor)
    if options.db:
        from graph.backend import open_graph

        with open_graph(options.db, read_only=True) as graph:
            print_speed(extractor, graph, f"matched with the graph at {options.db}")


def print_table(totals: Counter) -> None:
    actor_counts = Counter({k: v for k, v in totals.items() if isinstance(k, tuple) and len(k) == 2})
    kinds = sorted({k[0] for k in actor_counts})
    print(f"{'actors by kind':<16}{'found':>7}{'right':>7}{'annotated':>11}{'precision':>11}{'recall':>8}")
    for kind in kinds:
        tp, fp, fn = totals[(kind, "tp")], totals[(kind, "fp")], totals[(kind, "fn")]
        print(f"{kind:<16}{tp + fp:>7}{tp:>7}{tp + fn:>11}{ratio(tp, tp + fp):>11.2f}{ratio(tp, tp + fn):>8.2f}")
    tp = sum(v for k, v in actor_counts.items() if k[1] == "tp")
    fp = sum(v for k, v in actor_counts.items() if k[1] == "fp")
    fn = sum(v for k, v in actor_counts.items() if k[1] == "fn")
    print(f"{'all actors':<16}{tp + fp:>7}{tp:>7}{tp + fn:>11}{ratio(tp, tp + fp):>11.2f}{ratio(tp, tp + fn):>8.2f}")
    print(f"{'relationships':<16}{'found':>7}{'right':>7}{'annotated':>11}{'precision':>11}{'recall':>8}{'F1':>6}")
    for rel_type in sorted({k[1] for k in totals if isinstance(k, tuple) and len(k) == 3}):
        tp, fp, fn = (totals[("rel", rel_type, x)] for x in ("tp", "fp", "fn"))
        p, r = ratio(tp, tp + fp), ratio(tp, tp + fn)
        print(f"{rel_type:<16}{tp + fp:>7}{tp:>7}{tp + fn:>11}{p:>11.2f}{r:>8.2f}{ratio(2 * p * r, p + r):>6.2f}")
    rel_tp, rel_fp = totals["rel_tp"], totals["rel_fp"]
    for what, rel_fn in (("all annotated types", totals["rel_fn"]), ("the types extracted", totals["rel_fn_targeted"])):
        p, r = ratio(rel_tp, rel_tp + rel_fp), ratio(rel_tp, rel_tp + rel_fn)
        print(f"relationships, {what}: {rel_tp + rel_fp} found, {rel_tp} right, {rel_tp + rel_fn} annotated: "
              f"P {p:.2f}  R {r:.2f}  F1 {ratio(2 * p * r, p + r):.2f}")  # fmt: skip


def print_speed(extractor, graph=None, label: str = "model loaded") -> None:
    from loaders.extract.text import Article

    if graph is not None:
        began, cpu = time.perf_counter(), time.process_time()
        extractor.names(graph)
        print(f"the graph's name index read in {time.perf_counter() - began:.2f} s ({time.process_time() - cpu:.2f} s CPU), once per command")

    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("0*.txt")) if "foreign" not in p.name]
    text = "\n\n".join(texts * 4)[:5000]
    times, cpu_times = [], []
    for _ in range(3):
        cpu = time.process_time()
        times.append(extractor.extract(Article("bench", text, date="2024-06-01"), graph).seconds)
        cpu_times.append(time.process_time() - cpu)
    print(f"a {len(text):,}-character article: {statistics.median(times):.2f} s, {statistics.median(cpu_times):.2f} s CPU (median of 3, {label})")


if __name__ == "__main__":
    main()
