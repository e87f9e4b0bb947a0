"""Remote SPARQL endpoints: queries through SPARQLWrapper, uploads by the Graph Store Protocol.

* Queries follow the SPARQL 1.1 Protocol §2.1: GET with ``query=``, or a
  URL-encoded POST (§2.1.2) once the query is longer than
  :attr:`RemoteOptions.post_over` characters; results are asked for as
  SPARQL JSON (Query Results JSON Format §3) by content negotiation alone.
* Every request names moikg with a contact URL in its User-Agent (Wikidata
  answers 403 to anonymous clients), has a timeout, and honours HTTP 429
  ``Retry-After`` (RFC 9110 §10.2.3) at most :attr:`RemoteOptions.retries` times.
* :func:`push_files` replaces each named graph with HTTP PUT and indirect graph
  identification (SPARQL 1.1 Graph Store HTTP Protocol §4.2, §5.3), so the same
  graph can live in Fuseki, GraphDB, Virtuoso, QLever or Neptune.

Every failure becomes one line in an :class:`~moikg.errors.EndpointError` (exit 2).
"""

from __future__ import annotations

import email.utils
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, TypeVar

import pyoxigraph
from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper import __version__ as sparqlwrapper_version

from moikg._version import __version__
from moikg.errors import EndpointError
from moikg.sparql.credentials import auth_handlers, find_credentials, hint
from moikg.sparql.lexing import is_distinct
from moikg.sparql.prepare import PreparedQuery, query_form
from moikg.sparql.results import QueryResult, from_sparql_json
from moikg.sparql.transport import Answer, DeadlineExceeded, Limits, TooLarge, fetch

__all__ = [
    "CONTACT_URL",
    "PushResult",
    "RemoteOptions",
    "default_user_agent",
    "push_files",
    "select",
]

CONTACT_URL: Final = "https://w3id.org/moikg/"
"""Where the operator of an endpoint can find out about moikg (in the User-Agent)."""

_T = TypeVar("_T")
_DETAIL_MAX: Final = 200
_SHOW_BYTES: Final = 60
MAX_BYTES: Final = 64 * 1024 * 1024
"""The default cap on an answer's size (64 MiB)."""


def default_user_agent() -> str:
    """Return ``moikg/<version> (<contact URL>) SPARQLWrapper/<version>``."""
    return f"moikg/{__version__} (+{CONTACT_URL}) SPARQLWrapper/{sparqlwrapper_version}"


@dataclass(frozen=True)
class RemoteOptions:
    """How moikg talks to an endpoint.

    Attributes:
        timeout: Seconds for the whole request (connect, send, wait, read the whole answer).
        retries: How many times an HTTP 429 answer is retried before giving up.
        max_wait: The longest ``Retry-After`` honoured, in seconds; a longer one fails at once.
        post_over: Queries longer than this many characters are sent by POST.
        user_agent: The User-Agent header; it must name moikg and a contact URL.
        max_bytes: The largest answer read; a longer one fails (default 64 MiB).
    """

    timeout: float = 60.0
    retries: int = 3
    max_wait: float = 120.0
    post_over: int = 2000
    user_agent: str = field(default_factory=default_user_agent)
    max_bytes: int = MAX_BYTES

    @property
    def limits(self) -> Limits:
        """The bounds of one HTTP exchange."""
        return Limits(timeout=self.timeout, max_bytes=self.max_bytes)


# --- Errors and retries ------------------------------------------------------------------------


def _one_line(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _DETAIL_MAX else flat[: _DETAIL_MAX - 1] + "…"


def _retry_after(value: str | None, attempt: int) -> float:
    """Seconds to wait: ``Retry-After`` as delay-seconds or HTTP-date (RFC 9110 §10.2.3)."""
    if value:
        text = value.strip()
        if text.isdigit():
            return float(text)
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError):
            when = None
        if when is not None:
            return max(0.0, when.timestamp() - time.time())
    return float(2**attempt)


def _is_timeout(reason: object) -> bool:
    return isinstance(reason, TimeoutError) or "timed out" in str(reason)


def _call(action: Callable[[], _T], *, what: str, url: str, options: RemoteOptions) -> _T:
    """Run one HTTP exchange; retry on 429; turn every failure into one EndpointError line."""
    attempt = 0
    while True:
        try:
            return action()
        except urllib.error.HTTPError as error:
            if error.code == 429:
                wait = _retry_after(error.headers.get("Retry-After"), attempt)
                if attempt >= options.retries:
                    raise EndpointError(
                        f"{what} at {url}: HTTP 429 Too Many Requests, still after "
                        f"{options.retries} retries; try again later"
                    ) from None
                if wait > options.max_wait:
                    raise EndpointError(
                        f"{what} at {url}: HTTP 429 Too Many Requests; the server asks to wait "
                        f"{wait:.0f} s, more than {options.max_wait:.0f} s; try again later"
                    ) from None
                attempt += 1
                time.sleep(wait)
                continue
            detail = _one_line(error.read().decode("utf-8", "replace")) if error.fp else ""
            raise EndpointError(
                f"{what} at {url}: HTTP {error.code} {error.reason}"
                + (f": {detail}" if detail else "")
            ) from None
        except DeadlineExceeded:
            raise EndpointError(
                f"{what} at {url}: no answer within {options.timeout:g} s (timeout)"
            ) from None
        except TooLarge:
            raise EndpointError(
                f"{what} at {url}: the answer is larger than {options.max_bytes:,} bytes, the "
                "limit; add a LIMIT to the query or raise max_bytes=<bytes>",
                parameter="max_bytes",
            ) from None
        except urllib.error.URLError as error:
            if _is_timeout(error.reason):
                raise EndpointError(
                    f"{what} at {url}: no answer within {options.timeout:g} s (timeout)"
                ) from None
            raise EndpointError(
                f"{what} at {url}: cannot connect ({_one_line(str(error.reason))}); "
                "check the URL and that the server is running"
            ) from None
        except TimeoutError:
            raise EndpointError(
                f"{what} at {url}: no answer within {options.timeout:g} s (timeout)"
            ) from None
        except (OSError, ValueError) as error:  # connection reset, malformed JSON, bad URL
            raise EndpointError(f"{what} at {url}: {_one_line(str(error))}") from None


# --- Queries -----------------------------------------------------------------------------------


def select(
    endpoint: str, prepared: PreparedQuery, *, options: RemoteOptions | None = None
) -> QueryResult:
    """Run a prepared SELECT or ASK query on a remote endpoint through SPARQLWrapper.

    Args:
        endpoint: The SPARQL query endpoint URL.
        prepared: The query, from :func:`moikg.sparql.prepare.prepare`.
        options: Timeout, retries, POST threshold and User-Agent.

    Returns:
        The result, with rdflib terms.

    Raises:
        EndpointError: Unreachable, timed out, HTTP error, or an answer that is not SPARQL JSON.
    """
    settings = options or RemoteOptions()
    _check_url(endpoint)
    client = SPARQLWrapper(endpoint, agent=settings.user_agent)
    client.setQuery(prepared.text)
    # SPARQLWrapper guesses the form from the first keyword after stripping comments, but its
    # stripping misses every other line of a comment block ("created" reads as CREATE, an
    # update): tell it the form that moikg's own reading of the query found.
    client.queryType = query_form(prepared.text)
    client.setReturnFormat(JSON)
    client.setOnlyConneg(True)
    if len(prepared.text) > settings.post_over:
        client.setMethod(POST)

    def run() -> Answer:
        return fetch(client._createRequest(), settings.limits)  # SPARQLWrapper builds it

    answer = _call(run, what=f"query {prepared.origin}", url=endpoint, options=settings)
    result = from_sparql_json(
        _sparql_json(answer, what=f"query {prepared.origin} at {endpoint}"),
        ordered=prepared.ordered,
    )
    if is_distinct(prepared.text):
        # Virtuoso 7 can return a row of a SELECT DISTINCT twice when it holds unbound values
        # (docs/sparql-portability.md); DISTINCT means each row once, so keep the first.
        rows = tuple(dict.fromkeys(result.rows))
        if len(rows) != len(result.rows):
            result = QueryResult(result.columns, rows, ordered=result.ordered)
    return result


def _sparql_json(answer: Answer, *, what: str) -> dict[str, object]:
    """Read a SPARQL JSON results document (Query Results JSON Format §3), or say what came."""
    try:
        document = json.loads(answer.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        document = None
    if (
        isinstance(document, dict)
        and isinstance(document.get("head"), dict)
        and ("boolean" in document or isinstance(document.get("results"), dict))
    ):
        return document
    kind = answer.content_type or "no Content-Type"
    start = answer.body[:_SHOW_BYTES]
    more = "…" if len(answer.body) > _SHOW_BYTES else ""
    shown = repr(start)[2:-1] + more if start else "(empty)"
    raise EndpointError(
        f"{what}: the endpoint's answer was not SPARQL JSON ({kind}, {len(answer.body)} bytes, "
        f"starting {shown}); check that the URL is the query endpoint"
    )


def _check_url(url: str) -> None:
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 (reading it validates the port)
    except ValueError as error:
        raise EndpointError(
            f"{url!r} is not a valid URL ({error}); give the endpoint's full address"
        ) from None
    if parts.scheme not in ("http", "https") or not host:
        raise EndpointError(f"{url!r} is not an http(s) URL; give the endpoint's full address")


# --- Graph Store Protocol ----------------------------------------------------------------------


@dataclass(frozen=True)
class PushResult:
    """What ``push`` uploaded.

    Attributes:
        endpoint: The Graph Store endpoint.
        graphs: (named graph IRI, triple count) per graph, in upload order.
    """

    endpoint: str
    graphs: tuple[tuple[str, int], ...]


def _graph_url(endpoint: str, graph: str) -> str:
    separator = "&" if urllib.parse.urlsplit(endpoint).query else "?"
    return f"{endpoint}{separator}{urllib.parse.urlencode({'graph': graph})}"


def push_files(
    endpoint: str, files: list[Path], *, options: RemoteOptions | None = None
) -> PushResult:
    """Upload every named graph of TriG files, replacing each graph (GSP §5.3, HTTP PUT).

    Args:
        endpoint: The Graph Store endpoint (``…/store`` for Oxigraph, ``…/data`` for Fuseki).
        files: TriG files; the default graph must be empty.
        options: Timeout, retries and User-Agent.

    Credentials, when the endpoint asks for them (HTTP Basic or Digest), come from
    ``MOIKG_ENDPOINT_USER``/``MOIKG_ENDPOINT_PASSWORD`` or a netrc file
    (:mod:`moikg.sparql.credentials`).

    Returns:
        The graphs uploaded and their sizes.

    Raises:
        EndpointError: The endpoint refused a graph (a 401 or 403 says which credentials to
            set), could not be reached or timed out.
        InputError: The credentials are half set or the netrc file is malformed.
    """
    settings = options or RemoteOptions()
    _check_url(endpoint)
    graphs: dict[str, list[pyoxigraph.Triple]] = defaultdict(list)
    for path in files:
        for quad in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TRIG):
            if isinstance(quad.graph_name, pyoxigraph.NamedNode):
                graphs[quad.graph_name.value].append(quad.triple)
    login = find_credentials(endpoint)
    auth = auth_handlers(endpoint, login)
    uploaded: list[tuple[str, int]] = []
    for iri in sorted(graphs):
        body = pyoxigraph.serialize(graphs[iri], format=pyoxigraph.RdfFormat.N_TRIPLES)
        assert body is not None
        request = urllib.request.Request(
            _graph_url(endpoint, iri),
            data=body,
            method="PUT",
            headers={
                "Content-Type": "application/n-triples; charset=utf-8",
                "User-Agent": settings.user_agent,
            },
        )

        def send(request: urllib.request.Request = request, iri: str = iri) -> int:
            try:
                return fetch(request, settings.limits, handlers=auth).status
            except urllib.error.HTTPError as error:
                if error.code not in (401, 403):
                    raise
                raise EndpointError(
                    f"upload of graph <{iri}> at {endpoint}: HTTP {error.code} {error.reason}; "
                    + hint(error.code, login, endpoint)
                ) from None

        _call(send, what=f"upload of graph <{iri}>", url=endpoint, options=settings)
        uploaded.append((iri, len(graphs[iri])))
    return PushResult(endpoint, tuple(uploaded))
