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
