"""The public surface is small and deliberate."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

import pytest

import lightmock
from lightmock import AlarmState, ComparisonOperator, ContactProtocol, TreatMissingData


class TestExports:
    def test_all_is_sorted_and_complete(self) -> None:
        """__all__ is sorted and every name in it exists."""
        assert lightmock.__all__ == sorted(lightmock.__all__)
        for name in lightmock.__all__:
            assert hasattr(lightmock, name), name

    def test_public_names(self) -> None:
        """The names users import are exported."""
        assert {"mock_lightsail", "LightsailMock", "current_mock", "patch_client", "UnsupportedOperation"} <= set(
            lightmock.__all__
        )

    def test_usage_error_is_an_assertion_error(self) -> None:
        """Misuse of the mock fails a test like an assertion does."""
        assert issubclass(lightmock.LightmockUsageError, AssertionError)
        assert issubclass(lightmock.UnsupportedOperation, NotImplementedError)

    def test_wire_enums(self) -> None:
        """The wire-string enums are importable from the package and compare equal to their wire strings."""
        assert AlarmState.ALARM == "ALARM"
        assert ComparisonOperator("GreaterThanThreshold") == "GreaterThanThreshold"
        assert TreatMissingData("breaching") == "breaching"
        assert ContactProtocol("Email") == "Email"
        assert {"AlarmState", "ComparisonOperator", "ContactProtocol", "TreatMissingData", "Call"} <= set(
            lightmock.__all__
        )

    def test_version_is_the_installed_distributions(self) -> None:
        """__version__ is read from the package metadata (pyproject.toml), not written a second time."""
        try:
            expected = version("lightmock")
        except PackageNotFoundError:  # a checkout run with PYTHONPATH=., never installed
            expected = "0+unknown"
        assert lightmock.__version__ == expected

    def test_unknown_attribute(self) -> None:
        """A name the package does not have is an AttributeError, as for any module."""
        with pytest.raises(AttributeError, match="no_such_name"):
            lightmock.no_such_name  # type: ignore[attr-defined]  # noqa: B018
