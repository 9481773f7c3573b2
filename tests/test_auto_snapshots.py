"""Add-ons and automatic snapshots through a real boto3 client, as the mock's clock passes
the snapshot time (docs/service-reference.md §11.5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from lightmock import LightsailMock
from tests.helpers import OTHER_REGION, REGION, T0, create_instances, shared_client

Client = Any

AT_3 = {"addOnType": "AutoSnapshot", "autoSnapshotAddOnRequest": {"snapshotTimeOfDay": "03:00"}}


def _dates(client: Client, name: str = "web-1") -> list[str]:
    return [snapshot["date"] for snapshot in client.get_auto_snapshots(resourceName=name)["autoSnapshots"]]


def _enabled(client: Client, name: str = "web-1") -> None:
    create_instances(client, name)
    client.enable_add_on(resourceName=name, addOnRequest=AT_3)


class TestAddOns:
    def test_enable_shows_in_the_record(self, client: Client) -> None:
        create_instances(client, "web-1")
        (operation,) = client.enable_add_on(resourceName="web-1", addOnRequest=AT_3)["operations"]
        assert (operation["operationType"], operation["resourceName"]) == ("EnableAddOn", "web-1")
        assert client.get_instance(instanceName="web-1")["instance"]["addOns"] == [
            {
                "name": "AutoSnapshot",
                "status": "Enabled",
                "snapshotTimeOfDay": "03:00",
                "nextSnapshotTimeOfDay": "03:00",
            }
        ]

    def test_a_time_off_the_hour_is_refused(self, client: Client) -> None:
        create_instances(client, "web-1")
        request = {"addOnType": "AutoSnapshot", "autoSnapshotAddOnRequest": {"snapshotTimeOfDay": "03:30"}}
        with pytest.raises(client.exceptions.InvalidInputException, match="HH:00"):
            client.enable_add_on(resourceName="web-1", addOnRequest=request)
        assert client.get_instance(instanceName="web-1")["instance"]["addOns"] == []

    def test_stop_on_idle_is_for_instances(self, client: Client) -> None:
        create_instances(client, "web-1")
        client.create_disk(diskName="data-1", availabilityZone="us-east-1a", sizeInGb=8)
        idle = {"addOnType": "StopInstanceOnIdle", "stopInstanceOnIdleRequest": {"threshold": "5", "duration": "30"}}
        client.enable_add_on(resourceName="web-1", addOnRequest=idle)
        assert client.get_instance(instanceName="web-1")["instance"]["addOns"] == [
            {"name": "StopInstanceOnIdle", "status": "Enabled", "threshold": "5", "duration": "30"}
        ]
        with pytest.raises(client.exceptions.InvalidInputException, match="instances only"):
            client.enable_add_on(resourceName="data-1", addOnRequest=idle)

    def test_disable_removes_it_and_keeps_the_snapshots(self, ls: LightsailMock, client: Client) -> None:
        _enabled(client)
        ls.clock.advance(days=2)
        (operation,) = client.disable_add_on(resourceName="web-1", addOnType="AutoSnapshot")["operations"]
        assert operation["operationType"] == "DisableAddOn"
        assert client.get_instance(instanceName="web-1")["instance"]["addOns"] == []
        ls.clock.advance(days=3)
        assert _dates(client) == ["2026-11-30", "2026-11-29"]
        with pytest.raises(client.exceptions.InvalidInputException, match="not enabled"):
            client.disable_add_on(resourceName="web-1", addOnType="AutoSnapshot")

    def test_unknown_resource(self, client: Client) -> None:
        with pytest.raises(client.exceptions.NotFoundException, match="does not exist"):
            client.enable_add_on(resourceName="nope", addOnRequest=AT_3)


class TestDailySnapshots:
    def test_one_a_day_at_the_time_of_day(self, ls: LightsailMock, client: Client) -> None:
        _enabled(client)
        assert _dates(client) == []
        ls.clock.advance(hours=18)  # 02:00 next day: not yet
        assert _dates(client) == []
        ls.clock.advance(hours=1)  # 03:00
        (snapshot,) = client.get_auto_snapshots(resourceName="web-1")["autoSnapshots"]
        assert snapshot["date"] == "2026-11-29"
        assert snapshot["createdAt"] == datetime(2026, 11, 29, 3, tzinfo=UTC)
        assert (snapshot["status"], snapshot["fromAttachedDisks"]) == ("Success", [])
        result = client.get_auto_snapshots(resourceName="web-1")
        assert (result["resourceName"], result["resourceType"]) == ("web-1", "Instance")

    def test_the_seven_most_recent_are_kept(self, ls: LightsailMock, client: Client) -> None:
        _enabled(client)
        ls.clock.advance(days=10)
        expected = [(T0.date() + timedelta(days=day)).isoformat() for day in range(10, 3, -1)]
        assert _dates(client) == expected  # newest first, seven of ten

    def test_a_year_at_once_keeps_the_last_week(self, ls: LightsailMock, client: Client) -> None:
        _enabled(client)
        ls.clock.advance(days=365)
        dates = _dates(client)
        assert len(dates) == 7
        assert dates[0] == (T0.date() + timedelta(days=365)).isoformat()

    def test_attached_disks_are_recorded(self, ls: LightsailMock, client: Client) -> None:
        _enabled(client)
        client.create_disk(diskName="data-1", availabilityZone="us-east-1a", sizeInGb=16)
        client.attach_disk(diskName="data-1", instanceName="web-1", diskPath="/dev/xvdf")
        ls.clock.advance(days=1)
        (snapshot,) = client.get_auto_snapshots(resourceName="web-1")["autoSnapshots"]
        assert snapshot["fromAttachedDisks"] == [{"path": "/dev/xvdf", "sizeInGb": 16}]

    def test_a_disk_with_the_add_on(self, ls: LightsailMock, client: Client) -> None:
        client.create_disk(diskName="data-1", availabilityZone="us-east-1a", sizeInGb=8, addOns=[AT_3])
        assert client.get_disk(diskName="data-1")["disk"]["addOns"][0]["snapshotTimeOfDay"] == "03:00"
        ls.clock.advance(days=2)
        result = client.get_auto_snapshots(resourceName="data-1")
        assert (result["resourceType"], [s["date"] for s in result["autoSnapshots"]]) == (
            "Disk",
            ["2026-11-30", "2026-11-29"],
        )

    def test_a_new_time_counts_from_the_call_and_never_twice_a_day(self, ls: LightsailMock, client: Client) -> None:
        _enabled(client)
        ls.clock.advance(hours=20)  # 2026-11-29 04:00: that day's snapshot is taken
        later = {"addOnType": "AutoSnapshot", "autoSnapshotAddOnRequest": {"snapshotTimeOfDay": "10:00"}}
        client.enable_add_on(resourceName="web-1", addOnRequest=later)
        ls.clock.advance(hours=8)  # past 10:00 the same day: no second one
        assert _dates(client) == ["2026-11-29"]
        ls.clock.advance(days=1)
        (newest, _) = client.get_auto_snapshots(resourceName="web-1")["autoSnapshots"]
        assert newest["createdAt"] == datetime(2026, 11, 30, 10, tzinfo=UTC)

    def test_delete_one(self, ls: LightsailMock, client: Client) -> None:
        _enabled(client)
        ls.clock.advance(days=3)
        (operation,) = client.delete_auto_snapshot(resourceName="web-1", date="2026-11-30")["operations"]
        assert (operation["resourceName"], operation["operationDetails"], operation["isTerminal"]) == (
            "web-1",
            "DeleteAutoSnapshot-2026-11-30",
            True,
        )
        assert _dates(client) == ["2026-12-01", "2026-11-29"]
        with pytest.raises(client.exceptions.NotFoundException, match="does not exist"):
            client.delete_auto_snapshot(resourceName="web-1", date="2026-11-30")


class TestDeletion:
    def test_add_ons_need_force_and_go_with_the_resource(self, ls: LightsailMock, client: Client) -> None:
        _enabled(client)
        ls.clock.advance(days=1)
        with pytest.raises(client.exceptions.InvalidInputException, match="Specify the forceDeleteAddons parameter"):
            client.delete_instance(instanceName="web-1")
        assert _dates(client) == ["2026-11-29"]
        client.delete_instance(instanceName="web-1", forceDeleteAddOns=True)
        create_instances(client, "web-1")  # a new instance of the name: none of the old one's snapshots
        assert _dates(client) == []

    def test_a_disk_with_add_ons_needs_force(self, client: Client) -> None:
        client.create_disk(diskName="data-1", availabilityZone="us-east-1a", sizeInGb=8, addOns=[AT_3])
        with pytest.raises(client.exceptions.InvalidInputException, match="cannot delete the Disk data-1 with addons"):
            client.delete_disk(diskName="data-1")
        client.delete_disk(diskName="data-1", forceDeleteAddOns=True)


class TestFromAutomaticSnapshots:
    def test_restore_an_instance_from_the_latest(self, ls: LightsailMock, client: Client) -> None:
        create_instances(client, "web-1", blueprintId="debian_12", bundleId="micro_3_0")
        client.enable_add_on(resourceName="web-1", addOnRequest=AT_3)
        ls.clock.advance(days=2)
        client.create_instances_from_snapshot(
            sourceInstanceName="web-1",
            useLatestRestorableAutoSnapshot=True,
            instanceNames=["web-2"],
            availabilityZone="us-east-1a",
            bundleId="micro_3_0",
        )
        assert client.get_instance(instanceName="web-2")["instance"]["blueprintId"] == "debian_12"

    def test_a_date_and_latest_together_are_refused(self, ls: LightsailMock, client: Client) -> None:
        _enabled(client)
        ls.clock.advance(days=2)
        with pytest.raises(client.exceptions.InvalidInputException, match="mutually exclusive"):
            client.create_instances_from_snapshot(
                sourceInstanceName="web-1",
                restoreDate="2026-11-29",
                useLatestRestorableAutoSnapshot=True,
                instanceNames=["web-2"],
                availabilityZone="us-east-1a",
                bundleId="nano_3_0",
            )
        with pytest.raises(client.exceptions.NotFoundException, match="2026-01-01"):
            client.create_instances_from_snapshot(
                sourceInstanceName="web-1",
                restoreDate="2026-01-01",
                instanceNames=["web-2"],
                availabilityZone="us-east-1a",
                bundleId="nano_3_0",
            )

    def test_a_disk_from_a_dated_one(self, ls: LightsailMock, client: Client) -> None:
        client.create_disk(diskName="data-1", availabilityZone="us-east-1a", sizeInGb=32, addOns=[AT_3])
        ls.clock.advance(days=2)
        client.create_disk_from_snapshot(
            diskName="data-2",
            sourceDiskName="data-1",
            restoreDate="2026-11-29",
            availabilityZone="us-east-1a",
            sizeInGb=32,
        )
        assert client.get_disk(diskName="data-2")["disk"]["sizeInGb"] == 32

    def test_copy_an_automatic_snapshot_to_another_region(self, ls: LightsailMock, client: Client) -> None:
        _enabled(client)
        ls.clock.advance(days=2)
        west = shared_client(OTHER_REGION)
        west.copy_snapshot(
            sourceResourceName="web-1", restoreDate="2026-11-29", targetSnapshotName="kept", sourceRegion=REGION
        )
        kept = west.get_instance_snapshot(instanceSnapshotName="kept")["instanceSnapshot"]
        assert (kept["isFromAutoSnapshot"], kept["fromInstanceName"], kept["fromBundleId"]) == (
            True,
            "web-1",
            "nano_3_0",
        )
        assert kept["location"]["regionName"] == OTHER_REGION
