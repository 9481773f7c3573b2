"""Stopping, starting, rebooting and updating a database, and its master password, through a
real boto3 client (operations as the aws-cli examples show them)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import numpy as np
import pytest

from lightmock import LightsailMock
from tests.helpers import REGION, T0, create_database, refusal

Client = Any
T0_EPOCH = T0.timestamp()


def database(client: Client, name: str = "db-1") -> dict[str, Any]:
    record: dict[str, Any] = client.get_relational_database(relationalDatabaseName=name)["relationalDatabase"]
    return record


def rejected(client: Client, call: Any) -> tuple[str, str]:
    """The error ``call`` raises, once it is checked that the database and the logs are as they were."""

    def everything() -> tuple[Any, ...]:
        return (
            client.get_relational_databases()["relationalDatabases"],
            client.get_relational_database_snapshots()["relationalDatabaseSnapshots"],
            client.get_operations()["operations"],
            password(client),
        )

    before = everything()
    error = refusal(call)
    assert everything() == before
    return error


def password(client: Client, version: str = "CURRENT") -> str:
    answer = client.get_relational_database_master_user_password(relationalDatabaseName="db-1", passwordVersion=version)
    return str(answer["masterUserPassword"])


def messages(client: Client) -> list[str]:
    events = client.get_relational_database_events(relationalDatabaseName="db-1", durationInMinutes=20160)
    return [event["message"] for event in events["relationalDatabaseEvents"]]


class TestStopStartReboot:
    def test_operations_as_the_examples(self, client: Client) -> None:
        create_database(client, "db-1")
        [stop] = client.stop_relational_database(relationalDatabaseName="db-1")["operations"]
        assert database(client)["state"] == "stopped"
        [start] = client.start_relational_database(relationalDatabaseName="db-1")["operations"]
        assert database(client)["state"] == "available"
        [reboot] = client.reboot_relational_database(relationalDatabaseName="db-1")["operations"]
        assert database(client)["state"] == "available"
        for operation, kind in ((stop, "Stop"), (start, "Start"), (reboot, "Reboot")):
            assert (operation["operationType"], operation["status"], operation["isTerminal"]) == (
                f"{kind}RelationalDatabase",
                "Started",
                False,
            )
            assert (operation["resourceName"], operation["location"]["availabilityZone"]) == ("db-1", f"{REGION}a")
        assert reboot["operationDetails"] == ""
        assert "operationDetails" not in stop
        assert messages(client)[-3:] == [
            "Relational Database stopped",
            "Relational Database started",
            "Relational Database restarted",
        ]

    @pytest.mark.parametrize(
        ("call", "interim", "final"),
        [
            ("stop_relational_database", "stopping", "stopped"),
            ("reboot_relational_database", "rebooting", "available"),
        ],
    )
    def test_transitional_states_when_held(
        self, ls: LightsailMock, client: Client, call: str, interim: str, final: str
    ) -> None:
        create_database(client, "db-1")
        ls.set_transitions("hold")
        getattr(client, call)(relationalDatabaseName="db-1")
        assert database(client)["state"] == interim
        assert ls.finish_transitions("db-1") == 1
        assert database(client)["state"] == final

    def test_starting_when_held(self, ls: LightsailMock, client: Client) -> None:
        create_database(client, "db-1")
        client.stop_relational_database(relationalDatabaseName="db-1")
        ls.set_transitions("clock")
        client.start_relational_database(relationalDatabaseName="db-1")
        assert database(client)["state"] == "starting"
        ls.clock.advance(minutes=5)
        assert database(client)["state"] == "available"

    @pytest.mark.parametrize(
        ("call", "stopped_first", "state"),
        [
            ("stop_relational_database", True, "stopped"),
            ("reboot_relational_database", True, "stopped"),
            ("start_relational_database", False, "available"),
        ],
    )
    def test_the_wrong_state_is_refused(self, client: Client, call: str, stopped_first: bool, state: str) -> None:
        create_database(client, "db-1")
        if stopped_first:
            client.stop_relational_database(relationalDatabaseName="db-1")
        code, message = rejected(client, lambda: getattr(client, call)(relationalDatabaseName="db-1"))
        assert code == "OperationFailureException"
        assert f"it is {state}" in message

    def test_stop_with_a_snapshot(self, client: Client) -> None:
        create_database(client, "db-1")
        operations = client.stop_relational_database(
            relationalDatabaseName="db-1", relationalDatabaseSnapshotName="before-stop"
        )["operations"]
        assert [(op["resourceName"], op["operationType"]) for op in operations] == [
            ("before-stop", "CreateRelationalDatabaseSnapshot"),
            ("db-1", "CreateRelationalDatabaseSnapshot"),
            ("db-1", "StopRelationalDatabase"),
        ]
        snapshot = client.get_relational_database_snapshot(relationalDatabaseSnapshotName="before-stop")
        assert snapshot["relationalDatabaseSnapshot"]["fromRelationalDatabaseName"] == "db-1"
        assert database(client)["state"] == "stopped"

    def test_stop_with_a_snapshot_name_in_use_stops_nothing(self, client: Client) -> None:
        create_database(client, "db-1")
        client.create_relational_database_snapshot(relationalDatabaseName="db-1", relationalDatabaseSnapshotName="s1")
        code, _ = rejected(
            client,
            lambda: client.stop_relational_database(relationalDatabaseName="db-1", relationalDatabaseSnapshotName="s1"),
        )
        assert code == "InvalidInputException"

    def test_unknown_database(self, client: Client) -> None:
        code, _ = refusal(lambda: client.start_relational_database(relationalDatabaseName="nope"))
        assert code == "NotFoundException"


class TestStoppedDatabaseMetrics:
    def _cpu(self, client: Client, start: Any, end: Any) -> list[tuple[float, float]]:
        data = client.get_relational_database_metric_data(
            relationalDatabaseName="db-1",
            metricName="CPUUtilization",
            period=300,
            startTime=start,
            endTime=end,
            unit="Percent",
            statistics=["Average"],
        )["metricData"]
        return sorted((point["timestamp"].timestamp(), point["average"]) for point in data)

    def test_a_stopped_database_produces_no_data(self, ls: LightsailMock, client: Client) -> None:
        create_database(client, "db-1")
        ls.clock.advance(minutes=10)
        client.stop_relational_database(relationalDatabaseName="db-1")
        ls.clock.advance(minutes=10)
        client.start_relational_database(relationalDatabaseName="db-1")
        ls.clock.advance(minutes=10)
        times = T0_EPOCH + np.arange(0, 1800, 60)
        stored = ls.put_metric_data("db-1", "CPUUtilization", np.full(30, 20.0), timestamps=times)
        assert stored == 20  # ten minutes stopped: ten samples dropped
        points = self._cpu(client, T0, T0 + timedelta(minutes=30))
        assert [at - T0_EPOCH for at, _ in points] == [0, 300, 1200, 1500]

    def test_stopping_drops_samples_seeded_ahead(self, ls: LightsailMock, client: Client) -> None:
        create_database(client, "db-1")
        ls.put_metric_data("db-1", "CPUUtilization", [1.0] * 20, timestamps=T0_EPOCH + np.arange(0, 1200, 60))
        ls.clock.advance(minutes=10)
        client.stop_relational_database(relationalDatabaseName="db-1")
        ls.clock.advance(minutes=10)
        points = self._cpu(client, T0, T0 + timedelta(minutes=20))
        assert [at - T0_EPOCH for at, _ in points] == [0, 300]

    def test_the_latest_restorable_time_stops_with_it(self, ls: LightsailMock, client: Client) -> None:
        create_database(client, "db-1")
        ls.clock.advance(hours=1)
        client.stop_relational_database(relationalDatabaseName="db-1")
        ls.clock.advance(hours=1)
        assert database(client)["latestRestorableTime"].timestamp() == T0_EPOCH + 3600 - 300


class TestUpdate:
    def test_accessibility_and_windows_apply_at_once(self, client: Client) -> None:
        create_database(client, "db-1")
        [operation] = client.update_relational_database(
            relationalDatabaseName="db-1",
            publiclyAccessible=True,
            preferredBackupWindow="16:00-16:30",
            preferredMaintenanceWindow="Tue:17:00-Tue:17:30",
            caCertificateIdentifier="rds-ca-rsa4096-g1",
        )["operations"]
        assert (operation["operationType"], operation["status"], operation["resourceName"]) == (
            "UpdateRelationalDatabase",
            "Started",
            "db-1",
        )
        record = database(client)
        assert record["publiclyAccessible"] is True
        assert (record["preferredBackupWindow"], record["preferredMaintenanceWindow"]) == (
            "16:00-16:30",
            "Tue:17:00-Tue:17:30",
        )
        assert record["caCertificateIdentifier"] == "rds-ca-rsa4096-g1"
        assert record["pendingModifiedValues"] == {}
        assert messages(client)[-1] == "Finished applying modification to Relational Database"

    def test_modifying_until_the_change_is_applied(self, ls: LightsailMock, client: Client) -> None:
        create_database(client, "db-1")
        ls.set_transitions("hold")
        client.update_relational_database(relationalDatabaseName="db-1", publiclyAccessible=True)
        record = database(client)
        assert (record["state"], record["publiclyAccessible"]) == ("modifying", False)
        ls.finish_transitions("db-1")
        record = database(client)
        assert (record["state"], record["publiclyAccessible"]) == ("available", True)

    def test_backup_retention_disabled_at_once(self, client: Client) -> None:
        create_database(client, "db-1")
        client.update_relational_database(
            relationalDatabaseName="db-1", disableBackupRetention=True, applyImmediately=True
        )
        record = database(client)
        assert record["backupRetentionEnabled"] is False
        assert "latestRestorableTime" not in record
        assert "Automatic backups for this Relational Database have been disabled" in messages(client)
        code, _ = refusal(
            lambda: client.create_relational_database_from_snapshot(
                relationalDatabaseName="db-2", sourceRelationalDatabaseName="db-1", useLatestRestorableTime=True
            )
        )
        assert code == "OperationFailureException"

    def test_backups_enabled_again_restore_from_then_on(self, ls: LightsailMock, client: Client) -> None:
        create_database(client, "db-1")
        client.update_relational_database(
            relationalDatabaseName="db-1", disableBackupRetention=True, applyImmediately=True
        )
        ls.clock.advance(hours=1)
        client.update_relational_database(
            relationalDatabaseName="db-1", enableBackupRetention=True, applyImmediately=True
        )
        ls.clock.advance(hours=1)
        assert database(client)["latestRestorableTime"].timestamp() == T0_EPOCH + 7200 - 300
        code, message = refusal(
            lambda: client.create_relational_database_from_snapshot(
                relationalDatabaseName="db-2",
                sourceRelationalDatabaseName="db-1",
                restoreTime=T0 + timedelta(minutes=30),
            )
        )
        assert (code, "outside" in message) == ("InvalidInputException", True)

    def test_backup_retention_waits_for_the_next_transition(self, client: Client) -> None:
        create_database(client, "db-1")
        client.update_relational_database(relationalDatabaseName="db-1", disableBackupRetention=True)
        record = database(client)
        assert record["backupRetentionEnabled"] is True
        assert record["pendingModifiedValues"] == {"backupRetentionEnabled": False}
        client.reboot_relational_database(relationalDatabaseName="db-1")
        record = database(client)
        assert record["backupRetentionEnabled"] is False
        assert record["pendingModifiedValues"] == {}

    def test_a_major_version_upgrade(self, client: Client) -> None:
        create_database(client, "db-1", relationalDatabaseBlueprintId="postgres_15")
        client.update_relational_database(relationalDatabaseName="db-1", relationalDatabaseBlueprintId="postgres_16")
        record = database(client)
        assert (record["relationalDatabaseBlueprintId"], record["pendingModifiedValues"]) == (
            "postgres_15",
            {"engineVersion": "16.4"},
        )
        client.update_relational_database(relationalDatabaseName="db-1", applyImmediately=True)
        record = database(client)
        assert (record["relationalDatabaseBlueprintId"], record["engineVersion"]) == ("postgres_16", "16.4")
        assert record["pendingModifiedValues"] == {}

    @pytest.mark.parametrize(
        ("extra", "words"),
        [
            ({"masterUserPassword": "new-pass-1", "rotateMasterUserPassword": True}, "cannot both be given"),
            ({"enableBackupRetention": True, "disableBackupRetention": True}, "cannot both be true"),
            ({"caCertificateIdentifier": "rds-ca-2015"}, "caCertificateIdentifier"),
            ({"masterUserPassword": "short"}, "8 to 41"),
            ({"masterUserPassword": "has space in it"}, "printable"),
            ({"preferredBackupWindow": "10:00-10:10"}, "at least 30 minutes"),
            ({"relationalDatabaseBlueprintId": "postgres_16"}, "not a later major version"),
            ({"relationalDatabaseBlueprintId": "mysql_9_9"}, "does not exist"),
        ],
    )
    def test_refused(self, client: Client, extra: dict[str, Any], words: str) -> None:
        create_database(client, "db-1")
        code, message = rejected(
            client, lambda: client.update_relational_database(relationalDatabaseName="db-1", **extra)
        )
        assert code == "InvalidInputException"
        assert words in message

    def test_only_an_available_database(self, client: Client) -> None:
        create_database(client, "db-1")
        client.stop_relational_database(relationalDatabaseName="db-1")
        code, message = rejected(
            client, lambda: client.update_relational_database(relationalDatabaseName="db-1", publiclyAccessible=True)
        )
        assert (code, "stopped" in message) == ("OperationFailureException", True)


class TestMasterPassword:
    def test_the_password_given_at_create_is_current(self, client: Client) -> None:
        create_database(client, "db-1", masterUserPassword="first-pass-1")
        answer = client.get_relational_database_master_user_password(relationalDatabaseName="db-1")
        assert (answer["masterUserPassword"], answer["createdAt"].timestamp()) == ("first-pass-1", T0_EPOCH)

    def test_one_is_generated_when_none_is_given(self, client: Client) -> None:
        create_database(client, "db-1")
        generated = password(client)
        assert len(generated) == 32
        assert not set(generated) & set('/"@ ')

    @pytest.mark.parametrize("version", ["PREVIOUS", "PENDING"])
    def test_a_version_it_does_not_have(self, client: Client, version: str) -> None:
        create_database(client, "db-1")
        code, _ = refusal(lambda: password(client, version))
        assert code == "NotFoundException"

    def test_a_new_password_applied_at_once(self, ls: LightsailMock, client: Client) -> None:
        create_database(client, "db-1", masterUserPassword="first-pass-1")
        ls.clock.advance(minutes=5)
        client.update_relational_database(
            relationalDatabaseName="db-1", masterUserPassword="second-pass-2", applyImmediately=True
        )
        assert (password(client), password(client, "PREVIOUS")) == ("second-pass-2", "first-pass-1")
        answer = client.get_relational_database_master_user_password(relationalDatabaseName="db-1")
        assert answer["createdAt"].timestamp() == T0_EPOCH + 300
        assert refusal(lambda: password(client, "PENDING"))[0] == "NotFoundException"
        assert "Reset master credentials" in messages(client)

    def test_a_pending_password_until_the_next_transition(self, client: Client) -> None:
        create_database(client, "db-1", masterUserPassword="first-pass-1")
        client.update_relational_database(relationalDatabaseName="db-1", masterUserPassword="second-pass-2")
        assert (password(client), password(client, "PENDING")) == ("first-pass-1", "second-pass-2")
        assert database(client)["pendingModifiedValues"] == {"masterUserPassword": "****"}
        client.reboot_relational_database(relationalDatabaseName="db-1")
        assert (password(client), password(client, "PREVIOUS")) == ("second-pass-2", "first-pass-1")
        assert database(client)["pendingModifiedValues"] == {}

    def test_rotation_generates_one(self, ls: LightsailMock, client: Client) -> None:
        create_database(client, "db-1", masterUserPassword="first-pass-1")
        ls.set_transitions("hold")
        client.update_relational_database(
            relationalDatabaseName="db-1", rotateMasterUserPassword=True, applyImmediately=True
        )
        rotated = password(client, "PENDING")
        assert len(rotated) == 32
        assert password(client) == "first-pass-1"
        ls.finish_transitions("db-1")
        assert (password(client), password(client, "PREVIOUS")) == (rotated, "first-pass-1")
