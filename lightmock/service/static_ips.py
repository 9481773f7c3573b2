"""Static IPs: AllocateStaticIp, AttachStaticIp, DetachStaticIp, ReleaseStaticIp, GetStaticIp(s).

Records and operations as the aws-cli examples show them
(https://github.com/aws/aws-cli/tree/develop/awscli/examples/lightsail: ``allocate-static-ip``,
``attach-static-ip``, ``get-static-ip``, ...): location ``all``, support code
``<account code>/<address>``, two operations for an attach or a detach (one on the static
IP naming the instance, one on the instance naming the static IP), all ``Succeeded``.

An attached instance's ``publicIpAddress`` is the static IP's address and ``isStaticIp``
is true. Detached, it gets a new dynamic address while running and none while stopped, as a
started instance does ("When you start a stopped instance, Lightsail assigns a new public IP
address", https://docs.aws.amazon.com/lightsail/2016-11-28/api-reference/API_StartInstance.html).

Undocumented, chosen here (docs/limits.md): a static IP attached to one instance, or an
instance that already has one, is refused rather than moved; an IPv6-only instance, which
has no public IPv4 address, is refused; ReleaseStaticIp of an attached static IP detaches it
first; deleting an instance leaves its static IP allocated and detached.
"""

from __future__ import annotations

from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException
from lightmock.core.ids import new_id
from lightmock.core.quoting import quoted
from lightmock.core.records import Resource
from lightmock.core.wire import Wire
from lightmock.service import addresses, paging, resources
from lightmock.service.catalogue import support_code
from lightmock.service.context import RequestContext

_TYPE = ResourceType.STATIC_IP


def _find(context: RequestContext, name: str) -> Resource:
    return resources.find_in(context.state.static_ips, _TYPE, name)


def _operation(context: RequestContext, static_ip: Resource, operation_type: str, details: str | None = None) -> Wire:
    return context.operation(
        resource_name=static_ip.name, resource_type=_TYPE, operation_type=operation_type, details=details
    )


def _instance_operation(context: RequestContext, instance: Resource, operation_type: str, details: str) -> Wire:
    return context.operation(
        resource_name=instance.name,
        resource_type=ResourceType.INSTANCE,
        operation_type=operation_type,
        availability_zone=instance.wire["location"]["availabilityZone"],
        details=details,
    )


def allocate_static_ip(context: RequestContext, params: dict[str, Any]) -> Wire:
    name = params["staticIpName"]
    if name in context.state.static_ips:
        raise InvalidInputException(
            f"The StaticIp name is already in use: {quoted(name, bare=True)}", code="NameExists"
        )
    address = addresses.draw(context.state)
    wire = context.resource_head(_TYPE, name, new_id())
    wire["supportCode"] = support_code(context.account_id, address)
    wire["ipAddress"] = address
    wire["isAttached"] = False
    context.state.static_ips[name] = Resource(
        name=name, resource_type=_TYPE, arn=wire["arn"], created_at=context.now, wire=wire
    )
    return {"operations": [_operation(context, context.state.static_ips[name], "AllocateStaticIp")]}


def attach_static_ip(context: RequestContext, params: dict[str, Any]) -> Wire:
    static_ip = _find(context, params["staticIpName"])
    instance = resources.find(context, ResourceType.INSTANCE, params["instanceName"])
    attached = static_ip.wire.get("attachedTo")
    if attached is not None:
        raise InvalidInputException(
            f"The static IP {static_ip.name} is already attached to the instance {attached}; detach it first",
            code="AlreadyAttached",
        )
    if instance.wire["isStaticIp"]:
        raise InvalidInputException(
            f"The instance {instance.name} already has a static IP attached; detach it first", code="AlreadyAttached"
        )
    if instance.wire["ipAddressType"] == "ipv6":
        raise InvalidInputException(
            f"The instance {instance.name} is IPv6-only and has no public IPv4 address to make static",
            code="InvalidIpAddressType",
        )
    addresses.release_dynamic(context.state, instance.wire)  # the static address replaces it
    static_ip.wire = {**static_ip.wire, "attachedTo": instance.name, "isAttached": True}
    instance.wire = {**instance.wire, "isStaticIp": True, "publicIpAddress": static_ip.wire["ipAddress"]}
    return {
        "operations": [
            _operation(context, static_ip, "AttachStaticIp", instance.name),
            _instance_operation(context, instance, "AttachStaticIp", static_ip.name),
        ]
    }


def _detach(context: RequestContext, static_ip: Resource) -> list[Wire]:
    """Detach a static IP from its instance (which must still exist); the operations it reports."""
    instance = resources.find(context, ResourceType.INSTANCE, static_ip.wire["attachedTo"])
    static_ip.wire = {**{k: v for k, v in static_ip.wire.items() if k != "attachedTo"}, "isAttached": False}
    wire = {key: value for key, value in instance.wire.items() if key != "publicIpAddress"}
    wire["isStaticIp"] = False
    if wire["state"]["name"] == "running":
        wire["publicIpAddress"] = addresses.draw(context.state)
    instance.wire = wire
    return [
        _operation(context, static_ip, "DetachStaticIp", instance.name),
        _instance_operation(context, instance, "DetachStaticIp", static_ip.name),
    ]


def detach_static_ip(context: RequestContext, params: dict[str, Any]) -> Wire:
    static_ip = _find(context, params["staticIpName"])
    if "attachedTo" not in static_ip.wire:
        raise InvalidInputException(
            f"The static IP {static_ip.name} is not attached to an instance", code="NotAttached"
        )
    return {"operations": _detach(context, static_ip)}


def release_static_ip(context: RequestContext, params: dict[str, Any]) -> Wire:
    static_ip = _find(context, params["staticIpName"])
    operations = _detach(context, static_ip) if "attachedTo" in static_ip.wire else []
    del context.state.static_ips[static_ip.name]
    addresses.release(context.state, static_ip.wire["ipAddress"])
    operations.append(_operation(context, static_ip, "ReleaseStaticIp"))
    return {"operations": operations}


def get_static_ip(context: RequestContext, params: dict[str, Any]) -> Wire:
    return {"staticIp": resources.published(_find(context, params["staticIpName"]))}


def get_static_ips(context: RequestContext, params: dict[str, Any]) -> Wire:
    listed = paging.listing(context.state.static_ips.values())
    return resources.page_of(context, "GetStaticIps", "staticIps", params, listed, resources.published)
