"""The stages :mod:`run` measures at one size, each beside its reference in the same process.

Used by ``benchmarks/run.py`` (which runs :func:`measure` in a child process per size, so peak
RSS is per size). Nothing here asserts a time.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CACHE = HERE / ".data"
SEED = 1
GRAPH = "https://w3id.org/moikg/graph/"
MILLION = 1_000_000
HUNDRED_K = (90_000, 110_000)


@dataclass
class Row:
    """One measured stage at one size."""

    stage: str
    size: int
    seconds: float | None
    rss_mb: float | None = None
    reference: str = ""
    reference_s: float | None = None
    target: str = ""
    met: bool | None = None
    note: str = ""


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def _best(action: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The shortest wall time of ``repeat`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        seconds, result = _timed(action)
        times.append(seconds)
    return min(times), result


def generated(size: int) -> Path:
    """The generated sources of ``size`` triples (seed 1), made once and cached."""
    folder = CACHE / f"{size}-seed{SEED}"
    if not (folder / ".done").is_file():
        from moikg.cards.synthetic import generate

        shutil.rmtree(folder, ignore_errors=True)
        generate(triples=size, seed=SEED, out_dir=folder)
        (folder / ".done").write_text("ok\n", encoding="utf-8")
    return folder


def child(args: list[str]) -> tuple[float, float, int, str]:
    """Run a command; return wall seconds, its peak RSS in MB, its exit code, its last error.

    The peak is the child's own high-water mark (``VmHWM`` in ``/proc/PID/status``, read every
    20 ms until it exits): ``ru_maxrss`` from ``wait4`` would also count the pages this big
    process had when it forked the child.
    """
    seconds, peak, code, error, _ = child_and_workers(args)
    return seconds, peak, code, error


def child_and_workers(args: list[str]) -> tuple[float, float, int, str, float]:
    """:func:`child`, then the largest peak RSS in MB of the processes the child forked.

    A large build makes its network page in a forked worker (``moikg._forked``); the worker's
    pages are shared with the build's until either writes them, so the two peaks are given
    apart, not summed.
    """
    start = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=errors)
        peak = 0
        workers: dict[int, int] = {}
        status_file = Path(f"/proc/{process.pid}/status")
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
        while True:
            peak = max(peak, _high_water_kb(status_file))
            for pid in _pids(children):
                workers[pid] = max(workers.get(pid, 0), _high_water_kb(Path(f"/proc/{pid}/status")))
            try:
                process.wait(timeout=0.02)
                break
            except subprocess.TimeoutExpired:
                continue
        seconds = time.perf_counter() - start
        errors.seek(0)
        lines = errors.read().decode("utf-8", "replace").strip().splitlines()
    code = process.returncode
    worker = max(workers.values(), default=0)
    return seconds, peak / 1024, code, (lines[-1][:120] if lines and code else ""), worker / 1024


def _pids(children: Path) -> list[int]:
    try:
        return [int(pid) for pid in children.read_text(encoding="utf-8").split()]
    except (OSError, ValueError):
        return []


def _high_water_kb(status_file: Path) -> int:
    try:
        for line in status_file.read_text(encoding="utf-8").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _moikg(*args: str) -> tuple[float, float, int, str]:
    """``moikg`` as a child process; ``--quiet`` where the command has it (no progress bar)."""
    seconds, peak, code, error, _ = _moikg_and_workers(*args)
    return seconds, peak, code, error


def _moikg_and_workers(*args: str) -> tuple[float, float, int, str, float]:
    """:func:`_moikg`, then the largest peak RSS (MB) of the processes it forked."""
    quiet = ["--quiet"] if args[0] in {"build", "add", "analyse", "generate"} else []
    return child_and_workers([sys.executable, "-m", "moikg", *args, *quiet])


def _worker_note(worker_mb: float) -> str:
    return (
        f"network page in a forked worker, its peak RSS {worker_mb:.0f} MB; " if worker_mb else ""
    )


def _cli_row(stage: str, size: int, run: tuple[float, float, int, str]) -> Row:
    """A row for a CLI run: no time when it failed, and the exit code and error said."""
    seconds, rss, code, error = run
    return Row(
        stage, size, None if code else seconds, rss, note=f"exit {code}: {error}" * bool(code)
    )


def _ox_store(folder: Path) -> Any:
    import pyoxigraph as ox

    store = ox.Store()
    ontology = REPO / "ontology" / "moi.ttl"
    store.bulk_load(
        path=str(ontology), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(GRAPH + "ontology")
    )
    for path in sorted(folder.glob("*.ttl")):
        store.bulk_load(
            path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(GRAPH + path.stem)
        )
    return store


def _ox_write(store: Any, out: Path) -> None:
    import pyoxigraph as ox

    quads = list(store)
    ox.serialize(quads, str(out / "ref.trig"), format=ox.RdfFormat.TRIG)
    triples = {q.triple for q in quads}
    ox.serialize(triples, str(out / "ref.ttl"), format=ox.RdfFormat.TURTLE)
    ox.serialize(triples, str(out / "ref.jsonld"), format=ox.RdfFormat.JSON_LD)


def _rdflib_load_write(folder: Path, out: Path) -> None:
    from rdflib import Dataset, URIRef

    dataset = Dataset(default_union=True)
    dataset.graph(URIRef(GRAPH + "ontology")).parse(REPO / "ontology" / "moi.ttl", format="turtle")
    for path in sorted(folder.glob("*.ttl")):
        dataset.graph(URIRef(GRAPH + path.stem)).parse(path, format="turtle")
    dataset.serialize(destination=str(out / "rdflib.trig"), format="trig")


def _extra_card(folder: Path, work: Path) -> Path:
    """A new card about known actors: the last generated card under a new name and URL."""
    import yaml

    last = sorted((folder / "cards").glob("*.yaml"))[-1]
    data = yaml.safe_load(last.read_text(encoding="utf-8"))
    data["source"]["url"] = "https://example.org/generated/source/benchmark-extra"
    data["source"]["title"] = "Benchmark extra source"
    card = work / "bench-extra.yaml"
    card.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return card


def revise_one_source(folder: Path) -> Path:
    """Change one fact of the last source (its title), as an editor would; return the file."""
    path = sorted(folder.glob("*.ttl"))[-1]
    text = path.read_text(encoding="utf-8")
    revised, count = re.subn(r'dcterms:title "', 'dcterms:title "Revised: ', text, count=1)
    if count != 1:
        raise SystemExit(f"{path}: no dcterms:title to revise")
    path.write_text(revised, encoding="utf-8")
    return path


def builds(folder: Path, work: Path, size: int) -> list[Row]:
    """The build and, after one source changed, a second build (child processes, on a copy).

    Beside: pyoxigraph's load and write of the same formats, and plain rdflib's.
    """
    copy = work / "graph"
    shutil.copytree(folder, copy)
    ref_load, store = _timed(lambda: _ox_store(folder))
    ref_write, _ = _timed(lambda: _ox_write(store, work))
    reference = ref_load + ref_write
    out = str(work / "out")
    first_run = _moikg_and_workers("build", "--graph-dir", str(copy), "--out", out)
    first, first_worker = first_run[:4], first_run[4]
    row = _cli_row("build (load, validate, write 3 formats, summary, pages)", size, first)
    row.reference, row.reference_s = "pyoxigraph load + write TriG/Turtle/JSON-LD", reference
    row.note += _worker_note(first_worker)
    if size <= int(os.environ.get("BENCH_RDFLIB_MAX", "100000")):
        rdflib_s, _ = _timed(lambda: _rdflib_load_write(folder, work))
        row.note += f"plain rdflib load + TriG: {rdflib_s:.1f} s"
    ok = row.seconds is not None
    if size >= MILLION:
        row.target = "≤ 120 s and ≤ 2 GB at 1M (each process)"
        row.met = ok and first[0] <= 120 and max(first[1], first_worker) <= 2048
    elif HUNDRED_K[0] <= size <= HUNDRED_K[1]:
        row.target, row.met = "≤ 10× reference at 100k", ok and first[0] <= 10 * reference
    revise_one_source(copy)
    again_run = _moikg_and_workers("build", "--graph-dir", str(copy), "--out", out)
    again, again_worker = again_run[:4], again_run[4]
    second = _cli_row("second build, one source changed", size, again)
    second.note += _worker_note(again_worker)
    second.reference, second.reference_s = "the first build", first[0]
    if size >= MILLION:
        second.target, second.met = "≤ 5 s at 1M", second.seconds is not None and again[0] <= 5
    return [row, second]


def adds(folder: Path, work: Path, size: int) -> list[Row]:
    """``moikg add`` of one new card on a copy of the sources, three times.

    The first (which builds the on-disk store), a dry run with the store kept, and a real add
    (writes the source, the card and the store).
    """
    copy = work / "graph"
    if not copy.is_dir():
        shutil.copytree(folder, copy)
    card = _extra_card(folder, work)
    rows = []
    for stage, extra in (
        ("add one card: first (builds the on-disk store)", ["--dry-run"]),
        ("add one card: dry run (store kept)", ["--dry-run"]),
        ("add one card (writes the source, card, store)", []),
    ):
        row = _cli_row(stage, size, _moikg("add", str(card), "--graph-dir", str(copy), *extra))
        if size >= MILLION and "first" not in stage:
            row.target, row.met = "≤ 2 s at 1M (CLI, start-up included)", (row.seconds or 99) <= 2
        rows.append(row)
    return rows


def validation(folder: Path, size: int, pyshacl_max: int) -> tuple[list[Row], Any]:
    """Load and validate in this process, beside pyoxigraph's bulk load and pySHACL."""
    from moikg.ingest.load import load_dataset
    from moikg.ingest.validation import validate

    ref_load, _ = _timed(lambda: _ox_store(folder))
    load_s, dataset = _timed(lambda: load_dataset(folder))
    rows = [Row("load", size, load_s, _rss_mb(), "pyoxigraph bulk load", ref_load)]
    validate_s, report = _timed(lambda: validate(dataset))
    row = Row("validate", size, validate_s, _rss_mb(), note="" if report.conforms else "NOT OK")
    if size <= pyshacl_max:
        shacl_s, reference = _timed(lambda: validate(dataset, engine="pyshacl"))
        row.reference, row.reference_s = "pySHACL (the reference engine)", shacl_s
        same = reference.violations == report.violations
        row.note += "same verdicts" if same else "VERDICTS DIFFER"
    rows.append(row)
    return rows, dataset


def queries(folder: Path, dataset: Any, size: int, skip: dict[str, str]) -> list[Row]:
    """Every catalogue query, with its defaults and with values picked from the data.

    Beside: the same text on a plain pyoxigraph store of the same layout
    (``catalogue_queries.raw_store``).
    """
    import pyoxigraph as ox
    from catalogue_queries import picked, raw_store

    from moikg.ingest.closure import CLOSURE_GRAPH
    from moikg.sparql.catalogue import catalogue

    inner = dataset.store._inner
    closure = list(inner.quads_for_pattern(None, None, None, ox.NamedNode(str(CLOSURE_GRAPH))))
    store = raw_store(folder, closure)
    values = picked(store)
    rows = []
    for name, entry in sorted(catalogue().items()):
        chosen = {p.name: values[p.name] for p in entry.parameters if p.name in values}
        cases = [("defaults", {})] + ([("picked", chosen)] if chosen else [])
        for label, params in cases:
            stage = f"query {name} ({label})"
            row = (
                Row(stage, size, None, note=skip[stage])
                if stage in skip
                else _query_row(stage, size, store, dataset, name, params)
            )
            if size >= MILLION:
                row.target = "≤ 2 s and ≤ 1.5× raw at 1M"
                row.met = (
                    row.seconds is not None
                    and row.seconds <= 2
                    and (row.seconds <= 1.5 * (row.reference_s or 0) + 0.01)
                )
            rows.append(row)
    return rows


def _query_row(
    stage: str, size: int, store: Any, dataset: Any, name: str, params: dict[str, str]
) -> Row:
    """One query: best of two runs each, moikg's ``query`` and raw ``Store.query``."""
    from moikg.rdf.namespaces import PREFIXES
    from moikg.sparql.dispatch import query
    from moikg.sparql.prepare import prepare

    try:
        text = prepare(name, params).text
        raw, answer = _best(lambda: list(store.query(text, prefixes=dict(PREFIXES))), 2)
        ours, result = _best(lambda: query(name, params, dataset=dataset, time_limit=None), 2)
    except Exception as error:  # a failed query is a row, not a crash
        return Row(stage, size, None, note=f"failed: {error}"[:80])
    note = f"{len(result):,} rows" + ("" if len(result) == len(answer) else " (ROWS DIFFER)")
    return Row(stage, size, ours, None, "same text, raw pyoxigraph", raw, note=note)


def network(folder: Path, dataset: Any, work: Path, size: int, chromium: bool) -> list[Row]:
    """Projection, analyse, ``moikg analyse`` and ``moikg render``, the page's settle time.

    ``moikg analyse`` and ``render`` are CLI runs from the sources (load included); the page's
    settle time is measured in headless Chromium.
    """
    from moikg.network.analysis import analyse
    from moikg.network.projection import actor_graph

    project_s, graph = _timed(lambda: actor_graph(dataset))
    rows = [Row(f"facts + actor projection ({len(graph):,} nodes)", size, project_s, _rss_mb())]
    if size >= MILLION:
        rows[-1].target, rows[-1].met = "≤ 20 s at 1M", project_s <= 20
    analyse_s, _ = _timed(lambda: analyse(graph))
    rows.append(Row("analyse (in process, projection given)", size, analyse_s, _rss_mb()))
    page = work / "network.html"
    for stage, args in (
        ("moikg analyse (CLI, load included)", ["analyse", "--format", "csv"]),
        ("moikg render (CLI, load included)", ["render", "-o", str(page)]),
    ):
        row = _cli_row(stage, size, _moikg(*args, "--graph-dir", str(folder)))
        if HUNDRED_K[0] <= size <= HUNDRED_K[1]:
            row.target, row.met = "≤ 5 s at 100k", (row.seconds or 99) <= 5
        rows.append(row)
    rows.append(_settle(page, size, chromium))
    return rows


def _settle(path: Path, size: int, chromium: bool) -> Row:
    stage = "page settle (headless Chromium)"
    if not chromium or not Path("/usr/bin/chromium").exists() or not path.is_file():
        return Row(stage, size, None, note="skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page()
        page.route(
            "**/*",
            lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort(),
        )
        start = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-ready=true]", timeout=300_000)
        seconds = time.perf_counter() - start
        browser.close()
    return Row(stage, size, seconds, note=f"page {path.stat().st_size / 1e6:.1f} MB")


def metrics_20k(nodes: int = 20_000) -> Row:
    """All metrics of a generated 20k-node actor network (benchmarks/generate.py, seed 2)."""
    from generate import actor_network

    from moikg.network.analysis import analyse

    graph = actor_network(nodes, seed=2)
    seconds, analysis = _timed(lambda: analyse(graph))
    return Row(
        f"all metrics, {nodes:,}-node actor network ({len(analysis.metrics)} metrics)",
        0,
        seconds,
        _rss_mb(),
        target="≤ 20 s on 2 cores",
        met=seconds <= 20,
    )


def measure(size: int, *, chromium: bool, skip: dict[str, str], pyshacl_max: int) -> list[Row]:
    """Every stage at one size (the build, add, analyse and render as child processes)."""
    folder = generated(size)
    work = Path(tempfile.mkdtemp(prefix="moikg-bench-"))
    try:
        rows = builds(folder, work, size)
        rows += adds(folder, work, size)
        loaded, dataset = validation(folder, size, pyshacl_max)
        rows += loaded
        rows += queries(folder, dataset, size, skip)
        rows += network(folder, dataset, work, size, chromium)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return rows
