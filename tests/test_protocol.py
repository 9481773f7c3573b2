"""The JSON 1.1 wire protocol: error bodies and statuses, timestamps, headers, raw HTTP."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
import requests
from botocore.awsrequest import HeadersDict
from botocore.config import Config

from lightmock import mock_lightsail
from lightmock.core.exceptions import MODELED_ERRORS
from lightmock.gateway.protocol import decode, handle_request, header, operation_of, region_of

TARGET = "Lightsail_20161128."
URL = "https://lightsail.us-east-1.amazonaws.com/"


def raw(operation: str | None, body: Any) -> requests.Response:
    headers = {"Content-Type": "application/x-amz-json-1.1"}
    if operation is not None:
        headers["X-Amz-Target"] = TARGET + operation
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return requests.post(URL, data=data, headers=headers, timeout=5)


class TestErrors:
    @pytest.mark.parametrize(
        ("name", "status"),
        [
            ("InvalidInputException", 400),
            ("OperationFailureException", 400),
            ("NotFoundException", 404),
            ("AccessDeniedException", 403),
            ("UnauthenticatedException", 401),
            ("AccountSetupInProgressException", 428),
            ("RegionSetupInProgressException", 428),
            ("ServiceException", 500),
        ],
    )
    def test_each_modeled_error_has_its_status_and_class(self, name: str, status: int) -> None:
        """boto3 raises client.exceptions.<Name> with the message, from the right status."""
        assert MODELED_ERRORS[name].status == status
        with mock_lightsail() as ls:
            ls.inject_error("GetAlarms", name, message=f"injected {name}")
            client = boto3.client(
                "lightsail", region_name="us-east-1", config=Config(retries={"total_max_attempts": 1})
            )
            with pytest.raises(getattr(client.exceptions, name)) as caught:
                client.get_alarms()
        response = caught.value.response
        assert response["Error"] == {"Code": name, "Message": f"injected {name}"}
        assert response["ResponseMetadata"]["HTTPStatusCode"] == status

    def test_error_body_carries_type_message_and_code(self) -> None:
        """An error body is {"__type", "message", "code"} with no null members."""
        with mock_lightsail():
            response = raw("GetAlarms", {"alarmName": "nope"})
        assert response.status_code == 404
        body = response.json()
        assert body["__type"] == "NotFoundException"
        assert "nope" in body["message"]
        assert body["code"] == "DoesNotExist"
        assert None not in body.values()

    @pytest.mark.parametrize(
        ("body", "error"),
        [
            (b"\xff\xfe{", "SerializationException"),
            (b"{not json", "SerializationException"),
            (b"[1, 2]", "SerializationException"),
        ],
    )
    def test_bodies_that_are_not_json_objects(self, body: bytes, error: str) -> None:
        """A body that is not a UTF-8 JSON object is a 400 SerializationException."""
        with mock_lightsail():
            response = raw("GetAlarms", body)
        assert response.status_code == 400
        assert response.json()["__type"] == error

    @pytest.mark.parametrize("operation", [None, "NoSuchThing"])
    def test_missing_or_unknown_target(self, operation: str | None) -> None:
        """A missing or unknown X-Amz-Target is an UnknownOperationException."""
        with mock_lightsail():
            response = raw(operation, {})
        assert response.status_code == 400
        assert response.json()["__type"] == "UnknownOperationException"


class TestSuccess:
    def test_request_id_header_and_content_type(self) -> None:
        """Each response has its own x-amzn-requestid, read by botocore as RequestId."""
        with mock_lightsail():
            client = boto3.client("lightsail", region_name="us-east-1")
            first = client.get_alarms()["ResponseMetadata"]
            second = client.get_alarms()["ResponseMetadata"]
        assert first["RequestId"] != second["RequestId"]
        assert first["HTTPHeaders"]["content-type"] == "application/x-amz-json-1.1"

    def test_timestamps_are_epoch_seconds_with_milliseconds(self) -> None:
        """createdAt goes over the wire as epoch seconds with a millisecond fraction."""
        with mock_lightsail() as ls:
            ls.clock.freeze(1_764_316_800.123456)
            raw("CreateContactMethod", {"protocol": "Email", "contactEndpoint": "a@example.com"})
            body = raw("GetContactMethods", {}).json()
        assert body["contactMethods"][0]["createdAt"] == 1_764_316_800.123

    def test_raw_requests_are_answered_while_active(self) -> None:
        """requests.post to a Lightsail endpoint is answered by the mock (through responses)."""
        with mock_lightsail():
            response = raw("GetAlarms", {})
        assert response.status_code == 200
        assert response.json() == {"alarms": []}


class TestPieces:
    def test_operation_from_target_header(self) -> None:
        """X-Amz-Target is read case-insensitively and its prefix stripped."""
        assert operation_of({"x-amz-target": b"Lightsail_20161128.PutAlarm"}) == "PutAlarm"

    def test_botocore_headers_are_read_in_any_case(self) -> None:
        """botocore's own header mapping (read by prebuilt keys) answers in any case, as ``get`` does."""
        auth = "AWS4-HMAC-SHA256 Credential=AKIA/20261207/eu-west-2/lightsail/aws4_request, Signature=x"
        headers = HeadersDict({"x-AMZ-target": b"Lightsail_20161128.GetAlarms", "AUTHORIZATION": auth})
        assert operation_of(headers) == "GetAlarms"
        assert region_of("http://localhost/", headers, "us-east-1") == "eu-west-2"
        assert header(HeadersDict({}), "Authorization") is None

    def test_empty_body_is_an_empty_object(self) -> None:
        """botocore sends no body for an operation without input."""
        assert decode(b"") == {}

    def test_region_from_signature_scope_then_host(self) -> None:
        """The region comes from the signature's scope, else from the endpoint host."""
        auth = "AWS4-HMAC-SHA256 Credential=AKIA/20261128/eu-west-2/lightsail/aws4_request, SignedHeaders=x"
        assert region_of("http://localhost:4566/", {"Authorization": auth}, "us-east-1") == "eu-west-2"
        assert region_of("https://lightsail.ap-south-1.amazonaws.com/", {}, "us-east-1") == "ap-south-1"
        assert region_of("http://localhost/", {}, "us-east-1") == "us-east-1"

    def test_handle_request_turns_service_errors_into_responses(self) -> None:
        """A LightsailError from the dispatcher becomes its error response."""

        def dispatcher(region: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
            raise MODELED_ERRORS["NotFoundException"]("gone")

        wire = handle_request(
            URL, {"X-Amz-Target": TARGET + "GetAlarms"}, b"{}", default_region="x", dispatcher=dispatcher
        )
        assert (wire.status, json.loads(wire.body)["__type"]) == (404, "NotFoundException")
