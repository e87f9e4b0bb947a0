"""The shapes and the ontology, parsed and translated once, kept beside a graph's store.

Each ``moikg add`` needs the shapes parsed, translated to SPARQL
(:func:`moikg.ingest.shacl_sparql.translate`) and their paths listed
(:func:`moikg.ingest.shacl_reach.reach`), and the ontology parsed. They rarely change: a pickle
beside the store (``prepared.pickle``), keyed by both files' SHA-256 digests and by the code and
library versions that make them, loads in a fraction of the time. A missing, unreadable or
differently keyed file is made again (and written again where the folder is writable).
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import rdflib
from rdflib import Graph

from moikg._atomic import atomic_outputs
from moikg.ingest import load, shacl_reach, shacl_sparql
from moikg.ingest.load import read_graph
from moikg.ingest.shacl_reach import Reach, reach
from moikg.ingest.shacl_sparql import Plan, Untranslatable, translate
from moikg.ingest.store_files import file_digest

__all__ = ["Prepared", "prepare"]

_FILE: Final = "prepared.pickle"
_FORMAT: Final = 1


@dataclass(frozen=True)
class Prepared:
    """The shapes and the ontology, ready for an incremental validation.

    Attributes:
        shapes: The shapes graph.
        ontology: The ontology graph.
        plan: The shapes translated to SPARQL (None: they do not translate).
        reach: What the shapes read from a focus node (None when ``plan`` is).
        shapes_digest: SHA-256 of the shapes file.
        ontology_digest: SHA-256 of the ontology file.
    """

    shapes: Graph
    ontology: Graph
    plan: Plan | None
    reach: Reach | None
    shapes_digest: str
    ontology_digest: str


def _code() -> str:
    """A digest of what makes the prepared objects: this code and the libraries' versions."""
    digest = hashlib.sha256(f"{sys.version}|{rdflib.__version__}|{_FORMAT}".encode())
    for module in (load, shacl_sparql, shacl_reach):
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()


def prepare(shapes: Path, ontology: Path, location: Path | None) -> Prepared:
    """The shapes and ontology parsed and translated, from the cache in ``location`` if it fits.

    Args:
        shapes: The shapes file.
        ontology: The ontology file.
        location: The store's folder (the cache is read and written there), or None (no cache).

    Returns:
        The prepared shapes and ontology.

    Raises:
        InputError: A file is missing or malformed.
    """
    try:
        key = (file_digest(shapes), file_digest(ontology), _code())
    except OSError:  # a file is missing: read_graph below says which, as for any other caller
        key = ("", "", "")
        location = None
    cached = location / _FILE if location is not None else None
    if cached is not None:
        try:
            with cached.open("rb") as handle:
                saved_key, saved = pickle.load(handle)  # our own file, in build/
            if saved_key == key and isinstance(saved, Prepared):
                return saved
        except Exception:  # any unreadable cache is simply made again
            pass
    shapes_graph = read_graph(shapes)
    try:
        plan: Plan | None = translate(shapes_graph)
        reached: Reach | None = reach(shapes_graph)
    except Untranslatable:
        plan = reached = None
    prepared = Prepared(shapes_graph, read_graph(ontology), plan, reached, key[0], key[1])
    if cached is not None:
        try:
            with atomic_outputs(cached.parent) as batch:
                batch.path(_FILE).write_bytes(
                    pickle.dumps((key, prepared), protocol=pickle.HIGHEST_PROTOCOL)
                )
        except OSError:
            pass  # a read-only place: made again next time
    return prepared
