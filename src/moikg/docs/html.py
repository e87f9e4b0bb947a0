"""The shared frame of the reference pages: one offline HTML file each, text escaped.

Every text taken from the ontology or the catalogue goes through :func:`html.escape`; the
pages load nothing (a Content-Security-Policy forbids it) and need no script.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Final

from moikg.rdf.namespaces import PREFIXES

__all__ = ["CSS", "anchor", "curie", "esc", "page", "table"]

_EXTRA_PREFIXES: Final = {
    "kind": "https://w3id.org/moikg/id/kind/",
    "role": "https://w3id.org/moikg/id/role/",
    "scheme": "https://w3id.org/moikg/id/scheme/",
    "goal": "https://w3id.org/moikg/id/goal/",
    "vann": "http://purl.org/vocab/vann/",
    "time": "http://www.w3.org/2006/time#",
}

CSS: Final = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222;
  max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ddd; }
h3 { margin: 1.6rem 0 0.3rem; }
code, pre { font: 13px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; }
pre { background: #f6f6f6; padding: 0.6rem 0.8rem; overflow-x: auto; border-radius: 4px; }
table { border-collapse: collapse; margin: 0.4rem 0 1rem; font-size: 14px; }
th, td { border: 1px solid #ddd; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
nav ul { columns: 3; } .muted { color: #666; } dt { font-weight: 600; margin-top: 0.4rem; }
dd { margin-left: 1.2rem; }
"""

_CSP: Final = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def esc(text: object) -> str:
    """Escape any text for HTML content or attributes."""
    return html.escape(str(text), quote=True)


def curie(iri: str) -> str:
    """Shorten an IRI to ``prefix:local`` with the project's prefixes (longest match)."""
    found = [
        (prefix, namespace)
        for prefix, namespace in (*PREFIXES.items(), *_EXTRA_PREFIXES.items())
        if iri.startswith(namespace) and len(iri) > len(namespace)
    ]
    if not found:
        return iri
    prefix, namespace = max(found, key=lambda item: len(item[1]))
    local = iri[len(namespace) :]
    return iri if any(c.isspace() for c in local) else f"{prefix}:{local}"


def anchor(iri: str) -> str:
    """A stable HTML id for a term."""
    return "t-" + "".join(c if c.isalnum() else "-" for c in curie(iri))


def table(headers: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    """An HTML table; cells are HTML already (escape text with :func:`esc`)."""
    names = list(headers)
    head = "".join(f"<th>{esc(h)}</th>" for h in names) if any(names) else ""
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    thead = f"<thead><tr>{head}</tr></thead>" if head else ""
    return f"<table>{thead}<tbody>{body}</tbody></table>"


def page(title: str, body: str, *, meta: Mapping[str, str] | None = None) -> str:
    """A whole HTML page around ``body``."""
    extra = "".join(f'<meta name="{esc(k)}" content="{esc(v)}">\n' for k, v in (meta or {}).items())
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(_CSP)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"{extra}<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"{body}\n</body>\n</html>\n"
    )
