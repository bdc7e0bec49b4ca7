"""How the network changed between two snapshots: phase I and phase II, or two dates.

Example
-------
>>> import networkx as nx
>>> before = nx.MultiDiGraph([("a", "b", "FUNDS")])
>>> after = nx.MultiDiGraph([("a", "b", "FUNDS"), ("b", "c", "SIGNED")])
>>> [(r["id"], r["change"]) for r in compare_graphs(before, after)["actors"]]
[('c', 'entered'), ('b', 'stayed'), ('a', 'stayed')]
>>> [(r["from"], r["type"], r["to"], r["change"]) for r in compare_graphs(before, after)["ties"]]
[('b', 'SIGNED', 'c', 'appeared')]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import networkx as nx

from queries.centrality import betweenness, betweenness_note, sample_size
from queries.network import DEFAULT_KINDS, analysis_graph, collapse, label

__all__ = ["compare_graphs", "compare_snapshots"]


def _status(node: Any, before: nx.Graph, after: nx.Graph) -> str:
    if node not in before:
        return "entered"
    return "left" if node not in after else "stayed"


def _actor_rows(before: nx.Graph, after: nx.Graph, *, k: int | None, seed: int) -> list[dict[str, Any]]:
    S1, S2 = collapse(before), collapse(after)
    b1, b2 = betweenness(S1, k=k, seed=seed), betweenness(S2, k=k, seed=seed)
    rows = []
    for node in set(S1) | set(S2):
        G = S2 if node in S2 else S1
        rows.append({
            "id": node, "name": label(G, node), "kind": G.nodes[node].get("kind"), "change": _status(node, S1, S2),
            "degree_before": S1.degree(node) if node in S1 else 0, "degree_after": S2.degree(node) if node in S2 else 0,
            "betweenness_before": round(b1.get(node, 0.0), 4), "betweenness_after": round(b2.get(node, 0.0), 4),
        })  # fmt: skip
        rows[-1]["betweenness_change"] = round(rows[-1]["betweenness_after"] - rows[-1]["betweenness_before"], 4)
        rows[-1]["degree_change"] = rows[-1]["degree_after"] - rows[-1]["degree_before"]
    order = {"entered": 0, "left": 1, "stayed": 2}
    rows.sort(key=lambda r: (order[r["change"]], -abs(r["betweenness_change"]), -abs(r["degree_change"]), r["name"], str(r["id"])))
    return rows


def _ties(G: nx.Graph) -> set[tuple[Any, Any, str]]:
    if G.is_multigraph():
        return {(u, v, str(key)) for u, v, key in G.edges(keys=True)}
    return {(u, v, "") for u, v in G.edges()}


def _tie_rows(before: nx.Graph, after: nx.Graph) -> list[dict[str, Any]]:
    old, new = _ties(before), _ties(after)
    rows = []
    for change, ties, G in (("appeared", new - old, after), ("disappeared", old - new, before)):
        for u, v, kind in ties:
            rows.append({"change": change, "from": u, "from_name": label(G, u), "type": kind, "to": v, "to_name": label(G, v)})
    rows.sort(key=lambda r: (r["change"], r["type"], r["from_name"], r["to_name"], str(r["from"]), str(r["to"])))
    return rows


def compare_graphs(
    before: nx.Graph,
    after: nx.Graph,
    *,
    top: int | None = None,
    k: int | None = None,
    seed: int = 7,
    log: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Actors that entered, left, gained or lost centrality, and ties that appeared or disappeared.

    Parameters
    ----------
    before, after : nx.Graph
        The two snapshots (multigraphs keyed by relationship type compare ties by type).
    top : int, optional
        Keep the first ``top`` actor rows (entered, then left, then the largest changes) and the
        first ``top`` tie rows (appeared, then disappeared); the notes count them all.
    k, seed : int, optional
        Betweenness sample size and seed (see `queries.centrality.betweenness`).
    log : callable, optional
        Called with a message before a long computation starts.

    Returns
    -------
    dict
        ``actors``: ``{id, name, kind, change, degree_before, degree_after, betweenness_before,
        betweenness_after, betweenness_change, degree_change}``, ``change`` being ``entered``,
        ``left`` or ``stayed``; ``ties``: ``{change, from, from_name, type, to, to_name}``;
        ``notes``: one sentence of counts.
    """
    sampled = [betweenness_note(S, k=k, seed=seed) for S in (collapse(before), collapse(after)) if sample_size(S, k=k)]
    for note in sampled if log else []:
        log(note)
    actors = _actor_rows(before, after, k=k, seed=seed)
    ties = _tie_rows(before, after)
    counts = {c: sum(r["change"] == c for r in actors) for c in ("entered", "left", "stayed")}
    appeared = sum(r["change"] == "appeared" for r in ties)
    notes = [
        (
            f"{counts['entered']} actors entered, {counts['left']} left, {counts['stayed']} stayed; "
            f"{appeared} ties appeared, {len(ties) - appeared} disappeared."
        ),
        *sampled,
    ]
    columns = {"actors": ("id", "name", "kind", "change", "degree_before", "degree_after", "betweenness_before", "betweenness_after",
                          "betweenness_change", "degree_change"), "ties": ("change", "from", "from_name", "type", "to", "to_name")}  # fmt: skip
    return {"actors": actors[:top] if top else actors, "ties": ties[:top] if top else ties, "notes": notes, "columns": columns}


def compare_snapshots(
    G: nx.MultiDiGraph,
    *,
    phases: Sequence[str] = (),
    dates: Sequence[str] = (),
    kinds: Sequence[str] = DEFAULT_KINDS,
    region: str | None = None,
    top: int | None = None,
    k: int | None = None,
    seed: int = 7,
    log: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Compare the actor network of two phases (``("I", "II")``) or as of two dates.

    Parameters
    ----------
    G : nx.MultiDiGraph
        The graph exported by ``to_networkx()``.
    phases, dates : sequence of str
        Exactly two phases, or exactly two ISO dates (the other empty).
    kinds, region
        As in `queries.network.analysis_graph`.
    top, k, seed, log
        As in `compare_graphs`.

    Raises
    ------
    ValueError
        Not exactly two phases or two dates.
    """
    if (len(phases), len(dates)) not in ((2, 0), (0, 2)):
        raise ValueError("compare needs two phases or two dates")
    cuts = [{"phase": p} for p in phases] or [{"as_of": d} for d in dates]
    before, after = (analysis_graph(G, kinds=kinds, region=region, **cut) for cut in cuts)
    result = compare_graphs(before, after, top=top, k=k, seed=seed, log=log)
    what = f"phase {phases[0]} → phase {phases[1]}" if phases else f"{dates[0]} → {dates[1]}"
    result["notes"].insert(0, f"Compared {what}: {before.number_of_nodes()} then {after.number_of_nodes()} actors.")
    return result
