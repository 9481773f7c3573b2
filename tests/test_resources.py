"""Instances, load balancers, databases and the catalogue, through real boto3 clients.

Every response body is also checked against the model's output shape by the suite-wide
fixture in ``conftest.py``.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lightmock import LightsailMock, mock_lightsail
from lightmock.core.clock import Clock
from lightmock.core.domain import ResourceType
from lightmock.engine.store import Store, StoreOptions
from lightmock.schema.model import service_model
from lightmock.service import catalogue
from lightmock.service.dispatch import dispatch
from tests.helpers import (
    ACCOUNT,
    OTHER_REGION,
    REGION,
    UUID,
    Client,
    create_database,
    create_instances,
    create_load_balancer,
    shared_client,
)


@pytest.fixture
def mock() -> Iterator[LightsailMock]:
    with mock_lightsail() as handle:
        yield handle


@pytest.fixture
def client(mock: LightsailMock) -> Client:
    return shared_client()


@pytest.fixture
def other_client(mock: LightsailMock) -> Client:
    return shared_client(OTHER_REGION)


@pytest.fixture
def paged_client() -> Iterator[Client]:
    with mock_lightsail(page_size=2):
        yield shared_client()








LISTS = {
    "get_instances": "instances",
    "get_load_balancers": "loadBalancers",
    "get_relational_databases": "relationalDatabases",
}


CREATORS: dict[str, Callable[[Client, str], Any]] = {
    "get_instances": lambda client, name: create_instances(client, name),
    "get_load_balancers": create_load_balancer,
    "get_relational_databases": create_database,
}
DELETERS: dict[str, Callable[[Client, str], Any]] = {
    "get_instances": lambda client, name: client.delete_instance(instanceName=name),
    "get_load_balancers": lambda client, name: client.delete_load_balancer(loadBalancerName=name),
    "get_relational_databases": lambda client, name: client.delete_relational_database(relationalDatabaseName=name),
}


def list_all(client: Client, method: str) -> list[dict[str, Any]]:
    """Every item of a paginated list call, following ``nextPageToken`` to the end."""
    items: list[dict[str, Any]] = []
    kwargs: dict[str, str] = {}
    while True:
        page = getattr(client, method)(**kwargs)
        items += page[LISTS.get(method, "bundles" if "bundles" in method else "blueprints")]
        if "nextPageToken" not in page:
            return items
        kwargs = {"pageToken": page["nextPageToken"]}


def everything(client: Client) -> dict[str, list[dict[str, Any]]]:
    return {method: list_all(client, method) for method in LISTS}


def error_of(call: Callable[[], Any]) -> dict[str, Any]:
    with pytest.raises(ClientError) as caught:
        call()
    response: dict[str, Any] = caught.value.response
    return response


def rejected(client: Client, call: Callable[[], Any]) -> dict[str, Any]:
    """The error ``call`` raises, once it is checked that every list is as it was before."""
    before = everything(client)
    error = error_of(call)
    assert everything(client) == before
    return error


# -- instances ----------------------------------------------------------------------------


class TestCreateInstances:
    def test_one_started_operation_per_instance(self, client: Client) -> None:
        """CreateInstances answers one CreateInstance operation per name, Started, in the instance's zone."""
        operations = create_instances(client, "web-1", "web-2", availabilityZone="us-east-1b")["operations"]
        assert [op["resourceName"] for op in operations] == ["web-1", "web-2"]
        for op in operations:
            assert op["operationType"] == "CreateInstance"
            assert op["resourceType"] == "Instance"
            assert op["status"] == "Started"
            assert op["isTerminal"] is False
            assert op["location"] == {"availabilityZone": "us-east-1b", "regionName": REGION}
            assert op["createdAt"] == op["statusChangedAt"]
            assert re.fullmatch(UUID, op["id"])
        assert len({op["id"] for op in operations}) == 2

    @pytest.mark.skipif(
        "includeHealthStatus" not in service_model().operation_model("GetInstance").input_shape.members,
        reason="the installed botocore's model has no includeHealthStatus (added in botocore 1.43.122)",
    )
    def test_health_status_only_when_asked(self, client: Client) -> None:
        """includeHealthStatus adds both checks, passing; without it neither is there."""
        create_instances(client, "web-1", "web-2")
        healthy = {"status": "ok", "details": [{"name": "reachability", "status": "passed"}]}
        asked = client.get_instance(instanceName="web-1", includeHealthStatus=True)["instance"]
        assert (asked["instanceStatus"], asked["systemStatus"]) == (healthy, healthy)
        listed = client.get_instances(includeHealthStatus=True)["instances"]
        assert [(i["name"], i["instanceStatus"]["status"], i["systemStatus"]["status"]) for i in listed] == [
            ("web-1", "ok", "ok"),
            ("web-2", "ok", "ok"),
        ]
        plain = client.get_instance(instanceName="web-1")["instance"]
        assert "instanceStatus" not in plain
        assert "systemStatus" not in plain
        assert all("instanceStatus" not in i for i in client.get_instances()["instances"])

    def test_record_has_plausible_fields(self, client: Client) -> None:
        """An instance record carries identity, location, hardware from the bundle, networking and state."""
        tags = [{"key": "team", "value": "web"}, {"key": "bare"}]
        before = datetime.now(UTC).replace(microsecond=0)
        create_instances(client, "web-1", bundleId="medium_3_0", tags=tags)
        instance = client.get_instance(instanceName="web-1")["instance"]
        assert re.fullmatch(rf"arn:aws:lightsail:{REGION}:{ACCOUNT}:Instance/{UUID}", instance["arn"])
        assert re.fullmatch(r"\d{12}/i-[0-9a-f]{17}", instance["supportCode"])
        assert instance["location"] == {"availabilityZone": "us-east-1a", "regionName": REGION}
        assert instance["resourceType"] == "Instance"
        assert instance["tags"] == tags
        assert (instance["blueprintId"], instance["blueprintName"]) == ("ubuntu_22_04", "Ubuntu")
        assert instance["bundleId"] == "medium_3_0"
        assert instance["isStaticIp"] is False
        assert instance["privateIpAddress"].startswith("172.26.")
        assert instance["publicIpAddress"]
        assert instance["ipAddressType"] == "dualstack"
        assert len(instance["ipv6Addresses"]) == 1
        assert instance["hardware"]["cpuCount"] == 2
        assert instance["hardware"]["ramSizeInGb"] == 4.0
        assert instance["hardware"]["disks"][0]["sizeInGb"] == 80
        assert instance["hardware"]["disks"][0]["isSystemDisk"] is True
        assert instance["networking"]["monthlyTransfer"] == {"gbPerMonthAllocated": 4096}
        assert {port["fromPort"] for port in instance["networking"]["ports"]} == {22, 80}
        assert instance["state"] == {"code": 16, "name": "running"}
        assert instance["sshKeyName"] == "LightsailDefaultKeyPair"
        assert before <= instance["createdAt"] <= datetime.now(UTC)  # the mock's clock, at real time here
        # Every member of the model's Instance shape, but those it documents as returned only
        # on request (botocore 1.44's health status, "only when you set includeHealthStatus").
        members = service_model().shape_for("Instance").members
        on_request = {name for name, shape in members.items() if "returned only when" in shape.documentation}
        assert set(instance) == set(members) - on_request

    @pytest.mark.parametrize(
        ("blueprint", "username"),
        [
            ("amazon_linux_2023", "ec2-user"),
            ("ubuntu_22_04", "ubuntu"),
            ("ubuntu_24_04", "ubuntu"),
            ("debian_12", "admin"),
            ("wordpress", "bitnami"),
        ],
    )
    def test_username_follows_blueprint(self, client: Client, blueprint: str, username: str) -> None:
        """The login user is the blueprint's (ec2-user, ubuntu, admin, bitnami)."""
        create_instances(client, "box", blueprintId=blueprint)
        assert client.get_instance(instanceName="box")["instance"]["username"] == username

    def test_key_pair_and_add_ons(self, client: Client) -> None:
        """keyPairName becomes sshKeyName; an AutoSnapshot add-on is listed with its time of day."""
        add_ons = [{"addOnType": "AutoSnapshot", "autoSnapshotAddOnRequest": {"snapshotTimeOfDay": "03:00"}}]
        create_instances(client, "box", keyPairName="my-key", addOns=add_ons)
        instance = client.get_instance(instanceName="box")["instance"]
        assert instance["sshKeyName"] == "my-key"
        assert instance["addOns"] == [
            {
                "name": "AutoSnapshot",
                "status": "Enabled",
                "snapshotTimeOfDay": "03:00",
                "nextSnapshotTimeOfDay": "03:00",
            }
        ]

    @pytest.mark.parametrize(
        ("ip_type", "has_public_ipv4", "has_ipv6"),
        [("dualstack", True, True), ("ipv4", True, False), ("ipv6", False, True)],
    )
    def test_ip_address_type(self, client: Client, ip_type: str, has_public_ipv4: bool, has_ipv6: bool) -> None:
        """ipAddressType decides which public addresses the instance has."""
        create_instances(client, "box", ipAddressType=ip_type)
        instance = client.get_instance(instanceName="box")["instance"]
        assert instance["ipAddressType"] == ip_type
        assert ("publicIpAddress" in instance) is has_public_ipv4
        assert bool(instance["ipv6Addresses"]) is has_ipv6

    @pytest.mark.parametrize(
        ("overrides", "code", "message"),
        [
            (
                {"bundleId": "nano_1_0"},
                "InvalidBundle",
                "The specified bundle does not exist in this region: nano_1_0",
            ),
            (
                {"blueprintId": "centos_7"},
                "InvalidBlueprint",
                "The specified blueprint does not exist in this region: centos_7",
            ),
            ({"availabilityZone": "us-west-2a"}, "InvalidAvailabilityZone", "us-west-2a"),
            ({"availabilityZone": "us-east-1z"}, "InvalidAvailabilityZone", "us-east-1z"),
            ({"availabilityZone": "us-east-1"}, "InvalidAvailabilityZone", "us-east-1"),
            ({"instanceNames": ["ok-1", "ok-1"]}, "NameExists", "ok-1"),
            ({"instanceNames": ["ok-1", "bad name"]}, "ValidationError", "bad name is not a valid resource name"),
            ({"instanceNames": ["ok-1", "x"]}, "ValidationError", "x is not a valid resource name"),
            ({"instanceNames": []}, "ValidationError", "at least one"),
        ],
    )
    def test_rejected_batch_creates_nothing(
        self, client: Client, overrides: dict[str, Any], code: str, message: str
    ) -> None:
        """A batch with any bad part is an InvalidInputException and leaves the state exactly as it was."""
        create_instances(client, "existing")
        create_load_balancer(client, "lb")
        create_database(client, "db")
        error = rejected(client, lambda: create_instances(client, "ok-1", "ok-2", **overrides))
        assert error["Error"]["Code"] == "InvalidInputException"
        assert error["code"] == code
        assert message in error["Error"]["Message"]

    def test_name_in_use_rejects_whole_batch(self, client: Client) -> None:
        """A name already in use is NameExists, and no instance of the batch is created."""
        create_instances(client, "web-2")
        error = rejected(client, lambda: create_instances(client, "web-1", "web-2", "web-3"))
        assert (error["Error"]["Code"], error["code"]) == ("InvalidInputException", "NameExists")
        assert "web-2" in error["Error"]["Message"]

    @pytest.mark.parametrize("other", ["load balancer", "database"])
    def test_name_of_other_monitored_type_rejected(self, client: Client, other: str) -> None:
        """A name used by a load balancer or database is refused too, so alarms resolve names unambiguously."""
        if other == "load balancer":
            create_load_balancer(client, "shared")
        else:
            create_database(client, "shared")
        error = rejected(client, lambda: create_instances(client, "shared"))
        assert error["code"] == "NameExists"
        assert "unique across instances, load balancers and databases" in error["Error"]["Message"]


class TestGetInstance:
    def test_unknown_is_not_found(self, client: Client) -> None:
        """An unknown name is a NotFoundException saying it does not exist."""
        error = error_of(lambda: client.get_instance(instanceName="web-9"))
        assert error["Error"]["Code"] == "NotFoundException"
        assert error["Error"]["Message"] == "The Instance does not exist: web-9"


class TestDeleteInstance:
    def test_terminal_succeeded_operation(self, client: Client) -> None:
        """DeleteInstance answers a terminal DeleteInstance operation and the instance is gone."""
        create_instances(client, "web-1", availabilityZone="us-east-1c")
        [op] = client.delete_instance(instanceName="web-1")["operations"]
        assert (op["operationType"], op["status"], op["isTerminal"]) == ("DeleteInstance", "Succeeded", True)
        assert op["location"] == {"availabilityZone": "us-east-1c", "regionName": REGION}
        assert client.get_instances()["instances"] == []

    def test_unknown_is_not_found(self, client: Client) -> None:
        """Deleting an unknown instance is a NotFoundException."""
        error = error_of(lambda: client.delete_instance(instanceName="web-9"))
        assert error["Error"]["Code"] == "NotFoundException"
        assert "does not exist" in error["Error"]["Message"]

    def test_recreated_instance_is_new(self, client: Client) -> None:
        """A deleted name can be used again, and the new instance has a new ARN."""
        create_instances(client, "web-1")
        old = client.get_instance(instanceName="web-1")["instance"]["arn"]
        client.delete_instance(instanceName="web-1")
        create_instances(client, "web-1")
        assert client.get_instance(instanceName="web-1")["instance"]["arn"] != old

    @pytest.mark.parametrize(
        ("method", "metric"),
        [
            ("get_instances", "CPUUtilization"),
            ("get_load_balancers", "RequestCount"),
            ("get_relational_databases", "CPUUtilization"),
        ],
    )
    def test_delete_removes_alarms_and_metric_data(
        self, mock: LightsailMock, client: Client, method: str, metric: str
    ) -> None:
        """Deleting a resource deletes the alarms that watch it and its metric data."""
        CREATORS[method](client, "res")
        mock.put_metric_data("res", metric, [1.0, 2.0])
        client.put_alarm(
            alarmName="res-alarm",
            metricName=metric,
            monitoredResourceName="res",
            comparisonOperator="GreaterThanThreshold",
            threshold=5.0,
            evaluationPeriods=1,
        )
        DELETERS[method](client, "res")
        assert client.get_alarms()["alarms"] == []
        assert list(mock.store.region(ACCOUNT, REGION).metrics.keys()) == []


# -- load balancers -----------------------------------------------------------------------


class TestLoadBalancers:
    def test_create_and_get(self, client: Client) -> None:
        """A load balancer is active in zone "all" with the defaults of the real service."""
        [op] = create_load_balancer(client, "lb-1", instancePort=8080)["operations"]
        assert (op["operationType"], op["status"], op["isTerminal"]) == ("CreateLoadBalancer", "Started", False)
        assert op["location"] == {"availabilityZone": "all", "regionName": REGION}
        balancer = client.get_load_balancer(loadBalancerName="lb-1")["loadBalancer"]
        assert re.fullmatch(rf"arn:aws:lightsail:{REGION}:{ACCOUNT}:LoadBalancer/{UUID}", balancer["arn"])
        assert balancer["supportCode"].split("/")[0] == catalogue.support_code(ACCOUNT, "x").split("/")[0]
        assert balancer["location"] == {"availabilityZone": "all", "regionName": REGION}
        assert balancer["resourceType"] == "LoadBalancer"
        assert balancer["state"] == "active"
        assert balancer["dnsName"].endswith(f".{REGION}.elb.amazonaws.com")
        assert (balancer["protocol"], balancer["publicPorts"]) == ("HTTP", [80])
        assert balancer["healthCheckPath"] == "/"
        assert balancer["instancePort"] == 8080
        assert balancer["instanceHealthSummary"] == []
        assert balancer["tlsCertificateSummaries"] == []
        assert balancer["configurationOptions"]["SessionStickinessEnabled"] == "false"
        assert balancer["ipAddressType"] == "dualstack"

    def test_health_check_path_and_certificate(self, client: Client) -> None:
        """A custom health check path is kept; a certificate is summarised and reported by two more operations."""
        operations = create_load_balancer(
            client, "lb-1", healthCheckPath="/health", certificateName="cert-1", certificateDomainName="example.com"
        )["operations"]
        assert [op["operationType"] for op in operations] == [
            "CreateLoadBalancer",
            "CreateLoadBalancerTlsCertificate",
            "CreateLoadBalancerTlsCertificate",
        ]
        balancer = client.get_load_balancer(loadBalancerName="lb-1")["loadBalancer"]
        assert balancer["healthCheckPath"] == "/health"
        assert balancer["tlsCertificateSummaries"] == [{"name": "cert-1", "isAttached": False}]

    def test_at_most_ten_per_region(self, client: Client, other_client: Client) -> None:
        """The eleventh load balancer of a region is refused; other regions and freed slots are unaffected."""
        for index in range(10):
            create_load_balancer(client, f"lb-{index}")
        error = rejected(client, lambda: create_load_balancer(client, "lb-10"))
        assert error["Error"]["Code"] == "InvalidInputException"
        assert "up to 10 load balancers" in error["Error"]["Message"]
        create_load_balancer(other_client, "lb-10")
        client.delete_load_balancer(loadBalancerName="lb-0")
        create_load_balancer(client, "lb-10")

    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"healthCheckPath": "health"}, "must start with '/'"),
            ({"healthCheckPath": ""}, "must start with '/'"),
            ({"certificateName": "cert-1"}, "must be given together"),
            ({"certificateDomainName": "example.com"}, "must be given together"),
            ({"tlsPolicyName": "no such policy"}, "TLS policy"),
        ],
    )
    def test_rejected_create_changes_nothing(self, client: Client, overrides: dict[str, Any], message: str) -> None:
        """Bad options are an InvalidInputException and nothing is created."""
        error = rejected(client, lambda: create_load_balancer(client, "lb-1", **overrides))
        assert error["Error"]["Code"] == "InvalidInputException"
        assert message in error["Error"]["Message"]

    @pytest.mark.parametrize("existing", ["load balancer", "instance"])
    def test_name_in_use(self, client: Client, existing: str) -> None:
        """A name used by a load balancer or another monitored resource is NameExists."""
        if existing == "instance":
            create_instances(client, "lb-1")
        else:
            create_load_balancer(client, "lb-1")
        assert rejected(client, lambda: create_load_balancer(client, "lb-1"))["code"] == "NameExists"

    def test_delete(self, client: Client) -> None:
        """DeleteLoadBalancer answers a terminal DeleteLoadBalancer operation in zone "all"."""
        create_load_balancer(client, "lb-1")
        [op] = client.delete_load_balancer(loadBalancerName="lb-1")["operations"]
        assert (op["operationType"], op["status"], op["isTerminal"]) == ("DeleteLoadBalancer", "Succeeded", True)
        assert op["location"]["availabilityZone"] == "all"
        assert client.get_load_balancers()["loadBalancers"] == []

    @pytest.mark.parametrize("call", ["get_load_balancer", "delete_load_balancer"])
    def test_unknown_is_not_found(self, client: Client, call: str) -> None:
        """An unknown load balancer is a NotFoundException saying it does not exist."""
        error = error_of(lambda: getattr(client, call)(loadBalancerName="lb-9"))
        assert error["Error"]["Code"] == "NotFoundException"
        assert error["Error"]["Message"] == "The LoadBalancer does not exist: lb-9"


# -- relational databases -----------------------------------------------------------------


class TestRelationalDatabases:
    def test_create_and_get(self, client: Client) -> None:
        """A database is available at once, in <region>a by default, with hardware from its bundle."""
        [op] = create_database(client, "db-1", relationalDatabaseBundleId="large_2_0")["operations"]
        assert (op["operationType"], op["status"], op["isTerminal"]) == ("CreateRelationalDatabase", "Started", False)
        assert op["location"] == {"availabilityZone": "us-east-1a", "regionName": REGION}
        database = client.get_relational_database(relationalDatabaseName="db-1")["relationalDatabase"]
        assert re.fullmatch(rf"arn:aws:lightsail:{REGION}:{ACCOUNT}:RelationalDatabase/{UUID}", database["arn"])
        assert re.fullmatch(r"\d{12}/ls-[0-9a-f]{40}", database["supportCode"])
        assert database["state"] == "available"
        assert database["resourceType"] == "RelationalDatabase"
        assert database["hardware"] == {"cpuCount": 2, "diskSizeInGb": 240, "ramSizeInGb": 8.0}
        assert (database["engine"], database["masterEndpoint"]["port"]) == ("mysql", 3306)
        assert (database["masterDatabaseName"], database["masterUsername"]) == ("app", "dbmaster")
        assert database["publiclyAccessible"] is False

    def test_postgres_and_options(self, client: Client) -> None:
        """A PostgreSQL database listens on 5432 and keeps the zone, windows and accessibility asked for."""
        create_database(
            client,
            "db-1",
            relationalDatabaseBlueprintId="postgres_16",
            availabilityZone="us-east-1b",
            masterUserPassword="s3cret-pass",
            preferredBackupWindow="23:45-00:15",
            preferredMaintenanceWindow="Sun:23:50-Mon:00:20",
            publiclyAccessible=True,
        )
        database = client.get_relational_database(relationalDatabaseName="db-1")["relationalDatabase"]
        assert (database["engine"], database["masterEndpoint"]["port"]) == ("postgres", 5432)
        assert database["location"]["availabilityZone"] == "us-east-1b"
        assert database["preferredBackupWindow"] == "23:45-00:15"
        assert database["preferredMaintenanceWindow"] == "Sun:23:50-Mon:00:20"
        assert database["publiclyAccessible"] is True

    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"relationalDatabaseBlueprintId": "mysql_5_6"}, "blueprint does not exist in this region: mysql_5_6"),
            ({"relationalDatabaseBundleId": "micro_1_0"}, "bundle does not exist in this region: micro_1_0"),
            ({"availabilityZone": "us-west-2a"}, "us-west-2a"),
            ({"masterDatabaseName": "1app"}, "masterDatabaseName"),
            ({"masterDatabaseName": "a" * 65}, "masterDatabaseName"),
            ({"masterUsername": "a" * 17}, "masterUsername"),
            ({"masterUsername": "db-user"}, "masterUsername"),
            ({"masterUserPassword": "short"}, "masterUserPassword"),
            ({"masterUserPassword": "has space in it"}, "masterUserPassword"),
            ({"masterUserPassword": "no@signs-here"}, "masterUserPassword"),
            ({"masterUserPassword": "x" * 42}, "masterUserPassword"),
            ({"preferredBackupWindow": "16:00-16:20"}, "preferredBackupWindow"),
            ({"preferredBackupWindow": "4pm-5pm"}, "preferredBackupWindow"),
            ({"preferredMaintenanceWindow": "Tue:17:00-Tue:17:10"}, "preferredMaintenanceWindow"),
            ({"preferredMaintenanceWindow": "Xyz:17:00-Xyz:17:30"}, "preferredMaintenanceWindow"),
        ],
    )
    def test_rejected_create_changes_nothing(self, client: Client, overrides: dict[str, Any], message: str) -> None:
        """Unknown catalogue entries, foreign zones and broken documented constraints change nothing."""
        error = rejected(client, lambda: create_database(client, "db-1", **overrides))
        assert error["Error"]["Code"] == "InvalidInputException"
        assert message in error["Error"]["Message"]

    def test_postgres_allows_longer_names_and_passwords(self, client: Client) -> None:
        """PostgreSQL's limits (63-character user, 128-character password) are wider than MySQL's."""
        create_database(
            client,
            "db-1",
            relationalDatabaseBlueprintId="postgres_16",
            masterUsername="u" * 63,
            masterUserPassword="p" * 128,
        )

    @pytest.mark.parametrize("existing", ["database", "instance"])
    def test_name_in_use(self, client: Client, existing: str) -> None:
        """A name used by a database or another monitored resource is NameExists."""
        if existing == "instance":
            create_instances(client, "db-1")
        else:
            create_database(client, "db-1")
        assert rejected(client, lambda: create_database(client, "db-1"))["code"] == "NameExists"

    def test_delete(self, client: Client) -> None:
        """DeleteRelationalDatabase answers a terminal operation in the database's zone."""
        create_database(client, "db-1", availabilityZone="us-east-1c")
        [op] = client.delete_relational_database(relationalDatabaseName="db-1")["operations"]
        assert (op["operationType"], op["status"], op["isTerminal"]) == ("DeleteRelationalDatabase", "Succeeded", True)
        assert op["location"]["availabilityZone"] == "us-east-1c"
        assert client.get_relational_databases()["relationalDatabases"] == []

    def test_skip_final_snapshot_with_snapshot_name_is_rejected(self, client: Client) -> None:
        """Naming a final snapshot while skipping it is an error (model doc) and deletes nothing."""
        create_database(client, "db-1")
        error = rejected(
            client,
            lambda: client.delete_relational_database(
                relationalDatabaseName="db-1", skipFinalSnapshot=True, finalRelationalDatabaseSnapshotName="snap"
            ),
        )
        assert error["Error"]["Code"] == "InvalidInputException"

    @pytest.mark.parametrize("call", ["get_relational_database", "delete_relational_database"])
    def test_unknown_is_not_found(self, client: Client, call: str) -> None:
        """An unknown database is a NotFoundException saying it does not exist."""
        error = error_of(lambda: getattr(client, call)(relationalDatabaseName="db-9"))
        assert error["Error"]["Code"] == "NotFoundException"
        assert error["Error"]["Message"] == "The RelationalDatabase does not exist: db-9"


# -- catalogue ----------------------------------------------------------------------------


class TestCatalogue:
    @pytest.mark.parametrize(
        ("method", "key", "required"),
        [
            (
                "get_blueprints",
                "blueprintId",
                {"amazon_linux_2023", "ubuntu_22_04", "ubuntu_24_04", "debian_12", "wordpress"},
            ),
            ("get_bundles", "bundleId", {"nano_3_0", "micro_3_0", "small_3_0", "medium_3_0", "large_3_0"}),
            ("get_relational_database_blueprints", "blueprintId", {"mysql_8_0", "postgres_16"}),
            ("get_relational_database_bundles", "bundleId", {"micro_2_0", "small_2_0", "medium_2_0", "large_2_0"}),
        ],
    )
    def test_lists_the_catalogue(self, client: Client, method: str, key: str, required: set[str]) -> None:
        """Each catalogue call lists at least the documented entries."""
        assert required <= {item[key] for item in list_all(client, method)}

    def test_bundle_figures(self, client: Client) -> None:
        """Bundles grow in price, memory and disk; nano_3_0 is the real one (aws-cli example)."""
        bundles = {b["bundleId"]: b for b in client.get_bundles()["bundles"]}
        assert (bundles["nano_3_0"]["price"], bundles["nano_3_0"]["ramSizeInGb"]) == (5.0, 0.5)
        order = ["nano_3_0", "micro_3_0", "small_3_0", "medium_3_0", "large_3_0"]
        for field in ("price", "ramSizeInGb", "diskSizeInGb", "transferPerMonthInGb"):
            values = [bundles[b][field] for b in order]
            assert values == sorted(values)
            assert len(set(values)) == len(values)

    def test_support_code(self) -> None:
        """A support code is the 12-digit account number, then the backing id."""
        assert catalogue.support_code(ACCOUNT, "i-0123") == f"{ACCOUNT}/i-0123"
        assert catalogue.support_code("210987654321", "ls-9") == "210987654321/ls-9"


# -- pagination ---------------------------------------------------------------------------


@pytest.mark.parametrize("method", list(LISTS))
class TestPagination:
    def test_pages_and_last_page_has_no_token(self, paged_client: Client, method: str) -> None:
        """Five items come as pages of 2, 2 and 1; only the last page lacks nextPageToken."""
        for index in range(5):
            CREATORS[method](paged_client, f"r-{index}")
        sizes, kwargs = [], {}
        while True:
            page = getattr(paged_client, method)(**kwargs)
            sizes.append(len(page[LISTS[method]]))
            if "nextPageToken" not in page:
                break
            kwargs = {"pageToken": page["nextPageToken"]}
        assert sizes == [2, 2, 1]
        assert sorted(item["name"] for item in list_all(paged_client, method)) == [f"r-{i}" for i in range(5)]

    def test_empty_list_is_one_page(self, paged_client: Client, method: str) -> None:
        """With nothing to list, one empty page without a token."""
        page = getattr(paged_client, method)()
        assert page[LISTS[method]] == []
        assert "nextPageToken" not in page

    def test_changes_between_pages(self, paged_client: Client, method: str) -> None:
        """Items added or deleted between pages never make another item repeat or go missing."""
        for index in range(6):
            CREATORS[method](paged_client, f"r-{index}")
        first = getattr(paged_client, method)()
        DELETERS[method](paged_client, "r-0")  # already seen
        DELETERS[method](paged_client, "r-2")  # not yet seen
        CREATORS[method](paged_client, "r-new")
        seen = [item["name"] for item in first[LISTS[method]]]
        token = first["nextPageToken"]
        while token:
            page = getattr(paged_client, method)(pageToken=token)
            seen += [item["name"] for item in page[LISTS[method]]]
            token = page.get("nextPageToken")
        assert len(seen) == len(set(seen))
        assert {"r-1", "r-3", "r-4", "r-5"} <= set(seen)
        assert "r-2" not in seen

    @pytest.mark.parametrize(
        "token",
        [
            "garbage",
            "not base64!",
            base64.urlsafe_b64encode(b"{}").decode(),
            base64.urlsafe_b64encode(b'{"op":"GetAlarms","after":[1.0,"a"]}').decode(),
            base64.urlsafe_b64encode(b'{"op":"GetInstances","after":["x","a"]}').decode(),
        ],
    )
    def test_foreign_token_is_invalid_input(self, paged_client: Client, method: str, token: str) -> None:
        """A token the mock did not issue for this call is an InvalidInputException."""
        error = error_of(lambda: getattr(paged_client, method)(pageToken=token))
        assert error["Error"]["Code"] == "InvalidInputException"
        assert "page token" in error["Error"]["Message"]

    def test_botocore_paginator(self, paged_client: Client, method: str) -> None:
        """botocore's own paginator walks every page."""
        for index in range(5):
            CREATORS[method](paged_client, f"r-{index}")
        pages = list(paged_client.get_paginator(method).paginate())
        assert len(pages) == 3
        assert sum(len(page[LISTS[method]]) for page in pages) == 5


def test_token_of_another_list_is_invalid(paged_client: Client) -> None:
    """A GetInstances token is refused by GetLoadBalancers."""
    for index in range(3):
        create_instances(paged_client, f"r-{index}")
    token = paged_client.get_instances()["nextPageToken"]
    error = error_of(lambda: paged_client.get_load_balancers(pageToken=token))
    assert error["Error"]["Code"] == "InvalidInputException"


@pytest.mark.parametrize(
    ("method", "member"),
    [
        ("get_blueprints", "blueprints"),
        ("get_bundles", "bundles"),
        ("get_relational_database_blueprints", "blueprints"),
        ("get_relational_database_bundles", "bundles"),
    ],
)
def test_catalogue_pages_too(paged_client: Client, method: str, member: str) -> None:
    """Catalogue calls page like the resource lists; walking the pages gives the whole catalogue once."""
    first = getattr(paged_client, method)()
    assert len(first[member]) == 2
    assert "nextPageToken" in first
    ids = [item.get("bundleId", item.get("blueprintId")) for item in list_all(paged_client, method)]
    assert len(ids) == len(set(ids)) >= 3


# A loop over pages, with random creations and deletions between pages, never repeats an item
# and never misses one that existed from its first page to its last. Through ``dispatch`` for speed.
_step = st.one_of(st.tuples(st.just("create"), st.integers(0, 30)), st.tuples(st.just("delete"), st.integers(0, 30)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    initial=st.sets(st.integers(0, 30), max_size=12),
    changes=st.lists(st.lists(_step, max_size=4), max_size=8),
    page_size=st.integers(1, 4),
)
def test_pagination_property(initial: set[int], changes: list[list[tuple[str, int]]], page_size: int) -> None:
    """No item is seen twice, and every item that exists throughout the loop is seen."""
    store = Store(Clock(), StoreOptions(page_size=page_size))

    def call(operation: str, params: dict[str, Any]) -> dict[str, Any]:
        return dispatch(store, ACCOUNT, REGION, operation, params)

    def names() -> set[str]:
        return set(store.region(ACCOUNT, REGION).resources[ResourceType.INSTANCE])

    def arns() -> set[str]:
        # An item is a resource, not a name: a name deleted and created again is a new item.
        return {resource.arn for resource in store.region(ACCOUNT, REGION).resources[ResourceType.INSTANCE].values()}

    def create(number: int) -> None:
        if f"i-{number}" not in names():
            call(
                "CreateInstances",
                {
                    "instanceNames": [f"i-{number}"],
                    "availabilityZone": "us-east-1a",
                    "blueprintId": "debian_12",
                    "bundleId": "nano_3_0",
                },
            )

    for number in sorted(initial):
        create(number)
    survivors = arns()
    seen: list[str] = []
    page = call("GetInstances", {})
    rounds = iter(changes)
    while True:
        seen += [item["arn"] for item in page["instances"]]
        if "nextPageToken" not in page:
            break
        for action, number in next(rounds, []):
            if action == "create":
                create(number)
            elif f"i-{number}" in names():
                call("DeleteInstance", {"instanceName": f"i-{number}"})
            survivors &= arns()
        page = call("GetInstances", {"pageToken": page["nextPageToken"]})
    assert len(seen) == len(set(seen))
    assert survivors <= set(seen)


# -- regions ------------------------------------------------------------------------------


class TestRegions:
    def test_regions_are_isolated(self, client: Client, other_client: Client) -> None:
        """What one region creates the other does not see, and the same name may exist in both."""
        create_instances(client, "web-1")
        create_load_balancer(client, "lb-1")
        create_database(client, "db-1")
        assert everything(other_client) == {method: [] for method in LISTS}
        create_instances(other_client, "web-1")
        create_load_balancer(other_client, "lb-1")
        create_database(other_client, "db-1")
        west = other_client.get_instance(instanceName="web-1")["instance"]
        assert west["location"] == {"availabilityZone": "us-west-2a", "regionName": OTHER_REGION}
        assert west["arn"].startswith(f"arn:aws:lightsail:{OTHER_REGION}:")
        assert client.get_instance(instanceName="web-1")["instance"]["arn"] != west["arn"]

    def test_zone_must_be_in_clients_region(self, other_client: Client) -> None:
        """us-east-1a is refused by a us-west-2 client."""
        error = error_of(lambda: create_instances(other_client, "web-1", availabilityZone="us-east-1a"))
        assert error["code"] == "InvalidAvailabilityZone"
