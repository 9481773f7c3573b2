"""The handle without surprises: the decorator's handle is the active mock, a stopped mock
shows its final state and refuses changes, a never-started one refuses everything, calls
are recorded, and every misuse is a usage error that changes nothing."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
import requests
import time_machine
from botocore import xform_name
from botocore.exceptions import ClientError

from lightmock import (
    Call,
    Clock,
    LightmockUsageError,
    LightsailMock,
    UnsupportedOperation,
    current_mock,
    mock_lightsail,
)
from lightmock.gateway import activations
from lightmock.schema.model import service_model
from lightmock.service.dispatch import OPERATIONS
from tests.helpers import ACCOUNT, INNER_PYTEST_ARGS, T0

INSTANCE = {"availabilityZone": "us-east-1a", "blueprintId": "ubuntu_22_04", "bundleId": "nano_3_0"}


def lightsail() -> Any:
    return boto3.client("lightsail", region_name="us-east-1")


def cpu_alarm(client: Any) -> None:
    client.put_alarm(
        alarmName="cpu",
        metricName="CPUUtilization",
        monitoredResourceName="web-1",
        comparisonOperator="GreaterThanThreshold",
        threshold=50.0,
        evaluationPeriods=1,
    )


def breach_in_the_future(ls: LightsailMock) -> None:
    """Samples ahead of the clock: invisible until it reaches them, then they breach ``cpu_alarm``."""
    times = [T0 + timedelta(minutes=5 * step + 1) for step in range(12)]
    ls.put_metric_data("web-1", "CPUUtilization", [90.0] * 12, timestamps=times)


class TestDecoratorHandle:
    def test_the_handle_is_the_active_mock_inside(self) -> None:
        """Inside @m, m is current_mock(), its clock is the one requests see, and its seeds reach clients."""
        m = mock_lightsail()

        @m
        def body() -> tuple[bool, datetime, list[float]]:
            is_current = current_mock() is m and m.active
            m.clock.freeze(T0)
            client = lightsail()
            client.create_instances(instanceNames=["web-1"], **INSTANCE)
            m.put_metric_data("web-1", "CPUUtilization", [42.0])
            created = client.get_instance(instanceName="web-1")["instance"]["createdAt"]
            data = client.get_instance_metric_data(
                instanceName="web-1",
                metricName="CPUUtilization",
                period=300,
                startTime=T0 - timedelta(hours=1),
                endTime=T0,
                unit="Percent",
                statistics=["Maximum"],
            )["metricData"]
            return is_current, created, [point["maximum"] for point in data]

        assert body() == (True, T0, [42.0])
        assert not m.active

    def test_each_call_has_fresh_state_and_clock(self) -> None:
        """A second call of the decorated function starts from empty state and a running clock."""
        m = mock_lightsail()

        @m
        def body() -> tuple[int, bool]:
            count = len(lightsail().get_instances()["instances"])
            frozen = m.clock.frozen
            lightsail().create_instances(instanceNames=["web-1"], **INSTANCE)
            m.clock.freeze(T0 + timedelta(days=3650))
            return count, frozen

        assert body() == (0, False)
        assert body() == (0, False)

    def test_recursive_call_is_a_usage_error(self) -> None:
        """The decorated function calling itself would share one handle twice: refused, and nothing stays active."""
        m = mock_lightsail()

        @m
        def body(depth: int) -> None:
            if depth:
                body(depth - 1)

        with pytest.raises(LightmockUsageError, match="already started"):
            body(1)
        assert activations.innermost() is None


class TestAfterTheStop:
    def test_reads_show_the_state_as_of_the_stop(self) -> None:
        """After the with block, history and notifications are as at the stop, however far time moves."""
        with time_machine.travel(T0, tick=False) as trip:
            with mock_lightsail() as ls:
                client = lightsail()
                client.create_instances(instanceNames=["web-1"], **INSTANCE)
                breach_in_the_future(ls)
                cpu_alarm(client)
                at_stop = ls.alarm_history("cpu")
            trip.shift(timedelta(hours=1))
            assert ls.clock.now() == T0
            assert ls.alarm_history("cpu") == at_stop
            assert [change.new_state for change in at_stop] in ([], ["INSUFFICIENT_DATA"], ["OK"])
            assert ls.notifications == []
            assert [call.operation for call in ls.calls] == ["CreateInstances", "PutAlarm"]

    def test_an_active_mock_would_have_evaluated(self) -> None:
        """The control of the test above: had the mock stayed active, the hour would have raised the alarm."""
        with time_machine.travel(T0, tick=False) as trip, mock_lightsail() as ls:
            client = lightsail()
            client.create_instances(instanceNames=["web-1"], **INSTANCE)
            breach_in_the_future(ls)
            cpu_alarm(client)
            trip.shift(timedelta(hours=1))
            assert ls.alarm_history("cpu")[-1].new_state == "ALARM"

    @pytest.mark.parametrize(
        "change",
        [
            lambda ls: ls.put_metric_data("web-1", "CPUUtilization", [1.0]),
            lambda ls: ls.verify_contact_method("Email"),
            lambda ls: ls.inject_error("GetAlarms"),
            lambda ls: ls.clock.freeze(T0 + timedelta(days=1)),
            lambda ls: ls.clock.advance(minutes=5),
            lambda ls: ls.clock.unfreeze(),
            lambda ls: ls.reset(),
        ],
        ids=["seed", "verify", "inject", "freeze", "advance", "unfreeze", "reset"],
    )
    def test_changes_are_usage_errors(self, change: Any) -> None:
        """Seeding, verifying, injecting, moving the clock or resetting a stopped mock raises and changes nothing."""
        with mock_lightsail() as ls:
            ls.clock.freeze(T0)
            client = lightsail()
            client.create_instances(instanceNames=["web-1"], **INSTANCE)
            client.create_contact_method(protocol="Email", contactEndpoint="ops@example.com")
        calls = ls.calls
        with pytest.raises(LightmockUsageError, match=r"stopped|needs an active mock"):
            change(ls)
        assert ls.clock.now() == T0
        assert ls.calls == calls
        assert ls.store.injected == {}
        contact = ls.store.region(ls.account_id, "us-east-1").contact_methods
        assert [method.status for method in contact.values()] == ["PendingVerification"]

    def test_a_restart_brings_fresh_state_and_a_moving_clock(self) -> None:
        """start() again: empty state, and the clock can be moved again."""
        ls = mock_lightsail()
        with ls:
            ls.clock.freeze(T0)
            lightsail().get_alarms()
        with ls:
            assert ls.calls == []
            assert ls.clock.freeze(T0 + timedelta(days=1)) == T0 + timedelta(days=1)


class TestNeverStarted:
    @pytest.mark.parametrize(
        "use",
        [
            lambda ls: ls.clock,
            lambda ls: ls.calls,
            lambda ls: ls.notifications,
            lambda ls: ls.alarm_history("cpu"),
            lambda ls: ls.put_metric_data("web-1", "CPUUtilization", [1.0]),
            lambda ls: ls.verify_contact_method(),
            lambda ls: ls.inject_error("GetAlarms"),
        ],
        ids=["clock", "calls", "notifications", "history", "seed", "verify", "inject"],
    )
    def test_everything_is_a_usage_error(self, use: Any) -> None:
        """A handle never started has no state and no clock to read or change."""
        with pytest.raises(LightmockUsageError, match="not been started"):
            use(mock_lightsail())


LATER = timedelta(seconds=30)


class TestCalls:
    def test_every_answered_call_in_order(self, ls: LightsailMock) -> None:
        """Successes, refusals and injected faults are all recorded, with params as sent and the mock's time."""
        client = lightsail()
        client.create_instances(instanceNames=["web-1"], **INSTANCE)
        ls.clock.advance(seconds=30)
        with pytest.raises(ClientError):
            client.get_instance(instanceName="nope")
        ls.inject_error("GetAlarms", "ThrottlingException")
        with pytest.raises(ClientError):
            boto3.client("lightsail", region_name="eu-west-1", config=_no_retries()).get_alarms()
        client.get_contact_methods(protocols=["SMS"])
        assert ls.calls == [
            Call("CreateInstances", "us-east-1", {"instanceNames": ["web-1"], **INSTANCE}, None, T0, ACCOUNT),
            Call("GetInstance", "us-east-1", {"instanceName": "nope"}, "NotFoundException", T0 + LATER, ACCOUNT),
            Call("GetAlarms", "eu-west-1", {}, "ThrottlingException", T0 + LATER, ACCOUNT),
            Call("GetContactMethods", "us-east-1", {"protocols": ["SMS"]}, None, T0 + LATER, ACCOUNT),
        ]
        assert ls.calls[0].timestamp.tzinfo is UTC

    def test_validation_refusals_are_recorded(self, ls: LightsailMock) -> None:
        """A call the model's validation refuses is recorded with its error code."""
        with pytest.raises(ClientError):
            lightsail().get_contact_methods(protocols=["Pigeon"])
        assert [(call.operation, call.error) for call in ls.calls] == [("GetContactMethods", "InvalidInputException")]

    def test_records_are_frozen_and_the_list_is_a_copy(self, ls: LightsailMock) -> None:
        """A record cannot be changed, and changing the returned list changes nothing in the mock."""
        lightsail().get_alarms()
        calls = ls.calls
        with pytest.raises(AttributeError):
            calls[0].operation = "PutAlarm"  # type: ignore[misc]
        calls.clear()
        assert len(ls.calls) == 1

    def test_reset_forgets_calls(self, ls: LightsailMock) -> None:
        lightsail().get_alarms()
        ls.reset()
        assert ls.calls == []

    def test_unsupported_operations_are_recorded(self, ls: LightsailMock, unimplemented: str) -> None:
        """A call raised on with UnsupportedOperation is recorded with that code, between the calls around it."""
        operation = unimplemented
        client = lightsail()
        client.get_alarms()
        with pytest.raises(UnsupportedOperation):
            getattr(client, xform_name(operation))()
        client.get_alarms()
        assert [(call.operation, call.error) for call in ls.calls] == [
            ("GetAlarms", None),
            (operation, "UnsupportedOperation"),
            ("GetAlarms", None),
        ]
        assert ls.calls[1] == Call(operation, "us-east-1", {}, "UnsupportedOperation", T0, ACCOUNT)

    def test_unsupported_operations_are_recorded_by_the_server(self, lightsail_server: Any, unimplemented: str) -> None:
        """Over HTTP the same call is answered 501 and listed by ``GET /_lightmock/calls`` with its code."""
        operation = unimplemented
        client = boto3.client("lightsail", region_name="us-east-1", config=_no_retries())
        with pytest.raises(ClientError) as raised:
            getattr(client, xform_name(operation))()
        assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 501
        assert raised.value.response["Error"]["Code"] == "UnsupportedOperation"
        calls = requests.get(f"{lightsail_server.url}/_lightmock/calls", timeout=10).json()["calls"]
        assert [(call["operation"], call["error"]) for call in calls] == [(operation, "UnsupportedOperation")]

    def test_each_call_carries_its_account(self) -> None:
        with mock_lightsail(account_id="111122223333") as ls:
            lightsail().get_alarms()
        assert [call.account_id for call in ls.calls] == ["111122223333"]

    def test_the_log_keeps_the_latest_calls(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The log is bounded (``MAX_LOGGED_CALLS``, 10,000 by default; 3 here): the oldest go first."""
        from lightmock.engine import store

        monkeypatch.setattr(store, "MAX_LOGGED_CALLS", 3)
        with mock_lightsail() as ls:
            client = lightsail()
            for name in ("a", "b", "c", "d", "e"):
                with pytest.raises(ClientError):
                    client.get_alarms(alarmName=name)
        assert [call.params["alarmName"] for call in ls.calls] == ["c", "d", "e"]

    def test_a_huge_request_is_logged_summarised(self, ls: LightsailMock) -> None:
        """A refused 2 MB request is logged in a few hundred bytes: its small members as sent,
        the others described, so a stream of them cannot fill memory."""
        import json

        import requests

        params = {"alarmName": "x" * 2_000_000, "monitoredResourceName": "web-1"}
        requests.post(
            "https://lightsail.us-east-1.amazonaws.com/",
            data=json.dumps(params).encode(),
            headers={"X-Amz-Target": "Lightsail_20161128.GetAlarms"},
            timeout=10,
        )
        (call,) = ls.calls
        assert call.error == "InvalidInputException"
        assert call.params == {
            "alarmName": "<not kept: str of 2000002 bytes as JSON>",
            "monitoredResourceName": "web-1",
        }


def _no_retries() -> Any:
    from botocore.config import Config

    return Config(retries={"max_attempts": 0})


class TestNestedOptions:
    def test_differing_page_size_is_a_usage_error(self) -> None:
        """A nested mock asking for other store options is refused, and the outer one is untouched."""
        with mock_lightsail() as outer:
            with pytest.raises(LightmockUsageError, match="page_size=2"):
                mock_lightsail(page_size=2).start()
            with pytest.raises(LightmockUsageError, match="sorted_metric_data"):
                mock_lightsail(sorted_metric_data=True).start()
            assert current_mock() is outer
        assert activations.innermost() is None

    def test_same_options_nest(self) -> None:
        """Equal options (the defaults spelled out) nest and share the state."""
        with mock_lightsail(page_size=100) as outer, mock_lightsail() as inner:
            assert inner.store is outer.store

    def test_decorator_inside_the_fixture_with_other_options(self, pytester: pytest.Pytester) -> None:
        """The lightsail fixture plus @mock_lightsail(page_size=2) fails the test instead of ignoring page_size."""
        pytester.makepyfile(
            """
            from lightmock import mock_lightsail

            @mock_lightsail(page_size=2)
            def test_nested(lightsail):
                pass
            """
        )
        result = pytester.runpytest(*INNER_PYTEST_ARGS)
        result.assert_outcomes(failed=1)
        result.stdout.fnmatch_lines(["*LightmockUsageError*page_size=2*"])


class TestDefaultRegion:
    @pytest.mark.parametrize(
        ("environment", "expected"),
        [
            ({"AWS_DEFAULT_REGION": "eu-west-2", "AWS_REGION": "ap-south-1"}, "eu-west-2"),
            ({"AWS_REGION": "ap-south-1"}, "ap-south-1"),
            ({}, "us-east-1"),
        ],
    )
    def test_taken_from_the_environment_at_construction(
        self, monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], expected: str
    ) -> None:
        """With no default_region given: AWS_DEFAULT_REGION, else AWS_REGION, else us-east-1."""
        for name in ("AWS_DEFAULT_REGION", "AWS_REGION"):
            monkeypatch.delenv(name, raising=False)
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        ls = mock_lightsail()
        monkeypatch.setenv("AWS_DEFAULT_REGION", "sa-east-1")  # read once, at construction
        assert ls.default_region == expected

    def test_explicit_region_wins(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-2")
        assert mock_lightsail(default_region="eu-north-1").default_region == "eu-north-1"


class TestMisuse:
    @pytest.mark.parametrize(
        ("misuse", "message"),
        [
            (lambda ls: ls.verify_contact_method("Pigeon"), "protocol must be one of"),
            (lambda ls: ls.verify_contact_method(None), "protocol must be one of"),
            (lambda ls: ls.put_metric_data("web-1", "CPUUtilization", [10**400]), "numbers"),
            (lambda ls: ls.put_metric_data("web-1", "CPUUtilization", [[1.0], [2.0, 3.0]]), "one-dimensional"),
            (lambda ls: ls.put_metric_data("web-1", "CPUUtilization", [1.0], timestamps=["2026"]), "timestamps"),
            (lambda ls: ls.put_metric_data(7, "CPUUtilization", [1.0]), "resource_name must be a string"),
            (lambda ls: ls.inject_error("GetAlarms", times=True), "times must be a positive integer"),
            (lambda ls: ls.inject_error("GetAlarms", times=1.5), "times must be a positive integer"),
            (lambda ls: ls.inject_error("GetAlarms", times=0), "times must be a positive integer"),
            (lambda ls: ls.inject_error("GetAlarms", ["Throttling"]), "error must be a string"),
            (lambda ls: ls.inject_error("GetAlarms", message=5), "message must be a string"),
            (lambda ls: ls.inject_error("GetAlarms", region=5), "region must be a string"),
            (lambda ls: ls.inject_error("GetAlarms", region="us-east1"), "does not serve region 'us-east1'"),
            (lambda ls: ls.inject_error("GetAlarms", region="moon-1"), "does not serve region 'moon-1'"),
            (lambda ls: ls.inject_error(["GetAlarms"]), "operation must be a string"),
            (lambda ls: ls.alarm_history(5), "alarm_name must be a string"),
        ],
    )
    def test_a_clear_usage_error_and_nothing_changed(self, ls: LightsailMock, misuse: Any, message: str) -> None:
        client = lightsail()
        client.create_instances(instanceNames=["web-1"], **INSTANCE)
        client.create_contact_method(protocol="Email", contactEndpoint="ops@example.com")
        with pytest.raises(LightmockUsageError, match=message):
            misuse(ls)
        assert ls.store.injected == {}
        state = ls.store.region(ls.account_id, "us-east-1")
        assert len(state.metrics) == 0
        assert [method.status for method in state.contact_methods.values()] == ["PendingVerification"]

    def test_an_error_injected_into_a_served_region_fires_there_only(self, ls: LightsailMock) -> None:
        """The region check refuses only what no call can reach: a served region's error fires in it alone."""
        ls.inject_error("GetAlarms", "ServiceException", region="eu-west-2")
        assert lightsail().get_alarms()["alarms"] == []
        with pytest.raises(ClientError, match="ServiceException"):
            boto3.client("lightsail", region_name="eu-west-2", config=_no_retries()).get_alarms()

    def test_bad_constructor_options(self) -> None:
        for options in ({"page_size": True}, {"page_size": 0}, {"sorted_metric_data": "yes"}, {"default_region": 5}):
            with pytest.raises(LightmockUsageError):
                mock_lightsail(**options)


def test_call_is_a_frozen_record() -> None:
    """Call is immutable, as StateChange and Notification are."""
    call = Call("GetAlarms", "us-east-1", {}, None, T0, ACCOUNT)
    with pytest.raises((AttributeError, dataclasses.FrozenInstanceError)):
        call.error = "X"  # type: ignore[misc]


def test_a_handle_over_a_supplied_store() -> None:
    """LightsailMock.over(store) reads and seeds a store without activating anything (for a server)."""
    from lightmock.engine.store import Store, StoreOptions
    from lightmock.service.dispatch import dispatch

    store = Store(Clock(), StoreOptions())
    handle = LightsailMock.over(store, default_region="us-east-1")
    handle.clock.freeze(T0)
    dispatch(store, handle.account_id, "us-east-1", "CreateInstances", {"instanceNames": ["web-1"], **INSTANCE})
    assert handle.put_metric_data("web-1", "CPUUtilization", [1.0, 2.0]) == 2
    assert [call.operation for call in handle.calls] == ["CreateInstances"]
    assert not handle.active
    assert activations.innermost() is None


class TestAnOlderModel:
    """An older botocore's model may lack operations lightmock's table has (issue 18): such an
    operation is answered as any name outside the model, and cannot have an error injected."""

    @pytest.fixture
    def extra_operation(self, monkeypatch: pytest.MonkeyPatch) -> str:
        """A handler under a name the installed model does not have, as an older model lacks a newer operation."""
        name = "GetTeleporters"
        assert name not in service_model().operation_names
        monkeypatch.setitem(OPERATIONS, name, OPERATIONS["GetAlarms"])
        return name

    def test_the_call_is_an_unknown_operation(self, ls: LightsailMock, extra_operation: str) -> None:
        """A raw request for it is refused as UnknownOperationException (400), recorded, and nothing crashes."""
        answer = requests.post(
            "https://lightsail.us-east-1.amazonaws.com/",
            data=b"{}",
            headers={
                "X-Amz-Target": f"Lightsail_20161128.{extra_operation}",
                "Content-Type": "application/x-amz-json-1.1",
            },
            timeout=10,
        )
        assert (answer.status_code, answer.json()["__type"]) == (400, "UnknownOperationException")
        assert [(call.operation, call.error) for call in ls.calls] == [(extra_operation, "UnknownOperationException")]

    def test_no_error_can_be_injected(self, ls: LightsailMock, extra_operation: str) -> None:
        with pytest.raises(LightmockUsageError, match="does not implement 'GetTeleporters'"):
            ls.inject_error(extra_operation)
        assert ls.store.injected == {}
