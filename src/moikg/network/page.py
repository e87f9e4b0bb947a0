"""Render a projection as one self-contained, offline HTML page drawn by vis-network.

The page is ``templates/network.html`` with its style (``network.css``), its script
(``network.js``), vis-network's script (vendored from its npm package in
``vendor/vis-network/``, with its licences) and the graph as a JSON block, all inline:
no request leaves the page, and a Content-Security-Policy (CSP Level 3) forbids any. Scripts
are allowed by their SHA-256 hashes only, so markup smuggled into a label could not run even
if it reached the DOM; it does not, since the page script writes data with ``textContent``.

What the page shows (styles, layout, the data block) is :mod:`moikg.network.page_data`.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from string import Template
from typing import Final

import networkx as nx

from moikg import _paths
from moikg._atomic import write_text_atomic
from moikg._version import __version__
from moikg.errors import MoikgError
from moikg.network.facts import Source
from moikg.network.page_data import default_title, page_data
from moikg.network.projection import ProjectionName, ProjectionOptions, project

__all__ = ["VIS_VERSION", "RenderOptions", "render", "render_html"]

VIS_VERSION: Final = "9.1.2"
_VIS_DIR: Final = ("vendor", "vis-network")
"""vis-network's files, vendored from its npm package (see the README there)."""


@dataclass(frozen=True)
class RenderOptions:
    """What to draw and how.

    Attributes:
        projection: ``actor``, ``organisation`` or ``bipartite``.
        focus: Draw only the ego network of this actor (IRI, label or alias).
        radius: Steps from ``focus``.
        as_of: Draw what was valid on this day (``YYYY-MM-DD``).
        size_by: The metric that sizes nodes (one of :data:`moikg.network.analysis.METRICS`).
        title: Page title; a default names the projection, focus and date.
        seed: Seed of the layout.
    """

    projection: ProjectionName = "actor"
    focus: str | None = None
    radius: int = 1
    as_of: str | None = None
    size_by: str = "degree"
    title: str | None = None
    seed: int = 42


def _read(package: str, *parts: str) -> str:
    try:
        return resources.files(package).joinpath(*parts).read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError) as error:
        raise MoikgError(
            f"cannot read {package}/{'/'.join(parts)} ({error}); reinstall moikg"
        ) from None


def _json_block(value: object) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``<``, ``>`` or ``&`` left."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


def _script_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _check_inline(name: str, script: str) -> str:
    if re.search(r"</script", script, re.IGNORECASE):
        raise MoikgError(f"{name} contains '</script' and cannot be inlined")
    return script


def render_html(
    graph: nx.Graph, *, size_by: str = "degree", title: str | None = None, seed: int = 42
) -> str:
    """Write the page for a projection (module docstring).

    Args:
        graph: A projection from :mod:`moikg.network.projection`, or any graph whose nodes carry
            ``label`` and ``kind`` (and optionally ``aliases``, ``posts``, ``sources``,
            ``country``) and whose edges carry ``type`` (and optionally ``date``, ``sources``).
        size_by: The metric that sizes nodes.
        title: Page title; defaults to the projection's name, focus and date.
        seed: Seed of the layout.

    Returns:
        The HTML text.

    Raises:
        InputError: Unknown ``size_by`` metric.
        MoikgError: A file of the page is missing from the installed package.
    """
    page_title = title or default_title(graph)
    vis_js = _check_inline(
        "vis-network.min.js", _read("moikg.network", *_VIS_DIR, "vis-network.min.js")
    )
    page_js = _check_inline("network.js", _read("moikg.network", "templates", "network.js"))
    csp = "; ".join(
        (
            "default-src 'none'",
            f"script-src {_script_hash(vis_js)} {_script_hash(page_js)}",
            "style-src 'unsafe-inline'",
            "img-src data:",
            "font-src 'none'",
            "connect-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        )
    )
    data = page_data(graph, title=page_title, size_by=size_by, seed=seed)
    values = {
        "CSP": html.escape(csp),
        "VERSION": html.escape(__version__),
        "VIS_VERSION": VIS_VERSION,
        "TITLE": html.escape(page_title),
        "PAGE_CSS": _read("moikg.network", "templates", "network.css"),
        "DATA": _json_block(data),
        "VIS_JS": vis_js,
        "PAGE_JS": page_js,
    }
    template = Template(_read("moikg.network", "templates", "network.html"))
    return template.substitute(values)


def render(
    source: Source | None = None,
    *,
    out: Path | None = None,
    options: RenderOptions | None = None,
) -> Path:
    """Project, lay out and write the page, atomically.

    Args:
        source: A dataset, a SPARQL endpoint URL, or None for the project's ``graph/``.
        out: The file to write; defaults to ``build/network.html``.
        options: Projection, focus, date, sizing and title.

    Returns:
        The path written.

    Raises:
        InputError: Bad projection, date, focus actor or metric.
    """
    chosen = options or RenderOptions()
    graph = project(
        source,
        options=ProjectionOptions(
            projection=chosen.projection,
            as_of=chosen.as_of,
            focus=chosen.focus,
            radius=chosen.radius,
        ),
    )
    text = render_html(graph, size_by=chosen.size_by, title=chosen.title, seed=chosen.seed)
    target = Path(out) if out is not None else _paths.build_dir() / "network.html"
    return write_text_atomic(target, text)
