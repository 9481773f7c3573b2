"""The pytest plugin (entry point ``pytest11``): a ``lightsail`` fixture and a marker.

Installed with the package, so no conftest is needed, and therefore loaded by every
pytest run in the environment, also in projects that never use lightmock: importing this
module costs only the standard library. lightmock itself (botocore, numpy) is imported
when a test asks for the fixture. What must happen early does, cheaply: the import hook
(``gateway.bootstrap``) that gives every botocore session made from now on, at a test
module's import time too, lightmock's inert ``before-send`` handler.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from lightmock.gateway import bootstrap

if TYPE_CHECKING:
    from lightmock.mock import LightsailMock

MARKER = (
    "lightsail(account_id=..., default_region=..., page_size=..., sorted_metric_data=...): "
    "configure the lightsail fixture's mock"
)

bootstrap.install()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", MARKER)


@pytest.fixture
def lightsail(request: pytest.FixtureRequest) -> Iterator[LightsailMock]:
    """An active ``LightsailMock`` with fresh state for this test."""
    from lightmock.mock import LightsailMock

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

    from lightmock.gateway.environment import FAKE_ACCESS_KEY_ID, FAKE_SECRET_ACCESS_KEY
    from lightmock.server import LightsailServer

    with LightsailServer(port=0) as server:
        monkeypatch.setenv("AWS_ENDPOINT_URL_LIGHTSAIL", server.url)
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", FAKE_ACCESS_KEY_ID)
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", FAKE_SECRET_ACCESS_KEY)
        monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
        for name in ("AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
            monkeypatch.delenv(name, raising=False)
        if "AWS_DEFAULT_REGION" not in os.environ and "AWS_REGION" not in os.environ:
            # Both names: boto3 and the AWS CLI read the first, the Node and Go SDKs the second.
            monkeypatch.setenv("AWS_DEFAULT_REGION", server.mock.default_region)
            monkeypatch.setenv("AWS_REGION", server.mock.default_region)
        yield server
