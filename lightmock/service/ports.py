"""An instance's firewall: Open-, Close- and PutInstancePublicPorts, GetInstancePortStates.

The rules live in the instance record (``networking.ports``, the model's
``InstancePortInfo``), where GetInstance shows them. A rule is keyed by its protocol and
port range: opening a range that has a rule replaces that rule's sources, closing removes
it, and PutInstancePublicPorts "closes all currently open ports that are not included in
the request" (model doc). A rule given no source at all is open to every IPv4 address
(``0.0.0.0/0``), as the console's default rule is. Port ranges follow the ``PortInfo``
documentation: 0 to 65535 for TCP, UDP and all; for ICMP, ``fromPort`` is the ICMP type and
``toPort`` the code, -1 meaning any. The operation reports ``<fromPort>[-<toPort>]/<protocol>``
as its details, as the aws-cli ``open-instance-public-ports`` example shows ``22/tcp``.
"""

from __future__ import annotations

from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException
from lightmock.core.records import Resource
from lightmock.core.wire import Wire
from lightmock.service import catalogue, family
from lightmock.service.context import RequestContext
from lightmock.service.kinds import Family

#: How the instance records spell the access type and an open-to-all source (one rule,
#: catalogue's, so that opened ports read like a blueprint's default ones).
_TEMPLATE = catalogue.Port(port=0).wire()
_ANYWHERE_V4 = ["0.0.0.0/0"]
_ANYWHERE_V6 = ["::/0"]

RuleKey = tuple[str, int, int]


def _key(rule: Wire) -> RuleKey:
    return (rule["protocol"], rule["fromPort"], rule["toPort"])


def _check(port_info: Wire) -> None:
    protocol, low, high = port_info.get("protocol", "tcp"), port_info.get("fromPort"), port_info.get("toPort")
    if low is None or high is None:
        raise InvalidInputException("portInfo must give both fromPort and toPort", code="ValidationError")
    icmp = protocol in ("icmp", "icmpv6")
    valid = (-1 <= low <= 255 and -1 <= high <= 255) if icmp else (0 <= low <= high <= 65535)
    if not valid:
        raise InvalidInputException(
            f"The port range {low}-{high} is not valid for {protocol}: TCP, UDP and all take ports 0 to 65535 "
            "(fromPort at most toPort); ICMP takes a type and a code from -1 to 255",
            code="InvalidPortRange",
        )


def _rule(port_info: Wire) -> Wire:
    """The ``InstancePortInfo`` a request's ``PortInfo`` opens."""
    _check(port_info)
    cidrs = list(port_info.get("cidrs", []))
    ipv6_cidrs = list(port_info.get("ipv6Cidrs", []))
    aliases = list(port_info.get("cidrListAliases", []))
    if not (cidrs or ipv6_cidrs or aliases):
        cidrs = list(_ANYWHERE_V4)
    if aliases or cidrs != _ANYWHERE_V4 or ipv6_cidrs not in ([], _ANYWHERE_V6):
        access_from = "Custom"
    else:
        access_from = _TEMPLATE["accessFrom"] if ipv6_cidrs else "Anywhere (0.0.0.0/0)"
    return {
        "fromPort": port_info["fromPort"],
        "toPort": port_info["toPort"],
        "protocol": port_info.get("protocol", "tcp"),
        "accessFrom": access_from,
        "accessType": _TEMPLATE["accessType"],
        "commonName": "",
        "accessDirection": "inbound",
        "cidrs": cidrs,
        "ipv6Cidrs": ipv6_cidrs,
        "cidrListAliases": aliases,
    }


def _details(port_info: Wire) -> str:
    low, high = port_info["fromPort"], port_info["toPort"]
    span = str(low) if low == high else f"{low}-{high}"
    return f"{span}/{port_info.get('protocol', 'tcp')}"


def _commit(context: RequestContext, instance: Resource, rules: list[Wire], operation_type: str, details: str) -> Wire:
    instance.update(networking={**instance.body["networking"], "ports": rules})
    return {"operation": family.operation_on(context, instance, operation_type, details=details)}


def _instance(context: RequestContext, params: dict[str, Any]) -> Resource:
    return family.find(context, ResourceType.INSTANCE, params["instanceName"])


def open_instance_public_ports(context: RequestContext, params: dict[str, Any]) -> Wire:
    instance = _instance(context, params)
    new = _rule(params["portInfo"])
    rules = [rule for rule in instance.body["networking"]["ports"] if _key(rule) != _key(new)] + [new]
    return _commit(context, instance, rules, "OpenInstancePublicPorts", _details(params["portInfo"]))


def close_instance_public_ports(context: RequestContext, params: dict[str, Any]) -> Wire:
    instance = _instance(context, params)
    closing = _rule(params["portInfo"])
    rules = [rule for rule in instance.body["networking"]["ports"] if _key(rule) != _key(closing)]
    return _commit(context, instance, rules, "CloseInstancePublicPorts", _details(params["portInfo"]))


def put_instance_public_ports(context: RequestContext, params: dict[str, Any]) -> Wire:
    instance = _instance(context, params)
    by_key: dict[RuleKey, Wire] = {}
    for port_info in params["portInfos"]:
        rule = _rule(port_info)
        by_key[_key(rule)] = rule
    details = ", ".join(_details(port_info) for port_info in params["portInfos"])
    return _commit(context, instance, list(by_key.values()), "PutInstancePublicPorts", details)


def get_instance_port_states(context: RequestContext, params: dict[str, Any]) -> Wire:
    instance = _instance(context, params)
    states = [
        {
            "fromPort": rule["fromPort"],
            "toPort": rule["toPort"],
            "protocol": rule["protocol"],
            "state": "open",
            "cidrs": list(rule["cidrs"]),
            "ipv6Cidrs": list(rule["ipv6Cidrs"]),
            "cidrListAliases": list(rule["cidrListAliases"]),
        }
        for rule in instance.body["networking"]["ports"]
    ]
    return {"portStates": states}


FAMILY = Family(
    title="Instance firewall",
    operations={
        "OpenInstancePublicPorts": open_instance_public_ports,
        "CloseInstancePublicPorts": close_instance_public_ports,
        "PutInstancePublicPorts": put_instance_public_ports,
        "GetInstancePortStates": get_instance_port_states,
    },
)
