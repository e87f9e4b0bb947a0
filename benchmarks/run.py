"""Benchmark every stage of moikg at several sizes, beside pyoxigraph and plain rdflib, in one run.

Issue 10 sets the targets; this prints one table and writes it, with the machine's details, to
``benchmarks/results.md``. Sources come from ``moikg generate`` (cached under
``benchmarks/.data/``). Each size runs in its own process, so peak memory is per size; the build
runs in a child process of its own and its peak RSS is that child's (``os.wait4``).

Rows: load, validate, build (time and peak RSS), add of one card (dry run: everything but the
write), each catalogue query, the actor projection, analyse, the network page (write, then
settle time in headless Chromium), each with the reference measured in the same process:
pyoxigraph's bulk load; pyoxigraph's load and write of TriG, Turtle and JSON-LD; the same query
text on a plain pyoxigraph store; plain rdflib's parse and TriG write (up to ``--rdflib-max``
triples: it needs minutes and gigabytes beyond). A row with a target says met or missed.

Run: ``python benchmarks/run.py`` (full: 10k, 100k, 1M) or ``--quick`` (1k and 3k, under two
minutes; ``.ci/run`` runs it). Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CACHE = HERE / ".data"
RESULTS = HERE / "results.md"
SEED = 1
GRAPH = "https://w3id.org/moikg/graph/"


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


def generated(size: int) -> Path:
    """The generated sources of ``size`` triples (seed 1), made once and cached."""
    folder = CACHE / f"{size}-seed{SEED}"
    if not (folder / ".done").is_file():
        from moikg.cards.synthetic import generate

        shutil.rmtree(folder, ignore_errors=True)
        generate(triples=size, seed=SEED, out_dir=folder)
        (folder / ".done").write_text("ok\n", encoding="utf-8")
    return folder


def _child(args: list[str]) -> tuple[float, float, int]:
    """Run a command; return wall seconds, its peak RSS in MB and its exit code."""
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if process.stderr is not None:
        process.stderr.close()
    return seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


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


def _busiest_org(store: Any) -> str:
    rows = store.query(
        "SELECT ?o (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?m "
        "<http://www.w3.org/ns/org#organization> ?o } } "
        "GROUP BY ?o ORDER BY DESC(?n) STR(?o) LIMIT 1"
    )
    for row in rows:
        return str(row["o"].value)
    return "https://w3id.org/moikg/id/org/gen-org-0"


def measure(
    size: int, *, rdflib_max: int, chromium: bool, skip_queries: dict[str, str]
) -> list[Row]:
    """Measure every stage at one size (in this process, except the build).

    ``skip_queries`` names catalogue queries not to run (with the reason): those that took
    longer than ``--query-cap`` at a smaller size would take minutes here.
    """
    from moikg.cards.add import add_card
    from moikg.ingest.load import load_dataset
    from moikg.ingest.validation import validate
    from moikg.network.analysis import analyse
    from moikg.network.projection import actor_graph
    from moikg.rdf.namespaces import PREFIXES
    from moikg.sparql.catalogue import catalogue
    from moikg.sparql.dispatch import query
    from moikg.sparql.prepare import prepare

    folder = generated(size)
    rows: list[Row] = []
    work = Path(tempfile.mkdtemp(prefix="moikg-bench-"))
    try:
        ref_load, store = _timed(lambda: _ox_store(folder))
        ref_write, _ = _timed(lambda: _ox_write(store, work))
        ref_build = ref_load + ref_write
        rdflib_s = None
        if size <= rdflib_max:
            rdflib_s, _ = _timed(lambda: _rdflib_load_write(folder, work))

        build_s, build_rss, code = _child(
            [
                sys.executable,
                "-m",
                "moikg",
                "build",
                "--graph-dir",
                str(folder),
                "--out",
                str(work / "build"),
            ]
        )
        rows.append(
            Row(
                "build (load, validate, write 3 formats, summary, page)",
                size,
                build_s if code == 0 else None,
                build_rss,
                "pyoxigraph load + write TriG/Turtle/JSON-LD",
                ref_build,
                note="" if code == 0 else f"exit {code}",
            )
        )
        if rdflib_s is not None:
            rows[-1].note += f"plain rdflib load + TriG: {rdflib_s:.1f} s"
        if size >= 1_000_000:
            rows[-1].target, rows[-1].met = (
                "≤ 120 s and ≤ 2 GB at 1M",
                code == 0 and build_s <= 120 and build_rss <= 2048,
            )
        elif 90_000 <= size <= 110_000:
            rows[-1].target, rows[-1].met = (
                "≤ 10× reference at 100k",
                code == 0 and build_s <= 10 * ref_build,
            )

        load_s, dataset = _timed(lambda: load_dataset(folder))
        rows.append(Row("load", size, load_s, _rss_mb(), "pyoxigraph bulk load", ref_load))
        validate_s, report = _timed(lambda: validate(dataset))
        rows.append(
            Row(
                "validate",
                size,
                validate_s,
                _rss_mb(),
                note="" if report.conforms else "NOT CONFORMING",
            )
        )

        card = _extra_card(folder, work)
        add_s, _ = _timed(lambda: add_card(card, graph_dir=folder, dry_run=True))
        rows.append(Row("add one card (dry run)", size, add_s, _rss_mb()))
        if size >= 1_000_000:
            rows[-1].target, rows[-1].met = "≤ 2 s at 1M", add_s <= 2

        org = _busiest_org(store)
        for name, entry in sorted(catalogue().items()):
            params = {p.name: org for p in entry.parameters if p.type == "IRI"}
            if name in skip_queries:
                rows.append(Row(f"query {name}", size, None, note=skip_queries[name]))
                if size >= 1_000_000:
                    rows[-1].target, rows[-1].met = "≤ 2 s and ≤ 1.5× raw at 1M", False
                continue
            try:
                text = prepare(name, params).text
                ours, _ = _timed(lambda n=name, p=params: query(n, p, dataset=dataset))
                raw, _ = _timed(
                    lambda t=text: list(
                        store.query(t, prefixes=dict(PREFIXES), use_default_graph_as_union=True)
                    )
                )
            except Exception as error:
                rows.append(Row(f"query {name}", size, None, note=f"failed: {error}"[:80]))
                continue
            row = Row(f"query {name}", size, ours, None, "same text, raw pyoxigraph", raw)
            if size >= 1_000_000:
                row.target, row.met = (
                    "≤ 2 s and ≤ 1.5× raw at 1M",
                    ours <= 2 and ours <= 1.5 * max(raw, 0.01),
                )
            rows.append(row)

        project_s, graph = _timed(lambda: actor_graph(dataset))
        rows.append(
            Row(f"projection (actor graph, {len(graph)} nodes)", size, project_s, _rss_mb())
        )
        if size >= 1_000_000:
            rows[-1].target, rows[-1].met = "≤ 20 s at 1M", project_s <= 20
        analyse_s, _ = _timed(lambda: analyse(graph))
        rows.append(Row("analyse", size, analyse_s, _rss_mb()))
        if 90_000 <= size <= 110_000:
            rows[-1].target, rows[-1].met = "≤ 5 s at 100k", analyse_s <= 5
        rows.extend(_page(graph, work, size, chromium))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return rows


def _page(graph: Any, work: Path, size: int, chromium: bool) -> list[Row]:
    from moikg.network.page import render_html

    write_s, text = _timed(lambda: render_html(graph))
    path = work / "network.html"
    path.write_text(text, encoding="utf-8")
    rows = [Row("page write (render)", size, write_s)]
    if 90_000 <= size <= 110_000:
        rows[-1].target, rows[-1].met = "≤ 5 s at 100k", write_s <= 5
    if not chromium or not Path("/usr/bin/chromium").exists():
        rows.append(Row("page settle (headless Chromium)", size, None, note="skipped: no Chromium"))
        return rows
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        page = browser.new_page()
        page.route(
            "**/*",
            lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort(),
        )
        start = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-ready=true]", timeout=300_000)
        rows.append(Row("page settle (headless Chromium)", size, time.perf_counter() - start))
        browser.close()
    return rows


def _machine() -> list[str]:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(
            int(line.split()[1]) // 1024
            for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        mem = 0
    versions = ", ".join(
        f"{name} {metadata.version(name)}"
        for name in ("moikg", "pyoxigraph", "rdflib", "pyshacl", "oxrdflib")
    )
    return [
        f"- date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"- machine: {platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores "
        f"(shared with other work), {mem} MB RAM",
        f"- Python {platform.python_version()}; {versions}",
        f"- data: `moikg generate --seed {SEED}` at each size (benchmarks/.data/)",
    ]


def _fmt(value: float | None, unit: str = "s") -> str:
    if value is None:
        return "–"
    return f"{value:.2f} {unit}" if value < 100 else f"{value:.0f} {unit}"


def table(rows: list[Row]) -> str:
    """The Markdown table of all rows."""
    out = ["| stage | triples | moikg | peak RSS | reference (same run) | ratio | target | |",
           "|---|---:|---:|---:|---|---:|---|---|"]  # fmt: skip
    for r in rows:
        ratio = f"{r.seconds / r.reference_s:.1f}×" if r.seconds and r.reference_s else ""
        ref = f"{r.reference}: {_fmt(r.reference_s)}" if r.reference else ""
        verdict = "" if r.met is None else ("met" if r.met else "**missed**")
        rss = _fmt(r.rss_mb, "MB") if r.rss_mb else ""
        note = f" ({r.note})" if r.note else ""
        out.append(
            f"| {r.stage}{note} | {r.size:,} | {_fmt(r.seconds)} | {rss} | {ref} | {ratio} "
            f"| {r.target} | {verdict} |"
        )
    return "\n".join(out)


def main() -> None:
    """Run the benchmark and write the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1k and 3k only (CI).")
    parser.add_argument("--sizes", type=int, nargs="*", help="Sizes in triples.")
    parser.add_argument(
        "--rdflib-max", type=int, default=100_000, help="Largest size for plain rdflib."
    )
    parser.add_argument("--no-chromium", action="store_true", help="Skip the page settle time.")
    parser.add_argument("--out", type=Path, default=RESULTS, help="Where to write the table.")
    parser.add_argument(
        "--query-cap", type=float, default=20.0,
        help="Skip a catalogue query at larger sizes once it took longer than this (seconds).",
    )  # fmt: skip
    parser.add_argument("--skip", default="{}", help=argparse.SUPPRESS)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        rows = measure(
            args.child, rdflib_max=args.rdflib_max, chromium=not args.no_chromium,
            skip_queries=json.loads(args.skip),
        )  # fmt: skip
        print(json.dumps([asdict(r) for r in rows]))
        return
    sizes = args.sizes or ([1_000, 3_000] if args.quick else [10_000, 100_000, 1_000_000])
    rows: list[Row] = []
    for size in sizes:
        generated(size)
        command = [
            sys.executable,
            __file__,
            "--child",
            str(size),
            "--rdflib-max",
            str(args.rdflib_max),
        ]
        if args.no_chromium:
            command.append("--no-chromium")
        slow = {
            r.stage.removeprefix("query "): r.note or f"skipped: {r.seconds:.0f} s at {r.size:,}"
            for r in rows
            if r.stage.startswith("query ")
            and (r.note.startswith("skipped") or (r.seconds or 0) > args.query_cap)
        }
        command += ["--skip", json.dumps(slow)]
        done = subprocess.run(command, check=True, capture_output=True, text=True)
        rows += [Row(**item) for item in json.loads(done.stdout.strip().splitlines()[-1])]
        print(table([r for r in rows if r.size == size]), flush=True)
    text = "# moikg benchmarks\n\n" + "\n".join(_machine()) + "\n\n" + table(rows) + "\n"
    if not args.quick or args.out != RESULTS:
        args.out.write_text(text, encoding="utf-8")
    print(f"\n{text}" if args.quick else f"wrote {args.out}")


if __name__ == "__main__":
    main()
