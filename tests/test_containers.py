"""Container services through boto3: states through the transition modes, updates and
disabling, deployments that activate or fail, images, the registry log-in, the API metadata
and metric data (docs/service-reference.md §19)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from lightmock import LightsailMock
from tests.helpers import T0

Client = Any
DIGEST = "sha256:" + "ab" * 32
WEB = {"app": {"image": "nginx:latest", "ports": {"80": "HTTP"}}}
ENDPOINT = {"containerName": "app", "containerPort": 80}


def _service(client: Client, name: str = "web") -> dict[str, Any]:
    found: dict[str, Any] = client.get_container_services(serviceName=name)["containerServices"][0]
    return found


class TestLifeCycle:
    def test_create_answers_pending_and_reads_ready(self, client: Client) -> None:
        created = client.create_container_service(
            serviceName="web", power="micro", scale=2, tags=[{"key": "team", "value": "web"}]
        )["containerService"]
        assert created["containerServiceName"] == "web"
        assert created["state"] == "PENDING"
        service = _service(client)
        assert service["state"] == "READY"
        assert (service["power"], service["powerId"], service["scale"]) == ("micro", "micro-1", 2)
        assert service["url"].startswith("https://web.")
        assert service["url"].endswith(".us-east-1.cs.amazonlightsail.com/")
        assert service["privateDomainName"] == "web.service.local"
        assert service["isDisabled"] is False
        assert service["tags"] == [{"key": "team", "value": "web"}]
        assert "stateDetail" not in service
        assert "currentDeployment" not in service

    def test_held_states_until_finished(self, ls: LightsailMock, client: Client) -> None:
        ls.set_transitions("hold")
        client.create_container_service(serviceName="web", power="nano", scale=1)
        assert _service(client)["state"] == "PENDING"
        with pytest.raises(client.exceptions.InvalidInputException, match="is PENDING"):
            client.update_container_service(serviceName="web", scale=2)
        assert ls.finish_transitions("web") == 1
        assert _service(client)["state"] == "READY"
        client.update_container_service(serviceName="web", scale=3)
        service = _service(client)
        assert (service["state"], service["stateDetail"]["code"]) == ("UPDATING", "PROVISIONING_SERVICE")
        ls.finish_transitions()
        assert (_service(client)["state"], _service(client)["scale"]) == ("READY", 3)

    def test_states_follow_the_clock(self, ls: LightsailMock, client: Client) -> None:
        ls.set_transitions("clock")
        client.create_container_service(serviceName="web", power="nano", scale=1)
        ls.clock.advance(seconds=299)
        assert _service(client)["state"] == "PENDING"
        ls.clock.advance(seconds=1)
        assert _service(client)["state"] == "READY"

    def test_disable_and_enable(self, client: Client) -> None:
        client.create_container_service(serviceName="web", power="nano", scale=1)
        client.create_container_service_deployment(serviceName="web", containers=WEB, publicEndpoint=ENDPOINT)
        answered = client.update_container_service(serviceName="web", isDisabled=True)["containerService"]
        assert answered["state"] == "UPDATING"
        assert (_service(client)["state"], _service(client)["isDisabled"]) == ("DISABLED", True)
        with pytest.raises(client.exceptions.InvalidInputException, match="disabled"):
            client.create_container_service_deployment(serviceName="web", containers=WEB)
        client.update_container_service(serviceName="web", isDisabled=False)
        assert (_service(client)["state"], _service(client)["isDisabled"]) == ("RUNNING", False)

    def test_power_and_domains(self, client: Client) -> None:
        client.create_container_service(serviceName="web", power="nano", scale=1)
        client.update_container_service(
            serviceName="web", power="large", publicDomainNames={"web-cert": ["example.com", "www.example.com"]}
        )
        service = _service(client)
        assert (service["power"], service["powerId"]) == ("large", "large-1")
        assert service["publicDomainNames"] == {"web-cert": ["example.com", "www.example.com"]}
        client.update_container_service(serviceName="web", publicDomainNames={"web-cert": []})
        assert "publicDomainNames" not in _service(client)
        too_many = {"cert": [f"d{index}.example.com" for index in range(5)]}
        with pytest.raises(client.exceptions.InvalidInputException, match="up to 4 public domain names"):
            client.update_container_service(serviceName="web", publicDomainNames=too_many)

    def test_delete_goes_through_deleting(self, ls: LightsailMock, client: Client) -> None:
        client.create_container_service(serviceName="web", power="nano", scale=1)
        ls.set_transitions("hold")
        assert "operations" not in client.delete_container_service(serviceName="web")
        assert _service(client)["state"] == "DELETING"
        ls.finish_transitions("web")
        assert client.get_container_services()["containerServices"] == []
        logged = client.get_operations_for_resource(resourceName="web")["operations"]
        assert "DeleteContainerService" in {operation.get("operationType") for operation in logged}

    def test_powers(self, client: Client) -> None:
        powers = {power["name"]: power for power in client.get_container_service_powers()["powers"]}
        assert list(powers) == ["nano", "micro", "small", "medium", "large", "xlarge"]
        assert (powers["nano"]["powerId"], powers["nano"]["ramSizeInGb"], powers["nano"]["cpuCount"]) == (
            "nano-1",
            0.5,
            0.25,
        )


class TestDeployments:
    def test_the_next_deployment_becomes_current(self, ls: LightsailMock, client: Client) -> None:
        client.create_container_service(serviceName="web", power="nano", scale=1)
        ls.set_transitions("hold")
        answered = client.create_container_service_deployment(
            serviceName="web", containers=WEB, publicEndpoint=ENDPOINT
        )["containerService"]
        assert answered["state"] == "DEPLOYING"
        assert (answered["nextDeployment"]["version"], answered["nextDeployment"]["state"]) == (1, "ACTIVATING")
        health = answered["nextDeployment"]["publicEndpoint"]["healthCheck"]
        assert health == {
            "healthyThreshold": 2,
            "unhealthyThreshold": 2,
            "timeoutSeconds": 2,
            "intervalSeconds": 5,
            "path": "/",
            "successCodes": "200-499",
        }
        assert _service(client)["state"] == "DEPLOYING"
        ls.finish_transitions("web")
        service = _service(client)
        assert service["state"] == "RUNNING"
        assert "nextDeployment" not in service
        assert (service["currentDeployment"]["version"], service["currentDeployment"]["state"]) == (1, "ACTIVE")
        ls.set_transitions("instant")
        client.create_container_service_deployment(serviceName="web", containers=WEB)
        deployments = client.get_container_service_deployments(serviceName="web")["deployments"]
        assert [(entry["version"], entry["state"]) for entry in deployments] == [(2, "ACTIVE"), (1, "INACTIVE")]
        assert _service(client)["currentDeployment"]["version"] == 2

    def test_an_image_the_service_lacks_fails(self, client: Client) -> None:
        client.create_container_service(serviceName="web", power="nano", scale=1)
        missing = {"app": {"image": ":web.app.1", "ports": {"80": "HTTP"}}}
        answered = client.create_container_service_deployment(serviceName="web", containers=missing)
        assert answered["containerService"]["nextDeployment"]["state"] == "ACTIVATING"
        deployments = client.get_container_service_deployments(serviceName="web")["deployments"]
        assert [(entry["version"], entry["state"]) for entry in deployments] == [(1, "FAILED")]
        service = _service(client)
        assert service["state"] == "READY"
        assert "currentDeployment" not in service

    def test_a_registered_image_deploys(self, client: Client) -> None:
        client.create_container_service(serviceName="web", power="nano", scale=1)
        client.register_container_image(serviceName="web", label="app", digest=DIGEST)
        own = {"app": {"image": ":web.app.latest", "ports": {"80": "HTTP"}}}
        client.create_container_service_deployment(serviceName="web", containers=own, publicEndpoint=ENDPOINT)
        assert _service(client)["currentDeployment"]["containers"]["app"]["image"] == ":web.app.latest"
        assert _service(client)["state"] == "RUNNING"

    def test_a_deployment_at_creation(self, client: Client) -> None:
        created = client.create_container_service(
            serviceName="web", power="nano", scale=1, deployment={"containers": WEB, "publicEndpoint": ENDPOINT}
        )["containerService"]
        assert (created["state"], created["nextDeployment"]["version"]) == ("PENDING", 1)
        assert _service(client)["state"] == "RUNNING"

    def test_refused_deployments_change_nothing(self, client: Client) -> None:
        client.create_container_service(serviceName="web", power="nano", scale=1)
        with pytest.raises(client.exceptions.InvalidInputException, match="not an open port"):
            client.create_container_service_deployment(
                serviceName="web", containers=WEB, publicEndpoint={"containerName": "app", "containerPort": 8080}
            )
        with pytest.raises(client.exceptions.InvalidInputException, match="not a container"):
            client.create_container_service_deployment(
                serviceName="web", containers=WEB, publicEndpoint={"containerName": "db", "containerPort": 80}
            )
        with pytest.raises(client.exceptions.InvalidInputException, match="between 5 and 300"):
            client.create_container_service_deployment(
                serviceName="web",
                containers=WEB,
                publicEndpoint={**ENDPOINT, "healthCheck": {"intervalSeconds": 1}},
            )
        assert client.get_container_service_deployments(serviceName="web")["deployments"] == []
        assert _service(client)["state"] == "READY"


class TestImages:
    def test_versions_count_per_label(self, client: Client) -> None:
        client.create_container_service(serviceName="web", power="nano", scale=1)
        first = client.register_container_image(serviceName="web", label="app", digest=DIGEST)["containerImage"]
        second = client.register_container_image(serviceName="web", label="app", digest=DIGEST)["containerImage"]
        other = client.register_container_image(serviceName="web", label="worker", digest=DIGEST)["containerImage"]
        assert [first["image"], second["image"], other["image"]] == [":web.app.1", ":web.app.2", ":web.worker.1"]
        listed = [image["image"] for image in client.get_container_images(serviceName="web")["containerImages"]]
        assert listed == [":web.worker.1", ":web.app.2", ":web.app.1"]
        client.delete_container_image(serviceName="web", image=":web.app.1")
        listed = [image["image"] for image in client.get_container_images(serviceName="web")["containerImages"]]
        assert listed == [":web.worker.1", ":web.app.2"]
        with pytest.raises(client.exceptions.NotFoundException, match="does not exist"):
            client.delete_container_image(serviceName="web", image=":web.app.1")

    def test_a_digest_must_be_one(self, client: Client) -> None:
        client.create_container_service(serviceName="web", power="nano", scale=1)
        with pytest.raises(client.exceptions.InvalidInputException, match="digest"):
            client.register_container_image(serviceName="web", label="app", digest="latest")
        assert client.get_container_images(serviceName="web")["containerImages"] == []

    def test_registry_login_needs_a_service(self, ls: LightsailMock, client: Client) -> None:
        with pytest.raises(client.exceptions.InvalidInputException, match="create a container service"):
            client.create_container_service_registry_login()
        client.create_container_service(serviceName="web", power="nano", scale=1)
        login = client.create_container_service_registry_login()["registryLogin"]
        assert login["username"] == "AWS"
        assert login["registry"].endswith(".dkr.ecr.us-east-1.amazonaws.com")
        assert login["expiresAt"] == T0 + timedelta(hours=12)

    def test_api_metadata(self, client: Client) -> None:
        metadata = client.get_container_api_metadata()["metadata"]
        assert metadata[0]["lightsailctlVersion"].startswith("v")


class TestMetrics:
    def test_seeded_cpu_and_memory(self, ls: LightsailMock, client: Client) -> None:
        client.create_container_service(serviceName="web", power="nano", scale=1)
        assert ls.put_metric_data("web", "MemoryUtilization", [40.0, 60.0]) == 2
        data = client.get_container_service_metric_data(
            serviceName="web",
            metricName="MemoryUtilization",
            startTime=T0 - timedelta(hours=1),
            endTime=T0,
            period=300,
            statistics=["Average", "Maximum"],
        )["metricData"]
        assert sorted(point["maximum"] for point in data) == [40.0, 60.0]
        assert {point["unit"] for point in data} == {"Percent"}

    def test_a_service_cannot_be_watched_by_an_alarm(self, client: Client) -> None:
        client.create_container_service(serviceName="web", power="nano", scale=1)
        with pytest.raises(client.exceptions.InvalidInputException, match="monitored by alarms"):
            client.put_alarm(
                alarmName="cpu",
                metricName="CPUUtilization",
                monitoredResourceName="web",
                comparisonOperator="GreaterThanThreshold",
                threshold=80,
                evaluationPeriods=1,
            )


class TestLogs:
    def _service_with_app(self, client: Client) -> None:
        client.create_container_service(serviceName="web", power="nano", scale=1)
        client.create_container_service_deployment(serviceName="web", containers=WEB, publicEndpoint=ENDPOINT)

    def test_seeded_events_by_time_and_pattern(self, ls: LightsailMock, client: Client) -> None:
        self._service_with_app(client)
        events = [
            (T0 - timedelta(minutes=30), "GET / 200"),
            (T0 - timedelta(minutes=20), "ERROR database timeout"),
            (T0 - timedelta(minutes=10), "ERROR Exception in handler"),
            (T0 - timedelta(minutes=5), "GET /health 200"),
        ]
        assert ls.put_container_log("web", "app", events) == 4
        assert ls.put_container_log("web", "app", ["started"]) == 1  # stamped with the clock

        def messages(**params: Any) -> list[str]:
            found = client.get_container_log(serviceName="web", containerName="app", **params)["logEvents"]
            return [event["message"] for event in found]

        assert messages() == [message for _, message in events] + ["started"]
        assert messages(filterPattern="ERROR") == ["ERROR database timeout", "ERROR Exception in handler"]
        assert messages(filterPattern="-ERROR") == ["GET / 200", "GET /health 200", "started"]
        assert messages(filterPattern="ERROR Exception") == ["ERROR Exception in handler"]
        assert messages(filterPattern="?timeout ?health") == ["ERROR database timeout", "GET /health 200"]
        assert messages(filterPattern='"in handler"') == ["ERROR Exception in handler"]
        window = messages(startTime=T0 - timedelta(minutes=25), endTime=T0 - timedelta(minutes=10))
        assert window == ["ERROR database timeout", "ERROR Exception in handler"]

    def test_events_ahead_of_the_clock_wait_for_it(self, ls: LightsailMock, client: Client) -> None:
        self._service_with_app(client)
        ls.put_container_log("web", "app", [(T0 + timedelta(minutes=1), "later")])
        assert client.get_container_log(serviceName="web", containerName="app")["logEvents"] == []
        ls.clock.advance(minutes=1)
        assert [
            e["message"] for e in client.get_container_log(serviceName="web", containerName="app")["logEvents"]
        ] == ["later"]

    def test_pages(self) -> None:
        import boto3

        from lightmock import mock_lightsail

        with mock_lightsail(page_size=2) as small:
            small.clock.freeze(T0)
            client = boto3.client("lightsail", region_name="us-east-1")
            self._service_with_app(client)
            small.put_container_log("web", "app", [(T0 - timedelta(seconds=9 - i), f"line {i}") for i in range(5)])
            seen: list[str] = []
            params: dict[str, Any] = {}
            while True:
                page = client.get_container_log(serviceName="web", containerName="app", **params)
                seen += [event["message"] for event in page["logEvents"]]
                if "nextPageToken" not in page:
                    break
                params = {"pageToken": page["nextPageToken"]}
            assert seen == [f"line {i}" for i in range(5)]
            errors = [
                e["message"]
                for e in client.get_container_log(serviceName="web", containerName="app", filterPattern="line 4")[
                    "logEvents"
                ]
            ]
            assert errors == ["line 4"]

    def test_a_container_that_never_ran(self, ls: LightsailMock, client: Client) -> None:
        self._service_with_app(client)
        with pytest.raises(client.exceptions.InvalidInputException, match="has not run"):
            client.get_container_log(serviceName="web", containerName="db")
        with pytest.raises(AssertionError, match="no container service"):
            ls.put_container_log("nothing", "app", ["x"])


def test_a_service_name_an_instance_has_is_refused(client: Client) -> None:
    """Container services share the namespace of the kinds with metric data (docs/limits.md)."""
    client.create_instances(
        instanceNames=["web"], availabilityZone="us-east-1a", blueprintId="ubuntu_22_04", bundleId="nano_3_0"
    )
    with pytest.raises(client.exceptions.InvalidInputException, match="buckets and container services"):
        client.create_container_service(serviceName="web", power="nano", scale=1)
    assert client.get_container_services()["containerServices"] == []
