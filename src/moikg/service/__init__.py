"""Services over a build: a local SPARQL endpoint, uploads to a Graph Store, Wikidata enrichment."""
