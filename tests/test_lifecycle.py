"""StopInstance, StartInstance and RebootInstance through a real boto3 client, and the two
workflows that drive them: the community.aws ``lightsail`` module's ``state:
stopped/running/restarted`` and a traffic guard (read the month's NetworkOut, stop the
instance past a quota). Both are mimicked call for call from the programs' source.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import numpy as np
import pytest
from botocore.exceptions import ClientError

from lightmock import LightsailMock
from tests.helpers import T0, shared_client

Client = Any


def _instance(client: Client, name: str = "web-1") -> dict[str, Any]:
    client.create_instances(
        instanceNames=[name], availabilityZone="us-east-1a", blueprintId="ubuntu_22_04", bundleId="nano_3_0"
    )
    return client.get_instance(instanceName=name)["instance"]  # type: ignore[no-any-return]


def _state(client: Client, name: str = "web-1") -> str:
    return str(client.get_instance(instanceName=name)["instance"]["state"]["name"])


class TestStates:
    def test_stop_then_start(self, client: Client) -> None:
        _instance(client)
        stop = client.stop_instance(instanceName="web-1")["operations"]
        assert [(op["operationType"], op["status"], op["isTerminal"]) for op in stop] == [
            ("StopInstance", "Started", False)
        ]
        assert client.get_instance(instanceName="web-1")["instance"]["state"] == {"code": 80, "name": "stopped"}
        client.start_instance(instanceName="web-1")
        assert client.get_instance(instanceName="web-1")["instance"]["state"] == {"code": 16, "name": "running"}

    def test_forced_stop(self, client: Client) -> None:
        _instance(client)
        client.stop_instance(instanceName="web-1", force=True)
        assert _state(client) == "stopped"

    def test_start_assigns_a_new_public_address(self, client: Client) -> None:
        before = _instance(client)["publicIpAddress"]
        client.stop_instance(instanceName="web-1")
        assert "publicIpAddress" not in client.get_instance(instanceName="web-1")["instance"]
        client.start_instance(instanceName="web-1")
        after = client.get_instance(instanceName="web-1")["instance"]["publicIpAddress"]
        assert after != before

    def test_reboot_keeps_it_running(self, client: Client) -> None:
        _instance(client)
        operation = client.reboot_instance(instanceName="web-1")["operations"][0]
        assert (operation["operationType"], operation["status"]) == ("RebootInstance", "Succeeded")
        assert _state(client) == "running"

    @pytest.mark.parametrize(
        ("call", "state"),
        [("stop_instance", "stopped"), ("reboot_instance", "stopped"), ("start_instance", "running")],
    )
    def test_wrong_state_is_refused_and_changes_nothing(self, client: Client, call: str, state: str) -> None:
        _instance(client)
        if state == "stopped":
            client.stop_instance(instanceName="web-1")
        operations_before = len(client.get_operations()["operations"])
        with pytest.raises(ClientError) as caught:
            getattr(client, call)(instanceName="web-1")
        assert caught.value.response["Error"]["Code"] == "OperationFailureException"
        assert state in caught.value.response["Error"]["Message"]
        assert _state(client) == state
        assert len(client.get_operations()["operations"]) == operations_before

    def test_unknown_instance(self, client: Client) -> None:
        with pytest.raises(client.exceptions.NotFoundException):
            client.stop_instance(instanceName="nope")


class TestMetricsWhileStopped:
    def test_seeded_samples_while_stopped_are_dropped(self, ls: LightsailMock, client: Client) -> None:
        _instance(client)
        client.stop_instance(instanceName="web-1")
        ls.clock.advance(minutes=30)
        client.start_instance(instanceName="web-1")
        ls.clock.advance(minutes=30)
        # One sample every 5 minutes over the last hour: the half hour stopped keeps none.
        stored = ls.put_metric_data("web-1", "CPUUtilization", np.full(12, 10.0))
        assert stored == 6
        data = client.get_instance_metric_data(
            instanceName="web-1",
            metricName="CPUUtilization",
            period=300,
            startTime=T0,
            endTime=T0 + timedelta(hours=1),
            unit="Percent",
            statistics=["SampleCount"],
        )["metricData"]
        stamps = sorted(point["timestamp"] for point in data)
        assert all(stamp >= T0 + timedelta(minutes=30) for stamp in stamps)
        assert len(stamps) == 6

    def test_stopping_drops_data_seeded_ahead(self, ls: LightsailMock, client: Client) -> None:
        _instance(client)
        ahead = [(T0 + timedelta(minutes=5 * i)).timestamp() for i in range(1, 7)]
        ls.put_metric_data("web-1", "NetworkOut", np.full(6, 1e6), timestamps=ahead)
        client.stop_instance(instanceName="web-1")
        ls.clock.advance(hours=1)
        data = client.get_instance_metric_data(
            instanceName="web-1",
            metricName="NetworkOut",
            period=3600,
            startTime=T0,
            endTime=T0 + timedelta(hours=1),
            unit="Bytes",
            statistics=["Sum"],
        )["metricData"]
        assert data == []

    @pytest.mark.parametrize(("treatment", "expected"), [("breaching", "ALARM"), ("missing", "INSUFFICIENT_DATA")])
    def test_alarms_follow_treat_missing_data(
        self, ls: LightsailMock, client: Client, treatment: str, expected: str
    ) -> None:
        _instance(client)
        ls.put_metric_data("web-1", "CPUUtilization", np.full(12, 5.0))
        client.put_alarm(
            alarmName="cpu",
            monitoredResourceName="web-1",
            metricName="CPUUtilization",
            comparisonOperator="GreaterThanThreshold",
            threshold=50.0,
            evaluationPeriods=1,
            treatMissingData=treatment,
        )
        assert client.get_alarms(alarmName="cpu")["alarms"][0]["state"] == "OK"
        client.stop_instance(instanceName="web-1")
        # Past the alarm's evaluation range (its period and two more): only missing data left.
        ls.clock.advance(minutes=30)
        ls.put_metric_data("web-1", "CPUUtilization", [5.0, 5.0])  # a stopped instance sends nothing
        assert client.get_alarms(alarmName="cpu")["alarms"][0]["state"] == expected


# -- community.aws lightsail module (plugins/modules/lightsail.py), its calls mimicked ------


def _find_instance_info(client: Client, name: str) -> dict[str, Any] | None:
    try:
        return client.get_instance(instanceName=name)["instance"]  # type: ignore[no-any-return]
    except ClientError as error:
        if error.response["Error"]["Code"] == "NotFoundException":
            return None
        raise


def _wait_for_instance_state(client: Client, name: str, states: list[str], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        instance = _find_instance_info(client, name)
        if instance is not None and instance["state"]["name"] in states:
            return
        time.sleep(0.01)
    raise AssertionError(f"timed out waiting for {name} to reach one of {states}")


def _ansible(client: Client, name: str, state: str) -> tuple[bool, dict[str, Any] | None]:
    """``state: running/stopped/restarted`` as the module carries it out: (changed, instance)."""
    if state == "restarted":
        instance = _find_instance_info(client, name)
        client.reboot_instance(instanceName=name)
        return True, instance
    instance = _find_instance_info(client, name)
    _wait_for_instance_state(client, name, ["running", "stopped"])
    changed = False
    if instance is not None and instance["state"]["name"] != state:
        if state == "running":
            client.start_instance(instanceName=name)
        else:
            client.stop_instance(instanceName=name)
        changed = True
    _wait_for_instance_state(client, name, [state])
    return changed, _find_instance_info(client, name)


class TestAnsibleLightsailModule:
    def test_stopped_running_restarted(self, client: Client) -> None:
        _instance(client)
        changed, instance = _ansible(client, "web-1", "stopped")
        assert changed
        assert instance is not None
        assert instance["state"]["name"] == "stopped"
        changed, _ = _ansible(client, "web-1", "stopped")
        assert not changed  # idempotent: a second run changes nothing
        changed, instance = _ansible(client, "web-1", "running")
        assert changed
        assert instance is not None
        assert instance["state"]["name"] == "running"
        changed, _ = _ansible(client, "web-1", "restarted")
        assert changed
        assert _state(client) == "running"

    def test_real_time_clock_too(self) -> None:
        """The waits end at once whether or not the clock is frozen: nothing moves with it."""

        from lightmock import mock_lightsail

        with mock_lightsail():
            client = shared_client()
            _instance(client)
            assert _ansible(client, "web-1", "stopped")[0]
            assert _ansible(client, "web-1", "running")[0]


# -- a traffic guard: stop the instance once the month's NetworkOut passes a quota ----------


def _traffic_guard(client: Client, name: str, quota_bytes: float, now: Any) -> bool:
    """Sum the month's NetworkOut; stop the instance past the quota. True if it stopped it."""
    month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    data = client.get_instance_metric_data(
        instanceName=name,
        metricName="NetworkOut",
        period=86400,
        startTime=month_start,
        endTime=now,
        unit="Bytes",
        statistics=["Sum"],
    )["metricData"]
    used = sum(point["sum"] for point in data)
    if used > quota_bytes and _state(client, name) == "running":
        client.stop_instance(instanceName=name)
        return True
    return False


class TestTrafficGuard:
    def test_stops_past_the_quota_only(self, ls: LightsailMock, client: Client) -> None:
        _instance(client)
        now = ls.clock.now()
        # 27 days and 8 hours into November at 5-minute resolution: 1 MB per sample.
        samples = int((now - now.replace(day=1, hour=0)).total_seconds() // 300)
        ls.put_metric_data("web-1", "NetworkOut", np.full(samples, 1e6))
        assert not _traffic_guard(client, "web-1", quota_bytes=samples * 1e6 + 1, now=now)
        assert _state(client) == "running"
        assert _traffic_guard(client, "web-1", quota_bytes=samples * 1e6 - 1, now=now)
        assert _state(client) == "stopped"
        assert not _traffic_guard(client, "web-1", quota_bytes=0, now=now)  # already stopped
