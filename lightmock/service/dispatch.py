"""What the mock answers: one table from operation name to handler, and ``dispatch``.

``dispatch`` knows nothing of botocore or HTTP: it takes an operation name and its decoded
parameters and returns the result body (or raises a ``LightsailError``). The order is
fixed: injected faults, validation against the model (before any state is touched), then
the handler under the store's lock, after the alarm engine has caught up with the clock.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lightmock.core.clock import to_datetime
from lightmock.core.exceptions import LightsailError, UnknownOperationException, UnsupportedOperation
from lightmock.core.records import Call
from lightmock.core.wire import Wire
from lightmock.engine import timeline
from lightmock.engine.store import Store
from lightmock.schema.model import service_model
from lightmock.schema.validation import validate_input
from lightmock.service import alarms, contacts, metricdata, resources
from lightmock.service.context import RequestContext

Handler = Callable[[RequestContext, dict[str, Any]], Wire]

OPERATIONS: dict[str, Handler] = {
    "CreateContactMethod": contacts.create_contact_method,
    "CreateInstances": resources.create_instances,
    "CreateLoadBalancer": resources.create_load_balancer,
    "CreateRelationalDatabase": resources.create_relational_database,
    "DeleteAlarm": alarms.delete_alarm,
    "DeleteContactMethod": contacts.delete_contact_method,
    "DeleteInstance": resources.delete_instance,
    "DeleteLoadBalancer": resources.delete_load_balancer,
    "DeleteRelationalDatabase": resources.delete_relational_database,
    "GetAlarms": alarms.get_alarms,
    "GetBlueprints": resources.get_blueprints,
    "GetBundles": resources.get_bundles,
    "GetContactMethods": contacts.get_contact_methods,
    "GetInstance": resources.get_instance,
    "GetInstanceMetricData": metricdata.get_instance_metric_data,
    "GetInstances": resources.get_instances,
    "GetLoadBalancer": resources.get_load_balancer,
    "GetLoadBalancerMetricData": metricdata.get_load_balancer_metric_data,
    "GetLoadBalancers": resources.get_load_balancers,
    "GetRelationalDatabase": resources.get_relational_database,
    "GetRelationalDatabaseBlueprints": resources.get_relational_database_blueprints,
    "GetRelationalDatabaseBundles": resources.get_relational_database_bundles,
    "GetRelationalDatabaseMetricData": metricdata.get_relational_database_metric_data,
    "GetRelationalDatabases": resources.get_relational_databases,
    "PutAlarm": alarms.put_alarm,
    "SendContactMethodVerification": contacts.send_contact_method_verification,
    "TestAlarm": alarms.test_alarm,
}

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


def dispatch(store: Store, account_id: str, region: str, operation: str, params: dict[str, Any]) -> Wire:
    """Answer one Lightsail call, and record it in ``store.calls`` (its error too, if refused)."""
    received = dict(params)
    at = to_datetime(store.clock.time())
    try:
        result = _answer(store, account_id, region, operation, params)
    except LightsailError as error:
        store.calls.append(Call(operation, region, received, error.error_type, at))
        raise
    store.calls.append(Call(operation, region, received, None, at))
    return result


def _answer(store: Store, account_id: str, region: str, operation: str, params: dict[str, Any]) -> Wire:
    """Answer one Lightsail call: the result body, or a raised ``LightsailError``."""
    handler = OPERATIONS.get(operation)
    if handler is None:
        if operation in service_model().operation_names:
            raise UnsupportedOperation(operation)
        raise UnknownOperationException(f"Unknown operation {operation!r}", code="UnknownOperation")
    if store.injected:  # a racy peek is enough to skip the lock when nothing is injected
        with store.lock:
            _take_injected(store, account_id, region, operation)
    validate_input(operation, params)
    with store.lock:
        now = store.clock.time()
        timeline.catch_up(store, now)
        context = RequestContext(
            store=store, state=store.region(account_id, region), account_id=account_id, region=region, now=now
        )
        result = handler(context, params)
    if response_check is not None:
        response_check(operation, result)
    return result


__all__ = ["OPERATIONS", "Handler", "LightsailError", "RequestContext", "dispatch"]
