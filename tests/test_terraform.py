"""Terraform's AWS provider against ``lightmock server``: every configuration in
``tests/terraform/*.tf`` applies, re-plans with no changes, and destroys, leaving every
family's listing empty.

A configuration's first line says what it needs (``# needs: CreateDisk, AttachDisk``): it
skips, saying why, while lightmock lacks one of those operations. A file may also name a
check to run between the apply and the plan (``# check: tests.terraform_checks.disks``),
a function ``(client) -> None`` that asserts what the apply made. The configurations are
independent, so `.ci/run` runs them side by side (the provider waits 5 s before its first
poll of every create).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from botocore import xform_name

from lightmock.server import LightsailServer
from lightmock.service.dispatch import answers
from lightmock.service.families import OPERATIONS, TABLE
from tests.serving import http_client
from tests.terraform_runner import terraform_or_skip

CONFIGURATIONS = sorted((Path(__file__).resolve().parent / "terraform").glob("*.tf"))


def _header(text: str, key: str) -> list[str]:
    for line in text.splitlines():
        if line.startswith(f"# {key}:"):
            return [item.strip() for item in line.split(":", 1)[1].split(",") if item.strip()]
    return []


def _empty_everywhere(client: Any) -> None:
    for kind in TABLE.kinds.values():
        if kind.listing is None or not answers(kind.listing[0]):  # an older model may lack the list
            continue
        operation, member = kind.listing
        assert getattr(client, xform_name(operation))()[member] == [], f"{operation} still lists records"


@pytest.mark.parametrize("configuration", CONFIGURATIONS, ids=lambda path: path.stem)
def test_terraform_configuration(lightsail_server: LightsailServer, tmp_path: Path, configuration: Path) -> None:
    """The configuration applies, re-plans with no changes, and destroys everything it made."""
    text = configuration.read_text(encoding="utf-8")
    missing = sorted(set(_header(text, "needs")) - set(OPERATIONS))
    if missing:
        pytest.skip(f"lightmock does not implement what {configuration.name} needs yet: {', '.join(missing)}")
    terraform = terraform_or_skip(tmp_path)
    terraform.write(text)
    terraform.ok("init")
    terraform.ok("apply", "-auto-approve")
    client = http_client(lightsail_server.url)
    for check in _header(text, "check"):
        module, _, function = check.rpartition(".")
        getattr(importlib.import_module(module), function)(client)
    plan = terraform.ok("plan", "-detailed-exitcode")  # exit code 2 would mean changes
    assert "No changes" in plan.stdout
    terraform.ok("destroy", "-auto-approve")
    _empty_everywhere(client)
