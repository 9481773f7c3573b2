"""What other records say about an instance: a static IP's attachment, a load balancer's
health summary. Kept here, below the handlers that change instances, so that each of them
(stop, start, delete, attach) brings those records up to date through one function.
"""

from __future__ import annotations

from lightmock.core.domain import ResourceType
from lightmock.core.records import Resource
from lightmock.core.wire import Wire
from lightmock.engine.store import RegionState


def instance_health(instance: Resource | None) -> Wire:
    """An attached instance's health as a load balancer reports it (``InstanceHealthSummary``).

    Healthy once attached when running (the mock finishes registration at once); a stopped
    instance is ``unused`` for ``Instance.InvalidState``, the model's reason "the target is
    in the stopped or terminated state".
    """
    if instance is not None and instance.wire["state"]["name"] == "running":
        return {"instanceHealth": "healthy"}
    return {"instanceHealth": "unused", "instanceHealthReason": "Instance.InvalidState"}


def refresh(state: RegionState) -> None:
    """Bring every record that names an instance up to date with the instances there are:
    a static IP whose instance is gone is detached, a load balancer forgets a deleted
    instance and reports the health of the others."""
    instances = state.resources[ResourceType.INSTANCE]
    for static_ip in state.static_ips.values():
        attached = static_ip.wire.get("attachedTo")
        if attached is not None and attached not in instances:
            wire = {key: value for key, value in static_ip.wire.items() if key != "attachedTo"}
            static_ip.wire = {**wire, "isAttached": False}
    for balancer in state.resources[ResourceType.LOAD_BALANCER].values():
        summary = [
            {"instanceName": entry["instanceName"], **instance_health(instances[entry["instanceName"]])}
            for entry in balancer.wire["instanceHealthSummary"]
            if entry["instanceName"] in instances
        ]
        if summary != balancer.wire["instanceHealthSummary"]:
            balancer.wire = {**balancer.wire, "instanceHealthSummary": summary}
