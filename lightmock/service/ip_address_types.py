"""SetIpAddressType: IPv4, dual-stack or IPv6-only, per resource type (docs/service-reference.md §12.5).

"Sets the IP address type for an Amazon Lightsail resource"; "The resource values are
``Distribution``, ``Instance``, and ``LoadBalancer``"; ``ipAddressType`` is ``ipv4``,
``ipv6`` or ``dualstack``
(https://docs.aws.amazon.com/lightsail/2016-11-28/api-reference/API_SetIpAddressType.html).
What a change means differs by type, so each type the mock models has its own small
function in :data:`SETTERS`; a family that adds one (distributions, container services)
adds its entry there. A type the service takes and lightmock does not model yet has no
resources in the mock, so the one named is not found (``NotFoundException``); a type it
models without an entry here raises ``UnsupportedOperation``, so a test fails instead of
passing against an invented success; any other type is an ``InvalidInputException``.

**An instance**: ``ipv4`` leaves it no IPv6 address, ``dualstack`` and ``ipv6`` give it one
(kept if it had one); ``ipv6`` takes away its public IPv4 address, and ``ipv4`` or
``dualstack`` gives a running instance a new one (a stopped one gets it when started, as
StartInstance assigns one). "An instance bundle will change when switching from
``dual-stack`` or ``ipv4``, to ``ipv6``. It also changes when switching from ``ipv6``, to
``dual-stack`` or ``ipv4``. You must include this parameter [``acceptBundleUpdate``] in the
command to update the bundle" (API reference): the new bundle is the catalogue's plan of the
same size and platform with no public IPv4 address (``nano_3_0`` and ``nano_ipv6_3_0``); one
without such a counterpart (Windows plans, the larger Linux ones) cannot go IPv6-only, as an
IPv6-only instance needs an IPv6 bundle (terraform-provider-aws#36284, #41608). An
instance with a static IP attached cannot go IPv6-only (the static IP is IPv4; inferred, as
AttachStaticIp refuses an IPv6-only instance).

**A load balancer**: its ``ipAddressType`` changes; the model documents all three values
for it (``CreateLoadBalancerRequest.ipAddressType``).

The operation: one ``SetIpAddressType`` operation on the resource, ``Succeeded`` (inferred:
no example shows it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException, UnsupportedOperation
from lightmock.core.quoting import quoted
from lightmock.core.records import Resource
from lightmock.core.wire import Wire
from lightmock.service import addresses, catalogue, distributions, family
from lightmock.service.context import RequestContext
from lightmock.service.instances import RUNNING
from lightmock.service.kinds import Family

IPV6 = "ipv6"

#: What SetIpAddressType does to a resource of one type: refuse by raising (before any
#: change), else change the record. Given the record, the type asked for, and whether the
#: caller accepted a bundle update.
Setter = Callable[[RequestContext, Resource, str, bool], None]


def _counterpart(bundle_id: str, ip_address_type: str) -> catalogue.Bundle | None:
    """The catalogue's plan of the same size and platform as ``bundle_id`` that fits
    ``ip_address_type`` (no public IPv4 address for ``ipv6``, one otherwise)."""
    current = catalogue.BUNDLES[bundle_id]
    wanted = 0 if ip_address_type == IPV6 else 1
    if current.public_ipv4_address_count == wanted:
        return current
    for bundle in catalogue.BUNDLES.values():
        if (bundle.instance_type, bundle.platform, bundle.public_ipv4_address_count) == (
            current.instance_type,
            current.platform,
            wanted,
        ):
            return bundle
    return None


def set_instance(context: RequestContext, instance: Resource, ip_address_type: str, accept: bool) -> None:
    body = instance.body
    bundle = _counterpart(body["bundleId"], ip_address_type)
    if bundle is None:
        raise InvalidInputException(
            f"The instance {instance.name} cannot be IPv6-only: its bundle {body['bundleId']} has no "
            "IPv6-only counterpart of the same size and platform",
            code="InvalidBundle",
        )
    if bundle.bundle_id != body["bundleId"] and not accept:
        raise InvalidInputException(
            f"Setting the instance {instance.name} to {ip_address_type} changes its bundle from "
            f"{body['bundleId']} to {bundle.bundle_id}: acceptBundleUpdate must be true",
            code="BundleUpdateNotAccepted",
        )
    if ip_address_type == IPV6 and body["isStaticIp"]:
        raise InvalidInputException(
            f"The instance {instance.name} has a static IP attached: detach it before making the instance IPv6-only",
            code="StaticIpAttached",
        )
    changes: Wire = {"ipAddressType": ip_address_type, "bundleId": bundle.bundle_id}
    if ip_address_type == "ipv4":
        changes["ipv6Addresses"] = []
    elif not body.get("ipv6Addresses"):
        changes["ipv6Addresses"] = [addresses.ipv6_address()]
    kept = {key: value for key, value in body.items() if not (ip_address_type == IPV6 and key == "publicIpAddress")}
    if ip_address_type == IPV6:
        addresses.release_dynamic(context.state, body)  # its dynamic address goes back to the pool
    if ip_address_type != IPV6 and "publicIpAddress" not in body and instance.state == RUNNING:
        changes["publicIpAddress"] = addresses.draw(context.state)
    instance.body = {**kept, **changes}


def set_load_balancer(context: RequestContext, balancer: Resource, ip_address_type: str, accept: bool) -> None:
    balancer.update(ipAddressType=ip_address_type)


#: The resource types SetIpAddressType reaches in lightmock, each with what it does.
SETTERS: dict[ResourceType, Setter] = {
    ResourceType.INSTANCE: set_instance,
    ResourceType.LOAD_BALANCER: set_load_balancer,
    ResourceType.DISTRIBUTION: distributions.set_ip_address_type,
}
#: The resource types the service takes (API reference).
SERVICE_TYPES = frozenset({ResourceType.DISTRIBUTION, ResourceType.INSTANCE, ResourceType.LOAD_BALANCER})


def set_ip_address_type(context: RequestContext, params: dict[str, Any]) -> Wire:
    resource_type = ResourceType(params["resourceType"])
    setter = SETTERS.get(resource_type)
    if setter is None:
        if resource_type in SERVICE_TYPES:
            if resource_type in context.table.kinds:
                raise UnsupportedOperation(f"SetIpAddressType for a {resource_type}")
            raise family.not_found(resource_type, params["resourceName"])
        allowed = ", ".join(sorted(SERVICE_TYPES))
        raise InvalidInputException(
            f"SetIpAddressType sets the IP address type of a resource of type {allowed}, not {quoted(resource_type)}",
            code="InvalidResourceType",
        )
    resource = family.find(context, resource_type, params["resourceName"])
    setter(context, resource, params["ipAddressType"], bool(params.get("acceptBundleUpdate")))
    return {"operations": [family.operation_on(context, resource, "SetIpAddressType")]}


FAMILY = Family(title="IP address types", operations={"SetIpAddressType": set_ip_address_type})
