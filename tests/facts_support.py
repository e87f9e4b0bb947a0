"""Network facts in a fixed order, for tests that compare facts read by two routes."""

from __future__ import annotations

from moikg.network.model import Facts


def canonical_facts(facts: Facts) -> dict[str, object]:
    """The facts with every collection in a fixed order (rows come back in any order)."""
    return {
        "actors": sorted(map(repr, facts.actors.items())),
        "artefacts": sorted(map(repr, facts.artefacts.items())),
        "relations": sorted(map(repr, facts.relations)),
        "affiliations": sorted(map(repr, facts.affiliations)),
        "labels": sorted(facts.labels.items()),
        "documents": sorted(map(repr, facts.documents.items())),
        "evidence": sorted(
            (node, source, sorted(texts))
            for node, by_source in facts.evidence.items()
            for source, texts in by_source.items()
        ),
    }
