"""What the old-against-new benchmarks share: an old commit's tree unpacked beside this one,
and a benchmark's worker run in a subprocess that imports ``lightmock`` from a given tree.

Imported by the benchmark scripts from their own folder (``python benchmarks/bench_x.py``
puts it first on ``sys.path``).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def unpack(commit: str) -> Path:
    """The tree of ``commit`` in a new temporary directory (``git archive``: no worktree made)."""
    tree = Path(tempfile.mkdtemp(prefix="lightmock-baseline-"))
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


@contextmanager
def baseline_tree(commit: str, given: str | None) -> Iterator[Path]:
    """The old code's tree: ``given`` if set, else ``commit`` unpacked and removed on leaving."""
    if given:
        yield Path(given)
        return
    tree = unpack(commit)
    try:
        yield tree
    finally:
        shutil.rmtree(tree, ignore_errors=True)


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


def history_digest(ls: Any, names: list[str], states: dict[str, str]) -> dict[str, Any]:
    """What two runs of a scenario must agree on: a digest of each alarm's final state and
    whole history (timestamps, states, reasons) and of the notifications, and their counts."""
    digest = hashlib.sha256()
    changes = 0
    for name in names:
        digest.update(f"{name} {states[name]}\n".encode())
        for change in ls.alarm_history(name):
            changes += 1
            digest.update(
                f"{change.timestamp.isoformat()} {change.old_state} {change.new_state} {change.reason}\n".encode()
            )
    for note in ls.notifications:
        digest.update(f"{note.alarm_name} {note.state} {note.timestamp.isoformat()} {note.protocol}\n".encode())
    return {"digest": digest.hexdigest(), "changes": changes, "notifications": len(ls.notifications)}
