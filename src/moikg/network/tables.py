"""An analysis as text: CSV and JSON documents, and the rows of the CLI's table."""

from __future__ import annotations

import csv
import io
import json
import math
from typing import Final

from moikg.errors import InputError
from moikg.network.analysis import METRICS, Analysis, NodeMetrics, number

__all__ = ["FORMATS", "format_analysis", "table_rows"]

FORMATS: Final = ("csv", "json")
"""Text formats of :func:`format_analysis`."""

_COLUMNS: Final = ("iri", "label", "kind", *METRICS)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:.4g}"
    return str(value)


def _rows(analysis: Analysis, sort_by: str) -> list[NodeMetrics]:
    if sort_by not in METRICS:
        raise InputError(
            f"sort_by={sort_by!r}: not a metric; use one of {', '.join(METRICS)}",
            parameter="sort_by",
        )
    return sorted(
        analysis.nodes,
        key=lambda r: (-(number(getattr(r, sort_by)) or -math.inf), r.label),
    )


def format_analysis(analysis: Analysis, *, fmt: str = "csv", sort_by: str = "betweenness") -> str:
    """Render an analysis as ``csv`` or ``json`` text.

    CSV has one row per node (columns ``iri``, ``label``, ``kind`` and the metrics); JSON
    holds the graph-level figures, the methods and the rows (NaN as null).

    Raises:
        InputError: Unknown format or sort metric (naming ``fmt`` or ``sort_by``).
    """
    if fmt not in FORMATS:
        raise InputError(f"fmt={fmt!r}: use one of {', '.join(FORMATS)}", parameter="fmt")
    rows = _rows(analysis, sort_by)
    columns = [c for c in _COLUMNS if c in ("iri", "label", "kind") or c in analysis.metrics]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_csv(getattr(row, c)) for c in columns])
        return buffer.getvalue()
    if fmt == "json":
        document = {
            "projection": analysis.projection,
            "as_of": analysis.as_of or None,
            "computed_at": analysis.computed_at.isoformat(),
            "seed": analysis.seed,
            "modularity": _json(analysis.modularity),
            "component_sizes": list(analysis.component_sizes),
            "methods": {m: analysis.methods[m] for m in analysis.metrics},
            "nodes": [{c: _json(getattr(row, c)) for c in columns} for row in rows],
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    raise InputError(f"fmt={fmt!r}: use one of {', '.join(FORMATS)}", parameter="fmt")


def _csv(value: object) -> str:
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else repr(value) if isinstance(value, float) else str(value)


def _json(value: object) -> object:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def table_rows(
    analysis: Analysis, *, sort_by: str = "betweenness", limit: int | None = None
) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the human-readable table (rounded values), for the CLI."""
    rows = _rows(analysis, sort_by)[:limit]
    columns = ["label", "kind", *analysis.metrics]
    body = [[_cell(getattr(row, c)) for c in columns] for row in rows]
    return columns, body
