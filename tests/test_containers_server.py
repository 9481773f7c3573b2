"""Container logs seeded through the control API and read back through a client over HTTP
(docs/server.md, ``POST /_lightmock/container-log``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from lightmock.server import LightsailServer
from tests.serving import http_client


@pytest.fixture
def server() -> Iterator[LightsailServer]:
    with LightsailServer(port=0) as running:
        yield running


def test_container_log_through_the_control_api(server: LightsailServer) -> None:
    client = http_client(server.url)
    client.create_container_service(serviceName="web", power="nano", scale=1)
    client.create_container_service_deployment(
        serviceName="web", containers={"app": {"image": "nginx:latest", "ports": {"80": "HTTP"}}}
    )
    url = f"{server.url}/_lightmock/container-log"
    now = requests.get(f"{server.url}/_lightmock/clock", timeout=10).json()["now"]
    assert now
    answer = requests.post(
        url,
        json={"serviceName": "web", "containerName": "app", "events": [{"createdAt": 1, "message": "boot"}, "ready"]},
        timeout=10,
    )
    assert (answer.status_code, answer.json()) == (200, {"added": 2})
    events = client.get_container_log(serviceName="web", containerName="app")["logEvents"]
    assert [event["message"] for event in events] == ["boot", "ready"]
    refused = requests.post(url, json={"serviceName": "web", "containerName": "app", "events": [3]}, timeout=10)
    assert refused.status_code == 400
    assert "an event is a message" in refused.json()["message"]
    assert len(client.get_container_log(serviceName="web", containerName="app")["logEvents"]) == 2
