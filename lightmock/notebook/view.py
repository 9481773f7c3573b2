"""What the notebook side reads from a mock, as a protocol, so that it needs no import of it."""

from __future__ import annotations

from typing import Protocol

from lightmock.core.clock import Clock
from lightmock.engine.store import Store


class MockView(Protocol):
    """The parts of a ``LightsailMock`` that the display and the plot read."""

    @property
    def account_id(self) -> str: ...

    @property
    def default_region(self) -> str: ...

    @property
    def active(self) -> bool: ...

    @property
    def clock(self) -> Clock: ...

    @property
    def store(self) -> Store: ...
