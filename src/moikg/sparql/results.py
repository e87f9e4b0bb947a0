"""Query results: one shape for every store, with the W3C result formats and pandas.

Rows hold rdflib terms (``None`` where a variable is unbound), whichever store
answered, so the embedded store and a remote endpoint can be compared row for
row. Literals typed ``xsd:string`` are made simple literals, which RDF 1.1
Concepts §3.3 defines as the same thing (endpoints differ in which they send).

The W3C results formats are written by libraries (:meth:`QueryResult.serialize`):
pyoxigraph's serialisers for JSON, XML and TSV, Python's ``csv`` for CSV; endpoint answers
are read by rdflib's SPARQL JSON results parser.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Literal

from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, parse_query_results
from rdflib import BNode, Variable
from rdflib import Literal as RdfLiteral
from rdflib.plugins.sparql.results.jsonresults import JSONResult
from rdflib.query import Result, ResultException
from rdflib.term import Identifier, Node

from moikg.errors import QueryError
from moikg.rdf.terms import plain_literal

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["QueryResult", "ResultFormat", "Row", "from_sparql_json", "python_value"]

Row = tuple[Node | None, ...]
ResultFormat = Literal["json", "xml", "csv", "tsv"]
_FORMATS: Final = {
    "json": QueryResultsFormat.JSON,
    "xml": QueryResultsFormat.XML,
    "tsv": QueryResultsFormat.TSV,
}


def python_value(node: Node | None) -> Any:
    """Convert a term to a plain Python value: IRIs to text, literals to their value."""
    if node is None:
        return None
    if isinstance(node, RdfLiteral):
        value = node.toPython()
        return str(node) if isinstance(value, RdfLiteral) else value
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
        total: When only the first rows were kept (``keep``), how many rows the query gave;
            None when ``rows`` holds them all.
    """

    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    boolean: bool | None = None
    ordered: bool = False
    total: int | None = None

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

    def _solutions(self) -> QuerySolutions | QueryBoolean:
        """The result as pyoxigraph solutions, which write every W3C results format.

        rdflib writes the SPARQL JSON (each bound term, ``""``, ``0`` and ``false`` included)
        that pyoxigraph reads; from there pyoxigraph's serialisers write each format.
        """
        result = Result("ASK" if self.boolean is not None else "SELECT")
        if self.boolean is not None:
            result.askAnswer = self.boolean
        else:
            names = [Variable(c) for c in self.columns]
            result.vars = names
            result.bindings = [
                {
                    name: node
                    for name, node in zip(names, row, strict=True)
                    if isinstance(node, Identifier)
                }
                for row in self.rows
            ]
        document = result.serialize(format="json")
        if not isinstance(document, bytes):  # pragma: no cover - rdflib returns bytes here
            raise TypeError("rdflib returned no JSON")
        return parse_query_results(document, format=QueryResultsFormat.JSON)

    def serialize(self, fmt: ResultFormat) -> str:
        """Write the result in a W3C format: ``json``, ``xml``, ``csv`` or ``tsv``.

        JSON (SPARQL 1.1 Query Results JSON Format), XML (SPARQL Query Results XML Format)
        and TSV (SPARQL 1.1 Query Results CSV and TSV Formats §3) are pyoxigraph's. CSV (§2:
        lexical forms and IRIs, CRLF) is Python's ``csv`` module: pyoxigraph 0.5 leaves an
        IRI that holds a comma unquoted. In XML a carriage return inside a literal is written
        as is, and an XML parser reads it back as a newline (XML 1.0 §2.11).

        Raises:
            QueryError: Unknown format (naming ``fmt``).
        """
        if fmt == "csv":
            return self._csv()
        format_ = _FORMATS.get(fmt)
        if format_ is None:
            raise QueryError(
                f"fmt={fmt!r}: use one of {', '.join(('csv', *_FORMATS))}", parameter="fmt"
            )
        data = self._solutions().serialize(format=format_)
        if data is None:  # pragma: no cover - serialize returns bytes when given no output
            raise TypeError("pyoxigraph returned no bytes")
        return data.decode("utf-8")

    def to_json(self) -> str:
        """Return the result as SPARQL 1.1 Query Results JSON."""
        return self.serialize("json")

    def to_sparql_json(self) -> dict[str, Any]:
        """Return the result as a parsed SPARQL 1.1 Query Results JSON document."""
        parsed: dict[str, Any] = json.loads(self.to_json())
        return parsed

    def to_xml(self) -> str:
        """Return the result as SPARQL Query Results XML."""
        return self.serialize("xml")

    def to_tsv(self) -> str:
        """Return the result as SPARQL 1.1 TSV (§3): terms in N-Triples syntax, escaped."""
        return self.serialize("tsv")

    def to_csv(self) -> str:
        """Return the result as SPARQL 1.1 CSV (§2): lexical forms and IRIs, CRLF line ends."""
        return self.serialize("csv")

    def _csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(self.columns or ["_askResult"])
        if self.boolean is not None:
            writer.writerow(["true" if self.boolean else "false"])
        for row in self.rows:
            writer.writerow(["" if n is None else _csv_term(n) for n in row])
        return buffer.getvalue()


def _csv_term(node: Node) -> str:
    return f"_:{node}" if isinstance(node, BNode) else str(node)


def from_sparql_json(document: Mapping[str, Any], *, ordered: bool = False) -> QueryResult:
    """Build a result from a SPARQL 1.1 Query Results JSON document (read by rdflib).

    Args:
        document: The parsed JSON.
        ordered: Whether the query had ORDER BY.

    Returns:
        The result, with rdflib terms; ``xsd:string`` literals made simple.

    Raises:
        QueryError: The document is not a SPARQL JSON result.
    """
    try:
        parsed = JSONResult(dict(document))
    except (ResultException, KeyError, TypeError, ValueError, AttributeError):
        raise QueryError("the endpoint's answer is not SPARQL JSON results") from None
    if parsed.type == "ASK":
        return QueryResult((), (), boolean=bool(parsed.askAnswer), ordered=ordered)
    columns = tuple(str(v) for v in parsed.vars or ())
    try:
        rows = tuple(
            tuple(_plain(binding.get(Variable(c))) for c in columns) for binding in parsed.bindings
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        raise QueryError("the endpoint's answer is not SPARQL JSON results") from None
    return QueryResult(columns, rows, ordered=ordered)


def _plain(node: Node | None) -> Node | None:
    return None if node is None else plain_literal(node)
