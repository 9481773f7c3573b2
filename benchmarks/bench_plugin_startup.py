"""What merely having lightmock installed costs a pytest run that never uses it.

The plugin is an entry point, so it loads in every pytest start of the environment (once
per xdist worker). This runs ``python -m pytest`` on a directory with one trivial test,
with the plugin (as installed) and without it (``-p no:lightmock``), alternating, and
reports the median CPU time (user + system, of the child) of each and their ratio, which
should be at most 1.10. CPU time rather than wall time, because the machines here are
shared and busy; only the ratio taken in one run means anything.

Run: ``python benchmarks/bench_plugin_startup.py`` (``--rounds N``, default 15).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

TRIVIAL_TEST = "def test_nothing():\n    assert 1 + 1 == 2\n"


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(directory: Path, *extra: str) -> float:
    """CPU seconds of one ``pytest`` run on ``directory``."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *extra, str(directory)]
    before = _child_cpu()
    # Bytecode caching stays on, as users have it: pytest rewrites the asserts of a plugin's
    # package and caches the result, which the warm-up runs below fill.
    subprocess.run(command, cwd=directory, check=True, capture_output=True)
    return _child_cpu() - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        (directory / "test_trivial.py").write_text(TRIVIAL_TEST)
        (directory / "pytest.ini").write_text("[pytest]\n")  # keep any outer configuration out
        run_once(directory)  # warm the file cache and bytecode of both variants
        run_once(directory, "-p", "no:lightmock")
        with_plugin: list[float] = []
        without: list[float] = []
        for _ in range(args.rounds):
            with_plugin.append(run_once(directory))
            without.append(run_once(directory, "-p", "no:lightmock"))
    a, b = statistics.median(with_plugin), statistics.median(without)
    print(f"pytest start, CPU seconds (median of {args.rounds} alternating runs)")
    print(f"  without lightmock's plugin: {b:.3f}")
    print(f"  with lightmock's plugin:    {a:.3f}")
    print(f"  ratio: {a / b:.3f} (target: at most 1.10)")


if __name__ == "__main__":
    main()
