"""What the mock answers: ``dispatch``, over the operation table of every family
(``service/families.py``).

``dispatch`` knows nothing of botocore or HTTP: it takes an operation name and its decoded
parameters and returns the result body (or raises a ``LightsailError``). The order is
fixed: injected faults, validation against the model (before any state is touched), which
also normalises the parameters (nulls dropped, integral floats made integers:
``schema/validation.py``), then the handler under the store's lock, after the alarm engine
and the families (their ``catch_up``: automatic snapshots) have caught up with the clock.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from lightmock.core.exceptions import LightsailError, UnknownOperationException, UnsupportedOperation
from lightmock.core.quoting import quoted
from lightmock.core.records import LoggedCall, built_in_order, logged_params
from lightmock.core.wire import Wire
from lightmock.engine.store import Store
from lightmock.schema.model import service_model
from lightmock.schema.validation import validate_input
from lightmock.service.context import RequestContext, settled_context
from lightmock.service.families import CATCH_UPS, OPERATIONS, TABLE

Handler = Callable[[RequestContext, dict[str, Any]], Wire]

#: Set by the test suite to check every response body against the model's output shape.
response_check: Callable[[str, Wire], None] | None = None


def _take_injected(store: Store, account_id: str, region: str, operation: str) -> None:
    for key in ((account_id, region, operation), (account_id, "*", operation)):
        pending = store.injected.get(key)
        if pending:
            error_class, message, times_left = pending
            if times_left <= 1:
                del store.injected[key]
            else:
                pending[2] = times_left - 1
            raise error_class(message)


@functools.cache
def _modeled() -> frozenset[str]:
    """The operations of the installed botocore's Lightsail model."""
    return frozenset(service_model().operation_names)


def answers(operation: str) -> bool:
    """Whether lightmock answers ``operation``: it has a handler for it, and the installed
    botocore's model (which every request is validated against) has the operation. An older
    botocore may lack operations the table has; they are then unknown, as any name outside
    the model is."""
    return operation in OPERATIONS and operation in _modeled()


def dispatch(store: Store, account_id: str, region: str, operation: str, params: dict[str, Any]) -> Wire:
    """Answer one Lightsail call, and record it in ``store.calls`` (its error too, if refused,
    and ``UnsupportedOperation`` for an operation lightmock does not implement, which is
    raised on rather than answered)."""
    received = logged_params(params)
    try:
        result, at = _answer(store, account_id, region, operation, params)
    except (LightsailError, UnsupportedOperation) as error:
        store.calls.append(LoggedCall(operation, region, received, error.error_type, store.clock.time(), account_id))
        raise
    store.calls.append(_logged_call((operation, region, received, None, at, account_id)))
    return result


_logged_call = built_in_order(LoggedCall)


def _answer(
    store: Store, account_id: str, region: str, operation: str, params: dict[str, Any]
) -> tuple[Wire, float]:
    """Answer one Lightsail call: the result body and the time it was answered at (the
    clock read once per call), or a raised ``LightsailError``."""
    handler = OPERATIONS.get(operation)
    if handler is None or operation not in _modeled():
        if operation in _modeled():
            raise UnsupportedOperation(operation)
        raise UnknownOperationException(f"Unknown operation {quoted(operation)}", code="UnknownOperation")
    if store.injected:  # a racy peek is enough to skip the lock when nothing is injected
        with store.lock:
            _take_injected(store, account_id, region, operation)
    params = validate_input(operation, params)  # normalised: handlers trust the types they read
    with settled_context(store, account_id, region, TABLE) as context:
        for catch_up in CATCH_UPS:  # what the families do on their own as time passes
            catch_up(context)
        result = handler(context, params)
    if response_check is not None:
        response_check(operation, result)
    return result, context.now


__all__ = ["OPERATIONS", "Handler", "LightsailError", "RequestContext", "answers", "dispatch"]
