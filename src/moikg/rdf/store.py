"""rdflib's Oxigraph store, counting each use of the inner store, and reading past rdflib.

Every rdflib call on an Oxigraph-backed dataset (``add``, ``parse``, ``update`` …) and every
direct use of ``_inner`` goes through oxrdflib's ``_inner`` property; counting those uses
lets :func:`moikg.ingest.load.merge_is_current` know the default graph is still the merge it
made without counting the store's quads (O(n) in Oxigraph: 0.2 s at a million triples,
longer than most catalogue queries take).
"""

from __future__ import annotations

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Dataset

__all__ = ["CountingStore", "oxigraph_store"]


class CountingStore(OxigraphStore):
    """rdflib's Oxigraph store, counting each use of its inner store (any use may write)."""

    uses = 0

    @property
    def _inner(self) -> ox.Store:
        self.uses += 1
        return self.quiet

    @property
    def quiet(self) -> ox.Store:
        """The inner store, for reading without counting a use."""
        inner: ox.Store = OxigraphStore._inner.fget(self)  # type: ignore[attr-defined]
        return inner


def oxigraph_store(dataset: Dataset) -> ox.Store | None:
    """The Oxigraph store under an rdflib dataset (None for another store), for reading.

    Reading through it does not count as a use of the store (see
    :func:`moikg.ingest.load.merge_is_current`): use it only to read.
    """
    store = dataset.store
    if isinstance(store, CountingStore):
        return store.quiet
    if isinstance(store, OxigraphStore):
        inner: ox.Store = store._inner
        return inner
    return None
