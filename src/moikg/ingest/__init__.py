"""Ingest: load the sources into a dataset, validate it, summarise and export it."""
