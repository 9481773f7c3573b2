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
from lightmock.core.records import Resource, ResourceForm
from lightmock.core.wire import Wire, request_tags
from lightmock.engine.store import RegionState
from lightmock.service import addresses, family
from lightmock.service.catalogue import support_code
from lightmock.service.context import RequestContext
from lightmock.service.kinds import Family, Kind, Reference

_TYPE = ResourceType.STATIC_IP


def _attachment(static_ip: Resource) -> Wire:
    if static_ip.attached_to is None:
        return {"isAttached": False}
    return {"attachedTo": static_ip.attached_to, "isAttached": True}


def _attached(static_ip: Resource) -> list[str]:
    return [] if static_ip.attached_to is None else [static_ip.attached_to]


def _instance_gone(state: RegionState, static_ip: Resource, instance: Resource) -> None:
    static_ip.attached_to = None


#: A static IP can be tagged (TagResource), but the model's ``StaticIp`` shape has no
#: ``tags``: they are kept, and count towards the limit, but GetStaticIp cannot show them.
STATIC_IP = Kind(
    resource_type=_TYPE,
    name_member="staticIpName",
    get=("GetStaticIp", "staticIp"),
    listing=("GetStaticIps", "staticIps"),
    form=ResourceForm(state=None, tags_shown=False, derived=_attachment),
    refers_to=(Reference(kind=ResourceType.INSTANCE, names=_attached, when_gone=_instance_gone),),
)


def _find(context: RequestContext, name: str) -> Resource:
    return family.find(context, _TYPE, name)


def _operation(context: RequestContext, static_ip: Resource, operation_type: str, details: str | None = None) -> Wire:
    return family.operation_on(context, static_ip, operation_type, details=details)


def _instance_operation(context: RequestContext, instance: Resource, operation_type: str, details: str) -> Wire:
    return family.operation_on(context, instance, operation_type, details=details)


def allocate_static_ip(context: RequestContext, params: dict[str, Any]) -> Wire:
    name = params["staticIpName"]
    family.check_names_free(context, STATIC_IP, [name])
    address = addresses.draw(context.state)
    static_ip = family.new_record(
        context,
        STATIC_IP,
        name,
        support_code=support_code(context.account_id, address),
        tags=request_tags(params),
        body={"ipAddress": address},
    )
    family.add(context, static_ip)
    return {"operations": [_operation(context, static_ip, "AllocateStaticIp")]}


def attach_static_ip(context: RequestContext, params: dict[str, Any]) -> Wire:
    static_ip = _find(context, params["staticIpName"])
    instance = family.find(context, ResourceType.INSTANCE, params["instanceName"])
    attached = static_ip.attached_to
    if attached is not None:
        raise InvalidInputException(
            f"The static IP {static_ip.name} is already attached to the instance {attached}; detach it first",
            code="AlreadyAttached",
        )
    if instance.body["isStaticIp"]:
        raise InvalidInputException(
            f"The instance {instance.name} already has a static IP attached; detach it first", code="AlreadyAttached"
        )
    if instance.body["ipAddressType"] == "ipv6":
        raise InvalidInputException(
            f"The instance {instance.name} is IPv6-only and has no public IPv4 address to make static",
            code="InvalidIpAddressType",
        )
    addresses.release_dynamic(context.state, instance.body)  # the static address replaces it
    static_ip.attached_to = instance.name
    instance.update(isStaticIp=True, publicIpAddress=static_ip.body["ipAddress"])
    return {
        "operations": [
            _operation(context, static_ip, "AttachStaticIp", instance.name),
            _instance_operation(context, instance, "AttachStaticIp", static_ip.name),
        ]
    }


def _detach(context: RequestContext, static_ip: Resource) -> list[Wire]:
    """Detach a static IP from its instance (which must still exist); the operations it reports."""
    assert static_ip.attached_to is not None
    instance = family.find(context, ResourceType.INSTANCE, static_ip.attached_to)
    static_ip.attached_to = None
    body = {key: value for key, value in instance.body.items() if key != "publicIpAddress"}
    body["isStaticIp"] = False
    if instance.state == "running":
        body["publicIpAddress"] = addresses.draw(context.state)
    instance.body = body
    return [
        _operation(context, static_ip, "DetachStaticIp", instance.name),
        _instance_operation(context, instance, "DetachStaticIp", static_ip.name),
    ]


def detach_static_ip(context: RequestContext, params: dict[str, Any]) -> Wire:
    static_ip = _find(context, params["staticIpName"])
    if static_ip.attached_to is None:
        raise InvalidInputException(
            f"The static IP {static_ip.name} is not attached to an instance", code="NotAttached"
        )
    return {"operations": _detach(context, static_ip)}


def release_static_ip(context: RequestContext, params: dict[str, Any]) -> Wire:
    static_ip = _find(context, params["staticIpName"])
    operations = _detach(context, static_ip) if static_ip.attached_to is not None else []
    family.remove(context, static_ip)
    addresses.release(context.state, static_ip.body["ipAddress"])
    operations.append(_operation(context, static_ip, "ReleaseStaticIp"))
    return {"operations": operations}


FAMILY = Family(
    title="Static IPs",
    kinds=(STATIC_IP,),
    operations={
        "AllocateStaticIp": allocate_static_ip,
        "AttachStaticIp": attach_static_ip,
        "DetachStaticIp": detach_static_ip,
        "ReleaseStaticIp": release_static_ip,
        **family.standard_operations(STATIC_IP),
    },
)
