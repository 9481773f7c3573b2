"""Contact methods and TestAlarm through real boto3 clients.

Facts from the model's documentation (docs/service-reference.md §6): one email address
and one mobile number per region, SMS only in the regions the model lists, an email
``PendingVerification`` until verified, SMS ``Valid`` at once, phone numbers in E.164,
verification for Email only. TestAlarm records a test notification by the notification
rules of docs/alarm-evaluation.md and leaves the alarm's state alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import boto3
import pytest

from lightmock import LightmockUsageError, LightsailMock
from tests.helpers import ACCOUNT, REGION, T0, shared_client

UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
EMAIL = "ops@example.com"
PHONE = "+12065550100"


def sms_regions() -> list[str]:
    """The regions the model's CreateContactMethodRequest.protocol documentation lists for SMS."""
    shape = shared_client().meta.service_model.shape_for("CreateContactMethodRequest")
    regions = re.findall(r"\(<code>([a-z]{2}-[a-z]+-\d)</code>\)", shape.members["protocol"].documentation)
    assert regions, "the model no longer lists the SMS regions"
    return regions


SMS_REGIONS = sms_regions()
NOT_SMS_REGIONS = ["us-east-2", "eu-central-1", "ca-central-1", "ap-south-1", "eu-west-2", "ap-northeast-2"]


def contacts(client: Any, **filters: Any) -> dict[str, dict[str, Any]]:
    """The region's contact methods by protocol."""
    return {c["protocol"]: c for c in client.get_contact_methods(**filters)["contactMethods"]}


# --- CreateContactMethod ---------------------------------------------------------------


class TestCreateContactMethod:
    def test_email_starts_pending_verification(self, client: Any) -> None:
        """An email address must be verified before it receives anything."""
        client.create_contact_method(protocol="Email", contactEndpoint=EMAIL)
        email = contacts(client)["Email"]
        assert email["status"] == "PendingVerification"
        assert email["contactEndpoint"] == EMAIL

    def test_sms_is_valid_at_once(self, client: Any) -> None:
        """SMS needs no verification."""
        client.create_contact_method(protocol="SMS", contactEndpoint=PHONE)
        sms = contacts(client)["SMS"]
        assert sms["status"] == "Valid"
        assert sms["contactEndpoint"] == PHONE

    def test_returns_one_operation(self, client: Any) -> None:
        """CreateContactMethod answers one terminal CreateContactMethod operation."""
        (operation,) = client.create_contact_method(protocol="Email", contactEndpoint=EMAIL)["operations"]
        assert operation["operationType"] == "CreateContactMethod"
        assert operation["resourceType"] == "ContactMethod"
        assert operation["status"] == "Succeeded"
        assert operation["isTerminal"] is True
        assert operation["resourceName"] == contacts(client)["Email"]["name"]

    def test_record(self, client: Any) -> None:
        """The record carries every member of the model's ContactMethod shape."""
        client.create_contact_method(protocol="SMS", contactEndpoint=PHONE, tags=[{"key": "k", "value": "v"}])
        sms = contacts(client)["SMS"]
        assert set(sms) == set(client.meta.service_model.shape_for("ContactMethod").members)
        assert re.fullmatch(rf"arn:aws:lightsail:{REGION}:{ACCOUNT}:ContactMethod/{UUID}", sms["arn"])
        assert sms["resourceType"] == "ContactMethod"
        assert sms["location"] == {"availabilityZone": "all", "regionName": REGION}
        assert sms["createdAt"] == T0
        assert sms["tags"] == [{"key": "k", "value": "v"}]

    def test_one_email_and_one_sms_together(self, client: Any) -> None:
        """A region holds one contact method of each protocol."""
        client.create_contact_method(protocol="Email", contactEndpoint=EMAIL)
        client.create_contact_method(protocol="SMS", contactEndpoint=PHONE)
        assert sorted(contacts(client)) == ["Email", "SMS"]

    @pytest.mark.parametrize(
        ("protocol", "first", "second"),
        [("Email", EMAIL, "other@example.com"), ("SMS", PHONE, "+447700900123")],
    )
    def test_second_of_a_protocol_is_rejected(self, client: Any, protocol: str, first: str, second: str) -> None:
        """A second contact method of a protocol is an InvalidInputException; the first stays."""
        client.create_contact_method(protocol=protocol, contactEndpoint=first)
        before = client.get_contact_methods()["contactMethods"]
        with pytest.raises(client.exceptions.InvalidInputException, match=protocol):
            client.create_contact_method(protocol=protocol, contactEndpoint=second)
        assert client.get_contact_methods()["contactMethods"] == before

    def test_another_region_has_its_own(self, client: Any) -> None:
        """Contact methods are per region: each region may have its own email."""
        west = shared_client("us-west-2")
        client.create_contact_method(protocol="Email", contactEndpoint=EMAIL)
        west.create_contact_method(protocol="Email", contactEndpoint="west@example.com")
        assert contacts(client)["Email"]["contactEndpoint"] == EMAIL
        assert contacts(west)["Email"]["contactEndpoint"] == "west@example.com"
        assert contacts(west)["Email"]["location"]["regionName"] == "us-west-2"

    @pytest.mark.parametrize("region", SMS_REGIONS)
    def test_sms_in_the_model_regions(self, ls: LightsailMock, region: str) -> None:
        """SMS is accepted in every region the model lists."""
        regional = boto3.client("lightsail", region_name=region)
        regional.create_contact_method(protocol="SMS", contactEndpoint=PHONE)
        assert contacts(regional)["SMS"]["status"] == "Valid"

    @pytest.mark.parametrize("region", NOT_SMS_REGIONS)
    def test_sms_elsewhere_is_rejected(self, ls: LightsailMock, region: str) -> None:
        """SMS outside the model's regions is an InvalidInputException; Email is fine there."""
        assert region not in SMS_REGIONS
        regional = boto3.client("lightsail", region_name=region)
        with pytest.raises(regional.exceptions.InvalidInputException, match="SMS"):
            regional.create_contact_method(protocol="SMS", contactEndpoint=PHONE)
        assert contacts(regional) == {}
        regional.create_contact_method(protocol="Email", contactEndpoint=EMAIL)
        assert list(contacts(regional)) == ["Email"]

    @pytest.mark.parametrize("endpoint", ["not-an-email", "ops@", "@example.com", "ops@example", "o ps@example.com"])
    def test_malformed_email(self, client: Any, endpoint: str) -> None:
        """An endpoint that is no email address is an InvalidInputException."""
        with pytest.raises(client.exceptions.InvalidInputException, match="contactEndpoint"):
            client.create_contact_method(protocol="Email", contactEndpoint=endpoint)
        assert contacts(client) == {}

    @pytest.mark.parametrize(
        "endpoint", ["2065550100", "+1 206 555 0100", "+1-206-555-0100", "+0123456", "+1234567890123456", "+", "+1"]
    )
    def test_phone_not_in_e164(self, client: Any, endpoint: str) -> None:
        """A phone number that is not E.164 (+, country code, at most 15 digits) is rejected."""
        with pytest.raises(client.exceptions.InvalidInputException, match=r"E\.164"):
            client.create_contact_method(protocol="SMS", contactEndpoint=endpoint)
        assert contacts(client) == {}

    @pytest.mark.parametrize("endpoint", ["+12", "+123456789012345", "+447700900123"])
    def test_phone_in_e164(self, client: Any, endpoint: str) -> None:
        """E.164 numbers from 2 to 15 digits are accepted."""
        client.create_contact_method(protocol="SMS", contactEndpoint=endpoint)
        assert contacts(client)["SMS"]["contactEndpoint"] == endpoint

    def test_protocol_enum(self, client: Any) -> None:
        """A protocol the model does not know is an InvalidInputException naming the allowed ones."""
        with pytest.raises(client.exceptions.InvalidInputException, match=r"protocol.*Pigeon.*Email, SMS"):
            client.create_contact_method(protocol="Pigeon", contactEndpoint=EMAIL)

    def test_endpoint_too_long(self, client: Any) -> None:
        """contactEndpoint is at most 256 characters (the model's max, unchecked by botocore)."""
        with pytest.raises(client.exceptions.InvalidInputException, match="contactEndpoint"):
            client.create_contact_method(protocol="Email", contactEndpoint="a" * 250 + "@example.com")


# --- GetContactMethods and DeleteContactMethod ----------------------------------------------


class TestGetContactMethods:
    @pytest.fixture
    def both(self, client: Any) -> Any:
        client.create_contact_method(protocol="Email", contactEndpoint=EMAIL)
        client.create_contact_method(protocol="SMS", contactEndpoint=PHONE)
        return client

    def test_none(self, client: Any) -> None:
        """A region without contact methods gives an empty list."""
        assert client.get_contact_methods()["contactMethods"] == []

    @pytest.mark.parametrize(
        ("protocols", "expected"),
        [(None, ["Email", "SMS"]), (["Email"], ["Email"]), (["SMS"], ["SMS"]), (["SMS", "Email"], ["Email", "SMS"])],
    )
    def test_filter_by_protocols(self, both: Any, protocols: list[str] | None, expected: list[str]) -> None:
        """protocols picks the contact methods of those protocols."""
        filters = {} if protocols is None else {"protocols": protocols}
        assert sorted(contacts(both, **filters)) == expected

    def test_filter_matching_nothing(self, client: Any) -> None:
        """A filter for a protocol that is not configured gives an empty list."""
        client.create_contact_method(protocol="Email", contactEndpoint=EMAIL)
        assert client.get_contact_methods(protocols=["SMS"])["contactMethods"] == []

    def test_filter_enum(self, client: Any) -> None:
        """An unknown protocol in the filter is an InvalidInputException."""
        with pytest.raises(client.exceptions.InvalidInputException, match=r"protocols\[0\]"):
            client.get_contact_methods(protocols=["Fax"])


class TestDeleteContactMethod:
    def test_deletes_only_that_protocol(self, client: Any) -> None:
        """Deleting Email leaves SMS; the answer is one DeleteContactMethod operation."""
        client.create_contact_method(protocol="Email", contactEndpoint=EMAIL)
        client.create_contact_method(protocol="SMS", contactEndpoint=PHONE)
        (operation,) = client.delete_contact_method(protocol="Email")["operations"]
        assert operation["operationType"] == "DeleteContactMethod"
        assert operation["status"] == "Succeeded"
        assert list(contacts(client)) == ["SMS"]

    @pytest.mark.parametrize("protocol", ["Email", "SMS"])
    def test_unknown(self, client: Any, protocol: str) -> None:
        """Deleting a protocol that is not configured is a NotFoundException."""
        with pytest.raises(client.exceptions.NotFoundException, match=protocol):
            client.delete_contact_method(protocol=protocol)

    def test_can_be_added_again(self, client: Any) -> None:
        """After deletion a new one of that protocol is accepted (the console's "replace")."""
        client.create_contact_method(protocol="Email", contactEndpoint=EMAIL)
        client.delete_contact_method(protocol="Email")
        client.create_contact_method(protocol="Email", contactEndpoint="new@example.com")
        email = contacts(client)["Email"]
        assert (email["contactEndpoint"], email["status"]) == ("new@example.com", "PendingVerification")

    def test_other_region_untouched(self, client: Any) -> None:
        """Deleting in one region leaves the other region's contact method."""
        west = shared_client("us-west-2")
        client.create_contact_method(protocol="Email", contactEndpoint=EMAIL)
        west.create_contact_method(protocol="Email", contactEndpoint=EMAIL)
        west.delete_contact_method(protocol="Email")
        assert list(contacts(client)) == ["Email"]


# --- verification ---------------------------------------------------------------------


class TestVerification:
    def test_send_verification_for_a_pending_email(self, client: Any) -> None:
        """SendContactMethodVerification answers one operation; the email stays pending."""
        client.create_contact_method(protocol="Email", contactEndpoint=EMAIL)
        (operation,) = client.send_contact_method_verification(protocol="Email")["operations"]
        assert operation["operationType"] == "SendContactMethodVerification"
        assert operation["status"] == "Succeeded"
        assert contacts(client)["Email"]["status"] == "PendingVerification"

    def test_sms_is_refused_by_the_model_enum(self, client: Any) -> None:
        """The model allows only Email: SMS is an InvalidInputException naming protocol."""
        client.create_contact_method(protocol="SMS", contactEndpoint=PHONE)
        with pytest.raises(client.exceptions.InvalidInputException, match=r"protocol.*SMS.*Email"):
            client.send_contact_method_verification(protocol="SMS")

    def test_without_email(self, client: Any) -> None:
        """No Email contact method to verify is a NotFoundException."""
        with pytest.raises(client.exceptions.NotFoundException, match="Email"):
            client.send_contact_method_verification(protocol="Email")

    def test_verify_through_the_handle(self, ls: LightsailMock, client: Any) -> None:
        """ls.verify_contact_method("Email") does what the link in the email would: Valid."""
        client.create_contact_method(protocol="Email", contactEndpoint=EMAIL)
        ls.verify_contact_method("Email")
        assert contacts(client)["Email"]["status"] == "Valid"

    def test_verify_in_another_region(self, ls: LightsailMock, client: Any) -> None:
        """The handle verifies the named region's email only."""
        west = shared_client("us-west-2")
        client.create_contact_method(protocol="Email", contactEndpoint=EMAIL)
        west.create_contact_method(protocol="Email", contactEndpoint=EMAIL)
        ls.verify_contact_method("Email", region="us-west-2")
        assert contacts(west)["Email"]["status"] == "Valid"
        assert contacts(client)["Email"]["status"] == "PendingVerification"

    def test_verify_nothing_is_a_usage_error(self, ls: LightsailMock, client: Any) -> None:
        """Verifying a contact method that does not exist is the test's mistake."""
        with pytest.raises(LightmockUsageError, match="Email"):
            ls.verify_contact_method("Email")


# --- TestAlarm --------------------------------------------------------------------------

#: (enabled, triggers, state tested, contactProtocols, contact methods, email verified)
#: -> protocols notified.
TEST_ALARM_RULES: list[Any] = [
    pytest.param(True, None, "ALARM", ["SMS"], ["SMS"], False, ["SMS"], id="default-trigger-alarm"),
    pytest.param(True, None, "OK", ["SMS"], ["SMS"], False, [], id="ok-not-a-trigger"),
    pytest.param(True, ["ALARM", "OK"], "OK", ["SMS"], ["SMS"], False, ["SMS"], id="ok-trigger"),
    pytest.param(True, ["ALARM"], "INSUFFICIENT_DATA", ["SMS"], ["SMS"], False, [], id="insufficient-not-a-trigger"),
    pytest.param(
        True, ["ALARM", "INSUFFICIENT_DATA"], "INSUFFICIENT_DATA", ["SMS"], ["SMS"], False, ["SMS"], id="insufficient"
    ),
    pytest.param(False, None, "ALARM", ["SMS"], ["SMS"], False, [], id="disabled"),
    pytest.param(True, None, "ALARM", [], ["SMS", "Email"], True, [], id="no-protocol"),
    pytest.param(True, None, "ALARM", ["SMS"], ["Email"], True, [], id="protocol-not-configured"),
    pytest.param(True, None, "ALARM", ["Email"], ["Email"], False, [], id="email-unverified"),
    pytest.param(True, None, "ALARM", ["Email"], ["Email"], True, ["Email"], id="email-verified"),
    pytest.param(True, None, "ALARM", ["Email", "SMS"], ["Email", "SMS"], True, ["Email", "SMS"], id="both"),
    pytest.param(True, None, "ALARM", ["Email", "SMS"], ["Email", "SMS"], False, ["SMS"], id="both-email-pending"),
    pytest.param(True, None, "ALARM", ["Email"], ["Email", "SMS"], True, ["Email"], id="sms-not-listed"),
    pytest.param(True, None, "ALARM", ["Email", "SMS"], [], False, [], id="no-contacts"),
]


class TestTestAlarm:
    @pytest.fixture
    def instance(self, client: Any) -> Any:
        client.create_instances(
            instanceNames=["web-1"], availabilityZone="us-east-1a", blueprintId="ubuntu_22_04", bundleId="nano_3_0"
        )
        return client

    @staticmethod
    def put(client: Any, **options: Any) -> None:
        client.put_alarm(
            alarmName="cpu-high",
            metricName="CPUUtilization",
            monitoredResourceName="web-1",
            comparisonOperator="GreaterThanThreshold",
            threshold=50,
            evaluationPeriods=1,
            **options,
        )

    @pytest.mark.parametrize(
        ("enabled", "triggers", "state", "protocols", "configured", "verified", "expected"), TEST_ALARM_RULES
    )
    def test_notification_rules(
        self,
        ls: LightsailMock,
        instance: Any,
        enabled: bool,
        triggers: list[str] | None,
        state: str,
        protocols: list[str],
        configured: list[str],
        verified: bool,
        expected: list[str],
        add_contact_methods: Callable[[Any, list[str], bool], None],
    ) -> None:
        """A test notification per listed protocol whose contact exists (Email verified), if enabled and triggered."""
        add_contact_methods(instance, configured, verified)
        options: dict[str, Any] = {"notificationEnabled": enabled, "contactProtocols": protocols}
        if triggers is not None:
            options["notificationTriggers"] = triggers
        self.put(instance, **options)
        instance.test_alarm(alarmName="cpu-high", state=state)
        sent = ls.notifications
        assert [n.protocol for n in sent] == expected
        assert all(n.test and n.state == state and n.alarm_name == "cpu-high" for n in sent)

    def test_notification_record(self, ls: LightsailMock, instance: Any) -> None:
        """The test notification says what, where, when, and that it was a test."""
        instance.create_contact_method(protocol="SMS", contactEndpoint=PHONE)
        self.put(instance, contactProtocols=["SMS"])
        ls.clock.advance(seconds=42)
        instance.test_alarm(alarmName="cpu-high", state="ALARM")
        (sent,) = ls.notifications
        assert sent.alarm_name == "cpu-high"
        assert sent.state == "ALARM"
        assert sent.protocol == "SMS"
        assert sent.endpoint == PHONE
        assert sent.region == REGION
        assert sent.timestamp == ls.clock.now()
        assert sent.test is True

    def test_returns_one_operation(self, instance: Any) -> None:
        """TestAlarm answers one terminal TestAlarm operation on the alarm."""
        self.put(instance)
        (operation,) = instance.test_alarm(alarmName="cpu-high", state="ALARM")["operations"]
        assert operation["operationType"] == "TestAlarm"
        assert (operation["resourceType"], operation["resourceName"]) == ("Alarm", "cpu-high")
        assert operation["status"] == "Succeeded"

    @pytest.mark.parametrize("state", ["ALARM", "OK", "INSUFFICIENT_DATA"])
    def test_leaves_the_state(self, ls: LightsailMock, instance: Any, state: str) -> None:
        """The alarm's state and history are as before the test, now and after the clock moves on."""
        instance.create_contact_method(protocol="SMS", contactEndpoint=PHONE)
        ls.put_metric_data("web-1", "CPUUtilization", [10, 10, 10])
        self.put(instance, contactProtocols=["SMS"], notificationTriggers=["ALARM", "OK", "INSUFFICIENT_DATA"])
        before = ls.notifications
        assert instance.get_alarms(alarmName="cpu-high")["alarms"][0]["state"] == "OK"
        history = ls.alarm_history("cpu-high")
        instance.test_alarm(alarmName="cpu-high", state=state)
        assert instance.get_alarms(alarmName="cpu-high")["alarms"][0]["state"] == "OK"
        assert ls.alarm_history("cpu-high") == history
        ls.put_metric_data("web-1", "CPUUtilization", [10], timestamps=[T0.timestamp() + 60])
        ls.clock.advance(minutes=5)
        assert instance.get_alarms(alarmName="cpu-high")["alarms"][0]["state"] == "OK"
        assert ls.alarm_history("cpu-high") == history
        assert [n.test for n in ls.notifications[len(before) :]] == [True]

    def test_unknown_alarm(self, client: Any) -> None:
        """Testing an alarm that does not exist is a NotFoundException."""
        with pytest.raises(client.exceptions.NotFoundException, match="nope"):
            client.test_alarm(alarmName="nope", state="ALARM")

    def test_state_enum(self, instance: Any) -> None:
        """A state the model does not know is an InvalidInputException naming state."""
        self.put(instance)
        with pytest.raises(instance.exceptions.InvalidInputException, match=r"state.*PANIC"):
            instance.test_alarm(alarmName="cpu-high", state="PANIC")

    def test_contact_of_another_region_does_not_count(self, ls: LightsailMock, instance: Any) -> None:
        """Only the alarm's own region's contact methods receive its notifications."""
        west = shared_client("us-west-2")
        west.create_contact_method(protocol="SMS", contactEndpoint=PHONE)
        self.put(instance, contactProtocols=["SMS"])
        instance.test_alarm(alarmName="cpu-high", state="ALARM")
        assert ls.notifications == []

    def test_deleted_contact_receives_nothing(self, ls: LightsailMock, instance: Any) -> None:
        """After DeleteContactMethod the alarm keeps its protocols but nothing is sent."""
        instance.create_contact_method(protocol="SMS", contactEndpoint=PHONE)
        self.put(instance, contactProtocols=["SMS"])
        instance.delete_contact_method(protocol="SMS")
        instance.test_alarm(alarmName="cpu-high", state="ALARM")
        assert ls.notifications == []
        assert instance.get_alarms(alarmName="cpu-high")["alarms"][0]["contactProtocols"] == ["SMS"]
