"""Nothing leaks: after a mock ends, however it ends, the hook is inert and the environment is as it was.

A Lightsail client made after a mock has ended fails to connect as it would with no mock
at all (the suite blocks the network, so it fails fast); raw ``requests`` calls are
answered only while a mock is active and only for Lightsail; moto's ``mock_aws`` runs beside
it in either order of nesting; ``patch_client`` is idempotent; a boto3 default session made
before a mock starts is hooked.
"""

from __future__ import annotations

import http.server
import json
import os
import threading
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import botocore.session
import pytest
import requests
import requests.adapters
import responses
from botocore.config import Config
from botocore.exceptions import ClientError, EndpointConnectionError, HTTPClientError

from lightmock import mock_lightsail, patch_client
from lightmock.gateway import activations, botocore_hook, environment

URL = "https://lightsail.us-east-1.amazonaws.com/"
TARGET = "Lightsail_20161128."
NO_RETRIES = Config(retries={"max_attempts": 0}, connect_timeout=1)
CREDENTIALS = {"aws_access_key_id": "AKIAISOLATION", "aws_secret_access_key": "isolation"}
INSTANCE = {"availabilityZone": "us-east-1a", "blueprintId": "ubuntu_22_04", "bundleId": "nano_3_0"}
AWS_VARIABLES = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_EC2_METADATA_DISABLED",
)


class Boom(Exception):
    """Raised on purpose inside a mock."""


def end_by_stop() -> None:
    ls = mock_lightsail().start()
    boto3.client("lightsail", region_name="us-east-1").get_alarms()
    ls.stop()


def end_by_exception_in_with() -> None:
    def body() -> None:
        with mock_lightsail():
            boto3.client("lightsail", region_name="us-east-1").get_alarms()
            raise Boom

    with pytest.raises(Boom):
        body()


def end_by_failing_decorated_function() -> None:
    @mock_lightsail
    def failing() -> None:
        boto3.client("lightsail", region_name="us-east-1").get_alarms()
        raise Boom

    with pytest.raises(Boom):
        failing()


def end_nested() -> None:
    with mock_lightsail(), mock_lightsail(default_region="eu-west-1"):
        boto3.client("lightsail", region_name="us-east-1").get_alarms()


ENDINGS: dict[str, Callable[[], None]] = {
    "stop": end_by_stop,
    "exception in with": end_by_exception_in_with,
    "failing decorated function": end_by_failing_decorated_function,
    "nested": end_nested,
}

USER_ENVIRONMENTS: dict[str, dict[str, str | None]] = {
    "absent": dict.fromkeys(AWS_VARIABLES),
    "user's own": {
        "AWS_ACCESS_KEY_ID": "AKIAUSEROWNKEY",
        "AWS_SECRET_ACCESS_KEY": "user-own-secret",
        "AWS_SESSION_TOKEN": "user-own-token",
        "AWS_DEFAULT_REGION": "ap-southeast-2",
        "AWS_REGION": None,
        "AWS_EC2_METADATA_DISABLED": None,
        "AWS_SECURITY_TOKEN": None,
    },
    "region only": {**dict.fromkeys(AWS_VARIABLES), "AWS_REGION": "eu-central-1"},
}


@pytest.fixture(params=list(USER_ENVIRONMENTS))
def user_environment(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in USER_ENVIRONMENTS[request.param].items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)


def signing_key(client: Any) -> str:
    """The access key a client signs with (botocore keeps it on its request signer)."""
    return str(client._request_signer._credentials.access_key)


def unmocked_client(**kwargs: Any) -> Any:
    return boto3.session.Session().client(
        "lightsail", region_name="us-east-1", config=NO_RETRIES, **{**CREDENTIALS, **kwargs}
    )


class TestAfterTheMockEnds:
    @pytest.mark.parametrize("ending", list(ENDINGS))
    def test_hook_is_inert(self, ending: str) -> None:
        """However the mock ends, no activation is left."""
        ENDINGS[ending]()
        assert activations.innermost() is None

    @pytest.mark.parametrize("ending", list(ENDINGS))
    def test_environment_is_exactly_as_before(self, ending: str, user_environment: None) -> None:
        """Every variable the mock set or removed is back to the user's own value, or absent again."""
        before = dict(os.environ)
        ENDINGS[ending]()
        assert dict(os.environ) == before

    def test_credentials_are_faked_only_while_active(
        self, user_environment: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
    ) -> None:
        """While active every session signs with the fake key (no session token), the user's
        credential variables untouched; afterwards sessions sign with the user's own again."""
        monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
        monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
        before = {name: os.environ.get(name) for name in AWS_VARIABLES if name != "AWS_DEFAULT_REGION"}
        session = boto3.session.Session(region_name="us-east-1")
        with mock_lightsail():
            inside = {name: os.environ.get(name) for name in before}
            credentials = session.get_credentials()
            client = boto3.session.Session().client("lightsail", region_name="us-east-1")
        assert inside == before
        assert (credentials.access_key, credentials.token) == (environment.FAKE_ACCESS_KEY_ID, None)
        assert signing_key(client) == environment.FAKE_ACCESS_KEY_ID
        after = session.get_credentials()
        assert (after.access_key if after else None) == before["AWS_ACCESS_KEY_ID"]

    @pytest.mark.parametrize("ending", list(ENDINGS))
    def test_client_fails_to_connect_as_without_a_mock(self, ending: str) -> None:
        """A Lightsail call after the mock ends goes for the network (blocked here), proving nothing stays patched."""
        ENDINGS[ending]()
        with pytest.raises((EndpointConnectionError, HTTPClientError)):
            unmocked_client().get_alarms()

    def test_client_made_while_active_fails_after(self) -> None:
        """A client made inside the mock answers inside it and goes for the network once it ends."""
        with mock_lightsail():
            client = unmocked_client()
            assert client.get_alarms()["alarms"] == []
        with pytest.raises((EndpointConnectionError, HTTPClientError)):
            client.get_alarms()


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # the name http.server dispatches to
        body = b'{"from": "local server"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # keep the test output quiet
        pass


@pytest.fixture
def local_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def raw_get_alarms() -> requests.Response:
    headers = {"X-Amz-Target": TARGET + "GetAlarms", "Content-Type": "application/x-amz-json-1.1"}
    return requests.post(URL, data=b"{}", headers=headers, timeout=5)


class TestRawRequests:
    def test_lightsail_url_is_answered_while_active(self) -> None:
        """requests.post to the Lightsail endpoint with X-Amz-Target is answered by the mock."""
        with mock_lightsail():
            response = raw_get_alarms()
        assert (response.status_code, response.json()) == (200, {"alarms": []})

    def test_other_urls_pass_through_while_active(self, local_server: str) -> None:
        """Any other URL reaches its server unchanged while the mock is active."""
        with mock_lightsail():
            response = requests.post(local_server, data=b"{}", timeout=5)
        assert (response.status_code, response.json()) == (200, {"from": "local server"})

    def test_lightsail_url_goes_for_the_network_after(self, local_server: str) -> None:
        """After the mock ends the Lightsail URL is no longer answered (the suite's network block refuses it)."""
        with mock_lightsail():
            pass
        with pytest.raises(requests.ConnectionError):
            raw_get_alarms()
        assert requests.post(local_server, data=b"{}", timeout=5).json() == {"from": "local server"}


class TestBesideMoto:
    @pytest.mark.parametrize("lightmock_outside", [True, False], ids=["lightmock-outside", "moto-outside"])
    def test_each_answers_its_own_service(self, lightmock_outside: bool, user_environment: None) -> None:
        """S3 goes to moto and Lightsail to lightmock, nested either way; the environment is restored after."""
        from moto import mock_aws  # here, not at the top: moto takes 0.2 s to import, in every xdist worker

        before = dict(os.environ)
        outer, inner = (mock_lightsail(), mock_aws()) if lightmock_outside else (mock_aws(), mock_lightsail())
        with outer, inner:
            s3 = boto3.client("s3", region_name="us-east-1")
            s3.create_bucket(Bucket="lightmock-isolation")
            lightsail = boto3.client("lightsail", region_name="us-east-1")
            lightsail.create_instances(instanceNames=["web-1"], **INSTANCE)
            buckets = [bucket["Name"] for bucket in s3.list_buckets()["Buckets"]]
            instances = [instance["name"] for instance in lightsail.get_instances()["instances"]]
        assert (buckets, instances) == (["lightmock-isolation"], ["web-1"])
        assert activations.innermost() is None
        assert dict(os.environ) == before

    def test_moto_alone_does_not_answer_lightsail(self) -> None:
        """Under moto alone a Lightsail call gets moto's "not yet implemented" 404, not a lightmock answer."""
        from moto import mock_aws

        with mock_aws(), pytest.raises(ClientError) as caught:
            unmocked_client().get_alarms()
        assert caught.value.response["Error"]["Code"] == "404"
        assert activations.innermost() is None


class TestBesideOtherMocks:
    def test_users_responses_mock_keeps_working_inside(self, local_server: str) -> None:
        """URLs the user's own responses.RequestsMock answers are still answered by it inside mock_lightsail,
        started before or after it; Lightsail URLs go to lightmock."""
        user_mock = responses.RequestsMock()
        user_mock.add(responses.GET, "https://api.example.com/health", json={"ok": True})
        with user_mock, mock_lightsail():
            assert requests.get("https://api.example.com/health", timeout=5).json() == {"ok": True}
            assert raw_get_alarms().json() == {"alarms": []}
        with mock_lightsail(), responses.RequestsMock() as inner_user_mock:
            inner_user_mock.add(responses.GET, "https://api.example.com/health", json={"ok": "inner"})
            assert requests.get("https://api.example.com/health", timeout=5).json() == {"ok": "inner"}
        assert requests.post(local_server, data=b"{}", timeout=5).json() == {"from": "local server"}

    @pytest.mark.parametrize(
        "order",
        [
            ("ls.start", "aws.start", "ls.stop", "aws.stop"),
            ("ls.start", "aws.start", "aws.stop", "ls.stop"),
            ("aws.start", "ls.start", "aws.stop", "ls.stop"),
            ("aws.start", "ls.start", "ls.stop", "aws.stop"),
        ],
        ids=lambda order: "-".join(order),
    )
    def test_interleaved_with_moto_leaves_nothing_patched(self, order: tuple[str, ...], local_server: str) -> None:
        """Started and stopped beside moto's mock_aws in any order, requests works afterwards,
        neither requests' adapter lookup nor its HTTPAdapter.send stays patched, and the
        environment is as before (no fake key left behind)."""
        from moto import mock_aws

        get_adapter, send = requests.Session.get_adapter, requests.adapters.HTTPAdapter.send
        environment_before = dict(os.environ)
        mocks = {"ls": mock_lightsail(), "aws": mock_aws()}
        for step in order:
            name, action = step.split(".")
            getattr(mocks[name], action)()
        assert requests.post(local_server, data=b"{}", timeout=5).json() == {"from": "local server"}
        assert (requests.Session.get_adapter, requests.adapters.HTTPAdapter.send) == (get_adapter, send)
        assert activations.innermost() is None
        assert dict(os.environ) == environment_before


def count_handlers(events: Any) -> int:
    return sum(1 for _, answer in events.emit(botocore_hook.PROBE_EVENT) if answer is True)


class TestPatchClient:
    def test_client_without_the_handler_is_answered_while_active(self) -> None:
        """A client whose session lacks the handler (as one made before import) is answered by the
        HTTP sender while a mock is active, and goes for the network after."""
        client = botocore.session.Session().create_client(
            "lightsail", region_name="us-east-1", config=NO_RETRIES, **CREDENTIALS
        )
        client.meta.events.unregister(botocore_hook.EVENT, botocore_hook.before_send)
        assert count_handlers(client.meta.events) == 1  # the probe only: the handler itself is gone
        with mock_lightsail():
            client.create_contact_method(protocol="Email", contactEndpoint="a@example.com")
            assert len(client.get_contact_methods()["contactMethods"]) == 1
        with pytest.raises((EndpointConnectionError, HTTPClientError)):
            client.get_alarms()

    def test_patching_twice_answers_once(self) -> None:
        """After patch_client twice a CreateInstances creates exactly one instance, without NameExists."""
        client = botocore.session.Session().create_client(
            "lightsail", region_name="us-east-1", config=NO_RETRIES, **CREDENTIALS
        )
        client.meta.events.unregister(botocore_hook.EVENT, botocore_hook.before_send)
        client.meta.events.unregister(botocore_hook.PROBE_EVENT, botocore_hook._probe)
        assert patch_client(patch_client(client)) is client
        assert count_handlers(client.meta.events) == 1
        with mock_lightsail():
            response = client.create_instances(instanceNames=["web-1"], **INSTANCE)
            instances = [instance["name"] for instance in client.get_instances()["instances"]]
        assert [operation["operationType"] for operation in response["operations"]] == ["CreateInstance"]
        assert instances == ["web-1"]

    def test_patching_a_client_that_has_the_handler_adds_nothing(self) -> None:
        """A client made after import already carries the handler; patch_client leaves it at one."""
        client = botocore.session.Session().create_client("lightsail", region_name="us-east-1", **CREDENTIALS)
        patch_client(client)
        assert count_handlers(client.meta.events) == 1


class TestDefaultSession:
    def test_default_session_made_before_start_signs_with_the_fake_key_inside(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A default session made before start keeps its real key out of the mock: boto3.client() inside
        signs with the fake key; after, the same session signs with its own key again."""
        monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
        boto3.setup_default_session(**CREDENTIALS, region_name="us-east-1")
        session = boto3.DEFAULT_SESSION
        old_client = boto3.client("lightsail", config=NO_RETRIES)
        with mock_lightsail():
            client = boto3.client("lightsail", config=NO_RETRIES)
            assert signing_key(client) == environment.FAKE_ACCESS_KEY_ID
            assert client.get_alarms()["alarms"] == []
            assert old_client.get_alarms()["alarms"] == []  # made before start, answered all the same
        assert boto3.DEFAULT_SESSION is session
        assert signing_key(boto3.client("lightsail", config=NO_RETRIES)) == CREDENTIALS["aws_access_key_id"]

    def test_client_made_before_start_signs_with_the_fake_key_inside(self) -> None:
        """A Lightsail client holding the user's key from before the mock signs with the fake key
        while the mock is active, and with its own key again after."""
        client = boto3.session.Session(**CREDENTIALS).client("lightsail", region_name="us-east-1", config=NO_RETRIES)
        signed: list[str] = []

        def record(request: Any, **_: Any) -> None:
            authorization = request.headers["Authorization"]
            signed.append(authorization.decode() if isinstance(authorization, bytes) else authorization)

        client.meta.events.register_first("before-send.lightsail", record)
        with mock_lightsail():
            assert client.get_alarms()["alarms"] == []
        with pytest.raises((EndpointConnectionError, HTTPClientError)):
            client.get_alarms()
        assert [environment.FAKE_ACCESS_KEY_ID in text for text in signed] == [True, False]
        assert CREDENTIALS["aws_access_key_id"] in signed[1]

    def test_default_session_made_inside_keeps_no_fake_key(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A default session first created inside a mock is gone after it: later clients sign with the user's key."""
        monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAUSERSOWNKEY00000")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "users-own-secret")
        with mock_lightsail():
            inside = boto3.client("s3", region_name="us-east-1")
        assert signing_key(inside) == environment.FAKE_ACCESS_KEY_ID
        assert signing_key(boto3.client("s3", region_name="us-east-1")) == "AKIAUSERSOWNKEY00000"
        assert boto3.DEFAULT_SESSION is not None
        assert boto3.DEFAULT_SESSION.get_credentials().access_key == "AKIAUSERSOWNKEY00000"


def test_suite_network_block_is_in_place() -> None:
    """The guarantee above rests on the suite's network block: a non-loopback connection is refused."""
    with pytest.raises(OSError, match="network access blocked"):
        requests.post("https://example.com/", data=json.dumps({}), timeout=1)


class TestSuiteSharesNothingMutable:
    """The suite's cache of botocore's data (conftest) hands every session data of its own."""

    def test_a_change_to_loaded_data_is_not_seen_by_another_session(self) -> None:
        """A consumer that edits the model it loaded (moto's router does) leaves the next session's model as it was."""
        first = botocore.session.get_session().get_component("data_loader")
        model = first.load_service_model("lightsail", "service-2")
        model["metadata"]["endpointPrefix"] = ""
        model["operations"].clear()
        second = botocore.session.get_session().get_component("data_loader")
        again = second.load_service_model("lightsail", "service-2")
        assert again["metadata"]["endpointPrefix"] == "lightsail"
        assert "GetAlarms" in again["operations"]
