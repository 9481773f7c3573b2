"""The pytest plugin, exercised in a separate pytest run (pytester)."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]


class TestPlugin:
    def test_fixture_and_marker(self, pytester: pytest.Pytester) -> None:
        """The lightsail fixture needs no conftest, gives fresh state, and the marker configures it."""
        pytester.makepyfile(
            """
            import boto3
            import pytest
            from lightmock import LightsailMock

            def test_fixture_is_an_active_mock(lightsail):
                assert isinstance(lightsail, LightsailMock) and lightsail.active
                client = boto3.client("lightsail", region_name="us-east-1")
                client.create_contact_method(protocol="Email", contactEndpoint="a@example.com")
                assert len(client.get_contact_methods()["contactMethods"]) == 1

            def test_state_is_fresh(lightsail):
                client = boto3.client("lightsail", region_name="us-east-1")
                assert client.get_contact_methods()["contactMethods"] == []

            @pytest.mark.lightsail(account_id="111122223333", default_region="eu-west-1", page_size=5)
            def test_marker(lightsail):
                assert (lightsail.account_id, lightsail.default_region) == ("111122223333", "eu-west-1")
                assert lightsail.store.options.page_size == 5

            def test_inactive_after(lightsail):
                pass

            def test_zz_no_mock_left(request):
                from lightmock.gateway import activations, botocore_hook, environment
                assert activations.innermost() is None
            """
        )
        result = pytester.runpytest("-p", "no:cacheprovider", "--strict-markers")
        result.assert_outcomes(passed=5)

    def test_sessions_made_at_import_are_hooked(self, pytester: pytest.Pytester) -> None:
        """The plugin imports lightmock before test modules: a botocore session made at a test
        module's import time carries the hook. A fresh interpreter, so nothing was imported
        before; the client points at a closed local port, so an unhooked call fails fast."""
        pytester.makepyfile(
            """
            import botocore.session

            SESSION = botocore.session.get_session()  # before any lightmock import in this file

            def test_answered_by_the_mock(lightsail):
                client = SESSION.create_client(
                    "lightsail", region_name="us-east-1", endpoint_url="http://127.0.0.1:9"
                )
                assert client.get_alarms()["alarms"] == []
            """
        )
        result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
        result.assert_outcomes(passed=1)

    def test_marker_rejects_positional_arguments(self, pytester: pytest.Pytester) -> None:
        """@pytest.mark.lightsail takes keyword arguments only."""
        pytester.makepyfile(
            """
            import pytest

            @pytest.mark.lightsail("111122223333")
            def test_bad(lightsail):
                pass
            """
        )
        result = pytester.runpytest("-p", "no:cacheprovider")
        result.assert_outcomes(errors=1)
