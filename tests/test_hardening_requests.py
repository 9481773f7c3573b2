"""What passes validation is what the handlers get; tokens, sizes, tags and regions hold up.

Each class of failure is tried through a real boto3 client (with its own validation off
where it would stop the request) or as a raw body, as a hostile or careless caller sends it.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from typing import Any

import boto3
import botocore.session
import pytest
import requests
from botocore.config import Config
from botocore.exceptions import EndpointConnectionError
from hypothesis import given, settings
from hypothesis import strategies as st

from lightmock import LightsailMock
from lightmock.core.exceptions import InvalidInputException
from lightmock.core.wire import MAX_TAGS, check_tags
from lightmock.schema.model import served_regions
from tests.helpers import REGION, shared_client

URL = f"https://lightsail.{REGION}.amazonaws.com/"
TARGET = "Lightsail_20161128."

ALARM: dict[str, Any] = {
    "alarmName": "cpu-high",
    "metricName": "CPUUtilization",
    "monitoredResourceName": "web-1",
    "comparisonOperator": "GreaterThanThreshold",
    "threshold": 80.0,
    "evaluationPeriods": 3,
}
INSTANCE: dict[str, Any] = {
    "instanceNames": ["web-2"],
    "availabilityZone": "us-east-1a",
    "blueprintId": "ubuntu_22_04",
    "bundleId": "nano_3_0",
}
LOAD_BALANCER: dict[str, Any] = {"loadBalancerName": "lb-1", "instancePort": 80}
DATABASE: dict[str, Any] = {
    "relationalDatabaseName": "db-1",
    "relationalDatabaseBlueprintId": "mysql_8_0",
    "relationalDatabaseBundleId": "micro_2_0",
    "masterDatabaseName": "app",
    "masterUsername": "admin",
}
CONTACT: dict[str, Any] = {"protocol": "Email", "contactEndpoint": "ops@example.com"}


def unchecked() -> Any:
    """A client that sends what it is given, as other SDKs and hand-made requests do."""
    return boto3.client("lightsail", region_name=REGION, config=Config(parameter_validation=False))


def raw(operation: str, body: bytes) -> tuple[int, dict[str, Any]]:
    """A raw HTTP request to the endpoint (answered through ``responses``): status and JSON body."""
    response = requests.post(URL, headers={"X-Amz-Target": TARGET + operation}, data=body, timeout=5)
    return response.status_code, response.json()


@pytest.fixture
def seeded(ls: LightsailMock, client: Any) -> Any:
    """``ls`` with the instance web-1 that ``ALARM`` watches; returns the validating client."""
    client.create_instances(**{**INSTANCE, "instanceNames": ["web-1"]})
    return client


# --- integer members given floats ----------------------------------------------------------


class TestIntegralFloats:
    @pytest.mark.parametrize(
        ("member", "value", "read"),
        [
            ("evaluationPeriods", 3.0, lambda alarm: alarm["evaluationPeriods"]),
            ("datapointsToAlarm", 2.0, lambda alarm: alarm["datapointsToAlarm"]),
        ],
    )
    def test_alarm_members_are_stored_as_integers(
        self, seeded: Any, member: str, value: float, read: Callable[[Any], Any]
    ) -> None:
        """evaluationPeriods=3.0 and datapointsToAlarm=2.0 are 3 and 2, and come back as ints."""
        unchecked().put_alarm(**{**ALARM, member: value})
        stored = read(seeded.get_alarms(alarmName="cpu-high")["alarms"][0])
        assert (stored, type(stored)) == (int(value), int)

    def test_instance_port_is_stored_as_an_integer(self, client: Any) -> None:
        """instancePort=80.0 is port 80, an int in GetLoadBalancer."""
        unchecked().create_load_balancer(**{**LOAD_BALANCER, "instancePort": 80.0})
        port = client.get_load_balancer(loadBalancerName="lb-1")["loadBalancer"]["instancePort"]
        assert (port, type(port)) == (80, int)

    @pytest.mark.parametrize("value", [2.5, 1e-9, -0.5])
    def test_a_fraction_is_refused(self, seeded: Any, value: float) -> None:
        """An integer member with a fraction is invalid input, and no alarm is made."""
        with pytest.raises(seeded.exceptions.InvalidInputException, match="evaluationPeriods: expected an integer"):
            unchecked().put_alarm(**{**ALARM, "evaluationPeriods": value})
        assert seeded.get_alarms()["alarms"] == []

    def test_raw_body_float_is_an_integer(self, seeded: Any) -> None:
        """The same through a raw body: 3.0 on the wire is stored as 3."""
        status, _ = raw("PutAlarm", json.dumps({**ALARM, "evaluationPeriods": 3.0, "datapointsToAlarm": 3.0}).encode())
        assert status == 200
        alarm = seeded.get_alarms()["alarms"][0]
        assert (alarm["evaluationPeriods"], alarm["datapointsToAlarm"]) == (3, 3)


# --- null is absent --------------------------------------------------------------------------


def _instance(client: Any) -> Any:
    return client.get_instance(instanceName="web-2")["instance"]


def _load_balancer(client: Any) -> Any:
    return client.get_load_balancer(loadBalancerName="lb-1")["loadBalancer"]


def _database(client: Any) -> Any:
    return client.get_relational_database(relationalDatabaseName="db-1")["relationalDatabase"]


def _alarm(client: Any) -> Any:
    return client.get_alarms(alarmName="cpu-high")["alarms"][0]


#: (operation, request without the member, member set to null, read back, the default expected)
NULL_CASES: list[Any] = [
    ("PutAlarm", ALARM, "treatMissingData", lambda c: _alarm(c)["treatMissingData"], "missing"),
    ("PutAlarm", ALARM, "datapointsToAlarm", lambda c: _alarm(c)["datapointsToAlarm"], 3),
    ("PutAlarm", ALARM, "contactProtocols", lambda c: _alarm(c)["contactProtocols"], []),
    ("PutAlarm", ALARM, "notificationTriggers", lambda c: _alarm(c)["notificationTriggers"], ["ALARM"]),
    ("PutAlarm", ALARM, "notificationEnabled", lambda c: _alarm(c)["notificationEnabled"], True),
    ("PutAlarm", ALARM, "tags", lambda c: _alarm(c)["tags"], []),
    ("CreateInstances", INSTANCE, "addOns", lambda c: _instance(c)["addOns"], []),
    ("CreateInstances", INSTANCE, "keyPairName", lambda c: _instance(c)["sshKeyName"], "LightsailDefaultKeyPair"),
    ("CreateInstances", INSTANCE, "ipAddressType", lambda c: _instance(c)["ipAddressType"], "dualstack"),
    ("CreateInstances", INSTANCE, "tags", lambda c: _instance(c)["tags"], []),
    ("CreateLoadBalancer", LOAD_BALANCER, "healthCheckPath", lambda c: _load_balancer(c)["healthCheckPath"], "/"),
    ("CreateLoadBalancer", LOAD_BALANCER, "ipAddressType", lambda c: _load_balancer(c)["ipAddressType"], "dualstack"),
    ("CreateLoadBalancer", LOAD_BALANCER, "tlsPolicyName", lambda c: "tlsPolicyName" in _load_balancer(c), False),
    ("CreateRelationalDatabase", DATABASE, "availabilityZone", lambda c: _database(c)["location"]["availabilityZone"],
     "us-east-1a"),
    ("CreateRelationalDatabase", DATABASE, "publiclyAccessible", lambda c: _database(c)["publiclyAccessible"], False),
    ("CreateRelationalDatabase", DATABASE, "preferredBackupWindow", lambda c: _database(c)["preferredBackupWindow"],
     "10:01-10:31"),
    ("CreateRelationalDatabase", DATABASE, "masterUserPassword", lambda c: _database(c)["masterUsername"], "admin"),
    ("CreateContactMethod", CONTACT, "tags", lambda c: c.get_contact_methods()["contactMethods"][0]["tags"], []),
]


#: botocore's serialiser cannot write a null list, whatever its validation: those go as raw bodies only.
_LISTS = {"contactProtocols", "notificationTriggers", "tags", "addOns"}
SCALAR_NULL_CASES = [case for case in NULL_CASES if case[2] not in _LISTS]


class TestNullIsAbsent:
    @pytest.mark.parametrize(
        ("operation", "params", "member", "read", "default"),
        SCALAR_NULL_CASES,
        ids=[f"{case[0]}.{case[2]}" for case in SCALAR_NULL_CASES],
    )
    def test_through_boto3(
        self, seeded: Any, operation: str, params: dict[str, Any], member: str, read: Any, default: Any
    ) -> None:
        """A null optional member is the member left out: the call succeeds with its default."""
        method = getattr(unchecked(), botocore.xform_name(operation))
        method(**{**params, member: None})
        assert read(seeded) == default

    @pytest.mark.parametrize(
        ("operation", "params", "member", "read", "default"),
        NULL_CASES,
        ids=[f"{case[0]}.{case[2]}" for case in NULL_CASES],
    )
    def test_through_a_raw_body(
        self, seeded: Any, operation: str, params: dict[str, Any], member: str, read: Any, default: Any
    ) -> None:
        """The same as a raw JSON body with ``null``."""
        status, body = raw(operation, json.dumps({**params, member: None}).encode())
        assert status == 200, body
        assert read(seeded) == default

    def test_null_inside_a_structure_of_a_list(self, seeded: Any) -> None:
        """A tag with a null value is a tag without a value."""
        status, _ = raw("PutAlarm", json.dumps({**ALARM, "tags": [{"key": "team", "value": None}]}).encode())
        assert status == 200
        assert _alarm(seeded)["tags"] == [{"key": "team"}]

    def test_null_item_of_a_list_is_refused(self, seeded: Any) -> None:
        """A list item cannot be absent: ``[null]`` is invalid input, and nothing is made."""
        status, body = raw("PutAlarm", json.dumps({**ALARM, "contactProtocols": ["Email", None]}).encode())
        assert (status, body["__type"]) == (400, "InvalidInputException")
        assert "contactProtocols[1]" in body["message"]
        assert seeded.get_alarms()["alarms"] == []

    def test_null_required_member_is_refused(self, seeded: Any) -> None:
        """A null required member is missing: invalid input naming it."""
        status, body = raw("CreateInstances", json.dumps({**INSTANCE, "availabilityZone": None}).encode())
        assert (status, body["__type"]) == (400, "InvalidInputException")
        assert "availabilityZone: a value is required" in body["message"]


# --- page tokens -------------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode()


FORGED_TOKENS = {
    "400-digit integer": _b64(b'{"op":"GetAlarms","after":[' + b"9" * 400 + b',"a"]}'),
    "deeply nested": _b64(b'{"op":"GetAlarms","after":' + b"[" * 5_000 + b"]" * 5_000 + b"}"),
    "NaN time": _b64(b'{"op":"GetAlarms","after":[NaN,"a"]}'),
    "infinite time": _b64(b'{"op":"GetAlarms","after":[Infinity,"a"]}'),
    "wrong types": _b64(b'{"op":"GetAlarms","after":{"t":1}}'),
    "not base64": "***not base64***",
    "empty object": _b64(b"{}"),
    "huge": "A" * 1_000_000,
    "a dot and nothing": ".",
}


class TestPageTokens:
    @pytest.mark.parametrize("token", FORGED_TOKENS.values(), ids=FORGED_TOKENS.keys())
    def test_forged_token_is_invalid_input(self, seeded: Any, token: str) -> None:
        """A token the mock did not issue is InvalidInputException, with a bounded message."""
        with pytest.raises(seeded.exceptions.InvalidInputException, match="page token") as caught:
            seeded.get_alarms(pageToken=token)
        assert len(caught.value.response["Error"]["Message"]) < 500

    def test_altered_token_is_invalid_input(self) -> None:
        """A real token with one character changed is refused: tokens are signed."""
        with LightsailMock(page_size=1):
            client = shared_client()
            client.create_instances(**{**INSTANCE, "instanceNames": ["web-1", "web-2"]})
            token = client.get_instances()["nextPageToken"]
            altered = token[:-1] + ("A" if token[-1] != "A" else "B")
            with pytest.raises(client.exceptions.InvalidInputException, match="page token"):
                client.get_instances(pageToken=altered)
            assert [i["name"] for i in client.get_instances(pageToken=token)["instances"]] == ["web-2"]

    @settings(max_examples=60, deadline=None)
    @given(token=st.text(min_size=1, max_size=300))
    def test_any_text_is_invalid_input(self, token: str) -> None:
        """Whatever a token holds, unless the mock issued it, it is InvalidInputException."""
        with LightsailMock():
            status, body = raw("GetAlarms", json.dumps({"pageToken": token}).encode())
        assert (status, body["__type"]) == (400, "InvalidInputException")

    def test_pages_follow_changes_between_them(self) -> None:
        """Deleting and recreating alarms between pages: no alarm twice, none that stayed is missed."""
        with LightsailMock(page_size=3):
            client = shared_client()
            client.create_instances(**{**INSTANCE, "instanceNames": [f"web-{i}" for i in range(5)]})
            for i in range(5):
                for metric in ("CPUUtilization", "NetworkIn"):
                    client.put_alarm(**{**ALARM, "alarmName": f"a-{i}-{metric}", "monitoredResourceName": f"web-{i}",
                                        "metricName": metric})
            first = client.get_alarms()
            seen = [alarm["name"] for alarm in first["alarms"]]
            client.delete_alarm(alarmName=seen[0])
            client.delete_alarm(alarmName="a-4-NetworkIn")
            client.put_alarm(**{**ALARM, "alarmName": "a-4-NetworkIn", "monitoredResourceName": "web-4",
                                "metricName": "NetworkIn"})
            token = first.get("nextPageToken")
            while token:
                page = client.get_alarms(pageToken=token)
                seen += [alarm["name"] for alarm in page["alarms"]]
                token = page.get("nextPageToken")
        assert len(seen) == len(set(seen)) == 10


# --- sizes -------------------------------------------------------------------------------------


class TestSizes:
    def test_duplicate_names_among_many_are_named_briefly(self, client: Any) -> None:
        """20,000 names, each twice: refused, naming ten of them and how many more."""
        names = [f"web-{i}" for i in range(10_000)] * 2
        with pytest.raises(client.exceptions.InvalidInputException, match="named more than once") as caught:
            client.create_instances(**{**INSTANCE, "instanceNames": names})
        message = caught.value.response["Error"]["Message"]
        assert message.endswith("and 9990 more")
        assert client.get_instances()["instances"] == []

    @pytest.mark.parametrize(
        ("operation", "params"),
        [
            ("PutAlarm", {**ALARM, "alarmName": "x" * 10_000_000}),
            ("CreateInstances", {**INSTANCE, "blueprintId": "x" * 10_000_000}),
            ("CreateLoadBalancer", {**LOAD_BALANCER, "healthCheckPath": "x" * 10_000_000}),
            ("GetAlarms", {"x" * 10_000_000: 1}),
            ("GetAlarms", {"alarmName": "x" * 10_000_000}),
            ("PutAlarm", {**ALARM, "contactProtocols": ["Pigeon" * 1_000_000]}),
        ],
        ids=["resource-name", "blueprint", "health-check-path", "member-name", "get-name", "enum"],
    )
    def test_a_huge_value_is_quoted_only_in_part(self, seeded: Any, operation: str, params: dict[str, Any]) -> None:
        """A 10 MB value costs a message of a few hundred characters, not 10 MB."""
        status, body = raw(operation, json.dumps(params).encode())
        assert (status, body["__type"]) == (400, "InvalidInputException")
        assert len(body["message"]) < 1_000
        assert "characters" in body["message"]


# --- tags --------------------------------------------------------------------------------------


def _tags(count: int) -> list[dict[str, str]]:
    return [{"key": f"k{i}", "value": "v"} for i in range(count)]


CREATES: list[tuple[str, dict[str, Any], Callable[[Any], list[Any]]]] = [
    ("PutAlarm", ALARM, lambda c: c.get_alarms()["alarms"]),
    ("CreateInstances", INSTANCE, lambda c: [i for i in c.get_instances()["instances"] if i["name"] == "web-2"]),
    ("CreateLoadBalancer", LOAD_BALANCER, lambda c: c.get_load_balancers()["loadBalancers"]),
    ("CreateRelationalDatabase", DATABASE, lambda c: c.get_relational_databases()["relationalDatabases"]),
    ("CreateContactMethod", CONTACT, lambda c: c.get_contact_methods()["contactMethods"]),
]


class TestTagLimit:
    @pytest.mark.parametrize(("operation", "params", "listed"), CREATES, ids=[case[0] for case in CREATES])
    def test_fifty_tags_and_no_more(self, seeded: Any, operation: str, params: dict[str, Any], listed: Any) -> None:
        """51 tags are refused and nothing is created; 50 are kept."""
        method = getattr(seeded, botocore.xform_name(operation))
        with pytest.raises(seeded.exceptions.InvalidInputException, match="at most 50 tags"):
            method(**params, tags=_tags(MAX_TAGS + 1))
        assert listed(seeded) == []
        method(**params, tags=_tags(MAX_TAGS))
        assert len(listed(seeded)[0]["tags"]) == MAX_TAGS

    def test_the_rule_counts_existing_tags_and_replaces_by_key(self) -> None:
        """check_tags, the rule TagResource shares: a key already present is replaced, not added."""
        existing = _tags(MAX_TAGS)
        assert check_tags(existing, [{"key": "k0", "value": "new"}])[0] == {"key": "k0", "value": "new"}
        with pytest.raises(InvalidInputException, match="would give it 51"):
            check_tags(existing, [{"key": "another"}])
        assert existing == _tags(MAX_TAGS)


# --- regions -----------------------------------------------------------------------------------


class TestRegions:
    def test_a_region_without_lightsail_cannot_be_reached(self, ls: LightsailMock) -> None:
        """us-east1 (a typo) fails as the real endpoint does: EndpointConnectionError, no answer."""
        client = boto3.client("lightsail", region_name="us-east1")
        with pytest.raises(EndpointConnectionError, match=re.escape("lightsail.us-east1.amazonaws.com")):
            client.get_alarms()

    def test_raw_requests_get_a_connection_error(self, ls: LightsailMock) -> None:
        with pytest.raises(requests.ConnectionError):
            requests.post(
                "https://lightsail.us-east1.amazonaws.com/",
                headers={"X-Amz-Target": TARGET + "GetAlarms"},
                data=b"{}",
                timeout=5,
            )

    def test_the_regions_are_botocores(self, ls: LightsailMock) -> None:
        """Every region botocore has a Lightsail endpoint for is answered."""
        regions = botocore.session.get_session().get_available_regions("lightsail")
        assert set(regions) == served_regions()
        for region in regions:
            assert boto3.client("lightsail", region_name=region).get_alarms()["alarms"] == []
