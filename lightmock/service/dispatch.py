"""What the mock answers: one table from operation name to handler, and ``dispatch``.

``dispatch`` knows nothing of botocore or HTTP: it takes an operation name and its decoded
parameters and returns the result body (or raises a ``LightsailError``). The order is
fixed: injected faults, validation against the model (before any state is touched), which
also normalises the parameters (nulls dropped, integral floats made integers:
``schema/validation.py``), then the handler under the store's lock, after the alarm engine
has caught up with the clock.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lightmock.core.exceptions import LightsailError, UnknownOperationException, UnsupportedOperation
from lightmock.core.quoting import quoted
from lightmock.core.records import LoggedCall, logged_params
from lightmock.core.wire import Wire
from lightmock.engine import timeline
from lightmock.engine.store import Store
from lightmock.schema.model import service_model
from lightmock.schema.validation import validate_input
from lightmock.service import (
    alarms,
    contacts,
    key_pairs,
    lb_attachments,
    lifecycle,
    metricdata,
    operations,
    ports,
    resources,
    static_ips,
    tags,
)
from lightmock.service.context import RequestContext

Handler = Callable[[RequestContext, dict[str, Any]], Wire]

OPERATIONS: dict[str, Handler] = {
    "AllocateStaticIp": static_ips.allocate_static_ip,
    "AttachInstancesToLoadBalancer": lb_attachments.attach_instances_to_load_balancer,
    "AttachStaticIp": static_ips.attach_static_ip,
    "CloseInstancePublicPorts": ports.close_instance_public_ports,
    "CreateContactMethod": contacts.create_contact_method,
    "CreateInstances": resources.create_instances,
    "CreateKeyPair": key_pairs.create_key_pair,
    "CreateLoadBalancer": resources.create_load_balancer,
    "CreateRelationalDatabase": resources.create_relational_database,
    "DeleteAlarm": alarms.delete_alarm,
    "DeleteContactMethod": contacts.delete_contact_method,
    "DeleteInstance": resources.delete_instance,
    "DeleteKeyPair": key_pairs.delete_key_pair,
    "DeleteLoadBalancer": resources.delete_load_balancer,
    "DeleteRelationalDatabase": resources.delete_relational_database,
    "DetachInstancesFromLoadBalancer": lb_attachments.detach_instances_from_load_balancer,
    "DetachStaticIp": static_ips.detach_static_ip,
    "GetAlarms": alarms.get_alarms,
    "GetBlueprints": resources.get_blueprints,
    "GetBundles": resources.get_bundles,
    "GetContactMethods": contacts.get_contact_methods,
    "GetInstance": resources.get_instance,
    "GetInstanceMetricData": metricdata.get_instance_metric_data,
    "GetInstancePortStates": ports.get_instance_port_states,
    "GetInstanceState": lifecycle.get_instance_state,
    "GetInstances": resources.get_instances,
    "GetKeyPair": key_pairs.get_key_pair,
    "GetKeyPairs": key_pairs.get_key_pairs,
    "GetLoadBalancer": resources.get_load_balancer,
    "GetLoadBalancerMetricData": metricdata.get_load_balancer_metric_data,
    "GetLoadBalancers": resources.get_load_balancers,
    "GetOperation": operations.get_operation,
    "GetOperations": operations.get_operations,
    "GetOperationsForResource": operations.get_operations_for_resource,
    "GetRelationalDatabase": resources.get_relational_database,
    "GetRelationalDatabaseBlueprints": resources.get_relational_database_blueprints,
    "GetRelationalDatabaseBundles": resources.get_relational_database_bundles,
    "GetRelationalDatabaseMetricData": metricdata.get_relational_database_metric_data,
    "GetRelationalDatabases": resources.get_relational_databases,
    "GetStaticIp": static_ips.get_static_ip,
    "GetStaticIps": static_ips.get_static_ips,
    "ImportKeyPair": key_pairs.import_key_pair,
    "OpenInstancePublicPorts": ports.open_instance_public_ports,
    "PutAlarm": alarms.put_alarm,
    "PutInstancePublicPorts": ports.put_instance_public_ports,
    "RebootInstance": lifecycle.reboot_instance,
    "ReleaseStaticIp": static_ips.release_static_ip,
    "SendContactMethodVerification": contacts.send_contact_method_verification,
    "StartInstance": lifecycle.start_instance,
    "StopInstance": lifecycle.stop_instance,
    "TagResource": tags.tag_resource,
    "TestAlarm": alarms.test_alarm,
    "UntagResource": tags.untag_resource,
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
    received = logged_params(params)
    at = store.clock.time()
    try:
        result = _answer(store, account_id, region, operation, params)
    except LightsailError as error:
        store.calls.append(LoggedCall(operation, region, received, error.error_type, at, account_id))
        raise
    store.calls.append(LoggedCall(operation, region, received, None, at, account_id))
    return result


def _answer(store: Store, account_id: str, region: str, operation: str, params: dict[str, Any]) -> Wire:
    """Answer one Lightsail call: the result body, or a raised ``LightsailError``."""
    handler = OPERATIONS.get(operation)
    if handler is None:
        if operation in service_model().operation_names:
            raise UnsupportedOperation(operation)
        raise UnknownOperationException(f"Unknown operation {quoted(operation)}", code="UnknownOperation")
    if store.injected:  # a racy peek is enough to skip the lock when nothing is injected
        with store.lock:
            _take_injected(store, account_id, region, operation)
    params = validate_input(operation, params)  # normalised: handlers trust the types they read
    with timeline.settled(store) as now:
        context = RequestContext(
            store=store, state=store.region(account_id, region), account_id=account_id, region=region, now=now
        )
        result = handler(context, params)
    if response_check is not None:
        response_check(operation, result)
    return result


__all__ = ["OPERATIONS", "Handler", "LightsailError", "RequestContext", "dispatch"]
