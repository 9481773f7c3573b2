"""``mock_lightsail``: one class that is a decorator, a context manager and start/stop.

The handle (``LightsailMock``) is also how test code reaches into the mock: its clock,
seeding metric data, the alarm history, the notifications sent, fault injection. What the
mock *answers* lives in ``dispatch``; this module only switches it on and off.
"""

from __future__ import annotations

import functools
import inspect
import unittest
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar, overload

import numpy as np
from numpy.typing import ArrayLike

from lightmock.core.clock import Clock
from lightmock.core.domain import ContactProtocol
from lightmock.core.exceptions import LightmockUsageError, error_class
from lightmock.core.records import Notification, StateChange
from lightmock.engine import timeline
from lightmock.engine.store import DEFAULT_ACCOUNT_ID, DEFAULT_PAGE_SIZE, DEFAULT_REGION, Store, StoreOptions
from lightmock.gateway import activations, switch
from lightmock.service import metricdata
from lightmock.service.dispatch import OPERATIONS

T = TypeVar("T")


class LightsailMock:
    """An in-process Lightsail for one account; the handle test code holds.

    Every outermost activation starts from empty state; nested activations share the
    outer one's state and clock, and only the outermost stop tears down. After ``stop``
    the handle still shows what happened (history, notifications) until the next start.
    """

    def __init__(
        self,
        *,
        account_id: str = DEFAULT_ACCOUNT_ID,
        default_region: str = DEFAULT_REGION,
        page_size: int = DEFAULT_PAGE_SIZE,
        sorted_metric_data: bool = False,
    ) -> None:
        if not (isinstance(account_id, str) and len(account_id) == 12 and account_id.isdigit()):
            raise LightmockUsageError(f"account_id must be 12 digits, got {account_id!r}")
        if not isinstance(page_size, int) or page_size < 1:
            raise LightmockUsageError(f"page_size must be a positive integer, got {page_size!r}")
        self._account_id = account_id
        self._default_region = default_region
        self._options = StoreOptions(page_size=page_size, sorted_metric_data=sorted_metric_data)
        self._own_clock = Clock()
        self._store: Store | None = None
        self._activation: activations.Activation | None = None
        self._serving = False

    @classmethod
    def serving(cls, store: Store, **options: Any) -> LightsailMock:
        """A handle over ``store`` that switches nothing on: a ``LightsailServer``'s handle.

        Its clock, seeding, history, notifications and faults reach ``store``, which a
        server answers over HTTP; botocore in this process stays unpatched, and the
        handle is never started or stopped. ``options`` are the constructor's.
        """
        handle = cls(**options)
        handle._store = store
        handle._own_clock = store.clock
        handle._serving = True
        return handle

    # -- identity ------------------------------------------------------------------

    @property
    def account_id(self) -> str:
        return self._account_id

    @property
    def default_region(self) -> str:
        return self._default_region

    @property
    def active(self) -> bool:
        return self._activation is not None

    @property
    def clock(self) -> Clock:
        """The clock every time-dependent part of the mock reads (shared when nested)."""
        return self._store.clock if self._store is not None else self._own_clock

    @property
    def store(self) -> Store:
        if self._store is None:
            raise LightmockUsageError("this mock has not been started yet: call start() or use it in a with block")
        return self._store

    # -- switching on and off --------------------------------------------------------

    def start(self) -> LightsailMock:
        """Activate; the outermost activation starts from empty state."""
        if self._activation is not None:
            raise LightmockUsageError("this mock is already started; stop() it first")
        if self._serving:
            raise LightmockUsageError("this handle serves a LightsailServer's state over HTTP; it is not started")
        outer = activations.outermost_store()
        if outer is None:
            self._own_clock = Clock() if self._store is not None else self._own_clock
            store = Store(self._own_clock, self._options)
        else:
            store = outer
        self._store = store
        self._activation = activations.Activation(self._account_id, self._default_region, store, self)
        switch.activate(self._activation)
        return self

    def stop(self) -> None:
        """Deactivate; the last mock out restores the environment and unpatches everything."""
        if self._activation is None:
            raise LightmockUsageError("this mock is not started")
        activation, self._activation = self._activation, None
        switch.deactivate(activation)

    def reset(self) -> None:
        """Empty all state (every region, history, notifications) while active."""
        if self._activation is None:
            raise LightmockUsageError("reset() needs an active mock")
        self.store.clear()

    def __enter__(self) -> LightsailMock:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- decorating ----------------------------------------------------------------------

    @overload
    def __call__(self, target: type[T]) -> type[T]: ...
    @overload
    def __call__(self, target: Callable[..., Any]) -> Callable[..., Any]: ...
    def __call__(self, target: Any) -> Any:
        """Decorate a test function, coroutine function or test class (fresh state per test)."""
        if inspect.isclass(target):
            return self._decorate_class(target)
        if not callable(target):
            raise LightmockUsageError(f"mock_lightsail decorates functions and classes, not {target!r}")
        return self._decorate_function(target)

    def _fresh(self) -> LightsailMock:
        return LightsailMock(
            account_id=self._account_id,
            default_region=self._default_region,
            page_size=self._options.page_size,
            sorted_metric_data=self._options.sorted_metric_data,
        )

    def _decorate_function(self, function: Callable[..., Any]) -> Callable[..., Any]:
        if inspect.iscoroutinefunction(function):

            @functools.wraps(function)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                with self._fresh():
                    return await function(*args, **kwargs)

            return run_async

        @functools.wraps(function)
        def run(*args: Any, **kwargs: Any) -> Any:
            with self._fresh():
                return function(*args, **kwargs)

        return run

    def _decorate_class(self, cls: type[T]) -> type[T]:
        if issubclass(cls, unittest.TestCase):
            original_set_up = cls.setUp
            factory = self._fresh

            @functools.wraps(original_set_up)
            def set_up(test: unittest.TestCase) -> None:
                mock = factory().start()
                test.addCleanup(mock.stop)
                original_set_up(test)

            cls.setUp = set_up  # type: ignore[method-assign,assignment]  # wrapping setUp is the point
            return cls
        # A plain (pytest-style) class: every test method runs in its own activation.
        for name, attribute in list(vars(cls).items()):
            if name.startswith("test") and callable(attribute):
                setattr(cls, name, self._decorate_function(attribute))
        return cls

    # -- what test code does with the handle ------------------------------------------

    def _region(self, region: str | None) -> str:
        return self._default_region if region is None else region

    def put_metric_data(
        self,
        resource_name: str,
        metric_name: str,
        values: ArrayLike,
        *,
        timestamps: Sequence[datetime] | Sequence[float] | ArrayLike | None = None,
        region: str | None = None,
    ) -> int:
        """Seed samples of a resource's metric; returns how many samples were stored.

        Without ``timestamps`` the values are spaced at the metric's native resolution,
        the last one resolution step before ``clock.now()``. Timestamps ahead of the
        clock are kept and stay invisible until the clock reaches them. A stopped instance
        produces no data: samples at times it was stopped are dropped, and not counted.
        """
        return metricdata.seed(
            self.store,
            self._account_id,
            self._region(region),
            resource_name,
            metric_name,
            np.asarray(values) if not isinstance(values, np.ndarray) else values,
            timestamps,
        )

    def alarm_history(self, alarm_name: str, region: str | None = None) -> list[StateChange]:
        """The alarm's state changes in order (evaluations up to now included)."""
        return timeline.history(self.store, self._account_id, self._region(region), alarm_name)

    @property
    def notifications(self) -> list[Notification]:
        """Every notification recorded so far, in time order, across regions."""
        return timeline.notifications(self.store)

    def verify_contact_method(self, protocol: str = "Email", region: str | None = None) -> None:
        """Mark the region's contact method of that protocol ``Valid``, as its link would."""
        timeline.verify_contact_method(self.store, self._account_id, self._region(region), ContactProtocol(protocol))

    def inject_error(
        self,
        operation: str,
        error: str = "ServiceException",
        *,
        times: int = 1,
        message: str | None = None,
        region: str | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``operation`` fail with ``error``.

        ``region=None`` matches the operation in every region.
        """
        if operation not in OPERATIONS:
            raise LightmockUsageError(f"lightmock does not implement {operation!r}; cannot inject an error into it")
        if not isinstance(times, int) or times < 1:
            raise LightmockUsageError(f"times must be a positive integer, got {times!r}")
        error_type = error_class(error)
        text = message or f"Injected {error} for {operation}"
        key = (self._account_id, "*" if region is None else region, operation)
        with self.store.lock:
            self.store.injected[key] = [error_type, text, times]

    def plot_alarm(self, alarm_name: str, region: str | None = None, ax: Any = None) -> Any:
        """Draw the alarm's datapoints, threshold, states and notifications (``lightmock[plot]``)."""
        from lightmock.notebook.plot import plot_alarm

        return plot_alarm(self, alarm_name, region=region, ax=ax)

    def _repr_html_(self) -> str:
        """The handle in a notebook: regions, resources, alarms with states, notifications."""
        from lightmock.notebook.display import mock_summary_html

        return mock_summary_html(self)

    def __repr__(self) -> str:
        status = "active" if self.active else "inactive"
        return f"<LightsailMock {status} account={self._account_id} default_region={self._default_region}>"


@overload
def mock_lightsail(target: type[T], /) -> type[T]: ...
@overload
def mock_lightsail(target: Callable[..., Any], /) -> Callable[..., Any]: ...
@overload
def mock_lightsail(
    *,
    account_id: str = ...,
    default_region: str = ...,
    page_size: int = ...,
    sorted_metric_data: bool = ...,
) -> LightsailMock: ...
def mock_lightsail(target: Any = None, /, **options: Any) -> Any:
    """Mock Lightsail: ``@mock_lightsail``, ``@mock_lightsail(...)``, ``with mock_lightsail() as ls``."""
    mock = LightsailMock(**options)
    if target is None:
        return mock
    return mock(target)


def current_mock() -> LightsailMock:
    """The innermost active mock's handle (for code under a decorator)."""
    activation = activations.innermost()
    if activation is None:
        raise LightmockUsageError("no lightsail mock is active: use @mock_lightsail, a with block or start()")
    handle = activation.handle
    assert isinstance(handle, LightsailMock)
    return handle
