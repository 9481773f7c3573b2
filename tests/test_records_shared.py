"""Reads share a stored record's values with the store, so nothing may edit them in place.

``Resource.wire`` copies the top level of a record only (``lightmock/core/records.py``);
the suite checks around every call that the bodies a call found read the same after it
(``tests/shared_bodies.py``, run by ``conftest``). These tests show that the check finds an
edit, and that what a change does (open a port, add a DNS entry) leaves the records handed
out before it as they were.
"""

from __future__ import annotations

from typing import Any

import pytest

from lightmock import LightsailMock
from lightmock.core.domain import ResourceType
from lightmock.core.records import Resource
from lightmock.service import family
from lightmock.service.context import RequestContext
from lightmock.service.families import OPERATIONS
from tests import shared_bodies
from tests.helpers import ACCOUNT, REGION, create_instances


def _instance(ls: LightsailMock, name: str) -> Resource:
    return ls.store.region(ACCOUNT, REGION).resources[ResourceType.INSTANCE][name]


def test_an_edit_in_place_is_named(ls: LightsailMock, client: Any) -> None:
    create_instances(client, "web-1", "web-2")
    before = shared_bodies.fingerprints(ls.store)
    assert {"Instance web-1", "Instance web-2"} <= {name for name, _, _ in before}
    _instance(ls, "web-1").body["networking"]["ports"].append({"fromPort": 1, "toPort": 1, "protocol": "tcp"})
    assert shared_bodies.edited_in_place(before) == ["Instance web-1"]


def test_a_replaced_body_is_not_an_edit(ls: LightsailMock, client: Any) -> None:
    create_instances(client, "web-1")
    before = shared_bodies.fingerprints(ls.store)
    client.open_instance_public_ports(
        instanceName="web-1", portInfo={"fromPort": 8080, "toPort": 8080, "protocol": "tcp"}
    )
    assert shared_bodies.edited_in_place(before) == []
    ports = client.get_instance(instanceName="web-1")["instance"]["networking"]["ports"]
    assert any(port["fromPort"] == 8080 for port in ports)


def test_a_handler_that_edits_what_it_read_fails_the_call(
    ls: LightsailMock, client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The suite's guard is on for every call: a read that edits a shared value fails its test."""
    create_instances(client, "web-1")

    def careless_get_instance(context: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
        record = family.published(family.find(context, ResourceType.INSTANCE, params["instanceName"]))
        record["networking"]["ports"].append({"fromPort": 1, "toPort": 1, "protocol": "tcp"})
        return {"instance": record}

    monkeypatch.setitem(OPERATIONS, "GetInstance", careless_get_instance)
    with pytest.raises(AssertionError, match=r"GetInstance edited stored records in place: \['Instance web-1'\]"):
        client.get_instance(instanceName="web-1")


def test_records_handed_out_keep_what_they_had(ls: LightsailMock, client: Any) -> None:
    """A record read before a change keeps its values: the change replaced them."""
    create_instances(client, "web-1")
    instance = _instance(ls, "web-1")
    read_before = instance.wire
    ports_before = list(read_before["networking"]["ports"])
    client.open_instance_public_ports(
        instanceName="web-1", portInfo={"fromPort": 8080, "toPort": 8080, "protocol": "tcp"}
    )
    assert read_before["networking"]["ports"] == ports_before
    assert instance.wire["networking"]["ports"] != ports_before


def test_an_edit_of_the_tags_in_place_is_named(ls: LightsailMock, client: Any) -> None:
    create_instances(client, "web-1", tags=[{"key": "team", "value": "web"}])
    before = shared_bodies.fingerprints(ls.store)
    _instance(ls, "web-1").tags[0]["value"] = "ops"
    assert shared_bodies.edited_in_place(before) == ["Instance web-1"]


def test_tagging_replaces_the_tags(ls: LightsailMock, client: Any) -> None:
    create_instances(client, "web-1", tags=[{"key": "team", "value": "web"}])
    read_before = _instance(ls, "web-1").wire
    client.tag_resource(resourceName="web-1", tags=[{"key": "team", "value": "ops"}, {"key": "tier", "value": "1"}])
    client.untag_resource(resourceName="web-1", tagKeys=["tier"])
    assert read_before["tags"] == [{"key": "team", "value": "web"}]
    assert client.get_instance(instanceName="web-1")["instance"]["tags"] == [{"key": "team", "value": "ops"}]
