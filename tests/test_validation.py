"""Requests are checked against botocore's model the way Lightsail checks them."""

from __future__ import annotations

from typing import Any
from unittest.mock import Mock, patch

import boto3
import pytest
from botocore.config import Config
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lightmock import mock_lightsail
from lightmock.core.exceptions import InvalidInputException
from lightmock.schema import validation
from lightmock.schema.model import operation_model
from lightmock.schema.validation import validate_input
from lightmock.service import dispatch as dispatch_module
from lightmock.service.dispatch import OPERATIONS
from tests.strategies import Breakage, broken_requests, has_sites, requests

VALID_PUT_ALARM: dict[str, Any] = {
    "alarmName": "cpu-high",
    "metricName": "CPUUtilization",
    "monitoredResourceName": "web-1",
    "comparisonOperator": "GreaterThanThreshold",
    "threshold": 80.0,
    "evaluationPeriods": 2,
}


def unchecked_client() -> Any:
    """A client whose own parameter validation is off, as other SDKs and raw HTTP behave."""
    return boto3.client("lightsail", region_name="us-east-1", config=Config(parameter_validation=False))


def rejection(call: Any, **params: Any) -> str:
    client = boto3.client("lightsail", region_name="us-east-1")
    with pytest.raises(client.exceptions.InvalidInputException) as caught:
        call(client, **params)
    message = caught.value.response["Error"]["Message"]
    assert isinstance(message, str)
    return message


class TestModelValidationThroughBoto3:
    @pytest.mark.parametrize(
        ("member", "value", "expected"),
        [
            ("metricName", "Foo", "metricName: 'Foo' is not a valid value; valid values are: CPUUtilization"),
            ("comparisonOperator", "Bigger", "comparisonOperator: 'Bigger' is not a valid value"),
            ("treatMissingData", "zero", "treatMissingData: 'zero' is not a valid value; valid values are: breaching"),
            ("alarmName", "a", "alarmName: a is not a valid resource name"),
            ("alarmName", "a b", "alarmName: a b is not a valid resource name"),
            ("monitoredResourceName", "x" * 256, "monitoredResourceName: "),
        ],
    )
    def test_enum_and_name_violations(self, member: str, value: str, expected: str) -> None:
        """Enums and resource names botocore lets through are rejected naming the field."""
        with mock_lightsail():
            message = rejection(lambda c, **p: c.put_alarm(**p), **{**VALID_PUT_ALARM, member: value})
        assert expected in message

    def test_enum_inside_a_list_names_its_index_and_the_allowed_values(self) -> None:
        """contactProtocols[0] is named, with Email and SMS as the allowed values."""
        with mock_lightsail():
            message = rejection(
                lambda c, **p: c.put_alarm(**p), **VALID_PUT_ALARM, contactProtocols=["Email", "Pigeon"]
            )
        assert "contactProtocols[1]: 'Pigeon' is not a valid value; valid values are: Email, SMS" in message

    def test_maximum_is_enforced(self) -> None:
        """A port above the model's 65535 maximum reaches the mock and is rejected (botocore checks only minimums)."""
        with mock_lightsail():
            message = rejection(
                lambda c, **p: c.create_load_balancer(**p), loadBalancerName="lb-1", instancePort=70000
            )
        assert "instancePort: 70000 is above the maximum value 65535" in message

    def test_string_length_maximum(self) -> None:
        """A contact endpoint longer than 256 characters is rejected."""
        with mock_lightsail():
            message = rejection(
                lambda c, **p: c.create_contact_method(**p), protocol="Email", contactEndpoint="a" * 300
            )
        assert "contactEndpoint: length 300 is above the maximum length 256" in message

    def test_every_problem_is_reported_once(self) -> None:
        """One message lists each broken field, each starting with its path."""
        with mock_lightsail():
            message = rejection(
                lambda c, **p: c.put_alarm(**p), **{**VALID_PUT_ALARM, "metricName": "Foo", "alarmName": "a"}
            )
        assert message.startswith("alarmName: ")
        assert "; metricName: " in message

    def test_type_violations_from_a_client_that_does_not_check(self) -> None:
        """Wrong types (sent by a client without validation) are rejected naming the field."""
        with mock_lightsail():
            client = unchecked_client()
            with pytest.raises(client.exceptions.InvalidInputException) as caught:
                client.put_alarm(**{**VALID_PUT_ALARM, "evaluationPeriods": "two", "notificationEnabled": "yes"})
        message = caught.value.response["Error"]["Message"]
        assert "evaluationPeriods: expected an integer, got 'two'" in message
        assert "notificationEnabled: expected a boolean" in message

    def test_missing_required_member_from_a_client_that_does_not_check(self) -> None:
        """A missing required member is named."""
        with mock_lightsail():
            client = unchecked_client()
            params = {k: v for k, v in VALID_PUT_ALARM.items() if k != "threshold"}
            with pytest.raises(client.exceptions.InvalidInputException, match="threshold: a value is required"):
                client.put_alarm(**params)

    def test_rejected_call_changes_nothing(self) -> None:
        """An invalid CreateContactMethod leaves the contact methods as they were."""
        with mock_lightsail():
            client = boto3.client("lightsail", region_name="us-east-1")
            rejection(lambda c, **p: c.create_contact_method(**p), protocol="Pager", contactEndpoint="x@example.com")
            assert client.get_contact_methods()["contactMethods"] == []


class TestValidatorDirectly:
    @pytest.mark.parametrize(
        ("params", "fragment"),
        [
            ({**VALID_PUT_ALARM, "threshold": True}, "threshold: expected a number"),
            ({**VALID_PUT_ALARM, "threshold": float("inf")}, "threshold: expected a finite number"),
            ({**VALID_PUT_ALARM, "contactProtocols": "Email"}, "contactProtocols: expected a list"),
            ({**VALID_PUT_ALARM, "tags": [{"key": 5}]}, "tags[0].key: expected a string"),
            ({**VALID_PUT_ALARM, "tags": [{"key": "k", "value": 3}]}, "tags[0].value: expected a string"),
            ({**VALID_PUT_ALARM, "colour": "red"}, "colour: is not a member of PutAlarmRequest"),
        ],
    )
    def test_nested_paths_and_types(self, params: dict[str, Any], fragment: str) -> None:
        """Problems at any depth are reported with their dotted path."""
        with pytest.raises(InvalidInputException) as caught:
            validate_input("PutAlarm", params)
        assert fragment in caught.value.message

    def test_names_with_dots_are_accepted_as_the_service_does(self) -> None:
        """The real service accepts '.' in resource names although the model pattern does not."""
        validate_input("PutAlarm", {**VALID_PUT_ALARM, "alarmName": "web.example.com-cpu"})

    def test_valid_input_passes(self) -> None:
        """A valid request raises nothing."""
        validate_input("PutAlarm", VALID_PUT_ALARM)


# --- the generated fast path against the closures that word the problems -------------------


def closure_problems(shape: Any, value: Any, *, output: bool = False) -> list[str]:
    problems: list[str] = []
    validation._compile(shape, output)(value, "", problems)
    return problems


def fast_problems(checker: Any, value: Any) -> list[str]:
    problems: list[str] = []
    checker(value, "", problems)
    return problems


WITHOUT_WIRE_ONLY = frozenset(Breakage) - {Breakage.DEEP_NESTING}


class TestFastPathAgreesWithTheClosures:
    """The generated checker reports exactly what the closures report (order aside)."""

    @settings(
        max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
    )
    @given(st.sampled_from(sorted(OPERATIONS)), st.data())
    def test_requests_valid_and_broken(self, operation: str, data: st.DataObject) -> None:
        shape = operation_model(operation).input_shape
        if shape is None:
            return
        if has_sites(operation, WITHOUT_WIRE_ONLY) and data.draw(st.booleans()):
            params = data.draw(broken_requests(operation, WITHOUT_WIRE_ONLY)).params
        else:
            params = data.draw(requests(operation))
        want = closure_problems(shape, params)
        assert sorted(fast_problems(validation.input_checker(operation), params)) == sorted(want)

    @pytest.mark.parametrize(
        "value",
        [
            [],
            {"alarms": None},
            {"alarms": [{"name": None}]},
            {"alarms": [{"name": 7, "threshold": "high", "unexpected": 1}]},
            {"alarms": [{"evaluationPeriods": True, "notificationEnabled": 1, "contactProtocols": "Email"}]},
            {"alarms": [{"state": "BROKEN", "location": {"regionName": "nowhere-1"}}], "nextPageToken": 3},
        ],
    )
    def test_broken_responses(self, value: Any) -> None:
        shape = operation_model("GetAlarms").output_shape
        want = closure_problems(shape, value, output=True)
        assert want, "each example breaks the shape somewhere"
        assert sorted(fast_problems(validation.output_checker("GetAlarms"), value)) == sorted(want)

    def test_valid_scalars_build_no_path(self) -> None:
        """A valid scalar member never reaches a closure, so no path string is built for it."""
        checker = validation.input_checker("PutAlarm")
        with patch.dict(checker.__globals__, {"_join": Mock(side_effect=AssertionError("a path was built"))}):
            assert fast_problems(checker, VALID_PUT_ALARM) == []
            with pytest.raises(AssertionError, match="a path was built"):  # a broken one does
                fast_problems(checker, dict(VALID_PUT_ALARM, threshold="high"))


class TestWholeValuesAndWiring:
    def test_a_pattern_must_match_the_whole_value(self, ls: Any) -> None:
        """``.*\\S.*`` finds a match inside "ubuntu_22_04\\n" but not across it: refused, nothing made."""
        client = unchecked_client()
        with pytest.raises(client.exceptions.InvalidInputException, match=r"blueprintId.*does not match the pattern"):
            client.create_instances(
                instanceNames=["web-1"],
                availabilityZone="us-east-1a",
                blueprintId="ubuntu_22_04\n",
                bundleId="nano_3_0",
            )
        assert client.get_instances()["instances"] == []

    def test_each_operation_is_compiled_once(self, ls: Any) -> None:
        """The checker is built on the first call of an operation and reused after it."""
        client = boto3.client("lightsail", region_name="us-east-1")
        client.get_alarms()
        first = validation.input_checker("GetAlarms")
        client.get_alarms()
        assert validation.input_checker("GetAlarms") is first
        assert validation.input_checker.cache_info().hits >= 1

    def test_every_response_is_checked_against_the_model(self, ls: Any) -> None:
        """The suite's response check is wired in: a body with a member the model lacks fails the call."""
        client = boto3.client("lightsail", region_name="us-east-1")
        real = dispatch_module.OPERATIONS["GetAlarms"]

        def with_an_extra_member(context: Any, params: dict[str, Any]) -> dict[str, Any]:
            return {**real(context, params), "unexpected": 1}

        with (
            patch.dict(dispatch_module.OPERATIONS, {"GetAlarms": with_an_extra_member}),
            pytest.raises(AssertionError, match="unexpected: is not a member of GetAlarmsResult"),
        ):
            client.get_alarms()
