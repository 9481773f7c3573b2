"""Checks that Terraform configurations (``tests/terraform/*.tf``) name in their ``# check:``
line: each takes a boto3 client of the server and asserts what the apply made."""

from __future__ import annotations

from typing import Any


def key_pair_and_ip(client: Any) -> None:
    assert client.get_key_pair(keyPairName="ops")["keyPair"]["name"] == "ops"
    assert client.get_static_ip(staticIpName="spare")["staticIp"]["isAttached"] is False


def _database(client: Any, name: str) -> dict[str, Any]:
    record: dict[str, Any] = client.get_relational_database(relationalDatabaseName=name)["relationalDatabase"]
    return record


def _password(client: Any, name: str) -> str:
    return str(client.get_relational_database_master_user_password(relationalDatabaseName=name)["masterUserPassword"])


def database_postgres_before(client: Any) -> None:
    record = _database(client, "reports-db")
    assert (record["engine"], record["state"], record["backupRetentionEnabled"]) == ("postgres", "available", False)
    assert record["preferredMaintenanceWindow"] == "Tue:17:00-Tue:17:30"
    assert record["publiclyAccessible"] is False
    assert _password(client, "reports-db") == "reports-password-1"


def database_postgres_after(client: Any) -> None:
    record = _database(client, "reports-db")
    assert (record["publiclyAccessible"], record["backupRetentionEnabled"]) == (True, False)


def database_update_before(client: Any) -> None:
    record = _database(client, "app-db")
    assert (record["publiclyAccessible"], record["backupRetentionEnabled"]) == (False, True)
    assert record["preferredBackupWindow"] == "16:00-16:30"
    assert record["tags"] == [{"key": "team", "value": "data"}]
    assert _password(client, "app-db") == "first-password-1"


def database_update_after(client: Any) -> None:
    record = _database(client, "app-db")
    assert (record["publiclyAccessible"], record["backupRetentionEnabled"]) == (True, False)
    assert (record["preferredBackupWindow"], record["pendingModifiedValues"]) == ("09:30-10:00", {})
    assert _password(client, "app-db") == "second-password-2"
    previous = client.get_relational_database_master_user_password(
        relationalDatabaseName="app-db", passwordVersion="PREVIOUS"
    )
    assert previous["masterUserPassword"] == "first-password-1"
