"""The pytest plugin (entry point ``pytest11``): a ``lightsail`` fixture and a marker.

Installed with the package, so no conftest is needed. Importing lightmock here, early,
also puts its hook into every botocore session the tests create.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from lightmock.mock import LightsailMock


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "lightsail(account_id=..., default_region=..., page_size=..., sorted_metric_data=...): "
        "configure the lightsail fixture's mock",
    )


@pytest.fixture
def lightsail(request: pytest.FixtureRequest) -> Iterator[LightsailMock]:
    """An active ``LightsailMock`` with fresh state for this test."""
    marker = request.node.get_closest_marker("lightsail")
    options: dict[str, Any] = dict(marker.kwargs) if marker is not None else {}
    if marker is not None and marker.args:
        raise pytest.UsageError("@pytest.mark.lightsail takes keyword arguments only")
    with LightsailMock(**options) as mock:
        yield mock
