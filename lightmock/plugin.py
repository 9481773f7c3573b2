"""The pytest plugin (entry point ``pytest11``): a ``lightsail`` fixture and a marker.

Installed with the package, so no conftest is needed. Importing lightmock here, early,
also puts its hook into every botocore session the tests create.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

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


if TYPE_CHECKING:  # the server is imported only when a test asks for it
    from lightmock.server import LightsailServer


@pytest.fixture
def lightsail_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[LightsailServer]:
    """A running ``LightsailServer`` with fresh state for this test, on a free loopback port.

    ``AWS_ENDPOINT_URL_LIGHTSAIL`` points at it for the test, with fake credentials (and a
    region where none is set) as an active mock sets them, so boto3 clients, the AWS CLI
    and programs the test starts reach it with no more configuration.
    """
    import os

    from lightmock.gateway.environment import FAKE_ENVIRONMENT
    from lightmock.server import LightsailServer

    with LightsailServer(port=0) as server:
        monkeypatch.setenv("AWS_ENDPOINT_URL_LIGHTSAIL", server.url)
        for name, value in FAKE_ENVIRONMENT.items():
            monkeypatch.setenv(name, value)
        for name in ("AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
            monkeypatch.delenv(name, raising=False)
        if "AWS_DEFAULT_REGION" not in os.environ and "AWS_REGION" not in os.environ:
            # Both names: boto3 and the AWS CLI read the first, the Node and Go SDKs the second.
            monkeypatch.setenv("AWS_DEFAULT_REGION", server.mock.default_region)
            monkeypatch.setenv("AWS_REGION", server.mock.default_region)
        yield server
