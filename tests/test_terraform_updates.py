"""Terraform's AWS provider changing resources in place against ``lightmock server``: a
configuration is applied, edited, applied again; the second apply must update the resource
(the same ARN, "0 destroyed"), a plan afterwards must find no changes, and destroy must
leave nothing.

Each case is (first configuration, second configuration, check after the second apply). The
provider comes from a local mirror, as in ``tests/test_terraform.py``; without one, or
without terraform, the cases skip, saying why.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from lightmock.server import LightsailServer
from tests.serving import http_client
from tests.test_server_clients import _AWS_PROVIDER, PLUGIN_DIR_VARIABLE, find_aws_provider
from tests.test_terraform import PROVIDER


@dataclass(frozen=True)
class Case:
    first: str
    second: str
    #: The ARN of the resource that must survive the change, read through a client.
    arn: Callable[[Any], str]
    check: Callable[[Any], None]


def _bucket_arn(client: Any) -> str:
    arn: str = client.get_buckets(bucketName="lightmock-tf-update")["buckets"][0]["arn"]
    return arn


def _bucket_changed(client: Any) -> None:
    bucket = client.get_buckets(bucketName="lightmock-tf-update")["buckets"][0]
    assert bucket["bundleId"] == "medium_1_0"
    assert bucket["ableToUpdateBundle"] is False


_BUCKET = """
resource "aws_lightsail_bucket" "assets" {
  name      = "lightmock-tf-update"
  bundle_id = "BUNDLE"
}
"""

def _service_arn(client: Any) -> str:
    arn: str = client.get_container_services(serviceName="tf-update")["containerServices"][0]["arn"]
    return arn


def _service_scaled(client: Any) -> None:
    service = client.get_container_services(serviceName="tf-update")["containerServices"][0]
    assert (service["scale"], service["state"]) == (2, "READY")


_SERVICE = """
resource "aws_lightsail_container_service" "web" {
  name  = "tf-update"
  power = "nano"
  scale = SCALE
}
"""

CASES = {
    "bucket-bundle": Case(
        first=_BUCKET.replace("BUNDLE", "small_1_0"),
        second=_BUCKET.replace("BUNDLE", "medium_1_0"),
        arn=_bucket_arn,
        check=_bucket_changed,
    ),
    "container-service-scale": Case(
        first=_SERVICE.replace("SCALE", "1"),
        second=_SERVICE.replace("SCALE", "2"),
        arn=_service_arn,
        check=_service_scaled,
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_terraform_updates_in_place(lightsail_server: LightsailServer, tmp_path: Path, name: str) -> None:
    case = CASES[name]
    terraform = shutil.which("terraform")
    if terraform is None:
        pytest.skip("terraform is not installed")
    found = find_aws_provider()
    if found is None:
        pytest.skip(f"no local copy of the hashicorp/aws provider: set {PLUGIN_DIR_VARIABLE} (see docs/server.md)")
    mirror, version = found
    cli_config = tmp_path / "cli.tfrc"
    cli_config.write_text(
        f'provider_installation {{\n  filesystem_mirror {{\n    path = "{mirror}"\n'
        f'    include = ["{_AWS_PROVIDER}"]\n  }}\n}}\ndisable_checkpoint = true\n',
        encoding="utf-8",
    )
    work = tmp_path / "config"
    work.mkdir()
    provider = PROVIDER.replace("VERSION", version)
    env = {**os.environ, "TF_CLI_CONFIG_FILE": str(cli_config), "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"}

    def run(*arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [terraform, *arguments, "-input=false", "-no-color"],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )

    (work / "main.tf").write_text(provider + case.first, encoding="utf-8")
    init = run("init")
    assert init.returncode == 0, init.stdout + init.stderr
    first = run("apply", "-auto-approve")
    assert first.returncode == 0, first.stdout + first.stderr
    client = http_client(lightsail_server.url)
    arn = case.arn(client)

    (work / "main.tf").write_text(provider + case.second, encoding="utf-8")
    second = run("apply", "-auto-approve")
    assert second.returncode == 0, second.stdout + second.stderr
    assert "0 added, 1 changed, 0 destroyed" in second.stdout, second.stdout
    assert case.arn(client) == arn  # the same resource, updated in place
    case.check(client)

    plan = run("plan", "-detailed-exitcode")
    assert plan.returncode == 0, plan.stdout + plan.stderr
    destroy = run("destroy", "-auto-approve")
    assert destroy.returncode == 0, destroy.stdout + destroy.stderr
