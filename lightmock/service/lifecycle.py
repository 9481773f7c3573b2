"""StopInstance, StartInstance and RebootInstance, and what a stopped instance means for metrics.

The real service moves an instance through ``stopping`` to ``stopped`` and through
``pending`` to ``running`` over tens of seconds. The mock moves it **at once**: the call
returns with the instance in its end state, as lightmock's creates already do (an
instance is ``running`` when CreateInstances returns). A client that waits on the state
(the community.aws ``lightsail`` module polls GetInstance every 5 real seconds until the
state name is the one it wants) then never waits, whether or not the test froze the mock's
clock; a transition that moved with the mock's clock would leave such a loop spinning until
its real-time timeout under a frozen clock. The returned operations report what the real
calls report (aws-cli ``stop-instance``/``start-instance`` examples: ``Started``, not
terminal; ``reboot-instance``: ``Succeeded``); the operation log holds them ``Succeeded``.

The rules, from the API reference:

- StopInstance "Stops a specific Amazon Lightsail instance that is currently running"; an
  instance that is not running is refused (the error class is not documented: lightmock
  answers ``OperationFailureException``). ``force`` is for an instance "stuck in a stopping
  state"; nothing is ever stuck in the mock, so a forced stop is an ordinary one.
  https://docs.aws.amazon.com/lightsail/2016-11-28/api-reference/API_StopInstance.html
- StartInstance "Starts a specific Amazon Lightsail instance from a stopped state", and
  "When you start a stopped instance, Lightsail assigns a new public IP address to the
  instance" unless a static IP is attached. ``attributeUpdates.bundleId`` is refused: lightmock
  does not model changing an instance's bundle.
  https://docs.aws.amazon.com/lightsail/2016-11-28/api-reference/API_StartInstance.html
- RebootInstance restarts a running instance; its state stays ``running``.

A stopped instance produces no metric data of its own: samples seeded through the handle
for a time the instance was stopped are dropped (``running_samples``), and stopping an
instance drops the samples already seeded for later times. Alarms on it then see missing
data and follow their ``treatMissingData``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException, OperationFailureException
from lightmock.core.records import Resource
from lightmock.core.wire import Wire
from lightmock.engine.store import RegionState
from lightmock.service import addresses, family
from lightmock.service.context import RequestContext
from lightmock.service.instances import RUNNING, STOPPED, state_wire
from lightmock.service.kinds import Family


def state_name(resource: Resource) -> str:
    return str(resource.state)


def _refuse(resource: Resource, action: str, needed: str) -> OperationFailureException:
    return OperationFailureException(
        f"The instance {resource.name} cannot be {action}: it is {state_name(resource)}, and only a "
        f"{needed} instance can be",
        code="InvalidInstanceState",
    )


def _operation(context: RequestContext, resource: Resource, operation_type: str, status: str) -> Wire:
    return family.operation_on(context, resource, operation_type, status=status)


def _drop_samples_from(state: RegionState, resource: Resource, start: float) -> None:
    """Forget the instance's samples at ``start`` and later (seeded ahead of the clock)."""
    keys = list(state.metrics.keys())  # a copy: the loop discards keys
    for key in [key for key in keys if key[0] == resource.resource_type and key[1] == resource.name]:
        series = state.metrics.get(key)
        if series is None:
            continue
        times, values = series.samples()
        keep = times < start
        if keep.all():
            continue
        kept_times, kept_values = times[keep].copy(), values[keep].copy()
        state.metrics.discard(lambda candidate, key=key: candidate == key)  # type: ignore[misc]
        if kept_times.size:
            state.metrics.append(key, kept_times, kept_values)


def running_samples(resource: Resource, times: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Which of ``times`` the resource was not stopped at (all of them for a resource never stopped)."""
    keep = np.ones(times.shape, dtype=bool)
    for start, end in resource.stopped:
        keep &= ~((times >= start) & (times < end))
    return keep


def stop_instance(context: RequestContext, params: dict[str, Any]) -> Wire:
    resource = family.find(context, ResourceType.INSTANCE, params["instanceName"])
    if state_name(resource) != RUNNING:
        raise _refuse(resource, "stopped", "running")
    if not resource.body["isStaticIp"]:
        # Its dynamic address goes with it; StartInstance assigns a new one.
        addresses.release(context.state, resource.body.get("publicIpAddress"))
        resource.body = {key: value for key, value in resource.body.items() if key != "publicIpAddress"}
    family.begin_transition(context, resource, interim="stopping", final=STOPPED)
    resource.stopped.append((context.now, math.inf))
    _drop_samples_from(context.state, resource, context.now)
    return {"operations": [_operation(context, resource, "StopInstance", "Started")]}


def start_instance(context: RequestContext, params: dict[str, Any]) -> Wire:
    resource = family.find(context, ResourceType.INSTANCE, params["instanceName"])
    if "attributeUpdates" in params:
        raise InvalidInputException(
            "lightmock does not model changing an instance's bundle: attributeUpdates is not supported",
            code="ValidationError",
        )
    if state_name(resource) != STOPPED:
        raise _refuse(resource, "started", "stopped")
    if not resource.body["isStaticIp"] and resource.body.get("ipAddressType") != "ipv6":
        resource.update(publicIpAddress=addresses.draw(context.state))
    family.begin_transition(context, resource, interim="pending", final=RUNNING)
    start, _ = resource.stopped[-1]
    resource.stopped[-1] = (start, context.now)
    return {"operations": [_operation(context, resource, "StartInstance", "Started")]}


def reboot_instance(context: RequestContext, params: dict[str, Any]) -> Wire:
    resource = family.find(context, ResourceType.INSTANCE, params["instanceName"])
    if state_name(resource) != RUNNING:
        raise _refuse(resource, "rebooted", "running")
    return {"operations": [_operation(context, resource, "RebootInstance", "Succeeded")]}


def get_instance_state(context: RequestContext, params: dict[str, Any]) -> Wire:
    """The state alone, as shell scripts poll it (aws-cli ``get-instance-state`` example)."""
    resource = family.find(context, ResourceType.INSTANCE, params["instanceName"])
    return {"state": state_wire(str(resource.state))}


FAMILY = Family(
    title="Instance lifecycle",
    operations={
        "StopInstance": stop_instance,
        "StartInstance": start_instance,
        "RebootInstance": reboot_instance,
        "GetInstanceState": get_instance_state,
    },
)
