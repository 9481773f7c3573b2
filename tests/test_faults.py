"""Fault injection: ``ls.inject_error(operation, error, times=, message=, region=)``.

The next ``times`` calls of the operation fail with that error and its HTTP status, then the
operation answers normally again; botocore's retry modes see the same errors a real outage
would give them and retry them the same way.
"""

from __future__ import annotations

import types
from collections.abc import Iterator
from typing import Any

import boto3
import botocore.endpoint
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from lightmock import LightmockUsageError, LightsailMock, mock_lightsail
from lightmock.core.exceptions import COMMON_ERROR_STATUS, MODELED_ERRORS

NO_RETRIES = Config(retries={"total_max_attempts": 1})
#: Every error name inject_error takes, with the HTTP status it is answered with.
STATUS = {**{name: cls.status for name, cls in MODELED_ERRORS.items()}, **COMMON_ERROR_STATUS}


@pytest.fixture
def ls() -> Iterator[LightsailMock]:
    with mock_lightsail() as mock:
        yield mock


def client(region: str = "us-east-1", config: Config = NO_RETRIES) -> Any:
    return boto3.client("lightsail", region_name=region, config=config)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The back-off delays botocore asks for, recorded instead of slept."""
    slept: list[float] = []
    monkeypatch.setattr(botocore.endpoint, "time", types.SimpleNamespace(sleep=slept.append))
    return slept


class TestInjectedErrors:
    @pytest.mark.parametrize(("error", "status"), sorted(STATUS.items()))
    def test_error_and_status(self, ls: LightsailMock, error: str, status: int) -> None:
        """Each modeled Lightsail error and each common AWS error comes back with its code and HTTP status."""
        ls.inject_error("GetAlarms", error)
        with pytest.raises(ClientError) as caught:
            client().get_alarms()
        response = caught.value.response
        assert (response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]) == (error, status)

    def test_modeled_error_raises_its_client_exception(self, ls: LightsailMock) -> None:
        """A modeled error surfaces as client.exceptions.<Name>, with the message given."""
        ls.inject_error("PutAlarm", "OperationFailureException", message="try later")
        lightsail = client()
        with pytest.raises(lightsail.exceptions.OperationFailureException, match="try later"):
            lightsail.put_alarm(
                alarmName="cpu",
                metricName="CPUUtilization",
                monitoredResourceName="web-1",
                comparisonOperator="GreaterThanThreshold",
                threshold=1.0,
                evaluationPeriods=1,
            )

    @pytest.mark.parametrize("times", [1, 2, 5])
    def test_next_times_calls_fail_then_the_operation_answers(self, ls: LightsailMock, times: int) -> None:
        """Exactly ``times`` calls fail; the one after answers normally."""
        ls.inject_error("GetAlarms", "ThrottlingException", times=times)
        lightsail = client()
        codes = []
        for _ in range(times + 2):
            try:
                lightsail.get_alarms()
            except ClientError as error:
                codes.append(error.response["Error"]["Code"])
            else:
                codes.append("ok")
        assert codes == ["ThrottlingException"] * times + ["ok", "ok"]

    def test_only_the_named_operation_fails(self, ls: LightsailMock) -> None:
        """An injection into GetAlarms leaves GetContactMethods alone."""
        ls.inject_error("GetAlarms")
        assert client().get_contact_methods()["contactMethods"] == []

    def test_injection_is_taken_before_validation(self, ls: LightsailMock) -> None:
        """An injected error wins over a request that would be invalid, as a service outage would."""
        ls.inject_error("DeleteAlarm", "ServiceException")
        with pytest.raises(ClientError) as caught:
            client().delete_alarm(alarmName="no-such-alarm")
        assert caught.value.response["Error"]["Code"] == "ServiceException"

    def test_default_message_names_error_and_operation(self, ls: LightsailMock) -> None:
        """Without a message the error says what was injected where."""
        ls.inject_error("GetAlarms")
        with pytest.raises(ClientError) as caught:
            client().get_alarms()
        assert caught.value.response["Error"]["Message"] == "Injected ServiceException for GetAlarms"

    def test_reset_forgets_pending_injections(self, ls: LightsailMock) -> None:
        """reset() drops injections not yet taken."""
        ls.inject_error("GetAlarms", times=3)
        ls.reset()
        assert client().get_alarms()["alarms"] == []


class TestRegions:
    def test_region_specific_injection_hits_only_that_region(self, ls: LightsailMock) -> None:
        """An injection for eu-west-1 fails there and leaves us-east-1 answering."""
        ls.inject_error("GetAlarms", "AccessDeniedException", region="eu-west-1")
        assert client("us-east-1").get_alarms()["alarms"] == []
        with pytest.raises(ClientError) as caught:
            client("eu-west-1").get_alarms()
        assert caught.value.response["Error"]["Code"] == "AccessDeniedException"
        assert client("eu-west-1").get_alarms()["alarms"] == []

    def test_injection_without_region_hits_every_region(self, ls: LightsailMock) -> None:
        """region=None matches the operation wherever it is called, ``times`` counted across regions."""
        ls.inject_error("GetAlarms", times=2)
        failed = []
        for region in ("eu-west-1", "ap-southeast-2", "us-east-1"):
            try:
                client(region).get_alarms()
            except ClientError:
                failed.append(region)
        assert failed == ["eu-west-1", "ap-southeast-2"]


class TestRetries:
    @pytest.mark.parametrize("mode", ["standard", "legacy"])
    @pytest.mark.parametrize("error", ["ServiceException", "ThrottlingException"])
    def test_retry_modes_retry_then_succeed(
        self, ls: LightsailMock, sleeps: list[float], mode: str, error: str
    ) -> None:
        """times=2 with 3 attempts: botocore retries twice and the third call succeeds."""
        ls.inject_error("GetAlarms", error, times=2)
        response = client(config=Config(retries={"mode": mode, "total_max_attempts": 3})).get_alarms()
        assert response["alarms"] == []
        assert response["ResponseMetadata"]["RetryAttempts"] == 2
        assert len(sleeps) == 2

    @pytest.mark.parametrize("mode", ["standard", "legacy"])
    def test_retries_give_up_after_max_attempts(self, ls: LightsailMock, sleeps: list[float], mode: str) -> None:
        """More failures than attempts: the error surfaces after the last attempt, the rest still pending."""
        ls.inject_error("GetAlarms", "ServiceException", times=5)
        with pytest.raises(ClientError) as caught:
            client(config=Config(retries={"mode": mode, "total_max_attempts": 3})).get_alarms()
        assert caught.value.response["ResponseMetadata"]["RetryAttempts"] == 2
        with pytest.raises(ClientError):
            client().get_alarms()  # the fourth of five

    def test_without_retries_the_error_surfaces_at_once(self, ls: LightsailMock, sleeps: list[float]) -> None:
        """With retries disabled a ServiceException surfaces as client.exceptions.ServiceException at once."""
        ls.inject_error("GetAlarms", "ServiceException", times=1)
        lightsail = client(config=Config(retries={"max_attempts": 0}))
        with pytest.raises(lightsail.exceptions.ServiceException) as caught:
            lightsail.get_alarms()
        assert caught.value.response["ResponseMetadata"]["RetryAttempts"] == 0
        assert sleeps == []
        assert lightsail.get_alarms()["alarms"] == []


class TestMisuse:
    @pytest.mark.parametrize(
        ("operation", "error", "times"),
        [
            ("GetAlarms", "NoSuchError", 1),
            ("GetAlarms", "serviceexception", 1),
            ("NotAnOperation", "ServiceException", 1),
            ("GetAlarms", "ServiceException", 0),
            ("GetAlarms", "ServiceException", -1),
        ],
    )
    def test_unknown_error_operation_or_count_is_a_usage_error(
        self, ls: LightsailMock, operation: str, error: str, times: int
    ) -> None:
        """An unknown error name, an operation lightmock lacks or a non-positive count is LightmockUsageError."""
        with pytest.raises(LightmockUsageError):
            ls.inject_error(operation, error, times=times)
        assert client().get_alarms()["alarms"] == []

    def test_inject_before_start_is_a_usage_error(self) -> None:
        """A mock that has not started has no state to inject into."""
        with pytest.raises(LightmockUsageError):
            mock_lightsail().inject_error("GetAlarms")
