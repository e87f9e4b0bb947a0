"""Query results: one shape for every store, with the W3C result formats and pandas.

Rows hold rdflib terms (``None`` where a variable is unbound), whichever store
answered, so the embedded store and a remote endpoint can be compared row for
row. Literals typed ``xsd:string`` are made simple literals, which RDF 1.1
Concepts §3.3 defines as the same thing (endpoints differ in which they send).

Serialisations follow SPARQL 1.1 Query Results JSON Format (§3), and
SPARQL 1.1 Query Results CSV and TSV Formats (§2 CSV, §3 TSV).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from moikg.errors import QueryError
from moikg.rdf.namespaces import XSD
from moikg.rdf.terms import plain_literal

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["QueryResult", "Row", "from_sparql_json", "python_value"]

Row = tuple[Node | None, ...]


def python_value(node: Node | None) -> Any:
    """Convert a term to a plain Python value: IRIs to text, literals to their value."""
    if node is None:
        return None
    if isinstance(node, Literal):
        value = node.toPython()
        return str(node) if isinstance(value, Literal) else value
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


@dataclass(frozen=True)
class QueryResult:
    """The answer to a SELECT or ASK query.

    Attributes:
        columns: The projected variables, in order (empty for ASK).
        rows: One tuple of terms per solution, ``None`` where unbound.
        boolean: The answer of an ASK query; None for SELECT.
        ordered: True when the query has ORDER BY, so row order is meaningful.
    """

    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    boolean: bool | None = None
    ordered: bool = False

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def column(self, name: str) -> list[Node | None]:
        """Return every value of one column."""
        index = self._index(name)
        return [row[index] for row in self.rows]

    def _index(self, name: str) -> int:
        try:
            return self.columns.index(name)
        except ValueError:
            raise QueryError(f"no column {name!r}; columns are {', '.join(self.columns)}") from None

    def to_dicts(self, *, terms: bool = False) -> list[dict[str, Any]]:
        """Return the rows as dictionaries keyed by column.

        Args:
            terms: Keep rdflib terms instead of plain Python values.

        Returns:
            One dictionary per row; unbound columns map to None.
        """
        convert = (lambda n: n) if terms else python_value
        return [dict(zip(self.columns, map(convert, row), strict=True)) for row in self.rows]

    def to_dataframe(self) -> pd.DataFrame:
        """Return the rows as a pandas DataFrame of plain Python values (IRIs as text)."""
        import pandas as pd

        return pd.DataFrame(self.to_dicts(), columns=list(self.columns))

    def to_sparql_json(self) -> dict[str, Any]:
        """Return the result as SPARQL 1.1 Query Results JSON (§3)."""
        if self.boolean is not None:
            return {"head": {}, "boolean": self.boolean}
        bindings = [
            {name: _json_term(node) for name, node in zip(self.columns, row, strict=True) if node}
            for row in self.rows
        ]
        return {"head": {"vars": list(self.columns)}, "results": {"bindings": bindings}}

    def to_json(self) -> str:
        """Return :meth:`to_sparql_json` as indented JSON text."""
        return json.dumps(self.to_sparql_json(), ensure_ascii=False, indent=2) + "\n"

    def to_csv(self) -> str:
        """Return the result as SPARQL 1.1 CSV (§2): lexical forms and IRIs, CRLF line ends."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(self.columns or ["_askResult"])
        if self.boolean is not None:
            writer.writerow(["true" if self.boolean else "false"])
        for row in self.rows:
            writer.writerow(["" if n is None else _csv_term(n) for n in row])
        return buffer.getvalue()

    def to_tsv(self) -> str:
        """Return the result as SPARQL 1.1 TSV (§3): terms in Turtle/N-Triples syntax."""
        lines = ["\t".join(f"?{c}" for c in self.columns)]
        lines += ["\t".join("" if n is None else n.n3() for n in row) for row in self.rows]
        return "\n".join(lines) + "\n"


def _csv_term(node: Node) -> str:
    return f"_:{node}" if isinstance(node, BNode) else str(node)


def _json_term(node: Node) -> dict[str, str]:
    if isinstance(node, URIRef):
        return {"type": "uri", "value": str(node)}
    if isinstance(node, BNode):
        return {"type": "bnode", "value": str(node)}
    if isinstance(node, Literal):
        term = {"type": "literal", "value": str(node)}
        if node.language:
            term["xml:lang"] = node.language
        elif node.datatype is not None and node.datatype != XSD.string:
            term["datatype"] = str(node.datatype)
        return term
    raise QueryError(f"cannot write {node!r} as a SPARQL JSON term")


def _from_json_term(term: Mapping[str, str]) -> Node:
    kind = term.get("type")
    value = term.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):
        language = term.get("xml:lang")
        datatype = term.get("datatype")
        if language:
            return Literal(value, lang=language)
        literal = Literal(value, datatype=URIRef(datatype) if datatype else None)
        normalised = plain_literal(literal)
        assert normalised is not None
        return normalised
    raise QueryError(f"the endpoint sent a term of unsupported type {kind!r}")


def from_sparql_json(document: Mapping[str, Any], *, ordered: bool = False) -> QueryResult:
    """Build a result from a SPARQL 1.1 Query Results JSON document (§3).

    Args:
        document: The parsed JSON.
        ordered: Whether the query had ORDER BY.

    Returns:
        The result, with rdflib terms.

    Raises:
        QueryError: The document is not a SPARQL JSON result.
    """
    if "boolean" in document:
        return QueryResult((), (), boolean=bool(document["boolean"]), ordered=ordered)
    try:
        columns = tuple(str(v) for v in document["head"]["vars"])
        bindings: Sequence[Mapping[str, Mapping[str, str]]] = document["results"]["bindings"]
    except (KeyError, TypeError):
        raise QueryError("the endpoint's answer is not SPARQL JSON results") from None
    rows = tuple(
        tuple(_from_json_term(b[c]) if c in b else None for c in columns) for b in bindings
    )
    return QueryResult(columns, rows, ordered=ordered)
