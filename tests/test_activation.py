"""No Lightsail request leaves the process while a mock is active, none signed with the
mock's fake key leaves after it, decorators cover all the code they decorate, and a fork
while another thread is inside a call does not deadlock the child.

Cases that depend on what was imported when are run in a fresh interpreter.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.config import Config

from lightmock import LightmockUsageError, current_mock, mock_lightsail
from lightmock.gateway import activations
from tests.helpers import INNER_PYTEST_ARGS, run_fresh

NO_RETRIES = Config(retries={"max_attempts": 0}, connect_timeout=1)
#: A closed local port: a request the mock does not answer fails at once.
CLOSED = "http://127.0.0.1:9"


class TestWhateverTheClientsAge:
    def test_sessions_made_before_import(self) -> None:
        """In one fresh interpreter (each start costs 0.5 s): a default session made before
        `import lightmock`, and a client made from it before start(), are answered while the mock
        is active and not after; a plain botocore session from before the import, its client made
        inside the mock, is answered too."""
        result = run_fresh(
            """
            import boto3
            import botocore.session
            from botocore.config import Config
            config = Config(retries={"max_attempts": 0}, connect_timeout=1)
            old = boto3.client("lightsail", region_name="us-east-1", endpoint_url="http://127.0.0.1:9", config=config)
            session = botocore.session.get_session()
            import lightmock
            with lightmock.mock_lightsail():
                old.create_contact_method(protocol="Email", contactEndpoint="a@example.com")
                assert len(old.get_contact_methods()["contactMethods"]) == 1
            try:
                old.get_alarms()
            except Exception as error:
                print("after:", type(error).__name__)
            with lightmock.mock_lightsail():
                client = session.create_client("lightsail", region_name="us-east-1", endpoint_url="http://127.0.0.1:9")
                assert client.get_alarms()["alarms"] == []
            print("botocore session: answered")
            """,
            AWS_ACCESS_KEY_ID="AKIAREALUSERKEY00000",
            AWS_SECRET_ACCESS_KEY="real-secret",
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines() == ["after: EndpointConnectionError", "botocore session: answered"]


class TestFakeKeyNeverLeaves:
    def test_client_made_inside_fails_at_once_after(self) -> None:
        """A client made inside a mock (signing with the fake key) and used after it fails with a clear error."""
        with mock_lightsail():
            client = boto3.client("lightsail", region_name="us-east-1", config=NO_RETRIES)
            assert client.get_alarms()["alarms"] == []
        with pytest.raises(LightmockUsageError, match="mock that has ended"):
            client.get_alarms()

    def test_other_service_client_made_inside_fails_after(self) -> None:
        """The same for any AWS service: the fake key is not sent to AWS."""
        with mock_lightsail():
            s3 = boto3.client("s3", region_name="us-east-1", config=NO_RETRIES)
        with pytest.raises(LightmockUsageError, match="mock that has ended"):
            s3.list_buckets()

    def test_unhooked_session_client_made_inside_fails_after(self) -> None:
        """A client without the before-send handler, made inside: stopped at botocore's HTTP sender."""
        with mock_lightsail():
            client = botocore.session.Session().create_client("lightsail", region_name="us-east-1", config=NO_RETRIES)
        client.meta.events.unregister("before-send.lightsail", unique_id="lightmock-before-send")
        with pytest.raises(LightmockUsageError, match="mock that has ended"):
            client.get_alarms()

    def test_fresh_interpreter_never_reaches_the_socket(self) -> None:
        """Without the suite's network block: the request is refused before any connection is tried."""
        result = run_fresh(
            """
            import socket
            import boto3
            import lightmock
            def refuse(*args, **kwargs):
                raise SystemExit("a connection was attempted")
            with lightmock.mock_lightsail():
                client = boto3.client("lightsail", region_name="us-east-1")
            socket.socket.connect = refuse
            socket.create_connection = refuse
            try:
                client.get_alarms()
            except lightmock.LightmockUsageError as error:
                print("refused:", "ended" in str(error))
            """
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == "refused: True"

    def test_other_services_inside_are_not_sent_with_the_fake_key(self) -> None:
        """Inside the mock, a call to another AWS service signed with the fake key is refused, naming moto."""
        with mock_lightsail():
            s3 = boto3.client("s3", region_name="us-east-1", config=NO_RETRIES)
            with pytest.raises(LightmockUsageError, match="mock_aws"):
                s3.list_buckets()

    def test_local_endpoints_may_take_the_fake_key(self) -> None:
        """A local endpoint (localstack, say) is not AWS: the request goes there (and fails to connect here)."""
        from botocore.exceptions import EndpointConnectionError

        with mock_lightsail():
            s3 = boto3.client("s3", region_name="us-east-1", endpoint_url=CLOSED, config=NO_RETRIES)
        with pytest.raises(EndpointConnectionError):
            s3.list_buckets()


def contacts() -> list[str]:
    client = boto3.client("lightsail", region_name="us-east-1")
    return [method["contactEndpoint"] for method in client.get_contact_methods()["contactMethods"]]


class TestDecoratorsCoverTheirCode:
    def test_generator_function(self) -> None:
        """A decorated generator's body runs inside the mock, from its first step to its last."""

        @mock_lightsail
        def steps() -> Iterator[list[str]]:
            boto3.client("lightsail", region_name="us-east-1").create_contact_method(
                protocol="Email", contactEndpoint="gen@example.com"
            )
            yield contacts()
            yield contacts()

        generator = steps()
        assert activations.innermost() is None  # nothing runs before the first step
        assert list(generator) == [["gen@example.com"], ["gen@example.com"]]
        assert activations.innermost() is None

    def test_generator_send_and_return_value(self) -> None:
        """send() and the return value pass through the wrapper."""

        @mock_lightsail
        def echo() -> Any:
            received = yield "ready"
            return f"got {received}"

        generator = echo()
        assert next(generator) == "ready"
        with pytest.raises(StopIteration) as stopped:
            generator.send("x")
        assert stopped.value.value == "got x"
        assert activations.innermost() is None

    def test_async_generator_function(self) -> None:
        """A decorated async generator's body runs inside the mock across awaits."""

        @mock_lightsail
        async def steps() -> AsyncIterator[list[str]]:
            boto3.client("lightsail", region_name="us-east-1").create_contact_method(
                protocol="Email", contactEndpoint="agen@example.com"
            )
            await asyncio.sleep(0)
            yield contacts()
            yield contacts()

        async def collect() -> list[list[str]]:
            return [item async for item in steps()]

        assert asyncio.run(collect()) == [["agen@example.com"], ["agen@example.com"]]
        assert activations.innermost() is None

    def test_async_generator_closed_early_stops_the_mock(self) -> None:
        """Closing a decorated async generator early stops the mock and closes the inner generator."""
        closed: list[bool] = []

        @mock_lightsail
        async def forever() -> AsyncIterator[int]:
            try:
                while True:
                    yield len(contacts())
            finally:
                closed.append(True)

        async def take_one() -> int:
            generator = forever()
            first = await generator.__anext__()
            await generator.aclose()
            return first

        assert asyncio.run(take_one()) == 0
        assert closed == [True]
        assert activations.innermost() is None

    def test_plain_class_forms(self, pytester: pytest.Pytester) -> None:
        """setup_method/teardown_method, inherited, static and class-method tests all run inside the mock."""
        pytester.makepyfile(
            """
            import boto3
            from lightmock import current_mock, mock_lightsail
            from lightmock.gateway import activations

            def contacts():
                client = boto3.client("lightsail", region_name="us-east-1")
                return [m["contactEndpoint"] for m in client.get_contact_methods()["contactMethods"]]

            class Base:
                def test_inherited(self):
                    assert contacts() == ["setup@example.com"]

            @mock_lightsail
            class TestForms(Base):
                def setup_method(self, method):
                    boto3.client("lightsail", region_name="us-east-1").create_contact_method(
                        protocol="Email", contactEndpoint="setup@example.com"
                    )

                def teardown_method(self):
                    assert contacts() == ["setup@example.com"]
                    current_mock().inject_error("GetAlarms")  # would fail outside the mock

                def test_method(self):
                    assert contacts() == ["setup@example.com"]

                @staticmethod
                def test_static():
                    assert contacts() == ["setup@example.com"]

                @classmethod
                def test_class(cls):
                    assert contacts() == ["setup@example.com"]

            @mock_lightsail
            class TestWithoutSetup:
                def test_fresh(self):
                    assert contacts() == []

            def test_zz_nothing_left_active():
                assert activations.innermost() is None
            """
        )
        result = pytester.runpytest(*INNER_PYTEST_ARGS)
        result.assert_outcomes(passed=6)

    def test_decorating_static_and_class_methods_directly(self) -> None:
        """@mock_lightsail over @staticmethod or @classmethod keeps the method's kind."""

        class Holder:
            @mock_lightsail
            @staticmethod
            def static() -> bool:
                return current_mock().active

            @mock_lightsail
            @classmethod
            def klass(cls) -> type:
                assert current_mock().active
                return cls

        assert Holder.static() is True
        assert Holder().static() is True
        assert Holder.klass() is Holder


class TestFork:
    @pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
    @pytest.mark.parametrize("held", ["store", "activations", "clock"])
    def test_child_does_not_deadlock_on_a_held_lock(self, held: str) -> None:
        """Fork while another thread holds a lock of the mock (as inside a call): the child answers a call."""
        with mock_lightsail() as ls:
            client = boto3.client("lightsail", region_name="us-east-1", config=NO_RETRIES)
            client.get_alarms()
            lock = {"store": ls.store.lock, "activations": activations.lock, "clock": ls.clock._lock}[held]
            holding, release = threading.Event(), threading.Event()

            def hold() -> None:
                with lock:
                    holding.set()
                    release.wait(timeout=60)

            thread = threading.Thread(target=hold)
            thread.start()
            assert holding.wait(timeout=30)
            try:
                pid = os.fork()
                if pid == 0:  # the child: one call, then leave at once, whatever happens
                    code = 1
                    try:
                        with mock_lightsail():
                            client.get_alarms()
                        code = 0
                    finally:
                        os._exit(code)
                status = _wait(pid, timeout=30)
            finally:
                release.set()
                thread.join(timeout=30)
        assert status == 0


def _wait(pid: int, timeout: float) -> int | None:
    """The child's exit code, or None (after killing it) if it did not finish in time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.02)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    return None
