"""SetupInstanceHttps and GetSetupHistory through boto3 (docs/service-reference.md §17)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.helpers import create_instances

Client = Any


def _setup(client: Client, *names: str) -> dict[str, Any]:
    result: dict[str, Any] = client.setup_instance_https(
        instanceName="web-1",
        emailAddress="ops@example.com",
        domainNames=list(names or ["example.com"]),
        certificateProvider="LetsEncrypt",
    )
    return result


@pytest.fixture
def web(client: Client) -> Client:
    create_instances(client, "web-1")
    return client


def test_the_request_and_its_steps_are_recorded(web: Client) -> None:
    operation = _setup(web, "example.com", "www.example.com")["operations"][0]
    assert (operation["resourceName"], operation["operationType"]) == ("web-1", "SetupInstanceHttps")
    (entry,) = web.get_setup_history(resourceName="web-1")["setupHistory"]
    assert entry["operationId"] == operation["id"]
    assert entry["request"] == {
        "instanceName": "web-1",
        "domainNames": ["example.com", "www.example.com"],
        "certificateProvider": "LetsEncrypt",
    }
    assert entry["resource"]["arn"] == web.get_instance(instanceName="web-1")["instance"]["arn"]
    assert entry["status"] == "succeeded"
    assert {step["status"] for step in entry["executionDetails"]} == {"succeeded"}
    assert any("-d www.example.com" in step["command"] for step in entry["executionDetails"])


def test_the_five_most_recent_newest_first(web: Client) -> None:
    for index in range(7):
        _setup(web, f"site{index}.example.com")
    history = web.get_setup_history(resourceName="web-1")["setupHistory"]
    assert [entry["request"]["domainNames"][0] for entry in history] == [
        f"site{index}.example.com" for index in (6, 5, 4, 3, 2)
    ]


def test_refusals(web: Client) -> None:
    long_names = [f"{'a' * 60}{index}.example.com" for index in range(2)]
    with pytest.raises(web.exceptions.InvalidInputException, match="63 characters"):
        _setup(web, *long_names)
    web.stop_instance(instanceName="web-1")
    with pytest.raises(web.exceptions.InvalidInputException, match="running"):
        _setup(web)
    assert web.get_setup_history(resourceName="web-1")["setupHistory"] == []
    with pytest.raises(web.exceptions.NotFoundException, match="does not exist"):
        web.get_setup_history(resourceName="nothing")


def test_a_new_instance_of_the_same_name_has_no_history(web: Client) -> None:
    _setup(web)
    web.delete_instance(instanceName="web-1")
    create_instances(web, "web-1")
    assert web.get_setup_history(resourceName="web-1")["setupHistory"] == []
