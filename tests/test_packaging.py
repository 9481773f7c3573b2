"""The lower bounds pyproject.toml promises are the versions CI installs and tests (issue 18):
``.ci/oldest.txt`` pins every run-time dependency to its bound, and ``.ci/run`` runs the
suite under those pins."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
OLDEST = ROOT / ".ci" / "oldest.txt"


def lower_bounds() -> dict[str, Version]:
    """Each run-time dependency's ``>=`` bound, by name."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    bounds: dict[str, Version] = {}
    for line in project["dependencies"]:
        requirement = Requirement(line)
        floors = [Version(spec.version) for spec in requirement.specifier if spec.operator == ">="]
        assert len(floors) == 1, f"{line!r}: a run-time dependency needs one lower bound (>=), the version CI tests"
        bounds[requirement.name] = floors[0]
    return bounds


def oldest_pins() -> dict[str, Version]:
    pins: dict[str, Version] = {}
    for line in OLDEST.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[name.strip()] = Version(version.strip())
    return pins


def test_every_lower_bound_is_pinned_for_the_oldest_run() -> None:
    """.ci/oldest.txt pins exactly the run-time dependencies, each to its lower bound."""
    assert oldest_pins() == lower_bounds()


def test_ci_runs_the_suite_under_the_pins() -> None:
    """.ci/run installs the test extra constrained by .ci/oldest.txt and runs the whole suite there."""
    script = (ROOT / ".ci" / "run").read_text()
    assert "-c .ci/oldest.txt -e '.[test]'" in script
    assert ".venv-oldest/bin/python -m pytest -n auto --dist worksteal" in script
