"""Bipartite projections: funders tied by what they co-fund, EPCI and territories by the partners they share.

Example
-------
>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> for funder, amount in [("operator:a", 100.0), ("operator:b", 50.0)]:
...     _ = G.add_edges_from([(funder, "project:p", "FUNDS", {"amount_eur": amount}), (funder, "project:q", "FUNDS")])
>>> [(r["funder_a"], r["funder_b"], r["shared"], r["euros"]) for r in cofunding(G)["rows"]]
[('operator:a', 'operator:b', 2, 150.0)]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from itertools import combinations
from typing import Any

import networkx as nx

from graph.structure import programme_hubs
from queries.network import label, names_once

__all__ = ["cofunding", "comembership", "project"]


def project(members: Mapping[Any, Iterable[Any]], *, min_shared: int = 1) -> dict[tuple[Any, Any], set[Any]]:
    """The pairs of members that share at least ``min_shared`` items, with the items they share.

    ``members`` maps each member (a funder, an EPCI…) to its items (what it funds, its
    partners…). Pairs are ordered (``a < b`` as text).

    >>> project({"a": {1, 2}, "b": {2, 3}, "c": {4}})
    {('a', 'b'): {2}}
    """
    by_item: dict[Any, list[Any]] = defaultdict(list)
    for member, items in members.items():
        for item in set(items):
            by_item[item].append(member)
    shared: dict[tuple[Any, Any], set[Any]] = defaultdict(set)
    for item, holders in by_item.items():
        for a, b in combinations(sorted(holders, key=str), 2):
            shared[(a, b)].add(item)
    return {pair: items for pair, items in sorted(shared.items(), key=lambda p: str(p[0])) if len(items) >= min_shared}


def _amounts(G: nx.Graph, types: tuple[str, ...]) -> dict[Any, dict[Any, float]]:
    """Funder → recipient → euros (0 when no amount is stated), over ties of these types."""
    funded: dict[Any, dict[Any, float]] = defaultdict(dict)
    for u, v, key, data in G.edges(keys=True, data=True):
        if key in types and u != v:
            funded[u][v] = funded[u].get(v, 0.0) + float(data.get("amount_eur") or 0.0)
    return funded


def _sorted(rows: list[dict[str, Any]], *, weight: str, top: int | None) -> list[dict[str, Any]]:
    rows.sort(key=lambda r: (-r["shared"], -r.get(weight, 0), r["name_a"], r["name_b"]))
    return rows[:top] if top else rows


def cofunding(G: nx.MultiDiGraph, *, min_shared: int = 2, with_support: bool = False, top: int | None = None) -> dict[str, Any]:
    """Pairs of funders that fund the same projects, territories or other recipients.

    The programme that labels the territories (`graph.structure.programme_hubs`) is not counted
    as a recipient: funding it is what makes the programme, not a partnership.

    Parameters
    ----------
    G : nx.MultiDiGraph
        Edges keyed by relationship type; ``FUNDS`` edges may carry ``amount_eur``.
    min_shared : int
        Keep pairs sharing at least this many recipients.
    with_support : bool
        Count ``SUPPORTS`` (support without a stated amount) as funding too.
    top : int, optional
        Keep the first ``top`` pairs.

    Returns
    -------
    dict
        ``rows``: ``{funder_a, name_a, funder_b, name_b, shared, recipients, euros, euros_a,
        euros_b}``, most shared recipients first: ``euros_a`` and ``euros_b`` are what each gave
        to the shared recipients, ``euros`` their sum; ``notes``; ``min_shared``.
    """
    funded = _amounts(G, ("FUNDS", "SUPPORTS") if with_support else ("FUNDS",))
    hubs = programme_hubs(G)
    for recipients in funded.values():
        for hub in hubs:
            recipients.pop(hub, None)
    rows = []
    for (a, b), shared in project(funded, min_shared=min_shared).items():
        euros_a = sum(funded[a][r] for r in shared)
        euros_b = sum(funded[b][r] for r in shared)
        rows.append({
            "funder_a": a, "name_a": label(G, a), "funder_b": b, "name_b": label(G, b), "shared": len(shared),
            "recipients": sorted(names_once(G, shared)), "euros": euros_a + euros_b,
            "euros_a": euros_a, "euros_b": euros_b,
        })  # fmt: skip
    what = "FUNDS and SUPPORTS" if with_support else "FUNDS"
    besides = f" besides {', '.join(label(G, h) for h in hubs)}" if hubs else ""
    notes = [f"{len(funded)} funders ({what}); {len(rows)} pairs share at least {min_shared} recipient(s){besides}."]
    columns = ("funder_a", "name_a", "funder_b", "name_b", "shared", "recipients", "euros", "euros_a", "euros_b")
    return {"rows": _sorted(rows, weight="euros", top=top), "notes": notes, "min_shared": min_shared, "columns": {"rows": columns}}


def comembership(
    G: nx.MultiDiGraph,
    *,
    kinds: Iterable[str] = ("Epci", "Territory"),
    min_shared: int = 1,
    max_shared_by: int | None = 500,
    top: int | None = None,
) -> dict[str, Any]:
    """Pairs of EPCI or territories that share partners: the actors of other kinds tied to both.

    Parameters
    ----------
    G : nx.MultiDiGraph
        The actor network (`queries.network.analysis_graph`).
    kinds : iterable of str
        The labels of the members projected (default EPCI and territories); every neighbour of
        another kind, in either direction, is a partner.
    max_shared_by : int, optional
        Leave out partners tied to more members than this (a national programme tied to every
        territory says nothing about a pair, and would make pairs by the hundred thousand);
        ``None`` keeps them all. The notes name those left out.
    min_shared, top
        As in `cofunding`.

    Returns
    -------
    dict
        ``rows``: ``{member_a, name_a, member_b, name_b, shared, partners}``; ``notes``.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("operator:o", "territory:t1"), ("operator:o", "territory:t2")])
    >>> nx.set_node_attributes(G, {"operator:o": "Operator", "territory:t1": "Territory", "territory:t2": "Territory"}, "kind")
    >>> [(r["member_a"], r["member_b"], r["partners"]) for r in comembership(G)["rows"]]
    [('territory:t1', 'territory:t2', ['operator:o'])]
    """
    wanted = set(kinds)
    members = {n for n, kind in G.nodes(data="kind") if kind in wanted}
    partners = {n: {m for m in nx.all_neighbors(G, n) if G.nodes[m].get("kind") not in wanted} for n in members}
    reach: dict[Any, int] = defaultdict(int)
    for found in partners.values():
        for partner in found:
            reach[partner] += 1
    common = sorted((p for p, count in reach.items() if max_shared_by is not None and count > max_shared_by), key=str)
    if common:
        partners = {n: found.difference(common) for n, found in partners.items()}
    rows = [
        {"member_a": a, "name_a": label(G, a), "member_b": b, "name_b": label(G, b), "shared": len(shared),
         "partners": sorted(names_once(G, shared))}
        for (a, b), shared in project(partners, min_shared=min_shared).items()
    ]  # fmt: skip
    notes = [f"{len(members)} members ({', '.join(sorted(wanted))}); {len(rows)} pairs share at least {min_shared} partner(s)."]
    if common:
        names = ", ".join(label(G, p) for p in common[:5]) + (", …" if len(common) > 5 else "")
        notes.append(
            f"Left out {len(common)} partners tied to more than {max_shared_by} members ({names}); raise --max-shared-by to keep them."
        )
    columns = ("member_a", "name_a", "member_b", "name_b", "shared", "partners")
    return {"rows": _sorted(rows, weight="shared", top=top), "notes": notes, "columns": {"rows": columns}}
