"""How long the entry points take to start: `import moikg`, `moikg --version`, `moikg --help`.

Issue 9 asks for `moikg --help` and `moikg --version` under half a second and an
`import moikg` that loads no heavy library. Each command runs ``--repeat`` times in a fresh
interpreter; the table shows the median wall time, its ratio to a bare ``python -c pass``
(the interpreter's own start-up), and the heavy libraries the command left loaded.
``--baseline SRC`` runs the same commands on another source tree (for instance a checkout
of the commit before the stage layout) and adds the ratio of the two.

    python benchmarks/bench_startup.py [--repeat 7] [--baseline /path/to/old/src]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("igraph", "networkx", "pyshacl", "pandas", "jsonschema", "numpy", "yaml", "SPARQLWrapper")
PROBE = (
    "import sys, json\ntry:\n    exec({code!r})\nexcept SystemExit:\n    pass\n"
    f"print(json.dumps([m for m in {list(HEAVY)!r} if m in sys.modules]), file=sys.stderr)"
)
COMMANDS = {
    "python -c pass": "pass",
    "import moikg": "import moikg",
    "moikg --version": "from moikg.cli import app; sys.argv = ['moikg', '--version']; app()",
    "moikg --help": "from moikg.cli import app; sys.argv = ['moikg', '--help']; app()",
}


def run(code: str, src: Path, repeat: int) -> tuple[float, float, list[str]]:
    """Median wall and CPU seconds of ``repeat`` fresh interpreters running ``code``; what loaded.

    CPU time (user + system of the child) is reported too: on a busy machine the wall time
    grows with the load, the CPU time much less.
    """
    env = {**os.environ, "PYTHONPATH": str(src)}
    probe = PROBE.format(code=code)
    times, cpu, loaded = [], [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", probe],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            cwd=ROOT,
        )
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        lines = [line for line in done.stderr.splitlines() if line.startswith("[")]
        loaded = json.loads(lines[-1]) if lines else ["?"]
    return statistics.median(times), statistics.median(cpu), loaded


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--baseline", type=Path, help="another src/ folder to compare with")
    args = parser.parse_args()
    ours = {name: run(code, ROOT / "src", args.repeat) for name, code in COMMANDS.items()}
    theirs = (
        {name: run(code, args.baseline, args.repeat) for name, code in COMMANDS.items()}
        if args.baseline
        else {}
    )
    floor = ours["python -c pass"][0]
    header = "| command | median s | CPU s | × bare python | heavy libraries loaded |"
    rule = "|---|---:|---:|---:|---|"
    if theirs:
        header += " baseline s | baseline ÷ this |"
        rule += "---:|---:|"
    print(f"{args.repeat} runs each, {sys.executable}")
    print(header)
    print(rule)
    for name, (seconds, cpu, loaded) in ours.items():
        heavy = ", ".join(loaded) or "-"
        line = f"| `{name}` | {seconds:.3f} | {cpu:.3f} | {seconds / floor:.1f} | {heavy} |"
        if theirs:
            base = theirs[name][0]
            line += f" {base:.3f} | {base / seconds:.1f} |"
        print(line)
    slow = [n for n in ("moikg --version", "moikg --help") if ours[n][0] >= 0.5]
    print("target (under 0.5 s):", "met" if not slow else f"missed by {', '.join(slow)}")
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
