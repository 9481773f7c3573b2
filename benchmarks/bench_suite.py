"""The test suite's time: the commit issue 11 started from against this one, in one run.

Issue 11 asks that the whole suite take at most half the time it took on the commit the
issue started from (093ed35), on the same machine. Each tree is a fresh checkout (a
``git worktree`` of 093ed35, a ``git clone`` of this checkout's HEAD) with a fresh virtual
environment, set up with the README's own command of that commit: the venv and install
steps untimed, then its test command timed. This checkout's suite is also timed serially
(``-p no:xdist``), to show what the README's ``-n auto`` gives on this machine's cores.

The environment is the caller's, ``PYTHONDONTWRITEBYTECODE`` included (where it is set,
every run compiles and assertion-rewrites from source, as CI does in a fresh clone).
The Node SDK of ``.cache/node`` is linked into the clone, as ``.ci/run`` provides it.

Run: ``python benchmarks/bench_suite.py`` (about five minutes: two installs, three suites).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_engine_scale import BASELINE_COMMIT

ROOT = Path(__file__).resolve().parent.parent
TARGET = 0.5


def readme_steps(tree: Path) -> list[str]:
    """The README's set-up-and-test line of ``tree``, split at ``&&``: venv, install, tests."""
    for line in (tree / "README.md").read_text().splitlines():
        if line.startswith("python3 -m venv") and "-m pytest" in line:
            return [step.strip() for step in line.split("&&")]
    raise SystemExit(f"{tree / 'README.md'} has no venv-install-pytest line")


def run_suite(tree: Path, command: str) -> tuple[float, str]:
    """Seconds the test command took in ``tree``, and pytest's summary line."""
    start = time.perf_counter()
    done = subprocess.run(shlex.split(command), cwd=tree, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    lines = [line for line in done.stdout.splitlines() if re.search(r"\d+ (passed|failed)", line)]
    summary = lines[-1].strip("= ") if lines else done.stdout[-300:]
    if done.returncode:
        raise SystemExit(f"the suite failed in {tree}:\n{done.stdout[-3000:]}\n{done.stderr[-2000:]}")
    return seconds, summary


def set_up(tree: Path) -> str:
    """Make ``tree``'s venv as its README says; return its test command."""
    *install, test = readme_steps(tree)
    for step in install:
        subprocess.run(step, shell=True, cwd=tree, check=True)
    return test


def main() -> int:
    scratch = Path(tempfile.mkdtemp(prefix="lightmock-suite-"))
    old, new = scratch / "old", scratch / "new"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(old), BASELINE_COMMIT], check=True)
    try:
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(new)], check=True)
        if (ROOT / ".cache").is_dir():
            os.symlink(ROOT / ".cache", new / ".cache")
        old_command, new_command = set_up(old), set_up(new)
        print(f"{os.cpu_count()} cores; PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '')!r}")
        runs = [
            (f"{BASELINE_COMMIT}: {old_command}", old, old_command),
            (f"this: {new_command}", new, new_command),
            ("this, serially", new, new_command.split(" -n ")[0] + " -p no:xdist"),
        ]
        seconds = {}
        for label, tree, command in runs:
            seconds[label], summary = run_suite(tree, command)
            print(f"{label:<60}{seconds[label]:>8.1f} s   {summary}")
        baseline, readme = seconds[runs[0][0]], seconds[runs[1][0]]
        print(f"README command, this / {BASELINE_COMMIT}: {readme / baseline:.2f} (target <= {TARGET})")
        print(f"serially, this / {BASELINE_COMMIT}: {seconds[runs[2][0]] / baseline:.2f}")
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old)], check=False)
        subprocess.run(["rm", "-rf", str(scratch)], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
