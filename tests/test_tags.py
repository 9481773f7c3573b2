"""TagResource and UntagResource on every kind lightmock keeps, through a real boto3 client:
the stored record changes, so a re-read (Terraform's plan) sees the tags it set."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lightmock import mock_lightsail
from lightmock.core.wire import MAX_TAGS
from tests.helpers import shared_client

Client = Any


def _instance(client: Client) -> Callable[[], list[dict[str, str]]]:
    client.create_instances(
        instanceNames=["web-1"], availabilityZone="us-east-1a", blueprintId="ubuntu_22_04", bundleId="nano_3_0"
    )
    return lambda: client.get_instance(instanceName="web-1")["instance"]["tags"]  # type: ignore[no-any-return]


def _load_balancer(client: Client) -> Callable[[], list[dict[str, str]]]:
    client.create_load_balancer(loadBalancerName="lb-1", instancePort=80)
    return lambda: client.get_load_balancer(loadBalancerName="lb-1")["loadBalancer"]["tags"]  # type: ignore[no-any-return]


def _database(client: Client) -> Callable[[], list[dict[str, str]]]:
    client.create_relational_database(
        relationalDatabaseName="db-1",
        relationalDatabaseBlueprintId="mysql_8_0",
        relationalDatabaseBundleId="micro_2_0",
        masterDatabaseName="app",
        masterUsername="admin",
    )
    return lambda: client.get_relational_database(relationalDatabaseName="db-1")["relationalDatabase"]["tags"]  # type: ignore[no-any-return]


def _key_pair(client: Client) -> Callable[[], list[dict[str, str]]]:
    client.create_key_pair(keyPairName="kp-1")
    return lambda: client.get_key_pair(keyPairName="kp-1")["keyPair"]["tags"]  # type: ignore[no-any-return]


def _alarm(client: Client) -> Callable[[], list[dict[str, str]]]:
    _instance(client)
    client.put_alarm(
        alarmName="al-1",
        monitoredResourceName="web-1",
        metricName="CPUUtilization",
        comparisonOperator="GreaterThanThreshold",
        threshold=50.0,
        evaluationPeriods=1,
    )
    return lambda: client.get_alarms(alarmName="al-1")["alarms"][0]["tags"]  # type: ignore[no-any-return]


def _contact(client: Client) -> Callable[[], list[dict[str, str]]]:
    client.create_contact_method(protocol="Email", contactEndpoint="ops@example.com")
    return lambda: client.get_contact_methods()["contactMethods"][0]["tags"]  # type: ignore[no-any-return]


KINDS = {
    "web-1": _instance,
    "lb-1": _load_balancer,
    "db-1": _database,
    "kp-1": _key_pair,
    "al-1": _alarm,
    "Email-us-east-1": _contact,
}


@pytest.mark.parametrize("name", list(KINDS))
def test_tag_and_untag_change_the_record(client: Client, name: str) -> None:
    read = KINDS[name](client)
    client.tag_resource(resourceName=name, tags=[{"key": "env", "value": "prod"}, {"key": "team"}])
    assert read() == [{"key": "env", "value": "prod"}, {"key": "team"}]
    client.tag_resource(resourceName=name, tags=[{"key": "env", "value": "dev"}])  # a key it has: replaced
    assert read() == [{"key": "env", "value": "dev"}, {"key": "team"}]
    client.untag_resource(resourceName=name, tagKeys=["team", "absent"])
    assert read() == [{"key": "env", "value": "dev"}]


def test_operation_is_logged_on_the_resource(client: Client) -> None:
    _instance(client)
    (operation,) = client.tag_resource(resourceName="web-1", tags=[{"key": "a", "value": "b"}])["operations"]
    assert (operation["resourceType"], operation["status"]) == ("Instance", "Succeeded")
    assert operation["location"]["availabilityZone"] == "us-east-1a"
    assert client.get_operation(operationId=operation["id"])["operation"]["resourceName"] == "web-1"


def test_static_ip_can_be_tagged(client: Client) -> None:
    client.allocate_static_ip(staticIpName="ip-1")
    (operation,) = client.tag_resource(resourceName="ip-1", tags=[{"key": "a", "value": "b"}])["operations"]
    assert operation["resourceType"] == "StaticIp"


def test_arn_picks_among_same_names(client: Client) -> None:
    read_instance = _instance(client)
    client.create_key_pair(keyPairName="web-1")
    key_arn = client.get_key_pair(keyPairName="web-1")["keyPair"]["arn"]
    client.tag_resource(resourceName="web-1", resourceArn=key_arn, tags=[{"key": "k", "value": "v"}])
    assert client.get_key_pair(keyPairName="web-1")["keyPair"]["tags"] == [{"key": "k", "value": "v"}]
    assert read_instance() == []


def test_unknown_resource_or_arn(client: Client) -> None:
    with pytest.raises(client.exceptions.NotFoundException):
        client.tag_resource(resourceName="nope", tags=[{"key": "a"}])
    _instance(client)
    with pytest.raises(client.exceptions.NotFoundException):
        client.untag_resource(
            resourceName="web-1",
            resourceArn="arn:aws:lightsail:us-east-1:123456789012:Instance/other",
            tagKeys=["a"],
        )


def test_at_most_fifty_tags(client: Client) -> None:
    read = _instance(client)
    client.tag_resource(resourceName="web-1", tags=[{"key": f"k{i}", "value": ""} for i in range(MAX_TAGS)])
    with pytest.raises(client.exceptions.InvalidInputException, match="at most 50 tags"):
        client.tag_resource(resourceName="web-1", tags=[{"key": "one-more", "value": ""}])
    assert len(read()) == MAX_TAGS


_KEYS = st.sampled_from(["env", "team", "cost", "owner"])
_STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("tag"), st.lists(st.tuples(_KEYS, st.sampled_from(["", "a", "b"])), min_size=1, max_size=3)),
        st.tuples(st.just("untag"), st.lists(_KEYS, min_size=1, max_size=3)),
    ),
    max_size=8,
)


@settings(max_examples=30, deadline=None)
@given(steps=_STEPS)
def test_tags_behave_as_a_map_from_key_to_value(steps: list[tuple[str, list[Any]]]) -> None:
    """Any sequence of TagResource/UntagResource leaves the tags a key->value map would hold."""
    expected: dict[str, str] = {}
    with mock_lightsail():
        client = shared_client()
        read = _key_pair(client)
        for action, arguments in steps:
            if action == "tag":
                client.tag_resource(resourceName="kp-1", tags=[{"key": k, "value": v} for k, v in arguments])
                expected.update(dict(arguments))
            else:
                client.untag_resource(resourceName="kp-1", tagKeys=arguments)
                for key in arguments:
                    expected.pop(key, None)
            assert {tag["key"]: tag.get("value", "") for tag in read()} == expected
