"""The AWS CLI's own examples of the database, VPC peering and CloudFormation commands, run
in-process against the mock: each answer has the members (recursively) of the output the
example captured from the real service (``awscli/examples/lightsail/<command>.rst``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lightmock import LightsailMock
from tests.test_awscli import Cli

awscli = pytest.importorskip("awscli", reason="awscli is in the test extra: pip install -e '.[test]'")
EXAMPLES = Path(awscli.__file__).parent / "examples" / "lightsail"


def example_output(command: str) -> Any:
    """The JSON the example shows after ``Output::`` (``None`` where it is elided with ``...``)."""
    text = (EXAMPLES / f"{command}.rst").read_text(encoding="utf-8")
    block = text.split("Output::", 1)[1]
    lines = []
    for line in block.splitlines()[1:]:
        if line.strip() and not line.startswith("    "):
            break
        lines.append(line)
    try:
        return json.loads("\n".join(lines))
    except json.JSONDecodeError:
        return None


def shape(value: Any) -> Any:
    """The members of a JSON value, recursively; a list by its first item."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return type(value).__name__


def same_members(got: Any, example: Any, optional: frozenset[str] = frozenset()) -> None:
    """``got`` has the example's members, and no others than ``optional`` ones (the
    example's own record may lack what another record has)."""
    if isinstance(example, dict):
        assert isinstance(got, dict)
        assert set(example) <= set(got), f"missing {sorted(set(example) - set(got))}"
        assert set(got) - set(example) <= optional, f"more than the example: {sorted(set(got) - set(example))}"
        for key in example:
            same_members(got[key], example[key], optional)
    elif isinstance(example, list) and example and got:
        same_members(got[0], example[0], optional)


@pytest.fixture
def aws(ls: LightsailMock, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(capsys)


def create_database(aws: Cli, name: str) -> Any:
    return aws.ok(
        "create-relational-database",
        "--relational-database-name",
        name,
        "--availability-zone",
        "us-east-1a",
        "--relational-database-blueprint-id",
        "mysql_8_0",
        "--relational-database-bundle-id",
        "micro_2_0",
        "--master-database-name",
        "dbmaster",
        "--master-username",
        "dbmasteruser",
        "--no-publicly-accessible",
    )


def test_snapshots_and_restores(aws: Cli) -> None:
    create_database(aws, "Database1")
    created = aws.ok(
        "create-relational-database-snapshot",
        "--relational-database-name",
        "Database1",
        "--relational-database-snapshot-name",
        "RelationalDatabaseSnapshot1",
    )
    same_members(created, example_output("create-relational-database-snapshot"))
    snapshot = aws.ok(
        "get-relational-database-snapshot", "--relational-database-snapshot-name", "RelationalDatabaseSnapshot1"
    )
    same_members(snapshot, example_output("get-relational-database-snapshot"))
    listed = aws.ok("get-relational-database-snapshots")
    same_members(listed, example_output("get-relational-database-snapshots"))
    restored = aws.ok(
        "create-relational-database-from-snapshot",
        "--relational-database-snapshot-name",
        "RelationalDatabaseSnapshot1",
        "--relational-database-name",
        "Database-1",
        "--availability-zone",
        "us-east-1a",
        "--relational-database-bundle-id",
        "micro_2_0",
        "--no-publicly-accessible",
    )
    same_members(restored, example_output("create-relational-database-from-snapshot"))
    deleted = aws.ok(
        "delete-relational-database-snapshot", "--relational-database-snapshot-name", "RelationalDatabaseSnapshot1"
    )
    same_members(deleted, example_output("delete-relational-database-snapshot"))
    # The example's database keeps no automated backups; this one does.
    record = aws.ok("get-relational-database", "--relational-database-name", "Database-1")
    same_members(
        record,
        example_output("get-relational-database"),
        frozenset({"latestRestorableTime", "caCertificateIdentifier"}),
    )


def test_lifecycle_events_password(aws: Cli) -> None:
    create_database(aws, "Database-1")
    same_members(
        aws.ok("stop-relational-database", "--relational-database-name", "Database-1"),
        example_output("stop-relational-database"),
    )
    same_members(
        aws.ok("start-relational-database", "--relational-database-name", "Database-1"),
        example_output("start-relational-database"),
    )
    same_members(
        aws.ok("reboot-relational-database", "--relational-database-name", "Database-1"),
        example_output("reboot-relational-database"),
    )
    aws.ok(
        "create-relational-database-snapshot",
        "--relational-database-name",
        "Database-1",
        "--relational-database-snapshot-name",
        "s1",
    )
    events = aws.ok(
        "get-relational-database-events", "--relational-database-name", "Database-1", "--duration-in-minutes", "1020"
    )
    same_members(events, example_output("get-relational-database-events"))
    assert [event["message"] for event in events["relationalDatabaseEvents"]][-2:] == [
        "Backing up Relational Database",
        "Finished Relational Database backup",
    ]
    password = aws.ok("get-relational-database-master-user-password", "--relational-database-name", "Database-1")
    same_members(password, example_output("get-relational-database-master-user-password"))


def test_parameters_and_logs(ls: LightsailMock, aws: Cli) -> None:
    create_database(aws, "Database1")
    parameters = aws.ok("get-relational-database-parameters", "--relational-database-name", "Database1")["parameters"]
    assert [parameter["parameterName"] for parameter in parameters[:2]] == [
        "activate_all_roles_on_login",
        "allow-suspicious-udfs",
    ]
    streams = aws.ok("get-relational-database-log-streams", "--relational-database-name", "Database1")
    assert streams == example_output("get-relational-database-log-streams")
    ls.put_database_log_events(
        "Database1",
        "error",
        [
            (1570820267.0, "2019-10-11 18:57:47 20969 [Warning] IP address '192.0.2.0' could not be resolved"),
            (1570860974.0, "2019-10-12 06:16:14 20969 [Warning] IP address '192.0.2.0' could not be resolved"),
            (1571600000.0, "after the example's end time"),
        ],
    )
    answer = aws.ok(
        "get-relational-database-log-events",
        "--relational-database-name",
        "Database1",
        "--log-stream-name",
        "error",
        "--start-from-head",
        "--start-time",
        "1570733176",
        "--end-time",
        "1571597176",
    )
    assert set(answer) == {"resourceLogEvents", "nextBackwardToken", "nextForwardToken"}
    assert [event["createdAt"] for event in answer["resourceLogEvents"]] == [1570820267.0, 1570860974.0]


def test_vpc_peering(aws: Cli) -> None:
    peered = aws.ok("peer-vpc")
    example = example_output("peer-vpc")
    del example["operation"]["operationType"]  # not in the model's enum: left out (§20.8)
    same_members(peered, example)
    assert aws.ok("is-vpc-peered") == example_output("is-vpc-peered")
    unpeered = aws.ok("unpeer-vpc")
    example = example_output("unpeer-vpc")
    del example["operation"]["operationType"]
    same_members(unpeered, example)
    assert aws.ok("is-vpc-peered") == {"isPeered": False}


def test_cloudformation_stack_records(aws: Cli) -> None:
    aws.ok(
        "create-instances",
        "--instance-names",
        "vm-1",
        "--availability-zone",
        "us-east-1a",
        "--blueprint-id",
        "ubuntu_22_04",
        "--bundle-id",
        "nano_3_0",
    )
    aws.ok("create-instance-snapshot", "--instance-snapshot-name", "snap-1", "--instance-name", "vm-1")
    export = aws.ok("export-snapshot", "--source-snapshot-name", "snap-1")["operations"][0]["resourceName"]
    aws.ok(
        "create-cloud-formation-stack",
        "--instances",
        f"sourceName={export},instanceType=t2.micro,portInfoSource=DEFAULT,availabilityZone=us-east-1a",
    )
    same_members(aws.ok("get-cloud-formation-stack-records"), example_output("get-cloud-formation-stack-records"))
