"""The pytest plugin, exercised in a separate pytest run (pytester)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import INNER_PYTEST_ARGS, run_fresh

pytest_plugins = ["pytester"]

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
HEAVY = ("numpy", "botocore", "boto3", "requests", "responses", "urllib3", "orjson")


@pytest.fixture
def importable(monkeypatch: pytest.MonkeyPatch) -> None:
    """A child pytest finds lightmock from its own directory too (a checkout run with PYTHONPATH=.)."""
    root = str(PYPROJECT.parent)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])))


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
        result = pytester.runpytest("--strict-markers", *INNER_PYTEST_ARGS)
        result.assert_outcomes(passed=5)

    @pytest.mark.usefixtures("importable")
    def test_sessions_made_at_import_are_hooked(self, pytester: pytest.Pytester) -> None:
        """The plugin imports lightmock before test modules: a botocore session made at a test
        module's import time carries the hook. A fresh interpreter, so nothing was imported
        before; the client points at a closed local port, so an unhooked call fails fast."""
        pytester.makepyfile(
            """
            import botocore.session

            SESSION = botocore.session.get_session()  # before any lightmock import in this file

            def test_answered_by_the_mock(lightsail):
                # The fast path: the session carries lightmock's before-send handler.
                assert any(answer is True for _, answer in SESSION.emit("lightmock-probe"))
                client = SESSION.create_client(
                    "lightsail", region_name="us-east-1", endpoint_url="http://127.0.0.1:9"
                )
                assert client.get_alarms()["alarms"] == []
            """
        )
        result = pytester.runpytest_subprocess(*INNER_PYTEST_ARGS)
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
        result = pytester.runpytest(*INNER_PYTEST_ARGS)
        result.assert_outcomes(errors=1)


class TestWhatTheInstallCosts:
    def test_loading_the_plugin_imports_nothing_heavy(self) -> None:
        """Importing the plugin (as every pytest run does) and the package leaves botocore, numpy,
        requests and the rest unimported; the public names still load on first use."""
        result = run_fresh(
            f"""
            import sys
            import lightmock.plugin, lightmock
            print(sorted(name for name in {HEAVY!r} if name in sys.modules))
            from lightmock import mock_lightsail
            print(callable(mock_lightsail), "numpy" in sys.modules)
            """
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.split("\n")[:2] == ["[]", "True True"]

    def test_sessions_made_after_the_plugin_carry_the_handler(self) -> None:
        """botocore imported after the plugin: its sessions carry the handler, and botocore.handlers
        keeps its own loader."""
        result = run_fresh(
            """
            import lightmock.plugin
            import botocore.handlers, botocore.session
            session = botocore.session.Session()
            print(any(answer is True for _, answer in session.emit("lightmock-probe")))
            print(type(botocore.handlers.__loader__).__name__, type(botocore.handlers.__spec__.loader).__name__)
            """
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == ["True", "SourceFileLoader", "SourceFileLoader"]

    @pytest.mark.usefixtures("importable")
    def test_unused_plugin_leaves_botocore_unimported(self, pytester: pytest.Pytester) -> None:
        """A pytest run whose tests never use lightmock does not import botocore or numpy."""
        pytester.makepyfile(
            f"""
            import sys

            def test_nothing_heavy():
                assert [name for name in {HEAVY!r} if name in sys.modules] == []
            """
        )
        result = pytester.runpytest_subprocess(*INNER_PYTEST_ARGS)
        result.assert_outcomes(passed=1)

    def test_marker_is_registered_in_the_projects_configuration(self, pytester: pytest.Pytester) -> None:
        """With the project's pyproject.toml and no plugin (a checkout run with PYTHONPATH=.), the
        lightsail marker passes --strict-markers."""
        (pytester.path / "pyproject.toml").write_text(PYPROJECT.read_text())
        pytester.mkdir("tests")
        marked = "import pytest\n\n@pytest.mark.lightsail(page_size=5)\ndef test_marked():\n    pass\n"
        (pytester.path / "tests" / "test_marked.py").write_text(marked)
        result = pytester.runpytest("-p", "no:cacheprovider", "-p", "no:lightmock", "--strict-markers")
        result.assert_outcomes(passed=1)
