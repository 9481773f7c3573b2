"""Real clients of snapshots against the mock, each making its calls as its own source makes
them (read for the facts, not copied):

- AWS's auto-snapshot Lambda (``amazon-archives/lightsail-auto-snapshots``,
  ``lambda/index.py``): every run lists the instances (GetInstances, following
  ``nextPageToken`` with ``pageToken``), snapshots each (CreateInstanceSnapshot named
  ``<instance>-system-<epoch ms>-auto``), lists the snapshots the same way, and deletes
  (DeleteInstanceSnapshot) those whose name ends in ``auto`` and whose ``createdAt`` is older
  than its retention (``RETENTION_DAYS``). The harness here runs that logic once a day of
  the mock's clock.
- Ansible's ``community.aws.lightsail_snapshot``: ``state=present`` reads the snapshot
  (GetInstanceSnapshot, NotFoundException meaning absent), creates it if absent, and polls
  every 5 s while it is ``pending``; ``state=absent`` deletes it if present. A second run
  changes nothing.
- The AWS CLI over HTTP: a snapshot rotation across regions (create in one, copy to
  another, delete the oldest copy).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

from lightmock import LightsailMock, mock_lightsail
from lightmock.server import LightsailServer
from tests.helpers import T0, create_instances, shared_client
from tests.serving import clean_environment, http_client

Client = Any


# -- the auto-snapshot Lambda ---------------------------------------------------------------


def _all_pages(call: Callable[..., dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """The Lambda's ``_get_paginated_collection``: ``pageToken`` only when there is one, and
    the next page while the response has a ``nextPageToken``."""
    collection: list[dict[str, Any]] = []
    token = None
    while True:
        response = call(**({"pageToken": token} if token is not None else {}))
        collection += response[key]
        if "nextPageToken" not in response:
            return collection
        token = response["nextPageToken"]


def run_auto_snapshot_lambda(client: Client, now_ms: int, retention: timedelta) -> None:
    """One invocation of the Lambda's handler, at ``now_ms`` (its ``time()``) on the mock's clock."""
    for instance in _all_pages(client.get_instances, "instances"):
        name = "{}-system-{}-{}".format(instance["name"], now_ms, "auto")
        client.create_instance_snapshot(instanceName=instance["name"], instanceSnapshotName=name)
    for snapshot in _all_pages(client.get_instance_snapshots, "instanceSnapshots"):
        elapsed = timedelta(milliseconds=now_ms) - timedelta(seconds=snapshot["createdAt"].timestamp())
        if snapshot["name"].endswith("auto") and elapsed > retention:
            client.delete_instance_snapshot(instanceSnapshotName=snapshot["name"])


@pytest.fixture
def paged() -> Iterator[LightsailMock]:
    """A mock with pages of three, so that the Lambda's paging is exercised."""
    with mock_lightsail(page_size=3) as mock:
        mock.clock.freeze(T0)
        yield mock


def test_the_lambda_keeps_its_retention(paged: LightsailMock) -> None:
    client = shared_client()
    create_instances(client, "web-1", "web-2", "web-3", "web-4")
    client.create_instance_snapshot(instanceName="web-1", instanceSnapshotName="before-upgrade")  # not the Lambda's
    for _ in range(12):  # once a day, as its CloudWatch schedule runs it
        run_auto_snapshot_lambda(client, int(paged.clock.time() * 1000), retention=timedelta(days=5))
        paged.clock.advance(days=1)
    names = [snapshot["name"] for snapshot in _all_pages(client.get_instance_snapshots, "instanceSnapshots")]
    assert "before-upgrade" in names
    auto = [name for name in names if name.endswith("-auto")]
    # Runs on days 0..11, each keeping what is at most 5 days old when it runs (day 11): days 6..11.
    assert len(auto) == 4 * 6
    kept_days = sorted({int(name.split("-")[-2]) for name in auto})
    assert kept_days == [int((T0.timestamp() + day * 86400) * 1000) for day in range(6, 12)]
    assert all(snapshot["state"] == "available" for snapshot in client.get_instance_snapshots()["instanceSnapshots"])


# -- community.aws.lightsail_snapshot -------------------------------------------------------


def _find(client: Client, name: str) -> dict[str, Any] | None:
    try:
        return client.get_instance_snapshot(instanceSnapshotName=name)["instanceSnapshot"]  # type: ignore[no-any-return]
    except ClientError as error:
        if error.response["Error"]["Code"] == "NotFoundException":
            return None
        raise


def ansible_present(client: Client, snapshot: str, instance: str, sleep: Callable[[float], None]) -> tuple[bool, Any]:
    """``state=present, wait=true``: (changed, the snapshot as the module returns it)."""
    found = _find(client, snapshot)
    if found is not None:
        return False, found
    client.create_instance_snapshot(instanceSnapshotName=snapshot, instanceName=instance)
    polls = 0
    while polls < 60:  # wait_timeout 300 s at one poll every 5 s
        found = _find(client, snapshot)
        assert found is not None
        if found["state"] != "pending":
            return True, found
        sleep(5)
        polls += 1
    raise AssertionError(f"timed out waiting for {snapshot}")


def ansible_absent(client: Client, snapshot: str) -> bool:
    """``state=absent``: whether it changed anything."""
    if _find(client, snapshot) is None:
        return False
    client.delete_instance_snapshot(instanceSnapshotName=snapshot)
    return True


def test_ansible_lightsail_snapshot_is_idempotent(ls: LightsailMock, client: Client) -> None:
    create_instances(client, "web-1")
    ls.set_transitions("clock")  # the module's wait loop polls while the clock moves on
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        ls.clock.advance(seconds=seconds)

    changed, snapshot = ansible_present(client, "my_snapshot", "web-1", sleep)
    assert changed
    assert (snapshot["state"], snapshot["fromInstanceName"]) == ("available", "web-1")
    assert slept  # it waited through pending
    assert ansible_present(client, "my_snapshot", "web-1", sleep)[0] is False
    assert ansible_absent(client, "my_snapshot") is True
    assert ansible_absent(client, "my_snapshot") is False
    assert client.get_instance_snapshots()["instanceSnapshots"] == []


# -- the AWS CLI over HTTP ------------------------------------------------------------------


def _aws(server: LightsailServer, region: str, *arguments: str) -> Any:
    done = subprocess.run(
        [sys.executable, "-m", "awscli", "lightsail", *arguments, "--endpoint-url", server.url, "--region", region],
        capture_output=True,
        text=True,
        timeout=120,
        env=clean_environment(),
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout) if done.stdout.strip() else None


def test_cli_rotates_snapshots_across_regions(lightsail_server: LightsailServer) -> None:
    """Snapshot in us-east-1, copy each to us-west-2, keep the two newest copies there."""
    server = lightsail_server
    server.mock.clock.freeze(T0)
    create_instances(http_client(server.url), "web-1")
    for day in range(3):
        name = f"web-1-day-{day}"
        _aws(
            server,
            "us-east-1",
            "create-instance-snapshot",
            "--instance-name",
            "web-1",
            "--instance-snapshot-name",
            name,
        )
        copied = _aws(
            server,
            "us-west-2",
            "copy-snapshot",
            "--source-snapshot-name",
            name,
            "--target-snapshot-name",
            f"{name}-dr",
            "--source-region",
            "us-east-1",
        )
        assert copied["operations"][0]["location"]["regionName"] == "us-west-2"
        server.mock.clock.advance(days=1)
    copies = _aws(server, "us-west-2", "get-instance-snapshots")["instanceSnapshots"]
    oldest = min(copies, key=lambda snapshot: snapshot["createdAt"])
    _aws(server, "us-west-2", "delete-instance-snapshot", "--instance-snapshot-name", oldest["name"])
    west = http_client(server.url, region="us-west-2")
    assert [s["name"] for s in west.get_instance_snapshots()["instanceSnapshots"]] == [
        "web-1-day-1-dr",
        "web-1-day-2-dr",
    ]
    east = http_client(server.url)
    assert len(east.get_instance_snapshots()["instanceSnapshots"]) == 3
