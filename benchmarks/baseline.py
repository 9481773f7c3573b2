"""What the old-against-new benchmarks share: an old commit's tree unpacked beside this one,
and a benchmark's worker run in a subprocess that imports ``lightmock`` from a given tree.

Imported by the benchmark scripts from their own folder (``python benchmarks/bench_x.py``
puts it first on ``sys.path``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def unpack(commit: str) -> Path:
    """The tree of ``commit`` in a new temporary directory (``git archive``: no worktree made)."""
    tree = Path(tempfile.mkdtemp(prefix="lightmock-baseline-"))
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


def run_worker(script: str, code: Path, *arguments: str) -> dict[str, Any]:
    """``script --worker ARGUMENTS`` in a subprocess importing ``lightmock`` from ``code``: the
    JSON object its last line prints."""
    environment = dict(os.environ, PYTHONPATH=str(code))
    command = [sys.executable, str(Path(script).resolve()), "--worker", *arguments]
    done = subprocess.run(command, env=environment, cwd=tempfile.gettempdir(), capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"the run on {code} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result
