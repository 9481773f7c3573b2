"""lightmock: an in-process mock of Amazon Lightsail's alarm and metrics API.

Use ``@mock_lightsail`` on a test, ``with mock_lightsail() as ls:``, ``ls.start()`` /
``ls.stop()`` across notebook cells, or the ``lightsail`` pytest fixture. Real boto3
clients are used unchanged; their requests are answered in process.
"""

from lightmock.core.clock import Clock
from lightmock.core.exceptions import LightmockUsageError, UnsupportedOperation
from lightmock.core.records import Notification, StateChange
from lightmock.gateway.botocore_hook import patch_client
from lightmock.mock import LightsailMock, current_mock, mock_lightsail
from lightmock.notebook import signals

__all__ = [
    "Clock",
    "LightmockUsageError",
    "LightsailMock",
    "Notification",
    "StateChange",
    "UnsupportedOperation",
    "current_mock",
    "mock_lightsail",
    "patch_client",
    "signals",
]

__version__ = "0.1.0"
