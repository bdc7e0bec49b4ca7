"""The embedded engine's values as plain Python, and the Arrow columns its bulk path takes.

Results leave the backend as dicts of plain values (`plain`: nodes and relationships become dicts
of their properties); a large result comes through Arrow, converted column by column
(`arrow_rows`), a smaller one of plain values straight from the engine (`engine_rows`); new items
go in as Arrow columns of the schema's types (`arrow_type`).

Example
-------
>>> plain({"_LABEL": "Region", "_ID": {"offset": 0}, "key": "32", "name": "Hauts-de-France"})
{'_kind': 'Region', '_id': 'region:32', 'key': '32', 'name': 'Hauts-de-France'}
"""

from __future__ import annotations

from typing import Any

__all__ = ["ARROW_SAFE", "arrow_rows", "arrow_type", "engine_rows", "plain"]

# Result column types whose Arrow values are the same plain Python values as row by row.
ARROW_SAFE = frozenset({"STRING", "INT64", "INT32", "DOUBLE", "BOOL", "STRING[]", "INT64[]", "DOUBLE[]"})


def arrow_rows(table: Any) -> list[dict[str, Any]]:
    """An Arrow table's rows as dicts, converted column by column (several times faster than ``to_pylist``)."""
    names = table.column_names
    return [dict(zip(names, values)) for values in zip(*(table.column(n).to_pylist() for n in names))]


def engine_rows(result: Any) -> list[list[Any]]:
    """A result's rows as the engine gives them, with no Python wrapper and no `plain` around each
    row: 3 times faster than ``get_all``. Columns of plain values (`ARROW_SAFE`) are ready as they
    are; nodes and relationships still need `plain` (`graph.engine_results` applies it to those only)."""
    rows = result._query_result  # the engine's own result
    return [rows.getNext() for _ in range(result.get_num_tuples())]


def arrow_type(kind: str) -> Any:
    """The Arrow type of a schema property type (``string``, ``int``, ``float``, ``list``)."""
    import pyarrow as pa

    return {"string": pa.string(), "int": pa.int64(), "float": pa.float64(), "list": pa.list_(pa.string())}[kind]


_SCALARS = frozenset({str, int, float, bool, type(None)})


def plain(value: Any) -> Any:
    """Engine values as plain Python: nodes and relationships become dicts of their properties."""
    if type(value) in _SCALARS:
        return value
    if isinstance(value, dict):
        if "_LABEL" in value or "_NODES" in value:
            return _entity(value)
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def _entity(value: dict[str, Any]) -> dict[str, Any]:
    if "_NODES" in value:
        return {"nodes": [_entity(n) for n in value["_NODES"]], "relationships": [_entity(r) for r in value["_RELS"]]}
    props = {k: plain(v) for k, v in value.items() if not k.startswith("_") and v is not None}
    if "_SRC" in value:
        return {"_type": value["_LABEL"], **props}
    return {"_kind": value["_LABEL"], "_id": f"{value['_LABEL'].lower()}:{props.get('key')}", **props}
