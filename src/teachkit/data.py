"""Datasets of the course, described in data/datapackage.json (a Frictionless Data Package).

`load("name")` returns a DataFrame typed by the package's schema, with its source line in
``df.attrs["source"]`` for chart captions. There is one loader; notebooks never build paths.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from .course import course_root

_DTYPES = {"integer": "Int64", "number": "float64", "string": "string", "boolean": "boolean", "year": "Int64"}


def package_path() -> Path:
    return course_root() / "data" / "datapackage.json"


@lru_cache(maxsize=4)
def _package(path: str, mtime: int) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def package() -> dict[str, Any]:
    """The data package descriptor (re-read when the file changes)."""
    path = package_path()
    return _package(str(path), path.stat().st_mtime_ns)


def names() -> list[str]:
    """The names of all datasets, in the package's order."""
    return [r["name"] for r in package()["resources"]]


def resource(name: str) -> dict[str, Any]:
    """The descriptor of one dataset; a clear error names the datasets there are."""
    for entry in package()["resources"]:
        if entry["name"] == name:
            return entry
    raise KeyError(f"No dataset {name!r} in data/datapackage.json. Known datasets: {', '.join(names())}.")


SOURCE_WORDS = {
    "en": {"source": "Source", "licence": "Licence", "synthetic": "Synthetic data, not real observations."},
    "de": {"source": "Quelle", "licence": "Lizenz", "synthetic": "Synthetische Daten, keine echten Beobachtungen."},
}
"""The fixed words of a caption; the titles of the sources stay as they are cited."""


def source_line(name: str, ids: list[str] | None = None) -> str:
    """One line for a caption: where the figures come from and under which licence.

    With `ids`, only those sources are named (e.g. the ids of the rows a chart shows).
    """
    from .messages import in_language

    words = in_language(SOURCE_WORDS)
    entry = resource(name)
    if entry.get("synthetic"):
        origin = "; ".join(s["title"] for s in entry.get("sources", []))
        return f"{words['synthetic']} {origin}".strip()
    sources = entry.get("sources", [])
    if ids is not None:
        unknown = sorted(set(ids) - {s.get("id") for s in sources})
        if unknown:
            raise KeyError(f"Dataset {name!r} has no source ids {unknown}; it has {[s.get('id') for s in sources]}.")
        sources = [s for s in sources if s.get("id") in set(ids)]
    titles = [s.get("title", "") for s in sources]
    if all("license" in s for s in sources):  # per-source licences name exactly those used
        licences = ", ".join(dict.fromkeys(s["license"] for s in sources))
    else:
        licences = ", ".join(dict.fromkeys(lic.get("name", "") for lic in entry.get("licenses", [])))
    text = f"{words['source']}: " + "; ".join(dict.fromkeys(t for t in titles if t))
    return text + (f". {words['licence']}: {licences}." if licences else ".")


def load(name: str) -> pd.DataFrame:
    """Load a dataset with the column types its schema declares and its source in ``attrs``."""
    entry = resource(name)
    path = package_path().parent / entry["path"]
    fields = entry["schema"]["fields"]
    dtypes = {f["name"]: _DTYPES[f["type"]] for f in fields if f["type"] in _DTYPES}
    dates = [f["name"] for f in fields if f["type"] in ("date", "datetime")]
    frame = pd.read_csv(path, dtype=dtypes, parse_dates=dates, keep_default_na=False, na_values=[""], encoding="utf-8")
    expected = [f["name"] for f in fields]
    if list(frame.columns) != expected:
        raise ValueError(
            f"data/{entry['path']} has columns {list(frame.columns)}, but its schema in "
            f"data/datapackage.json lists {expected}. Update one to match the other."
        )
    frame.attrs.update(
        {
            "name": name,
            "title": entry.get("title", name),
            "source": source_line(name),
            "synthetic": bool(entry.get("synthetic", False)),
        }
    )
    return frame


def readme_text() -> str:
    """data/README.md, written from the package so the two can never disagree."""
    pkg = package()
    lines = [
        f"# {pkg.get('title', 'Data')}",
        "",
        pkg.get("description", ""),
        "",
        "This file is generated from `datapackage.json` by `python -m teachkit data-readme`; "
        "edit the package, not this file.",
        "",
        "| table | real or synthetic | used in | rows |",
        "|---|---|---|---|",
    ]
    folder = package_path().parent
    for entry in pkg["resources"]:
        with open(folder / entry["path"], encoding="utf-8") as handle:
            rows = sum(1 for _ in handle) - 1
        kind = "**synthetic**" if entry.get("synthetic") else "real"
        used = ", ".join(entry.get("used_in", []))
        lines.append(f"| [`{entry['path']}`](#{entry['name'].replace('_', '-')}) | {kind} | {used} | {rows} |")
    for entry in pkg["resources"]:
        lines += [
            "",
            f"## {entry['name']}",
            "",
            f"**{entry.get('title', '')}**",
            "",
            entry.get("description", ""),
            "",
            "| column | type | meaning |",
            "|---|---|---|",
        ]
        for field in entry["schema"]["fields"]:
            unit = f" ({field['unit']})" if field.get("unit") else ""
            lines.append(f"| `{field['name']}` | {field['type']} | {field.get('description', '')}{unit} |")
        lines += ["", "Sources:", ""]
        for source in entry.get("sources", []):
            ident = f"{source['id']}: " if source.get("id") else ""
            link = f" <{source['path']}>" if source.get("path") else ""
            licence = f" Licence: {source['license']}." if source.get("license") else ""
            lines.append(f"- {ident}{source.get('title', '')}.{link}{licence}")
        licences = "; ".join(lic.get("title", lic.get("name", "")) for lic in entry.get("licenses", []))
        lines += ["", f"Licences: {licences}."]
    return "\n".join(lines).rstrip() + "\n"
