"""The AWS CLI's own disk and snapshot examples (``awscli/examples/lightsail/*.rst``), run
in-process against the mock: the commands as written there, and records with the members
the examples' captured output shows."""

from __future__ import annotations

import pytest

from lightmock import LightsailMock
from tests.test_awscli import Cli

clidriver = pytest.importorskip("awscli.clidriver", reason="awscli is in the test extra: pip install -e '.[test]'")

#: The members of the records in get-disk.rst (attached), get-instance-snapshot.rst,
#: get-disk-snapshot.rst and get-auto-snapshots.rst.
ATTACHED_DISK = {
    "name", "arn", "supportCode", "createdAt", "location", "resourceType", "tags", "sizeInGb", "isSystemDisk",
    "iops", "path", "state", "attachedTo", "isAttached", "attachmentState",
}  # fmt: skip
INSTANCE_SNAPSHOT = {
    "name", "arn", "supportCode", "createdAt", "location", "resourceType", "tags", "state", "fromAttachedDisks",
    "fromInstanceName", "fromInstanceArn", "fromBlueprintId", "fromBundleId", "isFromAutoSnapshot", "sizeInGb",
}  # fmt: skip
DISK_SNAPSHOT = {
    "name", "arn", "supportCode", "createdAt", "location", "resourceType", "tags", "sizeInGb", "state", "progress",
    "fromDiskName", "fromDiskArn", "isFromAutoSnapshot",
}  # fmt: skip


@pytest.fixture
def aws(ls: LightsailMock, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(capsys)


def test_disk_examples(aws: Cli) -> None:
    aws.ok("create-instances", "--instance-names", "WordPress_Multisite-1", "--availability-zone", "us-east-1a",
           "--blueprint-id", "wordpress", "--bundle-id", "nano_3_0")  # fmt: skip
    aws.ok("create-disk", "--disk-name", "Disk-1", "--availability-zone", "us-east-1a", "--size-in-gb", "32")
    attached = aws.ok(
        "attach-disk", "--disk-name", "Disk-1", "--disk-path", "/dev/xvdf", "--instance-name", "WordPress_Multisite-1"
    )
    assert [op["resourceType"] for op in attached["operations"]] == ["Disk", "Instance"]
    disk = aws.ok("get-disk", "--disk-name", "Disk-1")["disk"]
    assert set(disk) - {"addOns"} == ATTACHED_DISK
    assert (disk["state"], disk["attachmentState"]) == ("in-use", "attached")
    snapshot = aws.ok("create-disk-snapshot", "--disk-name", "Disk-1", "--disk-snapshot-name", "DiskSnapshot-1")
    assert [op["operationDetails"] for op in snapshot["operations"]] == ["Disk-1", "DiskSnapshot-1"]
    record = aws.ok("get-disk-snapshot", "--disk-snapshot-name", "DiskSnapshot-1")["diskSnapshot"]
    assert set(record) == DISK_SNAPSHOT
    aws.ok("create-disk-from-snapshot", "--disk-name", "Disk-2", "--disk-snapshot-name", "DiskSnapshot-1",
           "--availability-zone", "us-east-1a", "--size-in-gb", "32")  # fmt: skip
    aws.ok("delete-disk-snapshot", "--disk-snapshot-name", "DiskSnapshot-1")
    aws.ok("delete-disk", "--disk-name", "Disk-2")


def test_instance_snapshot_examples(ls: LightsailMock, aws: Cli) -> None:
    aws.ok("create-instances", "--instance-names", "WordPress-1", "--availability-zone", "us-east-1a",
           "--blueprint-id", "wordpress", "--bundle-id", "nano_3_0")  # fmt: skip
    aws.ok("create-instance-snapshot", "--instance-name", "WordPress-1",
           "--instance-snapshot-name", "WordPress-Snapshot-1")  # fmt: skip
    record = aws.ok("get-instance-snapshot", "--instance-snapshot-name", "WordPress-Snapshot-1")["instanceSnapshot"]
    assert set(record) - {"progress"} == INSTANCE_SNAPSHOT
    aws.ok("create-instances-from-snapshot", "--instance-snapshot-name", "WordPress-Snapshot-1", "--instance-names",
           "WordPress-2", "--availability-zone", "us-east-1a", "--bundle-id", "small_3_0")  # fmt: skip
    aws.ok("enable-add-on", "--resource-name", "WordPress-1",
           "--add-on-request", "addOnType=AutoSnapshot,autoSnapshotAddOnRequest={snapshotTimeOfDay=06:00}")  # fmt: skip
    ls.clock.advance(days=3)
    auto = aws.ok("get-auto-snapshots", "--resource-name", "WordPress-1")
    members = {"date", "createdAt", "status", "fromAttachedDisks"}
    assert [set(snapshot) for snapshot in auto["autoSnapshots"]] == [members] * 3
    date = auto["autoSnapshots"][-1]["date"]
    copied = aws.ok("copy-snapshot", "--source-resource-name", "WordPress-1", "--restore-date", date,
                    "--target-snapshot-name", "WordPress-1-kept", "--source-region", "us-east-1")  # fmt: skip
    assert copied["operations"][0]["operationDetails"] == "us-east-1:WordPress-1"
    deleted = aws.ok("delete-auto-snapshot", "--resource-name", "WordPress-1", "--date", date)
    assert deleted["operations"][0]["operationDetails"] == f"DeleteAutoSnapshot-{date}"
    aws.ok("export-snapshot", "--source-snapshot-name", "WordPress-1-kept")
    (export,) = aws.ok("get-export-snapshot-records")["exportSnapshotRecords"]
    assert set(export) == {
        "name", "arn", "createdAt", "location", "resourceType", "state", "sourceInfo", "destinationInfo"
    }  # fmt: skip
    aws.ok("delete-instance-snapshot", "--instance-snapshot-name", "WordPress-Snapshot-1")
