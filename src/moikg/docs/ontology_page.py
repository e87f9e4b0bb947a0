"""The ontology reference page: every term with its definition and standard super-terms.

Every class and property of ``ontology/moi.ttl`` with its definition and its nearest
standard super-terms, every concept scheme (kinds, roles, goals) with its concepts, and the
standard terms the ontology declares.

Written by this module rather than pyLODE: pyLODE 3.4.1 fails at import, and 3.2.3 merges
every ``owl:Ontology`` and ``skos:ConceptScheme`` of a file into one header (the page is
titled after a scheme) and documents no individuals, so the kinds, roles and goals, which
are individuals, would be missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Final

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from moikg import _paths
from moikg.docs.html import anchor, curie, esc, page, table
from moikg.rdf.namespaces import MOI

__all__ = ["ontology_html"]

_VANN_PREFIX: Final = URIRef("http://purl.org/vocab/vann/preferredNamespacePrefix")
_KIND_CONCEPT: Final = MOI.kindConcept
_PROPERTY_TYPES: Final = (
    (OWL.ObjectProperty, "object property"),
    (OWL.DatatypeProperty, "datatype property"),
    (OWL.AnnotationProperty, "annotation property"),
)


def _text(graph: Graph, node: Node, *predicates: URIRef) -> str | None:
    """The first value of the first predicate that has one, English preferred."""
    for predicate in predicates:
        values = sorted(
            graph.objects(node, predicate),
            key=lambda v: (getattr(v, "language", None) not in (None, "en"), str(v)),
        )
        if values:
            return str(values[0])
    return None


def _english_first(value: Node) -> tuple[bool, str]:
    return getattr(value, "language", None) not in (None, "en"), str(value)


def _objects(graph: Graph, node: Node, predicate: URIRef) -> list[Node]:
    return sorted(graph.objects(node, predicate), key=str)


def _label(graph: Graph, node: Node) -> str:
    return _text(graph, node, RDFS.label, SKOS.prefLabel) or curie(str(node))


def _definition(graph: Graph, node: Node) -> str:
    return _text(graph, node, SKOS.definition, RDFS.comment, DCTERMS.description) or ""


def _own(node: Node) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(str(MOI))


def _link(graph: Graph, node: Node, documented: set[Node]) -> str:
    text = f"<code>{esc(curie(str(node)))}</code>"
    if node in documented:
        return f'<a href="#{anchor(str(node))}">{text}</a>'
    label = _text(graph, node, RDFS.label, SKOS.prefLabel)
    return f'<a href="{esc(node)}">{text}</a>' + (f" ({esc(label)})" if label else "")


def _standard_supers(graph: Graph, node: Node, relation: URIRef) -> list[Node]:
    """The nearest super-terms outside the project namespace, following project ones."""
    found: list[Node] = []
    seen: set[Node] = set()
    todo = list(graph.objects(node, relation))
    while todo:
        current = todo.pop(0)
        if current in seen or not isinstance(current, URIRef):
            continue
        seen.add(current)
        if _own(current):
            todo.extend(graph.objects(current, relation))
        else:
            found.append(current)
    return sorted(found, key=str)


def _links(graph: Graph, nodes: Iterable[Node], documented: set[Node]) -> str:
    return ", ".join(_link(graph, n, documented) for n in nodes) or '<span class="muted">—</span>'


def _classes(graph: Graph, documented: set[Node]) -> str:
    classes = sorted(
        (c for c in graph.subjects(RDF.type, OWL.Class) if _own(c)),
        key=lambda c: _label(graph, c).lower(),
    )
    parts = ['<h2 id="classes">Classes</h2>']
    for cls in classes:
        parents = sorted(graph.objects(cls, RDFS.subClassOf), key=str)
        rows = [
            ("Subclass of", _links(graph, parents, documented)),
            (
                "Standard super-terms",
                _links(graph, _standard_supers(graph, cls, RDFS.subClassOf), documented),
            ),
        ]
        kinds = list(graph.objects(cls, _KIND_CONCEPT))
        if kinds:
            rows.append(("Kind concept", _links(graph, kinds, documented)))
        parts.append(_term(graph, cls, "class", rows))
    return "\n".join(parts)


def _properties(graph: Graph, documented: set[Node]) -> str:
    parts = ['<h2 id="properties">Properties</h2>']
    found = sorted(
        {
            (p, name)
            for kind, name in _PROPERTY_TYPES
            for p in graph.subjects(RDF.type, kind)
            if _own(p)
        },
        key=lambda item: _label(graph, item[0]).lower(),
    )
    for prop, kind in found:
        rows = [
            (
                "Sub-property of",
                _links(graph, sorted(graph.objects(prop, RDFS.subPropertyOf), key=str), documented),
            ),
            (
                "Standard super-terms",
                _links(graph, _standard_supers(graph, prop, RDFS.subPropertyOf), documented),
            ),
            (
                "Domain",
                _links(graph, sorted(graph.objects(prop, RDFS.domain), key=str), documented),
            ),
            ("Range", _links(graph, sorted(graph.objects(prop, RDFS.range), key=str), documented)),
        ]
        parts.append(_term(graph, prop, kind, rows))
    return "\n".join(parts)


def _term(graph: Graph, node: Node, kind: str, rows: list[tuple[str, str]]) -> str:
    definition = _definition(graph, node)
    said = esc(definition) if definition else '<span class="muted">No definition.</span>'
    details = "".join(f"<dt>{esc(name)}</dt><dd>{value}</dd>" for name, value in rows)
    return (
        f'<section id="{anchor(str(node))}"><h3>{esc(_label(graph, node))} '
        f'<code class="muted">{esc(curie(str(node)))}</code></h3>'
        f'<p class="muted">{esc(kind)} · <a href="{esc(node)}">{esc(node)}</a></p>'
        f"<p>{said}</p>"
        f"<dl>{details}</dl></section>"
    )


def _schemes(graph: Graph, documented: set[Node]) -> str:
    parts = ['<h2 id="schemes">Concept schemes: kinds, roles, goals</h2>']
    kind_class = {k: c for c, k in graph.subject_objects(_KIND_CONCEPT)}
    schemes = sorted(graph.subjects(RDF.type, SKOS.ConceptScheme), key=lambda s: _label(graph, s))
    for scheme in schemes:
        concepts = sorted(
            set(graph.subjects(SKOS.inScheme, scheme))
            | set(graph.subjects(SKOS.topConceptOf, scheme)),
            key=lambda c: _label(graph, c).lower(),
        )
        rows = [
            (
                f'<span id="{anchor(str(c))}"><code>{esc(curie(str(c)))}</code></span>',
                esc(_text(graph, c, SKOS.prefLabel, RDFS.label) or ""),
                esc(_definition(graph, c)),
                _links(graph, sorted(graph.objects(c, SKOS.broader), key=str), documented)
                if any(graph.objects(c, SKOS.broader))
                else (_link(graph, kind_class[c], documented) if c in kind_class else ""),
            )
            for c in concepts
        ]
        parts.append(
            f'<section id="{anchor(str(scheme))}"><h3>{esc(_label(graph, scheme))} '
            f'<code class="muted">{esc(curie(str(scheme)))}</code></h3>'
            f"<p>{esc(_definition(graph, scheme))}</p>"
            + table(("concept", "label", "definition", "broader / class"), rows)
            + "</section>"
        )
    return "\n".join(parts)


def _standard_terms(graph: Graph) -> str:
    skipped = {OWL.Ontology, SKOS.ConceptScheme}
    terms = sorted(
        {
            n
            for n in graph.subjects(RDF.type, None)
            if isinstance(n, URIRef)
            and not _own(n)
            and not skipped & set(graph.objects(n, RDF.type))
            and not any(graph.objects(n, SKOS.inScheme))
        },
        key=lambda n: curie(str(n)),
    )
    rows = [
        (
            f'<a href="{esc(t)}"><code>{esc(curie(str(t)))}</code></a>',
            esc(", ".join(sorted(curie(str(c)) for c in graph.objects(t, RDF.type)))),
            esc(_text(graph, t, RDFS.label) or ""),
        )
        for t in terms
    ]
    return '<h2 id="standard">Standard terms declared for OWL 2 DL</h2>' + table(
        ("term", "declared as", "label"), rows
    )


def ontology_html(path: Path | None = None) -> str:
    """Write the ontology reference page.

    Args:
        path: The ontology file; defaults to the project's ``ontology/moi.ttl``.

    Returns:
        The HTML text.
    """
    graph = Graph()
    graph.parse(path or _paths.ontology_file(), format="turtle")
    ontology = next(iter(graph.subjects(RDF.type, OWL.Ontology)), None)
    title = (_text(graph, ontology, DCTERMS.title, RDFS.label) if ontology else None) or "Ontology"
    documented: set[Node] = {
        n for n in graph.subjects(RDF.type, None) if _own(n) or any(graph.objects(n, SKOS.inScheme))
    } | set(graph.subjects(RDF.type, SKOS.ConceptScheme))
    header = [f"<h1>{esc(title)}</h1>"]
    if ontology is not None:
        facts = [
            ("IRI", f'<a href="{esc(ontology)}">{esc(ontology)}</a>'),
            ("Version", esc(_text(graph, ontology, OWL.versionInfo) or "")),
            ("Prefix", f"<code>{esc(_text(graph, ontology, _VANN_PREFIX) or 'moi')}:</code>"),
            ("Licence", _links(graph, graph.objects(ontology, DCTERMS.license), documented)),
        ]
        header.append(f"<p>{esc(_text(graph, ontology, DCTERMS.description) or '')}</p>")
        header.append(table(("", ""), facts))
    header.append(
        '<nav><ul><li><a href="#classes">Classes</a></li><li><a href="#properties">Properties'
        '</a></li><li><a href="#schemes">Concept schemes</a></li><li><a href="#standard">'
        "Standard terms</a></li></ul></nav>"
    )
    body = "\n".join(
        [*header, _classes(graph, documented), _properties(graph, documented),
         _schemes(graph, documented), _standard_terms(graph)]
    )  # fmt: skip
    return page(title, body, meta={"generator": "moikg docs"})
