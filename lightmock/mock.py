"""``mock_lightsail``: one class that is a decorator, a context manager and start/stop.

The handle (``LightsailMock``) is also how test code reaches into the mock: its clock,
seeding metric data, the alarm history, the notifications sent, the calls answered, fault
injection. What the mock *answers* lives in ``dispatch``; this module only switches it on
and off, and keeps the handle's promises:

- A handle used as a decorator is itself the active mock inside the decorated code (fresh
  state for each call), so ``m.clock``, ``m.put_metric_data`` and ``current_mock()`` reach
  the same state.
- Before its first start a handle has no state: reading or changing it is a usage error.
- After the last mock stops, the handle shows the state as of the stop (its clock is
  held at the stop time, so nothing more is evaluated); whatever would change the state
  is a usage error.
- Every misuse is checked before anything changes.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import numbers
import os
import types
import unittest
from collections.abc import AsyncGenerator, Callable, Generator, Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any, TypeVar, overload

import numpy as np
from numpy.typing import ArrayLike

from lightmock.core.clock import Clock
from lightmock.core.domain import ContactProtocol
from lightmock.core.exceptions import LightmockUsageError, error_class
from lightmock.core.records import Call, Notification, StateChange
from lightmock.engine import timeline
from lightmock.engine.store import DEFAULT_ACCOUNT_ID, DEFAULT_PAGE_SIZE, DEFAULT_REGION, Store, StoreOptions
from lightmock.gateway import activations, switch
from lightmock.schema.model import served_regions
from lightmock.service import certificates, container_logs, database_logs, metricdata, profile
from lightmock.service.dispatch import answers
from lightmock.service.families import TABLE

T = TypeVar("T")

_ENDED = (
    "this lightsail mock has stopped: its state (alarm_history, notifications, calls) can still be read, "
    "but not changed, and its clock no longer moves; start() it again for fresh state"
)
_NOT_STARTED = "this lightsail mock has not been started yet: call start() or use it in a with block"

#: The hooks a decorated class gets from the handle itself (they start and stop its mock),
#: so they are not also wrapped as methods.
_LIFECYCLE_HOOKS = frozenset({"setUp", "setup_method", "teardown_method"})
#: pytest's class-level hooks of a plain test class: pytest passes the class only to a hook
#: that takes an argument, so they are replaced by hooks that keep that rule.
_PYTEST_CLASS_HOOKS = ("setup_class", "teardown_class")
#: The hooks of unittest's own that a decorated ``TestCase`` may override and that are
#: wrapped like its methods: they run inside the test's mock (``tearDown``, ``asyncSetUp``,
#: ``asyncTearDown``) or, at class level, each in a mock of its own. Every other attribute
#: unittest defines (``run``, ``debug``, ``doCleanups``, the assertions...) runs around or
#: outside the test's mock and is left as it is.
_UNITTEST_HOOKS_WRAPPED = frozenset({"tearDown", "asyncSetUp", "asyncTearDown", "setUpClass", "tearDownClass"})
_UNITTEST_OWN = frozenset(dir(unittest.IsolatedAsyncioTestCase)) - _UNITTEST_HOOKS_WRAPPED


def region_from_environment() -> str:
    """The region a mock given none defaults to: the one boto3 would pick from the
    environment (``AWS_DEFAULT_REGION``, else ``AWS_REGION``), else ``us-east-1``."""
    return os.environ.get("AWS_DEFAULT_REGION") or os.environ.get("AWS_REGION") or DEFAULT_REGION


def _text(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise LightmockUsageError(f"{what} must be a string, got {type(value).__name__}")
    return value


class LightsailMock:
    """An in-process Lightsail for one account; the handle test code holds.

    Every outermost activation starts from empty state and a fresh clock; nested
    activations share the outer one's state and clock and must ask for the same options
    (``page_size``, ``sorted_metric_data``). After the last stop the handle still shows
    what happened (history, notifications, calls) until its next start.
    """

    def __init__(
        self,
        *,
        account_id: str = DEFAULT_ACCOUNT_ID,
        default_region: str | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        sorted_metric_data: bool = False,
    ) -> None:
        if not (isinstance(account_id, str) and len(account_id) == 12 and account_id.isdigit()):
            raise LightmockUsageError(f"account_id must be 12 digits, got {account_id!r}")
        if default_region is None:
            default_region = region_from_environment()
        if not isinstance(default_region, str) or not default_region:
            raise LightmockUsageError(f"default_region must be a region name, got {default_region!r}")
        if isinstance(page_size, bool) or not isinstance(page_size, int) or page_size < 1:
            raise LightmockUsageError(f"page_size must be a positive integer, got {page_size!r}")
        if not isinstance(sorted_metric_data, bool):
            raise LightmockUsageError(f"sorted_metric_data must be True or False, got {sorted_metric_data!r}")
        self._account_id = account_id
        self._default_region = default_region
        self._options = StoreOptions(page_size=page_size, sorted_metric_data=sorted_metric_data)
        self._store: Store | None = None
        self._activation: activations.Activation | None = None
        #: Set by ``over``: the handle reads a store answered some other way, and never starts.
        self._serves = False

    @classmethod
    def over(
        cls, store: Store, *, account_id: str = DEFAULT_ACCOUNT_ID, default_region: str | None = None
    ) -> LightsailMock:
        """A handle onto a store answered some other way (a server, say): it reads and seeds
        that store and patches nothing. Never started, so never stopped by this handle."""
        handle = cls(
            account_id=account_id,
            default_region=default_region,
            page_size=store.options.page_size,
            sorted_metric_data=store.options.sorted_metric_data,
        )
        handle._store = store
        handle._serves = True
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
    def store(self) -> Store:
        """The state this handle reads and seeds (shared with the outer mock when nested).

        The one way every method of the handle reaches state."""
        if self._store is None:
            raise LightmockUsageError(_NOT_STARTED)
        return self._store

    @property
    def clock(self) -> Clock:
        """The clock every time-dependent part of the mock reads (shared when nested)."""
        return self.store.clock

    def _live_store(self) -> Store:
        """The store, for something that changes it: a usage error once the mock has stopped."""
        store = self.store
        if store.clock.ended:
            raise LightmockUsageError(_ENDED)
        return store

    # -- switching on and off --------------------------------------------------------

    def start(self) -> LightsailMock:
        """Activate; the outermost activation starts from empty state and a fresh clock."""
        with activations.lock:
            if self._serves:
                raise LightmockUsageError(
                    "this handle reads a store served another way (a LightsailServer's); it is not started"
                )
            if self._activation is not None:
                raise LightmockUsageError(
                    "this mock is already started (a function it decorates is running already?); stop() it first"
                )
            outer = activations.outermost_store()
            if outer is None:
                store = Store(Clock(), self._options)
            elif outer.options != self._options:
                raise LightmockUsageError(
                    f"a mock with {self._options} cannot nest inside an active one with {outer.options}: "
                    "nested mocks share one state, so their options must agree"
                )
            else:
                store = outer
            activation = activations.Activation(self._account_id, self._default_region, store, self)
            switch.activate(activation)  # a patch that fails leaves this handle as it was
            self._store = store
            self._activation = activation
        return self

    def stop(self) -> None:
        """Deactivate; the last mock out restores the environment and holds the clock at the stop."""
        with activations.lock:
            if self._activation is None:
                raise LightmockUsageError("this mock is not started")
            activation, self._activation = self._activation, None
            if switch.deactivate(activation):
                activation.store.clock.end(_ENDED)

    def reset(self) -> None:
        """Empty all state (every region, history, notifications, calls) while active."""
        if self._activation is None:
            raise LightmockUsageError("reset() needs an active mock")
        self._live_store().clear()

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
        """Decorate a test function (plain, coroutine, generator or async generator) or a
        test class; the handle is the active mock inside, with fresh state for each call."""
        if isinstance(target, staticmethod):
            return staticmethod(self._decorate_function(target.__func__))
        if isinstance(target, classmethod):
            return classmethod(self._decorate_function(target.__func__))
        if inspect.isclass(target):
            return self._decorate_class(target)
        if not callable(target):
            raise LightmockUsageError(f"mock_lightsail decorates functions and classes, not {target!r}")
        return self._decorate_function(target)

    def _own_mock(self) -> AbstractContextManager[object]:
        """A decorated function's scope: this handle started for the call (fresh state)."""
        return self

    def _test_mock(self) -> AbstractContextManager[object]:
        """A method of a decorated class's scope: the mock its test already runs in (started
        by ``setUp`` or ``setup_method``), else this handle started for the call, as a
        decorated function is (a method called directly, ``TestPlain().test_a()``)."""
        return contextlib.nullcontext() if self.active else self

    def _decorate_function(
        self, function: Callable[..., Any], scope: Callable[[], AbstractContextManager[object]] | None = None
    ) -> Callable[..., Any]:
        """``function`` run inside ``scope()`` (by default this handle, started for each call)."""
        enter = self._own_mock if scope is None else scope
        if inspect.isasyncgenfunction(function):
            return self._decorate_async_generator(function, enter)
        if inspect.isgeneratorfunction(function):

            @functools.wraps(function)
            def run_generator(*args: Any, **kwargs: Any) -> Generator[Any, Any, Any]:
                with enter():
                    return (yield from function(*args, **kwargs))

            return run_generator
        if inspect.iscoroutinefunction(function):

            @functools.wraps(function)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                with enter():
                    return await function(*args, **kwargs)

            return run_async

        @functools.wraps(function)
        def run(*args: Any, **kwargs: Any) -> Any:
            with enter():
                return function(*args, **kwargs)

        return run

    def _decorate_async_generator(
        self, function: Callable[..., AsyncGenerator[Any, Any]], enter: Callable[[], AbstractContextManager[object]]
    ) -> Callable[..., Any]:
        @functools.wraps(function)
        async def run_async_generator(*args: Any, **kwargs: Any) -> AsyncGenerator[Any, Any]:
            with enter():
                inner = function(*args, **kwargs)
                try:
                    item = await inner.__anext__()
                    while True:
                        try:
                            sent = yield item
                        except GeneratorExit:
                            raise
                        except BaseException as thrown:  # handed on to the decorated generator
                            item = await inner.athrow(thrown)
                        else:
                            item = await inner.asend(sent)
                except StopAsyncIteration:
                    return
                finally:
                    await inner.aclose()

        return run_async_generator

    def _decorate_class(self, cls: type[T]) -> type[T]:
        """A ``unittest.TestCase``: the mock runs from before ``setUp`` until after
        ``tearDown``. Any other (pytest-style) class: from before ``setup_method`` until
        after ``teardown_method`` (added if the class has none), so inherited, static and
        class-method tests are covered alike, as pytest calls them.

        And however a method is called: each public method of the class (inherited ones too,
        static and class methods alike) runs in the mock its test already runs in, or else in
        this handle started for that call, as moto's class decorator wraps every method.
        ``TestPlain().test_a()`` is mocked, never sent to AWS."""
        self._cover_methods(cls)
        if issubclass(cls, unittest.TestCase):
            original_set_up = cls.setUp
            mock = self

            @functools.wraps(original_set_up)
            def set_up(test: unittest.TestCase) -> None:
                mock.start()
                test.addCleanup(mock.stop)
                original_set_up(test)

            cls.setUp = set_up  # type: ignore[method-assign,assignment]  # wrapping setUp is the point
            return cls
        setup = inspect.getattr_static(cls, "setup_method", None)
        teardown = inspect.getattr_static(cls, "teardown_method", None)
        mock = self

        def setup_method(instance: Any, method: Any = None) -> None:
            mock.start()
            try:
                _call_xunit(setup, instance, cls, method)
            except BaseException:
                mock.stop()
                raise

        def teardown_method(instance: Any, method: Any = None) -> None:
            try:
                _call_xunit(teardown, instance, cls, method)
            finally:
                mock.stop()

        cls.setup_method = setup_method  # type: ignore[attr-defined]
        cls.teardown_method = teardown_method  # type: ignore[attr-defined]
        for name in _PYTEST_CLASS_HOOKS:
            hook = inspect.getattr_static(cls, name, None)
            if hook is not None:
                setattr(cls, name, classmethod(self._class_hook(hook)))
        return cls

    def _class_hook(self, hook: Any) -> Callable[[type], None]:
        """A plain class's ``setup_class``/``teardown_class`` (any kind of attribute), run in a
        mock of its own (no test's mock is running then): mocked, not sent to AWS, though
        what it creates is gone by the time a test runs."""
        mock = self

        def run_hook(klass: type) -> None:
            with mock._test_mock():
                _call_xunit(hook, None, klass, klass)

        return run_hook

    def _cover_methods(self, cls: type) -> None:
        """Wrap the methods of a decorated class (see ``_decorate_class``) on the class itself:
        a base class shared with undecorated classes is left untouched. Only the nearest
        definition of a name counts (``test_x = None`` in the class still disables an
        inherited ``test_x``)."""
        unittest_own = _UNITTEST_OWN if issubclass(cls, unittest.TestCase) else frozenset(_PYTEST_CLASS_HOOKS)
        seen: set[str] = set()
        wrapped: dict[str, Any] = {}
        for owner in cls.__mro__:
            if owner is object or owner.__module__.partition(".")[0] == "unittest":
                continue
            for name, value in vars(owner).items():
                if name in seen:
                    continue
                seen.add(name)
                if name.startswith("_") or name in _LIFECYCLE_HOOKS or name in unittest_own:
                    continue
                method = self._cover(value)
                if method is not None:
                    wrapped[name] = method
        for name, method in wrapped.items():
            setattr(cls, name, method)

    def _cover(self, value: Any) -> Any:
        """``value`` (a class attribute) wrapped to run in the test's mock, or None if it is
        not a method: data, properties, and pytest fixtures (which pytest calls inside the
        test's mock already; before pytest 8.4 a fixture is a function marked with
        ``_pytestfixturefunction``, from 8.4 on an object of its own)."""
        if isinstance(value, staticmethod | classmethod):
            method = self._cover(value.__func__)
            return None if method is None else type(value)(method)
        if not isinstance(value, types.FunctionType) or hasattr(value, "_pytestfixturefunction"):
            return None
        return self._decorate_function(value, self._test_mock)

    # -- what test code does with the handle ------------------------------------------

    def _region(self, region: str | None) -> str:
        return self._default_region if region is None else _text(region, "region")

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
        _text(resource_name, "resource_name")
        _text(metric_name, "metric_name")
        region = self._region(region)
        store = self._live_store()
        try:
            array = values if isinstance(values, np.ndarray) else np.asarray(values)
        except (ValueError, TypeError) as error:  # a ragged list, say
            raise LightmockUsageError(
                f"values must be a one-dimensional sequence of numbers (NaN for no sample): {error}"
            ) from None
        try:
            return metricdata.seed(store, self._account_id, region, resource_name, metric_name, array, timestamps)
        except OverflowError:  # an integer too large for a float, such as 10**400
            raise LightmockUsageError(
                "values must be finite numbers within ±2^360, as CloudWatch accepts them (NaN for no sample)"
            ) from None

    def put_database_log_events(
        self,
        database_name: str,
        stream: str,
        events: Iterable[tuple[datetime | float, str]],
        *,
        region: str | None = None,
    ) -> int:
        """Seed log events of a database's log stream, as the engine would have written them:
        ``(timestamp, message)`` pairs, the timestamp an aware datetime or epoch seconds;
        returns how many were stored. GetRelationalDatabaseLogEvents reads them (those after
        ``clock.now()`` once the clock reaches them). The streams are ``audit``, ``error``,
        ``general`` and ``slowquery`` for MySQL, ``postgresql`` for PostgreSQL."""
        _text(database_name, "database_name")
        _text(stream, "stream")
        region = self._region(region)
        store = self._live_store()
        return database_logs.seed(store, self._account_id, region, database_name, stream, events)

    def put_container_log(
        self,
        service_name: str,
        container_name: str,
        events: Iterable[str | tuple[datetime | float, str]],
        *,
        region: str | None = None,
    ) -> int:
        """Seed log events of a container of a container service, for GetContainerLog; returns
        how many were added. An event is a message (stamped with ``clock.now()``) or a
        ``(time, message)`` pair, the time an aware datetime or epoch seconds. Events ahead
        of the clock stay invisible until the clock reaches them."""
        _text(service_name, "service_name")
        _text(container_name, "container_name")
        if isinstance(events, str | bytes):
            raise LightmockUsageError("events must be a list of messages or (time, message) pairs, not one string")
        region = self._region(region)
        store = self._live_store()
        return container_logs.seed(store, self._account_id, region, service_name, container_name, events)

    def alarm_history(self, alarm_name: str, region: str | None = None) -> list[StateChange]:
        """The alarm's state changes in order (evaluations up to now, or up to the stop, included)."""
        _text(alarm_name, "alarm_name")
        return timeline.history(self.store, self._account_id, self._region(region), alarm_name)

    @property
    def notifications(self) -> list[Notification]:
        """Every notification recorded so far, in time order, across regions."""
        return timeline.notifications(self.store)

    @property
    def calls(self) -> list[Call]:
        """Every Lightsail call the mock answered, in order (refused and injected-fault ones too)."""
        store = self.store
        with store.lock:
            logged = list(store.calls)
        return [entry.call() for entry in logged]

    def verify_contact_method(self, protocol: str = "Email", region: str | None = None) -> None:
        """Mark the region's contact method of that protocol ``Valid``, as its link would."""
        choices = ", ".join(str(member) for member in ContactProtocol)
        if protocol not in {str(member) for member in ContactProtocol}:
            raise LightmockUsageError(f"protocol must be one of {choices}, got {protocol!r}")
        region = self._region(region)
        store = self._live_store()
        timeline.verify_contact_method(store, self._account_id, region, ContactProtocol(protocol))

    def validate_certificate(self, certificate_name: str, region: str | None = None) -> None:
        """Validate a certificate (or load balancer TLS certificate) pending validation, as
        ACM does once it finds the validation records: it becomes ``ISSUED`` through the
        transition mode (at once by default). A certificate whose records exist in a DNS
        zone of the mock needs no call: it is validated when next read."""
        name = _text(certificate_name, "certificate_name")
        certificates.validate(self._live_store(), TABLE, self._account_id, self._region(region), name)

    def set_profile(
        self,
        profile_type: str = "LightsailPartner",
        *,
        tier: str | None = None,
        status: str = "Active",
        enrolled_at: datetime | None = None,
    ) -> None:
        """Make the account a Lightsail partner (``LightsailPartner``, of ``tier`` and ``status``,
        enrolled at ``enrolled_at`` or now), or a standard account again (``Lightsailor``, what
        every account starts as), as GetProfile reports it in every region."""
        profile.set_profile(
            self._live_store(),
            self._account_id,
            _text(profile_type, "profile_type"),
            tier=tier,
            status=status,
            enrolled_at=enrolled_at,
        )

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

        ``region=None`` matches the operation in every region; a region Lightsail does not
        serve is refused, since no call can reach it there (the rule the gateway applies to
        every request: ``served_regions``).
        """
        if not answers(_text(operation, "operation")):
            raise LightmockUsageError(f"lightmock does not implement {operation!r}; cannot inject an error into it")
        if isinstance(times, bool) or not isinstance(times, numbers.Integral) or times < 1:
            raise LightmockUsageError(f"times must be a positive integer, got {times!r}")
        if region is not None and _text(region, "region") not in served_regions():
            raise LightmockUsageError(
                f"Lightsail does not serve region {region!r}, so no call can reach it there and the error "
                f"could never fire; choose one of: {', '.join(sorted(served_regions()))}"
            )
        error_type = error_class(_text(error, "error"))
        text = f"Injected {error} for {operation}" if message is None else _text(message, "message")
        key = (self._account_id, "*" if region is None else region, operation)
        store = self._live_store()
        with store.lock:
            store.injected[key] = [error_type, text, int(times)]

    @property
    def transition_mode(self) -> str:
        """How transitional states end: ``instant`` (the default), ``hold`` or ``clock``."""
        return str(self._live_store().transitions.mode)

    def set_transitions(self, mode: str) -> None:
        """Choose how the transitions begun from now on end (docs/transitions.md): ``instant``,
        a resource in its final state before anything reads it; ``hold``, in its transitional
        state until ``finish_transitions``; ``clock``, when the mock's clock has moved on by
        the transition's duration."""
        store = self._live_store()
        with store.lock:
            store.transitions.set_mode(_text(mode, "mode"))

    def finish_transitions(self, resource_name: str | None = None) -> int:
        """Finish the pending transitions now (of the resources of that name, or all), as the
        service would in its own time; how many were finished."""
        name = None if resource_name is None else _text(resource_name, "resource_name")
        store = self._live_store()
        with timeline.settled(store):
            return store.transitions.finish(name)

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


def _call_xunit(hook: Any, instance: Any, cls: type, method: Any) -> None:
    """Call a class's own ``setup_method``/``teardown_method`` as pytest would (with the
    test method if it takes an argument), whatever kind of attribute it is."""
    if hook is None:
        return
    bound = hook.__get__(instance, cls)
    function = getattr(bound, "__func__", bound)
    if function.__code__.co_argcount - (1 if inspect.ismethod(bound) else 0):
        bound(method)
    else:
        bound()


@overload
def mock_lightsail(target: type[T], /) -> type[T]: ...
@overload
def mock_lightsail(target: Callable[..., Any], /) -> Callable[..., Any]: ...
@overload
def mock_lightsail(
    *,
    account_id: str = ...,
    default_region: str | None = ...,
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
