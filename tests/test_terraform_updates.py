"""Terraform's AWS provider changing resources in place against ``lightmock server``: a
configuration is applied, edited, applied again; the second apply must update the resource
(the same ARN, "0 destroyed"), a plan afterwards must find no changes, and destroy must
leave nothing.

Each case is (first configuration, second configuration, check after the second apply). The
provider comes from a local mirror, as in ``tests/test_terraform.py``; without one, or
without terraform, the cases skip, saying why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from lightmock.server import LightsailServer
from tests.serving import http_client
from tests.terraform_runner import terraform_or_skip


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


def _database_arn(client: Any) -> str:
    arn: str = client.get_relational_database(relationalDatabaseName="app-db")["relationalDatabase"]["arn"]
    return arn


def _password(client: Any, version: str) -> str:
    answer = client.get_relational_database_master_user_password(
        relationalDatabaseName="app-db", passwordVersion=version
    )
    return str(answer["masterUserPassword"])


def _database_changed(client: Any) -> None:
    record = client.get_relational_database(relationalDatabaseName="app-db")["relationalDatabase"]
    assert (record["publiclyAccessible"], record["backupRetentionEnabled"], record["state"]) == (
        True,
        False,
        "available",
    )
    assert (record["preferredBackupWindow"], record["pendingModifiedValues"]) == ("09:30-10:00", {})
    assert (_password(client, "CURRENT"), _password(client, "PREVIOUS")) == ("second-password-2", "first-password-1")


_DATABASE = """
resource "aws_lightsail_database" "app" {
  relational_database_name = "app-db"
  availability_zone        = "us-east-1a"
  master_database_name     = "app"
  master_password          = "PASSWORD"
  master_username          = "dbmaster"
  blueprint_id             = "mysql_8_0"
  bundle_id                = "micro_2_0"
  publicly_accessible      = PUBLIC
  backup_retention_enabled = BACKUPS
  preferred_backup_window  = "WINDOW"
  apply_immediately        = true
  skip_final_snapshot      = true
  tags = {
    team = "data"
  }
}
"""


def _database(password: str, public: str, backups: str, window: str) -> str:
    return (
        _DATABASE.replace("PASSWORD", password)
        .replace("PUBLIC", public)
        .replace("BACKUPS", backups)
        .replace("WINDOW", window)
    )


_BALANCER = """
resource "aws_lightsail_lb" "front" {
  name              = "front"
  instance_port     = 80
  health_check_path = "PATH"
}
"""


def _balancer_arn(client: Any) -> str:
    arn: str = client.get_load_balancer(loadBalancerName="front")["loadBalancer"]["arn"]
    return arn


def _health_check_moved(client: Any) -> None:
    """UpdateLoadBalancerAttribute (docs/service-reference.md §15.2) changed the path."""
    assert client.get_load_balancer(loadBalancerName="front")["loadBalancer"]["healthCheckPath"] == "/healthz"


CASES = {
    # Issue 20: health_check_path of an aws_lightsail_lb, changed in place.
    "lb-health-check-path": Case(
        first=_BALANCER.replace("PATH", "/"),
        second=_BALANCER.replace("PATH", "/healthz"),
        arn=_balancer_arn,
        check=_health_check_moved,
    ),
    # Access, backup retention, window and master password changed by one UpdateRelationalDatabase.
    "database-settings": Case(
        first=_database("first-password-1", "false", "true", "16:00-16:30"),
        second=_database("second-password-2", "true", "false", "09:30-10:00"),
        arn=_database_arn,
        check=_database_changed,
    ),
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
    terraform = terraform_or_skip(tmp_path)
    terraform.write(case.first)
    terraform.ok("init")
    terraform.ok("apply", "-auto-approve")
    client = http_client(lightsail_server.url)
    arn = case.arn(client)

    terraform.write(case.second)
    second = terraform.ok("apply", "-auto-approve")
    assert "0 added, 1 changed, 0 destroyed" in second.stdout, second.stdout
    assert case.arn(client) == arn  # the same resource, updated in place
    case.check(client)

    terraform.ok("plan", "-detailed-exitcode")
    terraform.ok("destroy", "-auto-approve")
