"""A database's engine parameters: read, paged, changed at once or at the next reboot, and the
changes RDS refuses, through a real boto3 client."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from lightmock import LightsailMock, mock_lightsail
from tests.helpers import T0, create_database, shared_client

Client = Any


def parameters(client: Client, name: str = "db-1") -> dict[str, dict[str, Any]]:
    listed = client.get_relational_database_parameters(relationalDatabaseName=name)["parameters"]
    return {parameter["parameterName"]: parameter for parameter in listed}


def apply_status(client: Client) -> str:
    return str(
        client.get_relational_database(relationalDatabaseName="db-1")["relationalDatabase"]["parameterApplyStatus"]
    )


def update(client: Client, *changes: dict[str, Any]) -> list[dict[str, Any]]:
    operations: list[dict[str, Any]] = client.update_relational_database_parameters(
        relationalDatabaseName="db-1", parameters=list(changes)
    )["operations"]
    return operations


class TestRead:
    def test_mysql_parameters_as_the_example(self, client: Client) -> None:
        create_database(client, "db-1")
        listed = parameters(client)
        assert len(listed) >= 30
        assert listed["activate_all_roles_on_login"] == {
            "allowedValues": "0,1",
            "applyMethod": "pending-reboot",
            "applyType": "dynamic",
            "dataType": "boolean",
            "description": listed["activate_all_roles_on_login"]["description"],
            "isModifiable": True,
            "parameterName": "activate_all_roles_on_login",
            "parameterValue": "0",
        }
        suspicious = listed["allow-suspicious-udfs"]
        assert (suspicious["applyType"], suspicious["isModifiable"], "parameterValue" in suspicious) == (
            "static",
            False,
            False,
        )
        assert all(parameter["description"] for parameter in listed.values())

    def test_postgres_has_its_own(self, client: Client) -> None:
        create_database(client, "db-1", relationalDatabaseBlueprintId="postgres_16")
        listed = parameters(client)
        assert {"shared_buffers", "work_mem", "rds.force_ssl"} <= set(listed)
        assert "innodb_buffer_pool_size" not in listed
        assert listed["shared_buffers"]["applyType"] == "static"

    def test_pages(self) -> None:
        with mock_lightsail(page_size=10) as small:
            small.clock.freeze(T0)
            client = shared_client()
            create_database(client, "db-1")
            names: list[str] = []
            token = None
            while True:
                page = client.get_relational_database_parameters(
                    relationalDatabaseName="db-1", **({"pageToken": token} if token else {})
                )
                assert len(page["parameters"]) <= 10
                names += [parameter["parameterName"] for parameter in page["parameters"]]
                token = page.get("nextPageToken")
                if not token:
                    break
        assert len(names) == len(set(names)) >= 30

    def test_unknown_database(self, client: Client) -> None:
        with pytest.raises(client.exceptions.NotFoundException):
            client.get_relational_database_parameters(relationalDatabaseName="nope")


class TestUpdate:
    def test_a_dynamic_parameter_at_once(self, client: Client) -> None:
        create_database(client, "db-1")
        [operation] = update(client, {"parameterName": "wait_timeout", "parameterValue": "600"})
        assert (operation["operationType"], operation["resourceName"], operation["status"]) == (
            "UpdateRelationalDatabaseParameters",
            "db-1",
            "Succeeded",
        )
        changed = parameters(client)["wait_timeout"]
        assert (changed["parameterValue"], changed["applyMethod"]) == ("600", "immediate")
        assert apply_status(client) == "in-sync"

    def test_a_static_parameter_waits_for_a_reboot(self, client: Client) -> None:
        create_database(client, "db-1")
        update(client, {"parameterName": "performance_schema", "parameterValue": "1"})
        changed = parameters(client)["performance_schema"]
        assert (changed["parameterValue"], changed["applyMethod"]) == ("1", "pending-reboot")
        assert apply_status(client) == "pending-reboot"
        client.reboot_relational_database(relationalDatabaseName="db-1")
        assert apply_status(client) == "in-sync"
        assert parameters(client)["performance_schema"]["parameterValue"] == "1"

    def test_a_start_applies_them_too(self, ls: LightsailMock, client: Client) -> None:
        create_database(client, "db-1", relationalDatabaseBlueprintId="postgres_16")
        update(client, {"parameterName": "shared_buffers", "parameterValue": "65536", "applyMethod": "pending-reboot"})
        client.stop_relational_database(relationalDatabaseName="db-1")
        assert apply_status(client) == "pending-reboot"
        ls.set_transitions("hold")
        client.start_relational_database(relationalDatabaseName="db-1")
        assert apply_status(client) == "pending-reboot"
        ls.finish_transitions("db-1")
        assert apply_status(client) == "in-sync"

    def test_a_list_takes_a_subset(self, client: Client) -> None:
        create_database(client, "db-1")
        update(client, {"parameterName": "sql_mode", "parameterValue": "STRICT_TRANS_TABLES,NO_ZERO_DATE"})
        assert parameters(client)["sql_mode"]["parameterValue"] == "STRICT_TRANS_TABLES,NO_ZERO_DATE"

    def test_a_dynamic_parameter_may_wait_for_a_reboot(self, client: Client) -> None:
        create_database(client, "db-1")
        update(client, {"parameterName": "max_connections", "parameterValue": "200", "applyMethod": "pending-reboot"})
        assert apply_status(client) == "pending-reboot"

    @pytest.mark.parametrize(
        ("change", "words"),
        [
            ({"parameterName": "innodb_log_buffer_size", "parameterValue": "1048576", "applyMethod": "immediate"},
             "can only be applied with pending-reboot"),
            ({"parameterName": "allow-suspicious-udfs", "parameterValue": "1"}, "cannot be modified"),
            ({"parameterName": "no_such_thing", "parameterValue": "1"}, "is not a parameter"),
            ({"parameterName": "wait_timeout", "parameterValue": "0"}, "is not a number from 1 to 31536000"),
            ({"parameterName": "wait_timeout", "parameterValue": "ten"}, "is not a number"),
            ({"parameterName": "autocommit", "parameterValue": "yes"}, "allowed values"),
            ({"parameterName": "sql_mode", "parameterValue": "STRICT_TRANS_TABLES,NOT_A_MODE"}, "allowed values"),
            ({"parameterName": "autocommit"}, "parameterValue is required"),
            ({"parameterName": "autocommit", "parameterValue": "1", "applyMethod": "later"}, "applyMethod must be"),
        ],
    )  # fmt: skip
    def test_refused_and_nothing_changes(self, client: Client, change: dict[str, Any], words: str) -> None:
        create_database(client, "db-1")
        before = (parameters(client), apply_status(client), client.get_operations()["operations"])
        with pytest.raises(ClientError) as caught:
            update(client, {"parameterName": "wait_timeout", "parameterValue": "600"}, change)
        error = caught.value.response["Error"]
        assert error["Code"] == "InvalidInputException"
        assert words in error["Message"]
        assert (parameters(client), apply_status(client), client.get_operations()["operations"]) == before
