"""Network: facts read by SPARQL, projections, metrics, file formats and the HTML page."""
