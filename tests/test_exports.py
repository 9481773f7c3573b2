"""The public surface is small and deliberate."""

from __future__ import annotations

import lightmock


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
