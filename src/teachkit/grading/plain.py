"""Answers as plain data: what leaves a student's kernel, and how the checker rebuilds it.

`export()` runs inside the sandboxed kernel, after the student's cells: it turns the values a
task's checks read into JSON (numbers, text, lists, dicts, timestamps; a DataFrame or Series as
column lists with their dtypes) and writes one file per task. Nothing executable crosses: no
pickle, no object, no function. `rebuild()` runs in the grader's clean check process and makes
ordinary Python and pandas values from that JSON, refusing anything it does not know.

Whatever the student's code does to the kernel, it can only change which plain values come out,
which it could do anyway by writing other answers.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ANSWERS_ENV = "TEACHKIT_ANSWERS"
MAX_DEPTH = 20
MAX_ITEMS = 200_000  # values in one task's answers, all containers together

# dtypes a rebuilt column may take back; anything else stays `object`
_DTYPES = {
    "int64",
    "int32",
    "int16",
    "int8",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "float64",
    "float32",
    "bool",
    "object",
    "string",
    "category",
    "Int64",
    "Int32",
    "Float64",
    "boolean",
    "datetime64[ns]",
    "datetime64[us]",
    "datetime64[ms]",
    "datetime64[s]",
    "timedelta64[ns]",
}


class PlainError(ValueError):
    """Exported answers that are not plain data as this module writes it."""


# ------------------------------------------------------------------ inside the kernel


def encode(value: Any, depth: int = 0) -> Any:
    """A JSON-able description of `value`; unknown objects keep only their type name."""
    import numpy as np
    import pandas as pd

    if depth > MAX_DEPTH:
        return {"t": "other", "type": "nested too deeply"}
    if value is Ellipsis:
        return {"t": "..."}
    if value is None:
        return {"t": "none"}
    if isinstance(value, (bool, np.bool_)):
        return {"t": "bool", "v": bool(value)}
    if isinstance(value, (int, np.integer)):
        number = int(value)
        return {"t": "int", "v": number} if abs(number) < 10**300 else {"t": "float", "v": "inf"}
    if isinstance(value, (float, np.floating)):
        number = float(value)
        return {"t": "float", "v": number if math.isfinite(number) else repr(number)}
    if isinstance(value, str):
        return {"t": "str", "v": str(value)}
    if value is pd.NaT:
        return {"t": "nat"}
    if isinstance(value, pd.Timestamp):
        return {"t": "ts", "v": value.isoformat()}
    if isinstance(value, pd.Timedelta):
        return {"t": "td", "v": int(value.value)}
    if isinstance(value, dt.datetime):
        return {"t": "datetime", "v": value.isoformat()}
    if isinstance(value, dt.date):
        return {"t": "date", "v": value.isoformat()}
    if isinstance(value, (np.datetime64, np.timedelta64)):
        return encode(pd.Timestamp(value) if isinstance(value, np.datetime64) else pd.Timedelta(value), depth)
    if isinstance(value, pd.DataFrame):
        return {
            "t": "frame",
            "columns": _encode_index(value.columns, depth),
            "index": _encode_index(value.index, depth),
            "data": [
                {"dtype": str(value.dtypes.iloc[i]), "v": [encode(x, depth + 1) for x in value.iloc[:, i].tolist()]}
                for i in range(value.shape[1])
            ],
        }
    if isinstance(value, pd.Series):
        return {
            "t": "series",
            "name": encode(value.name, depth + 1),
            "dtype": str(value.dtype),
            "index": _encode_index(value.index, depth),
            "v": [encode(x, depth + 1) for x in value.tolist()],
        }
    if isinstance(value, pd.Index):
        return {"t": "index", **_encode_index(value, depth)}
    if isinstance(value, np.ndarray) and value.ndim == 1:
        return {"t": "array", "dtype": str(value.dtype), "v": [encode(x, depth + 1) for x in value.tolist()]}
    if isinstance(value, (list, tuple)):
        return {"t": type(value).__name__ if type(value) in (list, tuple) else "list", "v": _items(value, depth)}
    if isinstance(value, (set, frozenset)):
        return {"t": "set", "v": _items(value, depth)}
    if isinstance(value, Mapping):
        return {"t": "dict", "v": [[encode(k, depth + 1), encode(v, depth + 1)] for k, v in value.items()]}
    kind = type(value)
    return {"t": "other", "type": f"{getattr(kind, '__module__', '?')}.{getattr(kind, '__qualname__', '?')}"[:120]}


def _items(values: Any, depth: int) -> list[Any]:
    return [encode(x, depth + 1) for x in values]


def _encode_index(index: Any, depth: int) -> dict[str, Any]:
    import pandas as pd

    if isinstance(index, pd.MultiIndex):
        levels = [[encode(x, depth + 1) for x in index.get_level_values(i).tolist()] for i in range(index.nlevels)]
        dtypes = [str(index.get_level_values(i).dtype) for i in range(index.nlevels)]
    else:
        levels, dtypes = [[encode(x, depth + 1) for x in index.tolist()]], [str(index.dtype)]
    return {"names": [encode(n, depth + 1) for n in index.names], "dtypes": dtypes, "levels": levels}


def export(task: str, names: list[str], namespace: Mapping[str, Any], folder: str | None = None) -> None:
    """Write `<folder>/<task>.json` with the named values; a name not defined is marked missing."""
    target = Path(folder or os.environ.get(ANSWERS_ENV) or ".teachkit-answers")
    target.mkdir(parents=True, exist_ok=True)
    values = {}
    for name in names:
        values[name] = encode(namespace[name]) if name in namespace else {"t": "missing"}
    text = json.dumps({"task": task, "values": values}, ensure_ascii=True, allow_nan=False)
    tmp = target / f".{task}.tmp"
    tmp.write_text(text, encoding="ascii")
    os.replace(tmp, target / f"{task}.json")


# ------------------------------------------------------------------ in the clean check process


class Unexported:
    """Stands for an answer that was not plain data (a function, a custom object)."""

    def __init__(self, type_name: str):
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"<{self.type_name} (not plain data)>"

    def __eq__(self, other: object) -> bool:
        return False

    __hash__ = object.__hash__


class _Budget:
    def __init__(self) -> None:
        self.left = MAX_ITEMS

    def take(self, count: int = 1) -> None:
        self.left -= count
        if self.left < 0:
            raise PlainError(f"more than {MAX_ITEMS} values")


def rebuild(data: Any, budget: _Budget | None = None, depth: int = 0) -> Any:
    """The Python value `data` (from `encode`) describes; PlainError for anything else."""
    import numpy as np
    import pandas as pd

    budget = budget or _Budget()
    budget.take()
    if depth > MAX_DEPTH + 2 or not isinstance(data, dict) or not isinstance(data.get("t"), str):
        raise PlainError("not an encoded value")
    kind, v = data["t"], data.get("v")
    if kind == "...":
        return Ellipsis
    if kind == "none":
        return None
    if kind == "bool" and isinstance(v, bool):
        return v
    if kind == "int" and isinstance(v, int) and not isinstance(v, bool):
        return v
    if kind == "float":
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return float(v)
        if v in ("nan", "inf", "-inf"):
            return float(v)
    if kind == "str" and isinstance(v, str):
        return v
    if kind == "nat":
        return pd.NaT
    if kind == "ts" and isinstance(v, str):
        return pd.Timestamp(v)
    if kind == "td" and isinstance(v, int):
        return pd.Timedelta(v)
    if kind == "datetime" and isinstance(v, str):
        return dt.datetime.fromisoformat(v)
    if kind == "date" and isinstance(v, str):
        return dt.date.fromisoformat(v)
    if kind in ("list", "tuple", "set") and isinstance(v, list):
        items = [rebuild(x, budget, depth + 1) for x in v]
        if kind == "tuple":
            return tuple(items)
        if kind == "set":
            try:
                return set(items)
            except TypeError as problem:
                raise PlainError("a set of unhashable values") from problem
        return items
    if kind == "dict" and isinstance(v, list):
        out = {}
        for pair in v:
            if not (isinstance(pair, list) and len(pair) == 2):
                raise PlainError("a dict entry is not a pair")
            key = rebuild(pair[0], budget, depth + 1)
            try:
                out[key] = rebuild(pair[1], budget, depth + 1)
            except TypeError as problem:
                raise PlainError("an unhashable dict key") from problem
        return out
    if kind == "array" and isinstance(v, list):
        return np.array(_column([rebuild(x, budget, depth + 1) for x in v], data.get("dtype")))
    if kind == "index":
        return _rebuild_index(data, budget, depth)
    if kind == "series" and isinstance(v, list):
        index = _rebuild_index(data.get("index"), budget, depth)
        values = _column([rebuild(x, budget, depth + 1) for x in v], data.get("dtype"))
        if len(values) != len(index):
            raise PlainError("a Series whose index and values differ in length")
        name = rebuild(data.get("name"), budget, depth + 1)
        return pd.Series(values, index=index, name=_hashable(name))
    if kind == "frame":
        index = _rebuild_index(data.get("index"), budget, depth)
        columns = _rebuild_index(data.get("columns"), budget, depth)
        body = data.get("data")
        if not isinstance(body, list) or len(body) != len(columns):
            raise PlainError("a DataFrame whose columns and data differ")
        series = []
        for item in body:
            if not isinstance(item, dict) or not isinstance(item.get("v"), list):
                raise PlainError("a DataFrame column is not a list")
            values = _column([rebuild(x, budget, depth + 1) for x in item["v"]], item.get("dtype"))
            if len(values) != len(index):
                raise PlainError("a DataFrame column of the wrong length")
            series.append(pd.Series(values, index=index))
        frame = pd.concat(series, axis=1) if series else pd.DataFrame(index=index)
        frame.columns = columns
        return frame
    if kind == "other":
        return Unexported(str(data.get("type", "object"))[:120])
    raise PlainError(f"unknown or malformed value of kind {kind[:20]!r}")


def _hashable(value: Any) -> Any:
    try:
        hash(value)
    except TypeError as problem:
        raise PlainError("an unhashable label") from problem
    return value


def _column(values: list[Any], dtype: Any) -> Any:
    """`values` as a pandas array of `dtype` when that dtype is known and fits, else as they are."""
    import pandas as pd

    if isinstance(dtype, str) and dtype in _DTYPES and dtype != "object":
        try:
            return pd.array(values, dtype=dtype)
        except (TypeError, ValueError, OverflowError):
            pass
    return pd.array(values, dtype="object") if values else pd.array([], dtype="object")


def _rebuild_index(data: Any, budget: _Budget, depth: int) -> Any:
    import pandas as pd

    if not isinstance(data, dict):
        raise PlainError("an index is missing")
    names, dtypes, levels = data.get("names"), data.get("dtypes"), data.get("levels")
    if not (isinstance(names, list) and isinstance(levels, list) and isinstance(dtypes, list)):
        raise PlainError("a malformed index")
    if not levels or len(names) != len(levels) or len(dtypes) != len(levels):
        raise PlainError("an index whose names and levels differ")
    names = [_hashable(rebuild(n, budget, depth + 1)) for n in names]
    arrays = []
    for level, dtype in zip(levels, dtypes, strict=True):
        if not isinstance(level, list):
            raise PlainError("an index level is not a list")
        arrays.append(_column([_hashable(rebuild(x, budget, depth + 1)) for x in level], dtype))
    if len({len(a) for a in arrays}) != 1:
        raise PlainError("index levels of different lengths")
    if len(arrays) == 1:
        return pd.Index(arrays[0], name=names[0])
    return pd.MultiIndex.from_arrays(arrays, names=names)
