"""An instance's firewall: Open-, Close- and PutInstancePublicPorts, GetInstancePortStates.

The rules live in the instance record (``networking.ports``, the model's
``InstancePortInfo``), where GetInstance shows them. A rule is keyed by its protocol and
port range (docs/service-reference.md §7.5): opening a range that has a rule replaces that
rule's sources, closing removes the rule whatever sources the request names, and
PutInstancePublicPorts "closes all currently open ports that are not included in the
request" (model doc). A rule keeps the sources its request named, and no others: one that
names none reports empty ``cidrs``, as Terraform's provider needs to re-plan nothing (§7.5).
Port ranges follow the ``PortInfo`` documentation: 0 to 65535 for TCP, UDP and all; for ICMP,
``fromPort`` is the ICMP type and ``toPort`` the code, -1 meaning any. Sources follow it too:
``cidrs`` IPv4 addresses or ranges, ``ipv6Cidrs`` IPv6 ones, ``cidrListAliases`` only
``lightsail-connect``; anything else is refused before anything changes. The protocol may
come in any case (``TCP``, as the aws-cli examples send it): validation hands it on in the
model's lower case (schema/differences.py). The operation reports
``<fromPort>[-<toPort>]/<protocol>`` as its details, as the aws-cli
``open-instance-public-ports`` example shows ``22/tcp``.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException
from lightmock.core.quoting import quoted
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
#: "The only alias currently supported is lightsail-connect" (model ``PortInfo.cidrListAliases``).
ALIASES = frozenset({"lightsail-connect"})

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


def _network_problem(value: str, family: type[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> str | None:
    """Why ``value`` is not an address or range of ``family`` in CIDR notation, or None."""
    try:
        network = ipaddress.ip_network(value, strict=False)
    except ValueError:
        return "is not an IP address or a range in CIDR notation"
    if not isinstance(network, family):
        wanted = "IPv6" if family is ipaddress.IPv4Network else "IPv4"
        return f"is an {wanted} range; {wanted} sources go in {'ipv6Cidrs' if wanted == 'IPv6' else 'cidrs'}"
    return None


def source_problems(port_info: Wire, path: str = "portInfo") -> list[str]:
    """Every source of a ``PortInfo`` that the ``PortInfo`` documentation does not allow."""
    problems = []
    for member, network_type in (("cidrs", ipaddress.IPv4Network), ("ipv6Cidrs", ipaddress.IPv6Network)):
        for index, value in enumerate(port_info.get(member, ())):
            problem = _network_problem(value, network_type)
            if problem is not None:
                problems.append(f"{path}.{member}[{index}]: {quoted(value)} {problem}")
    for index, alias in enumerate(port_info.get("cidrListAliases", ())):
        if alias not in ALIASES:
            problems.append(
                f"{path}.cidrListAliases[{index}]: {quoted(alias)} is not an alias; the only one is lightsail-connect"
            )
    return problems


def _access_from(cidrs: list[str], ipv6_cidrs: list[str], aliases: list[str]) -> str:
    """How the record words a rule's sources: ``Custom`` unless open to every address of a
    family. A rule naming no source reads as open to every IPv4 address (the mock's
    reading, docs/service-reference.md §7.5)."""
    if aliases or cidrs not in ([], _ANYWHERE_V4) or ipv6_cidrs not in ([], _ANYWHERE_V6):
        return "Custom"
    if ipv6_cidrs and cidrs:
        return str(_TEMPLATE["accessFrom"])
    return "Anywhere (::/0)" if ipv6_cidrs else "Anywhere (0.0.0.0/0)"


def _rule(port_info: Wire, path: str = "portInfo") -> Wire:
    """The ``InstancePortInfo`` a request's ``PortInfo`` opens, or ``InvalidInputException``."""
    _check(port_info)
    problems = source_problems(port_info, path)
    if problems:
        raise InvalidInputException("; ".join(problems), code="ValidationError")
    cidrs = list(port_info.get("cidrs", []))
    ipv6_cidrs = list(port_info.get("ipv6Cidrs", []))
    aliases = list(port_info.get("cidrListAliases", []))
    return {
        "fromPort": port_info["fromPort"],
        "toPort": port_info["toPort"],
        "protocol": port_info.get("protocol", "tcp"),
        "accessFrom": _access_from(cidrs, ipv6_cidrs, aliases),
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
    for index, port_info in enumerate(params["portInfos"]):
        rule = _rule(port_info, f"portInfos[{index}]")
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
