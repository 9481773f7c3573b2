"""Transitional states: one mechanism for every family, in three modes (docs/transitions.md)."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from lightmock import LightmockUsageError, LightsailMock
from lightmock.server import LightsailServer
from tests.helpers import create_database, create_instances, create_load_balancer
from tests.serving import http_client


def _state(client: Any, name: str) -> str:
    return str(client.get_instance_state(instanceName=name)["state"]["name"])


class TestModes:
    def test_instant_is_the_default(self, ls: LightsailMock, client: Any) -> None:
        """By default a program that waits sees the final state at once."""
        assert ls.transition_mode == "instant"
        create_instances(client, "web-1")
        assert _state(client, "web-1") == "running"
        assert client.get_instance(instanceName="web-1")["instance"]["state"] == {"code": 16, "name": "running"}

    def test_hold_keeps_the_transitional_state_until_finished(self, ls: LightsailMock, client: Any) -> None:
        """Held, an instance is pending, with the pending code, until the test finishes it."""
        ls.set_transitions("hold")
        create_instances(client, "web-1", "web-2")
        ls.clock.advance(days=1)
        assert client.get_instance(instanceName="web-1")["instance"]["state"] == {"code": 0, "name": "pending"}
        assert ls.finish_transitions("web-1") == 1
        assert (_state(client, "web-1"), _state(client, "web-2")) == ("running", "pending")
        assert ls.finish_transitions() == 1
        assert _state(client, "web-2") == "running"

    def test_clock_finishes_after_the_kinds_duration(self, ls: LightsailMock, client: Any) -> None:
        """In the clock mode a database is creating until the mock's clock passes its duration."""
        ls.set_transitions("clock")
        create_database(client, "db-1")
        read = client.get_relational_database
        assert read(relationalDatabaseName="db-1")["relationalDatabase"]["state"] == "creating"
        ls.clock.advance(seconds=299)
        assert read(relationalDatabaseName="db-1")["relationalDatabase"]["state"] == "creating"
        ls.clock.advance(seconds=1)
        assert read(relationalDatabaseName="db-1")["relationalDatabase"]["state"] == "available"

    def test_an_unknown_mode_is_refused(self, ls: LightsailMock) -> None:
        """A mode that is not one of the three is a usage error, and the mode stays."""
        with pytest.raises(LightmockUsageError, match="instant"):
            ls.set_transitions("slow")
        assert ls.transition_mode == "instant"


class TestAcrossFamilies:
    def test_a_load_balancer_sees_its_instance_finish_starting(self, ls: LightsailMock, client: Any) -> None:
        """A held start reports the instance unused behind its load balancer, healthy once it is running."""
        create_instances(client, "web-1")
        create_load_balancer(client, "lb-1")
        client.attach_instances_to_load_balancer(loadBalancerName="lb-1", instanceNames=["web-1"])
        ls.set_transitions("hold")
        client.stop_instance(instanceName="web-1")
        ls.finish_transitions()
        client.start_instance(instanceName="web-1")

        def health() -> str:
            balancer = client.get_load_balancer(loadBalancerName="lb-1")["loadBalancer"]
            return str(balancer["instanceHealthSummary"][0]["instanceHealth"])

        assert health() == "unused"
        ls.finish_transitions("web-1")
        assert health() == "healthy"

    def test_a_deleted_resource_lapses(self, ls: LightsailMock, client: Any) -> None:
        """A transition pending for a resource that is deleted does nothing when finished."""
        ls.set_transitions("hold")
        create_instances(client, "web-1")
        client.delete_instance(instanceName="web-1")
        assert ls.finish_transitions() == 1
        assert client.get_instances()["instances"] == []

    def test_a_newer_call_replaces_the_pending_transition(self, ls: LightsailMock, client: Any) -> None:
        """A stop while still stopping is refused; a start after a finished stop ends where the start says."""
        ls.set_transitions("hold")
        create_instances(client, "web-1")
        ls.finish_transitions()
        client.stop_instance(instanceName="web-1")
        with pytest.raises(client.exceptions.OperationFailureException, match="stopping"):
            client.stop_instance(instanceName="web-1")
        ls.finish_transitions()
        client.start_instance(instanceName="web-1")
        assert _state(client, "web-1") == "pending"
        assert ls.finish_transitions() == 1
        assert _state(client, "web-1") == "running"


class TestOverHttp:
    def test_the_control_api_holds_and_finishes(self) -> None:
        """POST /_lightmock/transitions sets the mode; /transitions/finish finishes one resource's."""
        with LightsailServer(port=0) as server:
            client = http_client(server.url)
            control = f"{server.url}/_lightmock/transitions"
            assert requests.get(control, timeout=10).json() == {"mode": "instant"}
            assert requests.post(control, json={"mode": "hold"}, timeout=10).json() == {"mode": "hold"}
            create_instances(client, "web-1")
            assert _state(client, "web-1") == "pending"
            finished = requests.post(f"{control}/finish", json={"resourceName": "web-1"}, timeout=10)
            assert finished.json() == {"finished": 1}
            assert _state(client, "web-1") == "running"
            refused = requests.post(control, json={"mode": "later"}, timeout=10)
            assert refused.status_code == 400
