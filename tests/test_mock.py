"""mock_lightsail in every form: decorator, context manager, start/stop, nesting, state."""

from __future__ import annotations

import asyncio
import os
import unittest
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest

import lightmock
from lightmock import LightmockUsageError, LightsailMock, UnsupportedOperation, current_mock, mock_lightsail
from lightmock.gateway import activations
from tests.helpers import INNER_PYTEST_ARGS


def email_contacts(region: str = "us-east-1") -> list[str]:
    client = boto3.client("lightsail", region_name=region)
    return [c["contactEndpoint"] for c in client.get_contact_methods()["contactMethods"]]


def add_email(address: str, region: str = "us-east-1") -> None:
    boto3.client("lightsail", region_name=region).create_contact_method(protocol="Email", contactEndpoint=address)


class TestDecorator:
    def test_bare_decorator_on_a_function(self) -> None:
        """@mock_lightsail answers Lightsail inside the function and is inert after."""

        @mock_lightsail
        def body() -> list[str]:
            add_email("a@example.com")
            return email_contacts()

        assert body() == ["a@example.com"]
        assert lightmock.gateway.activations.innermost() is None

    def test_decorator_with_arguments(self) -> None:
        """@mock_lightsail(...) configures the handle that current_mock() returns."""

        @mock_lightsail(account_id="111122223333", default_region="eu-west-1")
        def body() -> tuple[str, str]:
            mock = current_mock()
            return mock.account_id, mock.default_region

        assert body() == ("111122223333", "eu-west-1")

    def test_each_call_starts_from_empty_state(self) -> None:
        """Two calls of a decorated function do not see each other's state."""

        @mock_lightsail
        def body() -> list[str]:
            before = email_contacts()
            add_email("a@example.com")
            return before

        assert body() == []
        assert body() == []

    def test_async_function(self) -> None:
        """An async def test runs inside the mock across awaits."""

        @mock_lightsail
        async def body() -> list[str]:
            await asyncio.sleep(0)
            add_email("async@example.com")
            await asyncio.sleep(0)
            return email_contacts()

        assert asyncio.run(body()) == ["async@example.com"]
        assert lightmock.gateway.activations.innermost() is None

    def test_return_value_and_exceptions_pass_through(self) -> None:
        """A decorated function's exception propagates and the mock still stops."""

        @mock_lightsail
        def body() -> None:
            raise KeyError("boom")

        with pytest.raises(KeyError):
            body()
        assert lightmock.gateway.activations.innermost() is None

    def test_decorating_something_not_callable_is_a_usage_error(self) -> None:
        """mock_lightsail()(42) explains what it decorates."""
        with pytest.raises(LightmockUsageError, match="decorates functions and classes"):
            mock_lightsail()(42)  # type: ignore[call-overload]


@mock_lightsail
class TestPlainClassDecorated:
    """Every test method of a decorated plain class gets its own fresh mock."""

    def test_first_method_sees_empty_state(self) -> None:
        """State left by another method is not visible."""
        assert email_contacts() == []
        add_email("first@example.com")

    def test_second_method_sees_empty_state(self) -> None:
        """State left by another method is not visible."""
        assert email_contacts() == []
        add_email("second@example.com")


@mock_lightsail
class UnittestStyle(unittest.TestCase):
    def setUp(self) -> None:
        add_email("setup@example.com")

    def test_set_up_ran_inside_the_mock(self) -> None:
        """setUp runs inside the test's mock."""
        assert email_contacts() == ["setup@example.com"]

    def test_state_is_fresh_per_method(self) -> None:
        """Each test method starts from empty state plus its own setUp."""
        assert len(email_contacts()) == 1


class _Base:
    """A base class a decorated class inherits a test and a helper from (left undecorated)."""

    def test_inherited(self) -> list[str]:
        current_mock()
        add_email("inherited@example.com")
        return email_contacts()

    def inherited_helper(self) -> bool:
        return activations.innermost() is not None


class TestDecoratedClassCalledDirectly:
    """A decorated class's methods are mocked however they are called, not only as pytest calls
    them (issue 18): a direct call runs in a mock of its own, never against AWS."""

    def test_a_method_called_on_an_instance(self) -> None:
        """``Plain().test_a()`` runs in a fresh mock each call, and nothing stays active."""

        @mock_lightsail
        class Plain:
            def test_a(self) -> list[str]:
                current_mock()  # a usage error where no mock is active
                add_email("a@example.com")
                return email_contacts()

        assert Plain().test_a() == ["a@example.com"]
        assert Plain().test_a() == ["a@example.com"]
        assert activations.innermost() is None

    def test_static_class_and_helper_methods(self) -> None:
        """A staticmethod test called on the class, a classmethod, and a helper method are mocked."""

        @mock_lightsail
        class Plain:
            @staticmethod
            def test_static() -> list[str]:
                current_mock()
                add_email("static@example.com")
                return email_contacts()

            @classmethod
            def test_class(cls) -> type:
                current_mock()
                return cls

            def helper(self) -> bool:
                return current_mock().active

        assert Plain.test_static() == ["static@example.com"]
        assert Plain().test_static() == ["static@example.com"]
        assert Plain.test_class() is Plain
        assert Plain().helper() is True
        assert activations.innermost() is None

    def test_inherited_tests_are_covered_and_the_base_is_untouched(self) -> None:
        """Inherited methods run mocked when called on the decorated class; the base class keeps its own functions."""
        original = _Base.__dict__["test_inherited"]

        @mock_lightsail
        class Plain(_Base):
            pass

        assert Plain().test_inherited() == ["inherited@example.com"]
        assert _Base.__dict__["test_inherited"] is original
        assert Plain().inherited_helper() is True
        assert _Base().inherited_helper() is False

    def test_an_async_method_called_directly(self) -> None:
        """An ``async def`` method awaited outside any test lifecycle is mocked across its awaits."""

        @mock_lightsail
        class Plain:
            async def test_async(self) -> list[str]:
                await asyncio.sleep(0)
                current_mock()
                add_email("async@example.com")
                return email_contacts()

        assert asyncio.run(Plain().test_async()) == ["async@example.com"]
        assert activations.innermost() is None

    def test_a_method_shadowed_by_none_stays_disabled(self) -> None:
        """``test_inherited = None`` in the decorated class still disables the inherited test."""

        @mock_lightsail
        class Plain(_Base):
            test_inherited = None  # type: ignore[assignment]

        assert Plain.test_inherited is None

    def test_a_unittest_case_method_called_directly(self) -> None:
        """``Case("test_x").test_x()`` without unittest's run (no setUp) is mocked too."""

        @mock_lightsail
        class Case(unittest.TestCase):
            def test_x(self) -> list[str]:
                current_mock()
                add_email("case@example.com")
                return email_contacts()

        assert Case("test_x").test_x() == ["case@example.com"]
        assert activations.innermost() is None

    def test_a_direct_call_inside_another_mock_shares_its_state(self) -> None:
        """Called while another mock is active, the method's mock nests in it, as a decorated function does."""

        @mock_lightsail
        class Plain:
            def test_a(self) -> list[str]:
                add_email("nested@example.com")
                return email_contacts()

        with mock_lightsail():
            add_email("outer@example.com", region="eu-west-1")
            assert Plain().test_a() == ["nested@example.com"]
            assert email_contacts("eu-west-1") == ["outer@example.com"]
            assert email_contacts() == ["nested@example.com"]


class TestDecoratedClassUnderPytest:
    def test_lifecycle_and_direct_calls(self, pytester: pytest.Pytester) -> None:
        """Under pytest a method runs in its test's mock from setup_method to teardown_method (state
        carried through); class-level hooks and direct calls are mocked; a fixture method stays a
        fixture."""
        pytester.makepyfile(
            """
            import unittest

            import boto3
            import pytest
            from lightmock import mock_lightsail
            from lightmock.gateway import activations

            def client(region="us-east-1"):
                return boto3.client("lightsail", region_name=region)

            def contacts(region="us-east-1"):
                return [m["contactEndpoint"] for m in client(region).get_contact_methods()["contactMethods"]]

            @mock_lightsail
            class TestPlain:
                def setup_class(cls):
                    cls.seen_at_class_setup = contacts()  # mocked (a mock of its own), never AWS

                @classmethod
                def teardown_class(cls):
                    assert contacts() == []

                def setup_method(self):
                    client().create_contact_method(protocol="Email", contactEndpoint="setup@example.com")

                def teardown_method(self):
                    assert contacts() == ["setup@example.com"]
                    assert contacts("eu-west-1") == ["test@example.com"]

                @pytest.fixture
                def address(self):
                    return "test@example.com"

                def add(self, address):
                    client("eu-west-1").create_contact_method(protocol="Email", contactEndpoint=address)

                def test_method(self, address):
                    assert self.seen_at_class_setup == []
                    self.add(address)
                    assert contacts("eu-west-1") == [address]
                    assert contacts() == ["setup@example.com"]

                @staticmethod
                def test_static():
                    client("eu-west-1").create_contact_method(protocol="Email", contactEndpoint="test@example.com")

            @mock_lightsail
            class TestCaseStyle(unittest.TestCase):
                @classmethod
                def setUpClass(cls):
                    cls.seen_at_class_setup = contacts()

                def setUp(self):
                    client().create_contact_method(protocol="Email", contactEndpoint="setup@example.com")

                def tearDown(self):
                    assert contacts() == ["setup@example.com"]

                def test_case(self):
                    assert self.seen_at_class_setup == []
                    assert contacts() == ["setup@example.com"]

            def test_direct_calls():
                TestPlain.test_static()
                TestPlain.setup_class()
                assert TestCaseStyle("test_case").seen_at_class_setup == []
                assert activations.innermost() is None

            def test_zz_nothing_left_active():
                assert activations.innermost() is None
            """
        )
        result = pytester.runpytest(*INNER_PYTEST_ARGS)
        result.assert_outcomes(passed=5)


class TestContextManager:
    def test_with_binds_the_handle(self) -> None:
        """`with mock_lightsail() as ls` binds an active LightsailMock."""
        with mock_lightsail() as ls:
            assert isinstance(ls, LightsailMock)
            assert ls.active
            assert current_mock() is ls
        assert not ls.active

    def test_start_and_stop_across_cells(self) -> None:
        """start() and stop() work like a with block, spread over notebook cells."""
        ls = mock_lightsail()
        ls.start()
        add_email("cell@example.com")
        assert email_contacts() == ["cell@example.com"]
        ls.stop()
        assert lightmock.gateway.activations.innermost() is None

    def test_restart_starts_from_empty_state(self) -> None:
        """A handle started again begins from empty state."""
        ls = mock_lightsail()
        with ls:
            add_email("one@example.com")
        with ls:
            assert email_contacts() == []

    def test_double_start_and_stray_stop_are_usage_errors(self) -> None:
        """Starting twice or stopping a stopped mock is reported, not ignored."""
        ls = mock_lightsail()
        with pytest.raises(LightmockUsageError):
            ls.stop()
        with ls, pytest.raises(LightmockUsageError):
            ls.start()

    def test_current_mock_without_a_mock_is_a_usage_error(self) -> None:
        """current_mock() says clearly that no mock is active."""
        with pytest.raises(LightmockUsageError, match="no lightsail mock is active"):
            current_mock()

    def test_identity_is_read_only(self) -> None:
        """account_id and default_region are read-only attributes."""
        ls = mock_lightsail(account_id="111122223333", default_region="eu-west-1")
        assert (ls.account_id, ls.default_region) == ("111122223333", "eu-west-1")
        with pytest.raises(AttributeError):
            ls.account_id = "999999999999"  # type: ignore[misc]

    def test_identity_defaults_and_default_region_is_read_only(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Defaults 123456789012 and us-east-1; default_region cannot be reassigned either."""
        monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
        monkeypatch.delenv("AWS_REGION", raising=False)
        ls = mock_lightsail()
        assert (ls.account_id, ls.default_region) == ("123456789012", "us-east-1")
        with pytest.raises(AttributeError):
            ls.default_region = "eu-west-1"  # type: ignore[misc]

    def test_handle_methods_use_the_default_region(self) -> None:
        """Seeding with no region goes to default_region, where a client of that region sees it."""
        with mock_lightsail(default_region="eu-west-1") as ls:
            ls.clock.freeze(datetime(2026, 11, 28, 8, 0, tzinfo=UTC))
            client = boto3.client("lightsail", region_name="eu-west-1")
            client.create_instances(
                instanceNames=["web-1"], availabilityZone="eu-west-1a", blueprintId="ubuntu_22_04", bundleId="nano_3_0"
            )
            ls.put_metric_data("web-1", "CPUUtilization", [42.0])
            data = client.get_instance_metric_data(
                instanceName="web-1",
                metricName="CPUUtilization",
                period=300,
                startTime=datetime(2026, 11, 28, 7, 0, tzinfo=UTC),
                endTime=datetime(2026, 11, 28, 8, 0, tzinfo=UTC),
                unit="Percent",
                statistics=["Maximum"],
            )["metricData"]
            assert [point["maximum"] for point in data] == [42.0]

    @pytest.mark.parametrize("account_id", ["12345", "abcdefghijkl", 123456789012])
    def test_bad_account_id_is_a_usage_error(self, account_id: Any) -> None:
        """An account id that is not 12 digits is refused at construction."""
        with pytest.raises(LightmockUsageError):
            mock_lightsail(account_id=account_id)


class TestNestingAndReset:
    def test_nested_mocks_share_the_outer_state(self) -> None:
        """A nested activation sees and changes the outer one's state."""
        with mock_lightsail() as outer:
            add_email("outer@example.com")
            with mock_lightsail() as inner:
                assert email_contacts() == ["outer@example.com"]
                assert current_mock() is inner
                assert inner.clock is outer.clock
            assert current_mock() is outer
            assert email_contacts() == ["outer@example.com"]

    def test_only_the_outermost_stop_tears_down(self) -> None:
        """After the inner stop the outer mock still answers."""
        with mock_lightsail():
            inner = mock_lightsail().start()
            inner.stop()
            add_email("still@example.com")
            assert email_contacts() == ["still@example.com"]
        assert lightmock.gateway.activations.innermost() is None

    def test_reset_empties_the_state(self) -> None:
        """reset() forgets everything while the mock stays active."""
        with mock_lightsail() as ls:
            add_email("gone@example.com")
            ls.reset()
            assert email_contacts() == []

    def test_reset_needs_an_active_mock(self) -> None:
        """reset() on a stopped mock is a usage error."""
        with pytest.raises(LightmockUsageError):
            mock_lightsail().reset()


class TestRegionsAndAccounts:
    def test_regions_are_isolated(self) -> None:
        """A client for eu-west-1 never sees us-east-1's data."""
        with mock_lightsail():
            add_email("east@example.com", region="us-east-1")
            assert email_contacts("eu-west-1") == []
            add_email("west@example.com", region="eu-west-1")
            assert email_contacts("us-east-1") == ["east@example.com"]

    def test_arns_carry_the_account_and_region(self) -> None:
        """Resources are created in the mock's account and the client's region."""
        with mock_lightsail(account_id="111122223333"):
            add_email("arn@example.com", region="eu-west-1")
            client = boto3.client("lightsail", region_name="eu-west-1")
            arn = client.get_contact_methods()["contactMethods"][0]["arn"]
            assert arn.startswith("arn:aws:lightsail:eu-west-1:111122223333:ContactMethod/")


class TestEnvironment:
    def test_works_with_no_aws_configuration(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
        """With no credentials, region or config files, a client works at once."""
        for name in list(os.environ):
            if name.startswith("AWS_"):
                monkeypatch.delenv(name)
        monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
        monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
        before = dict(os.environ)
        with mock_lightsail():
            client = boto3.session.Session().client("lightsail")
            assert client.meta.region_name == "us-east-1"
            assert client.get_contact_methods()["contactMethods"] == []
        assert dict(os.environ) == before

    def test_user_credentials_are_not_used_inside(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Inside, clients sign with the fake key, not the user's; the user's AWS variables stay as they were."""
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAUSERSOWNKEY00000")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "users-secret")
        monkeypatch.setenv("AWS_SESSION_TOKEN", "users-token")
        monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-south-1")
        before = dict(os.environ)
        with mock_lightsail():
            client = boto3.session.Session().client("lightsail")
            credentials = client._request_signer._credentials
            assert (credentials.access_key, credentials.token) != ("AKIAUSERSOWNKEY00000", "users-token")
            assert client.meta.region_name == "ap-south-1"
            assert dict(os.environ) == before
        assert dict(os.environ) == before


class TestUnsupportedOperations:
    def test_unimplemented_operation_raises(self) -> None:
        """An operation lightmock does not implement raises UnsupportedOperation naming it."""
        with mock_lightsail():
            client = boto3.client("lightsail", region_name="us-east-1")
            with pytest.raises(UnsupportedOperation, match="GetCloudFormationStackRecords") as caught:
                client.get_cloud_formation_stack_records()
            assert isinstance(caught.value, NotImplementedError)
            assert caught.value.operation == "GetCloudFormationStackRecords"
