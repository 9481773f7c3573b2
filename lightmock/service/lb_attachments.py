"""AttachInstancesToLoadBalancer and DetachInstancesFromLoadBalancer.

A load balancer's attached instances are its ``instanceHealthSummary`` (the model's
``InstanceHealthSummary``: name, health, reason). The real attach "After some time" makes
the instances healthy (AttachInstancesToLoadBalancer doc); the mock attaches at once, and
reports a running instance ``healthy`` and one stopped since ``unused`` (``links.py``).
"An instance must be running before you can attach it to your load balancer" (model doc of
``instanceNames``): attaching one that is not is an ``InvalidInputException`` naming it and
its state, and nothing is attached (docs/service-reference.md §7.6). The
operations are those of the aws-cli ``attach-instances-to-load-balancer`` example: for each
instance, one on the load balancer naming the instance and one on the instance naming the
load balancer, reported ``Started`` (the log holds them ``Succeeded``).

Undocumented, chosen here: attaching an instance that is already attached, or detaching
one that is not, is an ``InvalidInputException`` naming it, and nothing changes.
"""

from __future__ import annotations

from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException
from lightmock.core.quoting import quoted
from lightmock.core.records import Resource
from lightmock.core.wire import Wire
from lightmock.service import links, resources
from lightmock.service.context import RequestContext


def _request(context: RequestContext, params: dict[str, Any]) -> tuple[Resource, list[Resource], set[str]]:
    """The load balancer, the instances named (each must exist) and those already attached."""
    balancer = resources.find(context, ResourceType.LOAD_BALANCER, params["loadBalancerName"])
    names: list[str] = list(dict.fromkeys(params["instanceNames"]))
    if not names:
        raise InvalidInputException("instanceNames must name at least one instance", code="ValidationError")
    instances = [resources.find(context, ResourceType.INSTANCE, name) for name in names]
    attached = {entry["instanceName"] for entry in balancer.wire["instanceHealthSummary"]}
    return balancer, instances, attached


def _operations(context: RequestContext, balancer: Resource, instances: list[Resource], operation_type: str) -> Wire:
    operations = []
    for instance in instances:
        operations.append(
            context.operation(
                resource_name=balancer.name,
                resource_type=ResourceType.LOAD_BALANCER,
                operation_type=operation_type,
                status="Started",
                details=instance.name,
            )
        )
        operations.append(
            context.operation(
                resource_name=instance.name,
                resource_type=ResourceType.INSTANCE,
                operation_type=operation_type,
                status="Started",
                details=balancer.name,
            )
        )
    return {"operations": operations}


def not_running(instances: list[Resource]) -> list[str]:
    """The instances that cannot be attached, each as ``<name> (<state>)``."""
    return [
        f"{instance.name} ({instance.wire['state']['name']})"
        for instance in instances
        if instance.wire["state"]["name"] != "running"
    ]


def attach_instances_to_load_balancer(context: RequestContext, params: dict[str, Any]) -> Wire:
    balancer, instances, attached = _request(context, params)
    again = [instance.name for instance in instances if instance.name in attached]
    if again:
        raise InvalidInputException(
            f"Already attached to the load balancer {balancer.name}: {quoted(again, bare=True)}", code="AlreadyAttached"
        )
    idle = not_running(instances)
    if idle:
        raise InvalidInputException(
            f"An instance must be running before you can attach it to your load balancer; not running: "
            f"{', '.join(idle)}",
            code="InvalidInstanceState",
        )
    summary = balancer.wire["instanceHealthSummary"] + [
        {"instanceName": instance.name, **links.instance_health(instance)} for instance in instances
    ]
    balancer.wire = {**balancer.wire, "instanceHealthSummary": summary}
    return _operations(context, balancer, instances, "AttachInstancesToLoadBalancer")


def detach_instances_from_load_balancer(context: RequestContext, params: dict[str, Any]) -> Wire:
    balancer, instances, attached = _request(context, params)
    missing = [instance.name for instance in instances if instance.name not in attached]
    if missing:
        raise InvalidInputException(
            f"Not attached to the load balancer {balancer.name}: {quoted(missing, bare=True)}", code="NotAttached"
        )
    leaving = {instance.name for instance in instances}
    summary = [entry for entry in balancer.wire["instanceHealthSummary"] if entry["instanceName"] not in leaving]
    balancer.wire = {**balancer.wire, "instanceHealthSummary": summary}
    return _operations(context, balancer, instances, "DetachInstancesFromLoadBalancer")
