"""Push: build if needed, then upload each named graph of the build to a Graph Store endpoint.

The upload itself (SPARQL 1.1 Graph Store HTTP Protocol §5.3, HTTP PUT per named
graph) is :func:`moikg.sparql.remote.push_files`.
"""

from __future__ import annotations

from pathlib import Path

from moikg.pipeline import build_files, ensure_build
from moikg.sparql.remote import PushResult, RemoteOptions, push_files

__all__ = ["push"]


def push(
    endpoint: str,
    *,
    build_dir: Path | None = None,
    graph_dir: Path | None = None,
    options: RemoteOptions | None = None,
) -> PushResult:
    """Build if needed, then upload each named graph of the build to a Graph Store endpoint.

    Args:
        endpoint: The Graph Store endpoint URL.
        build_dir: The build folder; defaults to the project's ``build/``.
        graph_dir: The sources, for a build that is missing or stale.
        options: Timeout, retries and User-Agent.

    Returns:
        The graphs uploaded and their sizes.

    Raises:
        EndpointError: See :func:`~moikg.sparql.remote.push_files`.
        InputError, ConformanceError: The build failed.
    """
    out, _ = ensure_build(build_dir=build_dir, graph_dir=graph_dir)
    return push_files(endpoint, build_files(out), options=options)
