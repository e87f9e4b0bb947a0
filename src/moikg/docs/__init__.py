"""Reference pages: the ontology (``ontology.html``) and the query catalogue (``queries.html``).

``moikg docs`` writes both into ``build/docs/``; ``moikg build`` does too.
"""

from __future__ import annotations

from moikg.docs.site import DOC_PAGES, write_docs

__all__ = ["DOC_PAGES", "write_docs"]
