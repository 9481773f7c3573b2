"""lightmock: an in-process mock of Amazon Lightsail's alarm and metrics API.

Use ``@mock_lightsail`` on a test, ``with mock_lightsail() as ls:``, ``ls.start()`` /
``ls.stop()`` across notebook cells, or the ``lightsail`` pytest fixture. Real boto3
clients are used unchanged; their requests are answered in process.

The public names load on first use (PEP 562), so that importing the package, as the
pytest plugin does in every pytest run, costs nothing but the standard library; only the
import hook that gives botocore sessions lightmock's handler is put in place at once.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from lightmock.gateway import bootstrap

if TYPE_CHECKING:
    from lightmock.core.clock import Clock
    from lightmock.core.domain import AlarmState, ComparisonOperator, ContactProtocol, TreatMissingData
    from lightmock.core.exceptions import LightmockUsageError, UnsupportedOperation
    from lightmock.core.records import Call, Notification, StateChange
    from lightmock.gateway.botocore_hook import patch_client
    from lightmock.mock import LightsailMock, current_mock, mock_lightsail
    from lightmock.notebook import signals

    __version__: str

#: Public name -> the module it lives in.
_WHERE = {
    "AlarmState": "lightmock.core.domain",
    "Call": "lightmock.core.records",
    "Clock": "lightmock.core.clock",
    "ComparisonOperator": "lightmock.core.domain",
    "ContactProtocol": "lightmock.core.domain",
    "LightmockUsageError": "lightmock.core.exceptions",
    "LightsailMock": "lightmock.mock",
    "Notification": "lightmock.core.records",
    "StateChange": "lightmock.core.records",
    "TreatMissingData": "lightmock.core.domain",
    "UnsupportedOperation": "lightmock.core.exceptions",
    "current_mock": "lightmock.mock",
    "mock_lightsail": "lightmock.mock",
    "patch_client": "lightmock.gateway.botocore_hook",
}

__all__ = [
    "AlarmState",
    "Call",
    "Clock",
    "ComparisonOperator",
    "ContactProtocol",
    "LightmockUsageError",
    "LightsailMock",
    "Notification",
    "StateChange",
    "TreatMissingData",
    "UnsupportedOperation",
    "current_mock",
    "mock_lightsail",
    "patch_client",
    "signals",
]


def _version() -> str:
    """The installed distribution's version: written once, in pyproject.toml."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("lightmock")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "0+unknown"


def __getattr__(name: str) -> Any:
    if name == "__version__":
        value: Any = _version()
    elif name == "signals":
        value = importlib.import_module("lightmock.notebook.signals")
    elif name in _WHERE:
        value = getattr(importlib.import_module(_WHERE[name]), name)
    else:
        raise AttributeError(f"module 'lightmock' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


bootstrap.install()
