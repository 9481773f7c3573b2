"""The AWS CLI (v1), run in-process against the mock, as its own examples run it.

``awscli.clidriver.create_clidriver().main([...])`` is what the ``aws`` command runs; its
botocore session carries lightmock's hook like any other, and it prints JSON to stdout.
The commands are those of ``awscli/examples/lightsail/*.rst``.
"""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np
import pytest

from lightmock import LightsailMock
from tests.helpers import ACCOUNT

clidriver = pytest.importorskip("awscli.clidriver", reason="awscli is in the test extra: pip install -e '.[test]'")


class Cli:
    """Runs ``aws lightsail ...`` in-process; answers the exit code, the JSON printed, stderr."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self.capsys = capsys
        # One driver per test: building one reads the whole service model (about 0.1 s).
        self.driver = clidriver.create_clidriver()

    def __call__(self, *args: str) -> tuple[int, Any, str]:
        self.capsys.readouterr()
        code = self.driver.main(["lightsail", *args, "--region", "us-east-1", "--output", "json"])
        out, err = self.capsys.readouterr()
        return code, (json.loads(out) if out.strip() else None), err

    def ok(self, *args: str) -> Any:
        code, body, err = self(*args)
        assert code == 0, err
        return body


@pytest.fixture
def aws(ls: LightsailMock, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(capsys)


def create_instance(aws: Cli, name: str, blueprint: str = "ubuntu_22_04", bundle: str = "nano_3_0") -> Any:
    return aws.ok(
        "create-instances",
        "--instance-names",
        name,
        "--availability-zone",
        "us-east-1a",
        "--blueprint-id",
        blueprint,
        "--bundle-id",
        bundle,
    )


class TestMonthlyMetricPeriod:
    """get-instance-metric-data.rst: NetworkOut summed over 2,628,000-second (about a month) periods."""

    START, END = 1546304400, 1577840400  # the example's --start-time and --end-time (2019)

    def test_the_cli_example_answers_monthly_sums(self, aws: Cli, ls: LightsailMock) -> None:
        create_instance(aws, "InstanceName")
        stamps = np.arange(self.START, self.END, 3600, dtype=np.float64)  # an hourly NetworkOut sample
        ls.put_metric_data("InstanceName", "NetworkOut", np.full(stamps.size, 1000.0), timestamps=stamps)
        body = aws.ok(
            "get-instance-metric-data",
            "--instance-name",
            "InstanceName",
            "--metric-name",
            "NetworkOut",
            "--period",
            "2628000",
            "--start-time",
            str(self.START),
            "--end-time",
            str(self.END),
            "--unit",
            "Bytes",
            "--statistics",
            "Sum",
        )
        points = sorted(body["metricData"], key=lambda point: point["timestamp"])
        assert [point["timestamp"] for point in points] == [self.START + k * 2628000 for k in range(12)]
        assert all(point["sum"] == 2628000 / 3600 * 1000.0 for point in points)
        assert {point["unit"] for point in points} == {"Bytes"}

    @pytest.mark.parametrize("period", ["2678400", "2700000"])
    def test_traffic_guard_periods(self, aws: Cli, ls: LightsailMock, period: str) -> None:
        """The periods monthly traffic scripts ask for (31 days; 31.25 days) are answered."""
        create_instance(aws, "web-1")
        now = ls.clock.now().timestamp()
        ls.put_metric_data("web-1", "NetworkOut", [5.0, 7.0], timestamps=[now - 600, now - 300])
        body = aws.ok(
            "get-instance-metric-data",
            "--instance-name",
            "web-1",
            "--metric-name",
            "NetworkOut",
            "--period",
            period,
            "--start-time",
            str(int(now) - int(period)),
            "--end-time",
            str(int(now)),
            "--unit",
            "Bytes",
            "--statistics",
            "Sum",
        )
        assert [point["sum"] for point in body["metricData"]] == [12.0]

    def test_too_many_datapoints_is_still_refused(self, aws: Cli) -> None:
        """The 1,440-datapoint limit stays: a year of minutes is refused."""
        create_instance(aws, "web-1")
        code, _, err = aws(
            "get-instance-metric-data",
            "--instance-name",
            "web-1",
            "--metric-name",
            "NetworkOut",
            "--period",
            "60",
            "--start-time",
            str(self.START),
            "--end-time",
            str(self.END),
            "--unit",
            "Bytes",
            "--statistics",
            "Sum",
        )
        assert code != 0
        assert "InvalidInputException" in err
        assert "1440 datapoints" in err


class TestPortsExamples:
    """open-instance-public-ports.rst and close-instance-public-ports.rst, as they are written:
    ``protocol=TCP`` in upper case, which the service takes (``22/tcp``) and the model's enum
    spells in lower case."""

    def test_open_then_close_port_22_with_protocol_tcp(self, aws: Cli) -> None:
        create_instance(aws, "MEAN-2", blueprint="mean", bundle="medium_3_0")
        aws.ok(
            "close-instance-public-ports",
            "--instance-name",
            "MEAN-2",
            "--port-info",
            "fromPort=22,protocol=tcp,toPort=22",
        )
        opened = aws.ok(
            "open-instance-public-ports",
            "--instance-name",
            "MEAN-2",
            "--port-info",
            "fromPort=22,protocol=TCP,toPort=22",
        )["operation"]
        assert (opened["operationType"], opened["status"], opened["operationDetails"]) == (
            "OpenInstancePublicPorts",
            "Succeeded",
            "22/tcp",
        )
        states = aws.ok("get-instance-port-states", "--instance-name", "MEAN-2")["portStates"]
        assert {"fromPort": 22, "toPort": 22, "protocol": "tcp"}.items() <= next(
            state for state in states if state["fromPort"] == 22
        ).items()
        closed = aws.ok(
            "close-instance-public-ports",
            "--instance-name",
            "MEAN-2",
            "--port-info",
            "fromPort=22,protocol=TCP,toPort=22",
        )["operation"]
        assert (closed["operationType"], closed["status"], closed["operationDetails"]) == (
            "CloseInstancePublicPorts",
            "Succeeded",
            "22/tcp",
        )
        states = aws.ok("get-instance-port-states", "--instance-name", "MEAN-2")["portStates"]
        assert 22 not in {state["fromPort"] for state in states}

    def test_an_unknown_protocol_is_still_refused(self, aws: Cli) -> None:
        create_instance(aws, "MEAN-2", blueprint="mean", bundle="medium_3_0")
        code, _, err = aws(
            "open-instance-public-ports",
            "--instance-name",
            "MEAN-2",
            "--port-info",
            "fromPort=22,protocol=SCTP,toPort=22",
        )
        assert code != 0
        assert "InvalidInputException" in err
        assert "SCTP" in err


class TestInstanceRecord:
    """get-instance.rst: what the service writes, where the model says otherwise."""

    def test_ports_are_public_in_lower_case(self, aws: Cli) -> None:
        create_instance(aws, "MEAN-1", blueprint="mean", bundle="medium_3_0")
        ports = aws.ok("get-instance", "--instance-name", "MEAN-1")["instance"]["networking"]["ports"]
        assert {(port["fromPort"], port["accessType"]) for port in ports} == {
            (22, "public"),
            (80, "public"),
            (443, "public"),
        }

    def test_support_code_begins_with_the_account_number(self, aws: Cli) -> None:
        create_instance(aws, "web-1")
        create_instance(aws, "web-2")
        codes = [
            aws.ok("get-instance", "--instance-name", name)["instance"]["supportCode"] for name in ("web-1", "web-2")
        ]
        assert all(re.fullmatch(r"\d{12}/i-[0-9a-f]{17}", code) for code in codes), codes
        assert {code.split("/")[0] for code in codes} == {ACCOUNT}


class TestCatalogue:
    """The ids the CLI examples, Terraform and Pulumi use are offered; others are refused."""

    @pytest.mark.parametrize(
        ("blueprint", "bundle"),
        [
            ("amazon_linux_2", "nano_3_0"),  # Terraform's and Pulumi's aws_lightsail_instance examples
            ("windows_server_2022", "large_win_3_0"),  # get-instances.rst
            ("lamp_8_bitnami", "2xlarge_3_0"),
            ("debian_12", "nano_ipv6_3_0"),
        ],
    )
    def test_real_configurations_create(self, aws: Cli, blueprint: str, bundle: str) -> None:
        create_instance(aws, "box", blueprint=blueprint, bundle=bundle)
        instance = aws.ok("get-instance", "--instance-name", "box")["instance"]
        assert (instance["blueprintId"], instance["bundleId"]) == (blueprint, bundle)

    def test_high_availability_database_bundle(self, aws: Cli) -> None:
        """get-relational-database-bundles.rst lists micro_ha_2_0; a database can be made with it."""
        aws.ok(
            "create-relational-database",
            "--relational-database-name",
            "db-1",
            "--relational-database-blueprint-id",
            "mysql_8_0",
            "--relational-database-bundle-id",
            "micro_ha_2_0",
            "--master-database-name",
            "app",
            "--master-username",
            "admin",
        )
        database = aws.ok("get-relational-database", "--relational-database-name", "db-1")["relationalDatabase"]
        assert database["relationalDatabaseBundleId"] == "micro_ha_2_0"

    def test_listings(self, aws: Cli) -> None:
        bundles = {bundle["bundleId"]: bundle for bundle in aws.ok("get-bundles")["bundles"]}
        assert bundles["large_win_3_0"]["supportedPlatforms"] == ["WINDOWS"]
        assert bundles["nano_ipv6_3_0"]["publicIpv4AddressCount"] == 0
        assert (bundles["nano_3_0"]["price"], bundles["nano_3_0"]["power"]) == (5.0, 298)
        blueprints = {item["blueprintId"] for item in aws.ok("get-blueprints")["blueprints"]}
        assert {"amazon_linux_2", "wordpress", "lamp_8_bitnami", "nodejs", "windows_server_2022"} <= blueprints
        database = {item["bundleId"] for item in aws.ok("get-relational-database-bundles")["bundles"]}
        assert {"micro_ha_2_0", "small_ha_2_0", "medium_ha_2_0", "large_ha_2_0"} <= database

    def test_postgres_blueprints_name_their_engine(self, aws: Cli) -> None:
        """get-relational-database-blueprints.rst: PostgreSQL blueprints say engine "postgres"."""
        blueprints = aws.ok("get-relational-database-blueprints")["blueprints"]
        engines = {item["blueprintId"]: item["engine"] for item in blueprints}
        assert (engines["mysql_8_0"], engines["postgres_16"]) == ("mysql", "postgres")

    @pytest.mark.parametrize(
        ("option", "value", "message"),
        [
            ("--bundle-id", "nano_1_0", "The specified bundle does not exist in this region: nano_1_0"),
            ("--blueprint-id", "centos_7", "The specified blueprint does not exist in this region: centos_7"),
        ],
    )
    def test_unknown_ids_are_refused(self, aws: Cli, option: str, value: str, message: str) -> None:
        args = {"--blueprint-id": "ubuntu_22_04", "--bundle-id": "nano_3_0", option: value}
        code, _, err = aws(
            "create-instances",
            "--instance-names",
            "box",
            "--availability-zone",
            "us-east-1a",
            *(item for pair in args.items() for item in pair),
        )
        assert code != 0
        assert message in err
        assert aws.ok("get-instances")["instances"] == []
