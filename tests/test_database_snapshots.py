"""Database snapshots, restores from a snapshot or a point in time, DeleteRelationalDatabase's
final snapshot and the database's events, through a real boto3 client (shapes as the aws-cli
examples show them)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from lightmock import LightsailMock, mock_lightsail
from tests.helpers import ACCOUNT, REGION, T0, UUID, create_database, refusal, shared_client

Client = Any
T0_EPOCH = T0.timestamp()


def snapshot_of(client: Client, database: str = "db-1", name: str = "snap-1", **extra: Any) -> list[dict[str, Any]]:
    operations: list[dict[str, Any]] = client.create_relational_database_snapshot(
        relationalDatabaseName=database, relationalDatabaseSnapshotName=name, **extra
    )["operations"]
    return operations


def database(client: Client, name: str = "db-1") -> dict[str, Any]:
    record: dict[str, Any] = client.get_relational_database(relationalDatabaseName=name)["relationalDatabase"]
    return record


def everything(client: Client) -> tuple[Any, ...]:
    return (
        client.get_relational_databases()["relationalDatabases"],
        client.get_relational_database_snapshots()["relationalDatabaseSnapshots"],
        client.get_operations()["operations"],
    )


def rejected(client: Client, call: Any) -> tuple[str, str]:
    """The error ``call`` raises, once it is checked that nothing changed."""
    before = everything(client)
    error = refusal(call)
    assert everything(client) == before
    return error


class TestSnapshots:
    def test_create_reports_two_operations_as_the_example(self, client: Client) -> None:
        create_database(client, "db-1", tags=[{"key": "team", "value": "data"}])
        operations = snapshot_of(client)
        assert [
            (op["resourceName"], op["resourceType"], op["location"]["availabilityZone"], op["operationDetails"])
            for op in operations
        ] == [
            ("snap-1", "RelationalDatabaseSnapshot", "all", "db-1"),
            ("db-1", "RelationalDatabase", f"{REGION}a", "snap-1"),
        ]
        assert {(op["operationType"], op["status"], op["isTerminal"]) for op in operations} == {
            ("CreateRelationalDatabaseSnapshot", "Started", False)
        }

    def test_the_record_describes_its_source(self, client: Client) -> None:
        create_database(client, "db-1", relationalDatabaseBundleId="small_2_0")
        snapshot_of(client, tags=[{"key": "k", "value": "v"}])
        snapshot = client.get_relational_database_snapshot(relationalDatabaseSnapshotName="snap-1")[
            "relationalDatabaseSnapshot"
        ]
        source = database(client)
        assert re.fullmatch(rf"arn:aws:lightsail:{REGION}:{ACCOUNT}:RelationalDatabaseSnapshot/{UUID}", snapshot["arn"])
        assert re.fullmatch(r"\d{12}/ls-[0-9a-f]{40}", snapshot["supportCode"])
        assert snapshot["location"] == {"availabilityZone": "all", "regionName": REGION}
        assert snapshot["tags"] == [{"key": "k", "value": "v"}]
        assert (snapshot["state"], snapshot["engine"], snapshot["engineVersion"], snapshot["sizeInGb"]) == (
            "available",
            "mysql",
            source["engineVersion"],
            80,
        )
        assert (
            snapshot["fromRelationalDatabaseName"],
            snapshot["fromRelationalDatabaseArn"],
            snapshot["fromRelationalDatabaseBundleId"],
            snapshot["fromRelationalDatabaseBlueprintId"],
        ) == ("db-1", source["arn"], "small_2_0", "mysql_8_0")

    def test_a_snapshot_outlives_its_database(self, client: Client) -> None:
        create_database(client, "db-1")
        snapshot_of(client)
        client.delete_relational_database(relationalDatabaseName="db-1", skipFinalSnapshot=True)
        [snapshot] = client.get_relational_database_snapshots()["relationalDatabaseSnapshots"]
        assert snapshot["fromRelationalDatabaseName"] == "db-1"

    def test_a_database_between_states_is_refused(self, ls: LightsailMock, client: Client) -> None:
        ls.set_transitions("hold")
        create_database(client, "db-1")
        code, message = rejected(client, lambda: snapshot_of(client))
        assert code == "OperationFailureException"
        assert "creating" in message

    def test_unknown_database(self, client: Client) -> None:
        code, message = rejected(client, lambda: snapshot_of(client, "nope"))
        assert (code, message) == ("NotFoundException", "The RelationalDatabase does not exist: nope")

    def test_creating_then_available_and_deleted_once_available(self, ls: LightsailMock, client: Client) -> None:
        create_database(client, "db-1")
        ls.set_transitions("hold")
        snapshot_of(client)
        get = client.get_relational_database_snapshot
        assert get(relationalDatabaseSnapshotName="snap-1")["relationalDatabaseSnapshot"]["state"] == "creating"
        code, _ = rejected(
            client, lambda: client.delete_relational_database_snapshot(relationalDatabaseSnapshotName="snap-1")
        )
        assert code == "OperationFailureException"
        assert ls.finish_transitions("snap-1") == 1
        assert get(relationalDatabaseSnapshotName="snap-1")["relationalDatabaseSnapshot"]["state"] == "available"
        [op] = client.delete_relational_database_snapshot(relationalDatabaseSnapshotName="snap-1")["operations"]
        assert (op["operationType"], op["status"], op["isTerminal"], op["location"]["availabilityZone"]) == (
            "DeleteRelationalDatabaseSnapshot",
            "Succeeded",
            True,
            "all",
        )


class TestFinalSnapshot:
    def test_delete_takes_the_final_snapshot_named(self, client: Client) -> None:
        create_database(client, "db-1")
        operations = client.delete_relational_database(
            relationalDatabaseName="db-1", finalRelationalDatabaseSnapshotName="final-1"
        )["operations"]
        assert [(op["resourceName"], op["operationType"]) for op in operations] == [
            ("final-1", "CreateRelationalDatabaseSnapshot"),
            ("db-1", "CreateRelationalDatabaseSnapshot"),
            ("db-1", "DeleteRelationalDatabase"),
        ]
        assert client.get_relational_databases()["relationalDatabases"] == []
        snapshot = client.get_relational_database_snapshot(relationalDatabaseSnapshotName="final-1")[
            "relationalDatabaseSnapshot"
        ]
        assert (snapshot["state"], snapshot["fromRelationalDatabaseName"]) == ("available", "db-1")

    def test_a_final_snapshot_name_in_use_keeps_the_database(self, client: Client) -> None:
        create_database(client, "db-1")
        snapshot_of(client, name="taken")
        code, message = rejected(
            client,
            lambda: client.delete_relational_database(
                relationalDatabaseName="db-1", finalRelationalDatabaseSnapshotName="taken"
            ),
        )
        assert (code, "already in use" in message) == ("InvalidInputException", True)

    def test_skip_deletes_without_one(self, client: Client) -> None:
        create_database(client, "db-1")
        client.delete_relational_database(relationalDatabaseName="db-1", skipFinalSnapshot=True)
        assert client.get_relational_database_snapshots()["relationalDatabaseSnapshots"] == []


class TestRestoreFromSnapshot:
    def test_the_new_database_is_the_snapshot_s_data(self, client: Client) -> None:
        create_database(
            client, "db-1", masterDatabaseName="shop", masterUsername="owner", masterUserPassword="s3cret-pw"
        )
        snapshot_of(client)
        [op] = client.create_relational_database_from_snapshot(
            relationalDatabaseName="db-2", relationalDatabaseSnapshotName="snap-1", availabilityZone=f"{REGION}b"
        )["operations"]
        assert (op["resourceName"], op["operationType"], op["status"], op["isTerminal"]) == (
            "db-2",
            "CreateRelationalDatabaseFromSnapshot",
            "Started",
            False,
        )
        assert "operationDetails" not in op
        restored, source = database(client, "db-2"), database(client, "db-1")
        assert restored["state"] == "available"
        assert restored["location"]["availabilityZone"] == f"{REGION}b"
        assert (restored["masterDatabaseName"], restored["masterUsername"]) == ("shop", "owner")
        assert restored["relationalDatabaseBundleId"] == "micro_2_0"
        assert restored["publiclyAccessible"] is False
        assert restored["masterEndpoint"]["address"] != source["masterEndpoint"]["address"]
        assert restored["arn"] != source["arn"]
        password = client.get_relational_database_master_user_password(relationalDatabaseName="db-2")
        assert password["masterUserPassword"] == "s3cret-pw"

    def test_a_larger_bundle_and_public_access(self, client: Client) -> None:
        create_database(client, "db-1")
        snapshot_of(client)
        client.create_relational_database_from_snapshot(
            relationalDatabaseName="db-2",
            relationalDatabaseSnapshotName="snap-1",
            relationalDatabaseBundleId="medium_2_0",
            publiclyAccessible=True,
        )
        restored = database(client, "db-2")
        assert (restored["relationalDatabaseBundleId"], restored["hardware"]["diskSizeInGb"]) == ("medium_2_0", 120)
        assert restored["publiclyAccessible"] is True

    @pytest.mark.parametrize(
        ("extra", "code", "words"),
        [
            ({"relationalDatabaseBundleId": "micro_2_0"}, "InvalidInputException", "smaller than the bundle"),
            ({"relationalDatabaseBundleId": "huge_9_0"}, "InvalidInputException", "does not exist"),
            ({"useLatestRestorableTime": True}, "InvalidInputException", "not from a snapshot"),
            ({"sourceRelationalDatabaseName": "db-1"}, "InvalidInputException", "Specify one of"),
            ({"availabilityZone": "us-west-2a"}, "InvalidInputException", "availability zone"),
        ],
    )
    def test_refused(self, client: Client, extra: dict[str, Any], code: str, words: str) -> None:
        create_database(client, "db-1", relationalDatabaseBundleId="small_2_0")
        snapshot_of(client)
        got, message = rejected(
            client,
            lambda: client.create_relational_database_from_snapshot(
                relationalDatabaseName="db-2", relationalDatabaseSnapshotName="snap-1", **extra
            ),
        )
        assert got == code
        assert words in message

    def test_neither_source_is_refused(self, client: Client) -> None:
        code, _ = rejected(client, lambda: client.create_relational_database_from_snapshot(relationalDatabaseName="d2"))
        assert code == "InvalidInputException"

    def test_an_unknown_snapshot_or_a_name_in_use(self, client: Client) -> None:
        create_database(client, "db-1")
        snapshot_of(client)
        code, _ = rejected(
            client,
            lambda: client.create_relational_database_from_snapshot(
                relationalDatabaseName="db-2", relationalDatabaseSnapshotName="nope"
            ),
        )
        assert code == "NotFoundException"
        code, message = rejected(
            client,
            lambda: client.create_relational_database_from_snapshot(
                relationalDatabaseName="db-1", relationalDatabaseSnapshotName="snap-1"
            ),
        )
        assert (code, "already in use" in message) == ("InvalidInputException", True)


class TestPointInTime:
    def test_latest_restorable_time_trails_the_clock(self, ls: LightsailMock, client: Client) -> None:
        create_database(client, "db-1")
        assert database(client)["latestRestorableTime"].timestamp() == T0_EPOCH
        ls.clock.advance(hours=1)
        assert database(client)["latestRestorableTime"].timestamp() == T0_EPOCH + 3600 - 300
        listed = client.get_relational_databases()["relationalDatabases"][0]
        assert listed["latestRestorableTime"] == database(client)["latestRestorableTime"]

    def test_restore_to_the_latest_time(self, ls: LightsailMock, client: Client) -> None:
        create_database(client, "db-1")
        ls.clock.advance(hours=2)
        client.create_relational_database_from_snapshot(
            relationalDatabaseName="db-2", sourceRelationalDatabaseName="db-1", useLatestRestorableTime=True
        )
        events = client.get_relational_database_events(relationalDatabaseName="db-2")["relationalDatabaseEvents"]
        assert [(event["message"], event["eventCategories"]) for event in events] == [
            ("Restored from Relational Database db-1 to 2026-11-28T09:55:00Z", ["restoration"])
        ]

    def test_restore_to_a_time_within_the_window(self, ls: LightsailMock, client: Client) -> None:
        create_database(client, "db-1", relationalDatabaseBundleId="small_2_0")
        ls.clock.advance(hours=2)
        client.create_relational_database_from_snapshot(
            relationalDatabaseName="db-2",
            sourceRelationalDatabaseName="db-1",
            restoreTime=T0 + timedelta(minutes=30),
        )
        assert database(client, "db-2")["relationalDatabaseBundleId"] == "small_2_0"

    @pytest.mark.parametrize(
        ("when", "words"),
        [(T0 - timedelta(minutes=1), "outside the restorable times"), (T0 + timedelta(minutes=58), "outside")],
    )
    def test_a_time_outside_the_window_is_refused(
        self, ls: LightsailMock, client: Client, when: Any, words: str
    ) -> None:
        create_database(client, "db-1")
        ls.clock.advance(hours=1)
        code, message = rejected(
            client,
            lambda: client.create_relational_database_from_snapshot(
                relationalDatabaseName="db-2", sourceRelationalDatabaseName="db-1", restoreTime=when
            ),
        )
        assert (code, words in message) == ("InvalidInputException", True)

    def test_the_window_keeps_seven_days(self, ls: LightsailMock, client: Client) -> None:
        create_database(client, "db-1")
        ls.clock.advance(days=8)
        code, _ = rejected(
            client,
            lambda: client.create_relational_database_from_snapshot(
                relationalDatabaseName="db-2", sourceRelationalDatabaseName="db-1", restoreTime=T0 + timedelta(hours=1)
            ),
        )
        assert code == "InvalidInputException"
        client.create_relational_database_from_snapshot(
            relationalDatabaseName="db-2", sourceRelationalDatabaseName="db-1", restoreTime=T0 + timedelta(days=2)
        )

    @pytest.mark.parametrize(
        "extra",
        [{}, {"restoreTime": T0, "useLatestRestorableTime": True}],
        ids=["neither", "both"],
    )
    def test_the_point_in_time_must_be_one(self, client: Client, extra: dict[str, Any]) -> None:
        create_database(client, "db-1")
        code, _ = rejected(
            client,
            lambda: client.create_relational_database_from_snapshot(
                relationalDatabaseName="db-2", sourceRelationalDatabaseName="db-1", **extra
            ),
        )
        assert code == "InvalidInputException"


class TestEvents:
    def test_created_and_backed_up(self, ls: LightsailMock, client: Client) -> None:
        create_database(client, "db-1")
        ls.clock.advance(minutes=10)
        snapshot_of(client)
        events = client.get_relational_database_events(relationalDatabaseName="db-1")["relationalDatabaseEvents"]
        assert [(event["message"], event["eventCategories"], event["resource"]) for event in events] == [
            ("Relational Database created", ["creation"], "db-1"),
            ("Backing up Relational Database", ["backup"], "db-1"),
            ("Finished Relational Database backup", ["backup"], "db-1"),
        ]
        assert [event["createdAt"].timestamp() for event in events] == [T0_EPOCH, T0_EPOCH + 600, T0_EPOCH + 600]

    def test_within_the_duration(self, ls: LightsailMock, client: Client) -> None:
        create_database(client, "db-1")
        ls.clock.advance(hours=2)
        get = client.get_relational_database_events
        assert get(relationalDatabaseName="db-1")["relationalDatabaseEvents"] == []
        assert len(get(relationalDatabaseName="db-1", durationInMinutes=120)["relationalDatabaseEvents"]) == 1

    @pytest.mark.parametrize("minutes", [0, 20161])
    def test_a_duration_out_of_range_is_refused(self, client: Client, minutes: int) -> None:
        create_database(client, "db-1")
        code, message = refusal(
            lambda: client.get_relational_database_events(relationalDatabaseName="db-1", durationInMinutes=minutes)
        )
        assert (code, "20160" in message) == ("InvalidInputException", True)

    def test_pages(self) -> None:
        with mock_lightsail(page_size=2) as small:
            small.clock.freeze(T0)
            client = shared_client()
            create_database(client, "db-1")
            for index in range(3):
                snapshot_of(client, name=f"snap-{index}")
            messages: list[str] = []
            token = None
            while True:
                page = client.get_relational_database_events(
                    relationalDatabaseName="db-1", **({"pageToken": token} if token else {})
                )
                assert len(page["relationalDatabaseEvents"]) <= 2
                messages += [event["message"] for event in page["relationalDatabaseEvents"]]
                token = page.get("nextPageToken")
                if not token:
                    break
            assert len(messages) == 7
            assert messages[0] == "Relational Database created"

    def test_unknown_database(self, client: Client) -> None:
        code, _ = refusal(lambda: client.get_relational_database_events(relationalDatabaseName="nope"))
        assert code == "NotFoundException"
