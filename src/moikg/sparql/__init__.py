"""SPARQL: the query catalogue, preparing and binding queries, running them, results."""
