"""DNS zones: CreateDomain, GetDomain(s), DeleteDomain, CreateDomainEntry,
UpdateDomainEntry, DeleteDomainEntry (docs/service-reference.md §13).

A zone is account-wide: the service keeps every domain in us-east-1 and refuses the domain
operations in any other Region (§13.1); its record, ARN and operations say ``global``
(aws-cli ``create-domain`` and ``get-domain`` examples). A new zone holds its four name
servers and its SOA record, as GetDomain shows them (§13.2). An entry is a
``(name, type, target)``: names are matched as DNS matches them, without regard to case or
a trailing dot, and kept as the service returns them (lower case, no trailing dot: what
Terraform compares its own normalised name with, §13.3); a TXT target must be enclosed in
quotation marks (§13.4); an alias A or AAAA entry points at the DNS name of a load balancer,
a distribution or a container service (§13.5). DeleteDomainEntry finds the entry by its
``id`` when given, else by name, type and target, as the AWS CLI example, Terraform and
certbot's Lightsail plugin send it (§13.6). An entry's ``id`` is a signed 32-bit number, as
the service writes them; lightmock derives it from the entry's contents, so an updated entry
gets a new one.

Undocumented, chosen here (docs/limits.md): a name outside the zone, a CNAME at the apex, a
second identical entry, and the deletion of the apex NS and SOA entries are refused as
Route 53, which serves Lightsail's zones, refuses them.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
import zlib
from collections.abc import Callable
from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException, NotFoundException
from lightmock.core.quoting import quoted
from lightmock.core.records import Resource
from lightmock.core.wire import Wire, request_tags
from lightmock.schema.validation import resource_name_problem
from lightmock.service import catalogue, family
from lightmock.service.context import RequestContext
from lightmock.service.kinds import Family, Kind

GLOBAL = "global"

DOMAIN = Kind(
    resource_type=ResourceType.DOMAIN,
    name_member="domainName",
    get=("GetDomain", "domain"),
    listing=("GetDomains", "domains"),
    delete="DeleteDomain",
    location=GLOBAL,
)

ENTRY_TYPES = ("A", "AAAA", "CNAME", "MX", "NS", "SOA", "SRV", "TXT")
#: Types whose target is a host name, compared as DNS compares names.
_HOST_TARGETS = frozenset({"CNAME", "NS", "MX", "SRV"})
#: What an alias entry may point at (the DomainEntry doc's examples of each).
ALIAS_SUFFIXES = (".elb.amazonaws.com", ".cloudfront.net", ".cs.amazonlightsail.com")
_LABEL = re.compile(r"(?!-)[a-z0-9_*-]{1,63}(?<!-)", re.ASCII)
_MX = re.compile(r"(\d{1,5}) (\S+)")
_SRV = re.compile(r"(\d{1,5}) (\d{1,5}) (\d{1,5}) (\S+)")


def dns_name(name: str) -> str:
    """A DNS name as the zone keeps and compares it: lower case, no trailing dot."""
    return name.lower().removesuffix(".")


def check_dns_name(name: str, member: str) -> str:
    normal = dns_name(name)
    labels = normal.split(".")
    if not normal or len(normal) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        raise InvalidInputException(f"{member}: {quoted(name)} is not a valid domain name", code="InvalidDomainName")
    return normal


def entry_id(name: str, entry_type: str, target: str) -> str:
    """The id of an entry: a signed 32-bit number as the service writes them (aws-cli
    ``get-domain`` example), from the entry's contents."""
    value = zlib.crc32(f"{name}\0{entry_type}\0{target}".encode())
    return str(value - (1 << 32) if value >= 1 << 31 else value)


def _entry(name: str, entry_type: str, target: str, is_alias: bool = False) -> Wire:
    return {
        "id": entry_id(name, entry_type, target),
        "name": name,
        "target": target,
        "isAlias": is_alias,
        "type": entry_type,
    }


def _name_servers(domain: str) -> list[str]:
    digest = hashlib.sha256(domain.encode()).digest()
    return [
        f"ns-{int.from_bytes(digest[2 * i : 2 * i + 2], 'big') % 2048}.awsdns-{digest[8 + i] % 64:02d}.{tld}"
        for i, tld in enumerate(("com", "net", "org", "co.uk"))
    ]


def _zone_entries(domain: str) -> list[Wire]:
    """What a new zone holds: its name servers and its SOA (aws-cli ``get-domain`` example)."""
    servers = _name_servers(domain)
    entries = [_entry(domain, "NS", server) for server in servers]
    soa = f"{servers[3]}. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"
    entries.append(_entry(domain, "SOA", soa))
    return entries


_VERSION = "domains.version"


def zones_version(context: RequestContext) -> int:
    """A number that changes whenever a zone of the account, or an entry of one, changes:
    what a certificate's validation has looked at is still true while it stays the same."""
    version: int = context.region_state(family.GLOBAL_REGION).family_state.get(_VERSION, 0)
    return version


def _changed(context: RequestContext) -> None:
    state = context.state  # the domain operations run in us-east-1 only
    state.family_state[_VERSION] = state.family_state.get(_VERSION, 0) + 1


def find_domain(context: RequestContext, name: str) -> Resource:
    """The zone of that name (any case, trailing dot or not), or the service's not-found error."""
    return family.find(context, ResourceType.DOMAIN, dns_name(name))


# -- zones ----------------------------------------------------------------------------------


def create_domain(context: RequestContext, params: dict[str, Any]) -> Wire:
    name = check_dns_name(params["domainName"], "domainName")
    problem = resource_name_problem(name, "domainName")  # a zone's name is also its resource name
    if problem is not None:
        raise InvalidInputException(problem, code="InvalidDomainName")
    family.check_names_free(context, DOMAIN, [name])
    hosted_zone = "Z" + hashlib.sha256(f"{context.account_id}:{name}".encode()).hexdigest()[:13].upper()
    record = family.new_record(
        context,
        DOMAIN,
        name,
        support_code=catalogue.support_code(context.account_id, f"/hostedzone/{hosted_zone}"),
        tags=request_tags(params),
        body={"domainEntries": _zone_entries(name)},
    )
    family.add(context, record)
    _changed(context)
    return {"operation": family.operation_on(context, record, "CreateDomain")}


def get_domain(context: RequestContext, params: dict[str, Any]) -> Wire:
    return {"domain": find_domain(context, params["domainName"]).wire}


def delete_domain(context: RequestContext, params: dict[str, Any]) -> Wire:
    """The zone goes with its entries (aws-cli ``delete-domain`` example)."""
    domain = find_domain(context, params["domainName"])
    answer = family.delete(context, domain)
    _changed(context)
    return {"operation": answer["operations"][0]}


# -- entries --------------------------------------------------------------------------------


def _check_target(domain: Resource, name: str, entry_type: str, target: str, is_alias: bool) -> None:
    """Refuse a target the service refuses for the entry's type (§13.4, §13.5)."""

    def refuse(why: str) -> InvalidInputException:
        return InvalidInputException(f"The {entry_type} entry's target {quoted(target)} {why}", code="InvalidTarget")

    if is_alias:
        if entry_type not in ("A", "AAAA"):
            raise InvalidInputException(
                f"Only an A or AAAA entry can be an alias (isAlias), not a {entry_type} entry", code="InvalidAlias"
            )
        if not dns_name(target).endswith(ALIAS_SUFFIXES):
            raise refuse(
                "is not the DNS name of a load balancer, distribution or container service, which an alias points at"
            )
        return
    if entry_type == "A":
        try:
            ipaddress.IPv4Address(target)
        except ValueError:
            raise refuse("is not an IPv4 address") from None
    elif entry_type == "AAAA":
        try:
            ipaddress.IPv6Address(target)
        except ValueError:
            raise refuse("is not an IPv6 address") from None
    elif entry_type == "TXT":
        if len(target) < 2 or not (target.startswith('"') and target.endswith('"')):
            # As the service words it (acme.sh issue 1384).
            raise InvalidInputException(
                f"Input error: Target should be enclosed in quotation marks: {quoted(target, bare=True)}",
                code="InvalidTarget",
            )
    elif entry_type == "MX":
        if not _MX.fullmatch(target):
            raise refuse("is not a priority and a mail server, such as '10 mail.example.com'")
    elif entry_type == "SRV":
        if not _SRV.fullmatch(target):
            raise refuse("is not a priority, weight, port and host, such as '1 10 5269 xmpp.example.com'")
    elif not target.strip():
        raise refuse("is empty")
    if entry_type == "CNAME" and name == domain.name:
        raise InvalidInputException(
            f"A CNAME entry is not permitted at the apex of the zone {domain.name}", code="InvalidName"
        )


def _requested(domain: Resource, entry: Wire) -> Wire:
    """The entry a request describes, checked and normalised as the zone keeps it."""
    missing = [member for member in ("name", "type", "target") if not entry.get(member)]
    if missing:
        raise InvalidInputException(f"domainEntry: {', '.join(missing)} must be given", code="MissingParameter")
    entry_type = entry["type"]
    if entry_type not in ENTRY_TYPES:
        raise InvalidInputException(
            f"domainEntry.type: {quoted(entry_type)} is not one of {', '.join(ENTRY_TYPES)}", code="InvalidType"
        )
    name = check_dns_name(entry["name"], "domainEntry.name")
    if name != domain.name and not name.endswith("." + domain.name):
        raise InvalidInputException(
            f"The name {quoted(entry['name'], bare=True)} is not in the zone {domain.name}", code="InvalidName"
        )
    is_alias = bool(entry.get("isAlias", False))
    target: str = entry["target"]
    _check_target(domain, name, entry_type, target, is_alias)
    return _entry(name, entry_type, target, is_alias)


def _same_target(entry_type: str, one: str, other: str) -> bool:
    if entry_type in _HOST_TARGETS:
        return dns_name(one) == dns_name(other)
    return one == other


def _matches(entry_type: str, name: str, target: str) -> Callable[[Wire], bool]:
    def match(entry: Wire) -> bool:
        return (
            entry["type"] == entry_type and entry["name"] == name and _same_target(entry_type, entry["target"], target)
        )

    return match


def _find_entry(domain: Resource, entry: Wire, *, by_target: bool) -> int:
    """Where the entry a request names sits in the zone: by ``id`` when given, else by name
    and type (and target, for a deletion)."""
    entries: list[Wire] = domain.body["domainEntries"]
    wanted_id = entry.get("id")
    if wanted_id is not None:
        for index, existing in enumerate(entries):
            if existing["id"] == wanted_id:
                return index
        raise NotFoundException(
            f"The domain entry {quoted(wanted_id, bare=True)} does not exist in {domain.name}", code="DoesNotExist"
        )
    missing = [member for member in ("name", "type", *(("target",) if by_target else ())) if not entry.get(member)]
    if missing:
        raise InvalidInputException(
            f"domainEntry: give its id, or its {', '.join(missing)}, to name the entry", code="MissingParameter"
        )
    name = dns_name(entry["name"])
    found = [
        index
        for index, existing in enumerate(entries)
        if existing["type"] == entry["type"]
        and existing["name"] == name
        and (not by_target or _same_target(entry["type"], existing["target"], entry["target"]))
    ]
    if not found:
        shown = f"{entry['type']} {name}" + (f" {entry['target']}" if by_target else "")
        raise NotFoundException(f"The domain entry does not exist in {domain.name}: {shown}", code="DoesNotExist")
    if len(found) > 1:
        raise InvalidInputException(
            f"{len(found)} {entry['type']} entries are named {name}; give the id of the one to change",
            code="AmbiguousEntry",
        )
    return found[0]


def _check_new(domain: Resource, entries: list[Wire], entry: Wire) -> None:
    if any(_matches(entry["type"], entry["name"], entry["target"])(existing) for existing in entries):
        raise InvalidInputException(
            f"The domain entry already exists in {domain.name}: {entry['type']} {entry['name']} {entry['target']}",
            code="EntryExists",
        )
    if entry["type"] == "SOA":
        raise InvalidInputException(f"The zone {domain.name} has its SOA entry already", code="EntryExists")


def create_domain_entry(context: RequestContext, params: dict[str, Any]) -> Wire:
    domain = find_domain(context, params["domainName"])
    entry = _requested(domain, params["domainEntry"])
    entries: list[Wire] = domain.body["domainEntries"]
    _check_new(domain, entries, entry)
    domain.update(domainEntries=[*entries, entry])
    _changed(context)
    return {"operation": family.operation_on(context, domain, "CreateDomainEntry")}


def update_domain_entry(context: RequestContext, params: dict[str, Any]) -> Wire:
    """The entry named (by ``id``, as GetDomain returned it, else by name and type) takes
    the request's name, type, target and alias flag."""
    domain = find_domain(context, params["domainName"])
    requested: Wire = params["domainEntry"]
    index = _find_entry(domain, requested, by_target=False)
    entries: list[Wire] = domain.body["domainEntries"]
    old = entries[index]
    entry = _requested(domain, {**old, **requested})
    others = entries[:index] + entries[index + 1 :]
    if old["type"] != "SOA" or entry["type"] != "SOA":
        _check_new(domain, others, entry)
    domain.update(domainEntries=[*entries[:index], entry, *entries[index + 1 :]])
    _changed(context)
    return {"operations": [family.operation_on(context, domain, "UpdateDomainEntry")]}


def delete_domain_entry(context: RequestContext, params: dict[str, Any]) -> Wire:
    domain = find_domain(context, params["domainName"])
    index = _find_entry(domain, params["domainEntry"], by_target=True)
    entries: list[Wire] = domain.body["domainEntries"]
    entry = entries[index]
    if entry["name"] == domain.name and entry["type"] in ("NS", "SOA"):
        raise InvalidInputException(
            f"The {entry['type']} entries of the apex of {domain.name} cannot be deleted", code="InvalidChange"
        )
    domain.update(domainEntries=entries[:index] + entries[index + 1 :])
    _changed(context)
    return {"operation": family.operation_on(context, domain, "DeleteDomainEntry")}


#: Each zone's entries as a set of (name, type, target), by the identity of the entries list
#: (a change replaces the list, so an index never goes stale); a cache, cleared when large.
_INDEXES: dict[int, tuple[list[Wire], frozenset[tuple[str, str, str]]]] = {}


def _target_key(entry_type: str, target: str) -> str:
    return dns_name(target) if entry_type in _HOST_TARGETS else target


def _index(entries: list[Wire]) -> frozenset[tuple[str, str, str]]:
    cached = _INDEXES.get(id(entries))
    if cached is not None and cached[0] is entries:
        return cached[1]
    index = frozenset((entry["name"], entry["type"], _target_key(entry["type"], entry["target"])) for entry in entries)
    if len(_INDEXES) >= 256:
        _INDEXES.clear()
    _INDEXES[id(entries)] = (entries, index)
    return index


def has_entry(context: RequestContext, name: str, entry_type: str, target: str) -> bool:
    """Whether a zone of the account holds that entry (a certificate's validation record):
    a set lookup in the zone's index, whatever the zone's size."""
    name = dns_name(name)
    zones = context.region_state(family.GLOBAL_REGION).resources[ResourceType.DOMAIN]
    wanted = (name, entry_type, _target_key(entry_type, target))
    labels = name.split(".")
    for start in range(len(labels)):
        zone = zones.get(".".join(labels[start:]))
        if zone is not None and wanted in _index(zone.body["domainEntries"]):
            return True
    return False


FAMILY = Family(
    title="DNS zones",
    kinds=(DOMAIN,),
    operations=family.served_from_us_east_1(
        "Domain",
        {
            "CreateDomain": create_domain,
            "GetDomain": get_domain,
            "GetDomains": family.list_handler(DOMAIN),
            "DeleteDomain": delete_domain,
            "CreateDomainEntry": create_domain_entry,
            "UpdateDomainEntry": update_domain_entry,
            "DeleteDomainEntry": delete_domain_entry,
        },
    ),
)
