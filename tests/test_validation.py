"""Requests are checked against botocore's model the way Lightsail checks them."""

from __future__ import annotations

import re
from typing import Any
from unittest.mock import patch

import boto3
import pytest
from botocore.config import Config
from hypothesis import given, settings
from hypothesis import strategies as st

from lightmock import mock_lightsail
from lightmock.core.exceptions import InvalidInputException
from lightmock.schema import validation
from lightmock.schema.validation import validate_input
from lightmock.service import dispatch as dispatch_module
from tests.helpers import shared_client

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
    client = shared_client()
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
            client = shared_client()
            rejection(lambda c, **p: c.create_contact_method(**p), protocol="Pager", contactEndpoint="x@example.com")
            assert client.get_contact_methods()["contactMethods"] == []


class TestValidatorDirectly:
    @pytest.mark.parametrize(
        ("params", "fragment"),
        [
            ({**VALID_PUT_ALARM, "threshold": True}, "threshold: expected a number"),
            ({**VALID_PUT_ALARM, "threshold": float("inf")}, "threshold: expected a finite number"),
            ({**VALID_PUT_ALARM, "threshold": float("-inf")}, "threshold: expected a finite number"),
            ({**VALID_PUT_ALARM, "threshold": float("nan")}, "threshold: expected a finite number"),
            ({**VALID_PUT_ALARM, "threshold": "80"}, "threshold: expected a number"),
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


# --- one walker: what it hands on ------------------------------------------------------------


class TestNormalisedParams:
    """``validate_input`` returns what the handlers get: nulls dropped, numbers of the member's type."""

    def test_required_members_missing_or_null_are_named_in_the_models_order(self) -> None:
        """A null required member is a missing one; each is named, in the model's order."""
        params = {key: value for key, value in VALID_PUT_ALARM.items() if key != "metricName"}
        with pytest.raises(InvalidInputException) as refused:
            validate_input("PutAlarm", {**params, "threshold": None, "evaluationPeriods": None})
        message = str(refused.value)
        required = validation.operation_model("PutAlarm").input_shape.required_members
        named = [name for name in required if f"{name}: a value is required" in message]
        assert sorted(named) == ["evaluationPeriods", "metricName", "threshold"]
        positions = [message.index(f"{name}: a value is required") for name in named]
        assert positions == sorted(positions)

    def test_required_members_are_named_before_the_other_problems(self) -> None:
        """The required members lacking come first, though a bad member precedes them in the request."""
        rest = {key: value for key, value in VALID_PUT_ALARM.items() if key != "comparisonOperator"}
        params = {"comparisonOperator": "Bigger", **rest, "threshold": None}  # the bad member first
        with pytest.raises(InvalidInputException) as refused:
            validate_input("PutAlarm", params)
        assert str(refused.value).startswith("threshold: a value is required; comparisonOperator: 'Bigger'")

    def test_an_enum_value_is_taken_as_the_model_spells_it_and_refused_otherwise(self) -> None:
        assert validate_input("PutAlarm", VALID_PUT_ALARM)["comparisonOperator"] == "GreaterThanThreshold"
        with pytest.raises(InvalidInputException, match="is not a valid value"):
            validate_input("PutAlarm", {**VALID_PUT_ALARM, "comparisonOperator": "Above"})

    def test_nulls_of_optional_members_are_left_out_at_any_depth(self) -> None:
        params = {**VALID_PUT_ALARM, "treatMissingData": None, "tags": [{"key": "k", "value": None}]}
        normalised = validate_input("PutAlarm", params)
        assert "treatMissingData" not in normalised
        assert normalised["tags"] == [{"key": "k"}]

    def test_integral_floats_become_integers_and_doubles_floats(self) -> None:
        normalised = validate_input("PutAlarm", {**VALID_PUT_ALARM, "evaluationPeriods": 3.0, "threshold": 80})
        assert normalised["evaluationPeriods"] == 3
        assert type(normalised["evaluationPeriods"]) is int
        assert type(normalised["threshold"]) is float

    @pytest.mark.parametrize("value", [2.5, float("nan"), float("inf"), True])
    def test_other_values_for_integers_are_refused(self, value: Any) -> None:
        with pytest.raises(InvalidInputException, match="evaluationPeriods: expected an integer"):
            validate_input("PutAlarm", {**VALID_PUT_ALARM, "evaluationPeriods": value})

    @pytest.mark.parametrize("item", [None, 3, {}, ["Email"], True])
    def test_a_null_or_mistyped_list_item_is_refused(self, item: Any) -> None:
        """A list item cannot be absent: a null one is refused like any wrong type."""
        with pytest.raises(InvalidInputException, match=r"contactProtocols\[1\]: expected a string"):
            validate_input("PutAlarm", {**VALID_PUT_ALARM, "contactProtocols": ["Email", item]})

    def test_the_callers_dicts_are_not_handed_on(self) -> None:
        """The handlers get new containers: nothing they keep is shared with the caller."""
        params = {**VALID_PUT_ALARM, "tags": [{"key": "k", "value": "v"}], "contactProtocols": ["Email", "SMS"]}
        normalised = validate_input("PutAlarm", params)
        assert normalised == params
        assert normalised["tags"][0] is not params["tags"][0]
        assert normalised["contactProtocols"] is not params["contactProtocols"]

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.sampled_from(["Email", "SMS", "Pigeon", "email", 3, None, {}, ["SMS"], 2.5])))
    def test_a_list_of_an_enum_passes_whole_or_names_each_bad_item(self, items: list[Any]) -> None:
        """A list of an enum's values is handed on as it is; otherwise each bad item is named by
        its index, and only those (the whole-list shortcut decides nothing else)."""
        bad = [index for index, item in enumerate(items) if item not in ("Email", "SMS") or type(item) is not str]
        params = {**VALID_PUT_ALARM, "contactProtocols": items}
        if not bad:
            assert validate_input("PutAlarm", params)["contactProtocols"] == items
            return
        with pytest.raises(InvalidInputException) as refused:
            validate_input("PutAlarm", params)
        named = [int(index) for index in re.findall(r"contactProtocols\[(\d+)\]", str(refused.value))]
        assert named == bad

    def test_the_list_of_problems_is_bounded(self) -> None:
        """A thousand wrong items make a message of 50 problems and a count of the rest."""
        with pytest.raises(InvalidInputException) as caught:
            validate_input("PutAlarm", {**VALID_PUT_ALARM, "contactProtocols": ["Pigeon"] * 1_000})
        message = caught.value.message
        assert message.count("is not a valid value") == validation.MAX_PROBLEMS
        assert message.endswith(f"and {1_000 - validation.MAX_PROBLEMS} more problems")


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
        client = shared_client()
        client.get_alarms()
        first = validation.input_checker("GetAlarms")
        client.get_alarms()
        assert validation.input_checker("GetAlarms") is first
        assert validation.input_checker.cache_info().hits >= 1

    def test_every_response_is_checked_against_the_model(self, ls: Any) -> None:
        """The suite's response check is wired in: a body with a member the model lacks fails the call."""
        client = shared_client()
        real = dispatch_module.OPERATIONS["GetAlarms"]

        def with_an_extra_member(context: Any, params: dict[str, Any]) -> dict[str, Any]:
            return {**real(context, params), "unexpected": 1}

        with (
            patch.dict(dispatch_module.OPERATIONS, {"GetAlarms": with_an_extra_member}),
            pytest.raises(AssertionError, match="unexpected: is not a member of GetAlarmsResult"),
        ):
            client.get_alarms()


#: The rule as the service states it (RESOURCE_NAME_RULE's words): at least 2 characters,
#: only alphanumerics, -, _ and . (and the model's ResourceName is at most 255 long).
_NAME_RULE = re.compile(r"[A-Za-z0-9_.\-]{2,255}")


@settings(max_examples=300, deadline=None)
@given(
    st.text(max_size=300)
    | st.text(alphabet="abZ09_.- \n/é\u0661", max_size=260)
    | st.from_regex(_NAME_RULE, fullmatch=True)
)
def test_a_resource_name_is_refused_exactly_when_it_breaks_the_rule(name: str) -> None:
    problem = validation.resource_name_problem(name, "instanceName")
    assert (problem is None) == (_NAME_RULE.fullmatch(name) is not None)
    if problem is not None:
        assert "Resource names must be at least 2 characters long" in problem
