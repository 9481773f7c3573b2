"""Lightsail subdomains: CheckSubdomainAvailability, CreateSubdomain, GetSubdomains and
DeleteSubdomain (docs/service-reference.md §30); associations are in ``subdomain_associations.py``.

A subdomain is a name such as ``mysite`` or ``blog.mysite`` whose web address is the name
followed by ``amazonlightsail.com`` (§30.1). Names have one or two labels, each of lower-case
letters, digits and inner hyphens, at most 39 characters in all, no label starting ``xn--``;
a web address is refused where a name is asked for.

Names are unique across all accounts (§30.2): a top-level name belongs to the account whose
records are in its tree (``mysite`` and every ``x.mysite``), to the account that reserved it
with ``CheckSubdomainAvailability(reserve=True)`` for 15 minutes of the mock's clock, and,
for at least 30 days, to the account that deleted a subdomain of it that had been associated
with a resource (lightmock: exactly 30 days). The store holds every account
(``context.store.regions``), so a create looks at all of them.

A nested subdomain whose top-level one the account never created has that top-level one
``IMPLICIT``: it has no ARN and no record here; GetSubdomains shows it, made from its nested
ones, and it cannot be deleted or associated. Deleting a top-level subdomain with nested ones
leaves it ``IMPLICIT`` (§30.3). A create goes ``CREATING`` then ``UNATTACHED``, through the
one transition mechanism; DeleteSubdomain takes only an ``UNATTACHED`` or ``CREATE_FAILED``
one. Up to 30 subdomains count towards an account's quota (§30.2).

The service keeps subdomains in us-east-1 and lightmock answers their operations there only,
as the service does for domains and distributions, the global resources a subdomain works
with (§30.5, inferred).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException, OperationFailureException
from lightmock.core.quoting import quoted
from lightmock.core.records import Resource, ResourceForm
from lightmock.core.registry import Registry
from lightmock.core.wire import Wire, request_tags, wire_time
from lightmock.engine.store import RegionState
from lightmock.service import family, paging
from lightmock.service.context import RequestContext
from lightmock.service.kinds import Family, Handler, Kind, Reference

_TYPE = ResourceType.SUBDOMAIN
#: Where the service keeps subdomains, and the one Region lightmock answers them in (§30.5).
SUBDOMAIN_REGION = "us-east-1"
#: The domain every subdomain's web address ends in (§30.1).
WEB_DOMAIN = "amazonlightsail.com"
MAX_NAME_LENGTH = 39
#: Every resource name is "at least 2 characters long" (the service's resource-name rule, and
#: the model's ``ResourceName``, which an operation's ``resourceName`` is): inferred (§30.1).
MIN_NAME_LENGTH = 2
#: "A reservation holds the subdomain for 15 minutes"; "up to 5 active reservations at a time".
RESERVATION_SECONDS = 15 * 60
MAX_RESERVATIONS = 5
#: "You can have up to 30 subdomains in your account."
MAX_SUBDOMAINS = 30
#: "After you delete a subdomain that was associated with a resource, the subdomain isn't
#: available to other accounts for at least 30 days."
HOLD_SECONDS = 30 * 86_400

#: Where an account's reservations and held names are kept (``RegionState.family_state``).
_RESERVATIONS = "subdomain-reservations"
_HOLDS = "subdomain-holds"
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")


class SubdomainState(enum.StrEnum):
    """The model's ``SubdomainState``."""

    CREATING = "CREATING"
    CREATE_FAILED = "CREATE_FAILED"
    UNATTACHED = "UNATTACHED"
    ATTACHING = "ATTACHING"
    ATTACHED = "ATTACHED"
    DETACHING = "DETACHING"
    TRANSFERRING = "TRANSFERRING"
    IMPLICIT = "IMPLICIT"


#: The members naming the resource a subdomain is associated with, or being associated with.
ASSOCIATION_MEMBERS = ("attachedResource", "attachingResource")


def associated_names(subdomain: Resource) -> list[str]:
    """The resources a subdomain is associated with or being associated with, by name."""
    return [subdomain.body[member]["name"] for member in ASSOCIATION_MEMBERS if member in subdomain.body]


def _resource_gone(state: RegionState, subdomain: Resource, resource: Resource) -> None:
    """The resource a subdomain names was deleted: the association ends, and a change still
    pending for it lapses (docs/limits.md)."""
    subdomain.body = {key: value for key, value in subdomain.body.items() if key not in ASSOCIATION_MEMBERS}
    subdomain.attached_to = None
    subdomain.state = SubdomainState.UNATTACHED


SUBDOMAIN = Kind(
    resource_type=_TYPE,
    name_member="subdomainName",
    get=("GetSubdomains", "subdomains"),
    listing=("GetSubdomains", "subdomains"),
    delete="DeleteSubdomain",
    form=ResourceForm(name_member="subdomainName"),
    refers_to=(Reference(kind=ResourceType.DISTRIBUTION, names=associated_names, when_gone=_resource_gone),),
    transition_seconds=300.0,
)


# -- names ------------------------------------------------------------------------------------


def top_level(name: str) -> str:
    """The top-level subdomain of a name: ``mysite`` for ``blog.mysite`` and for ``mysite``."""
    return name.rsplit(".", 1)[-1]


def depth(name: str) -> int:
    return name.count(".") + 1


def web_address(name: str) -> str:
    return f"{name}.{WEB_DOMAIN}"


def refuse_web_address(name: str) -> None:
    """A web address where the subdomain is asked for: "Specify only the subdomain" (§30.1)."""
    if name == WEB_DOMAIN or name.endswith(f".{WEB_DOMAIN}"):
        bare = name.removesuffix(WEB_DOMAIN).rstrip(".") or "mysite"
        raise InvalidInputException(
            f"Specify only the subdomain, not its web address: {quoted(name, bare=True)} (for "
            f"{web_address(bare)}, specify {bare})",
            code="ValidationError",
        )


def check_name(name: str) -> None:
    """Refuse a name the service would not create (§30.1), saying every rule it breaks."""
    refuse_web_address(name)
    labels = name.split(".")
    problems: list[str] = []
    if len(name) < MIN_NAME_LENGTH:
        problems.append(
            f"it is {len(name)} characters long; a resource name, as an operation names it, is at least "
            f"{MIN_NAME_LENGTH}"
        )
    if len(name) > MAX_NAME_LENGTH:
        problems.append(f"it is {len(name)} characters long; a subdomain can be up to {MAX_NAME_LENGTH}")
    if len(labels) > 2:
        problems.append(f"it has {len(labels)} labels; a subdomain has one or two, separated by a period")
    if not all(_LABEL.fullmatch(label) for label in labels):
        problems.append(
            "each label must start and end with a lowercase letter or a number, and can contain only "
            "lowercase letters, numbers, and hyphens"
        )
    if any(label.startswith("xn--") for label in labels):
        problems.append("labels that start with xn-- aren't supported")
    if problems:
        raise InvalidInputException(
            f"The subdomain name {quoted(name, bare=True)} is not valid: {'; '.join(problems)}",
            code="ValidationError",
        )


# -- who holds a name -------------------------------------------------------------------------


def _active(state: RegionState, key: str, now: float) -> dict[str, float]:
    """An account's reservations or held names (name -> until) still in force at ``now``."""
    kept: Mapping[str, float] = state.family_state.get(key, {})
    return {name: until for name, until in kept.items() if until > now}


def _holds_tree(state: RegionState, top: str, now: float) -> bool:
    """Whether the account of ``state`` holds the top-level name ``top``: a subdomain in its
    tree, a reservation of it, or a name of its tree held after a deletion."""
    if any(top_level(name) == top for name in state.resources[_TYPE]):
        return True
    if top in _active(state, _RESERVATIONS, now):
        return True
    return any(top_level(name) == top for name in _active(state, _HOLDS, now))


def other_holder(context: RequestContext, top: str) -> str | None:
    """Another account that holds ``top`` (§30.2), or None."""
    for (account_id, region), state in context.store.regions.items():
        if region == SUBDOMAIN_REGION and account_id != context.account_id and _holds_tree(state, top, context.now):
            return account_id
    return None


# -- records ----------------------------------------------------------------------------------


def publish(subdomain: Resource, *, tags: bool = False) -> Wire:
    """A subdomain as the model's ``Subdomain`` has it (which has no ``resourceType``); its
    tags only where GetSubdomains names it ("returned only by the GetSubdomains action when you
    specify a subdomain")."""
    body = subdomain.body
    record: Wire = {
        "subdomainName": subdomain.name,
        "arn": subdomain.arn,
        "fqdn": body["fqdn"],
        "depth": body["depth"],
        "state": subdomain.state,
    }
    for member in ASSOCIATION_MEMBERS:
        if member in body:
            record[member] = dict(body[member])
    record["location"] = {"availabilityZone": subdomain.zone, "regionName": subdomain.region}
    record["createdAt"] = wire_time(subdomain.created_at)
    if "parentFqdn" in body:
        record["parentFqdn"] = body["parentFqdn"]
    if tags:
        record["tags"] = [dict(tag) for tag in subdomain.tags]
    return record


def _implicit(context: RequestContext, name: str, nested: Iterable[Resource]) -> Wire:
    """A top-level subdomain held ``IMPLICIT`` for its nested ones: no ARN ("It doesn't have an
    ARN until you create a subdomain with that name"), made when its first nested one was."""
    return {
        "subdomainName": name,
        "fqdn": web_address(name),
        "depth": 1,
        "state": SubdomainState.IMPLICIT,
        "location": {"availabilityZone": "all", "regionName": context.region},
        "createdAt": wire_time(min(record.created_at for record in nested)),
    }


def nested_of(records: Registry[str, Resource], name: str) -> list[Resource]:
    """The nested subdomains of a top-level name, oldest first."""
    return sorted((record for record in records.values() if record.name.endswith(f".{name}")), key=paging.sort_key)


@dataclass(frozen=True, slots=True)
class _Tree:
    """A top-level subdomain as GetSubdomains lists it: its record (None while ``IMPLICIT``)
    and its nested ones. Listed by (creation time, name) like every record (``paging``)."""

    name: str
    created_at: float
    record: Resource | None
    nested: tuple[Resource, ...]


def _trees(records: Registry[str, Resource]) -> paging.Listing[_Tree]:
    tops: dict[str, Resource] = {}
    nested: dict[str, list[Resource]] = {}
    for record in records.values():
        if depth(record.name) == 1:
            tops[record.name] = record
        else:
            nested.setdefault(top_level(record.name), []).append(record)
    trees = []
    for name in tops.keys() | nested.keys():
        children = tuple(sorted(nested.get(name, ()), key=paging.sort_key))
        top = tops.get(name)
        created_at = top.created_at if top is not None else min(child.created_at for child in children)
        trees.append(_Tree(name, created_at, top, children))
    return paging.listing(trees)


def find(context: RequestContext, name: str, doing: str) -> Resource:
    """The account's subdomain of that name; an ``IMPLICIT`` one is refused for ``doing``
    ("You can't associate or delete a subdomain in this state"), a missing one not found."""
    refuse_web_address(name)
    records = context.state.resources[_TYPE]
    record = records.get(name)
    if record is not None:
        return record
    if nested_of(records, name):
        raise OperationFailureException(
            f"The subdomain {name} is IMPLICIT: it is the parent of nested subdomains you created, not a subdomain "
            f"you created, and you can't {doing} it. Create it with CreateSubdomain to use it",
            code="InvalidSubdomainState",
        )
    raise family.not_found(_TYPE, name)


# -- operations -------------------------------------------------------------------------------


def check_subdomain_availability(context: RequestContext, params: dict[str, Any]) -> Wire:
    """Whether the account can create the name; with ``reserve``, hold its top-level name for
    15 minutes unless the account has it already. "Checking the subdomain again doesn't extend
    the reservation" (§30.2)."""
    name = params["subdomainName"]
    check_name(name)
    top = top_level(name)
    state = context.state
    records = state.resources[_TYPE]
    reservations = _active(state, _RESERVATIONS, context.now)
    available = name not in records and other_holder(context, top) is None
    owned = any(top_level(record) == top for record in records)
    if available and params.get("reserve") and not owned and top not in reservations:
        if len(reservations) >= MAX_RESERVATIONS:
            raise InvalidInputException(
                f"You can have up to {MAX_RESERVATIONS} active subdomain reservations at a time; yours expire at "
                f"{', '.join(sorted(str(wire_time(until)) for until in reservations.values()))}",
                code="LimitExceeded",
            )
        reservations[top] = context.now + RESERVATION_SECONDS
        state.family_state[_RESERVATIONS] = reservations
    answer: Wire = {"available": available}
    if top in reservations:
        answer["reservationExpiresAt"] = wire_time(reservations[top])
    answer["subdomainName"] = name
    return answer


def create_subdomain(context: RequestContext, params: dict[str, Any]) -> Wire:
    name = params["subdomainName"]
    check_name(name)
    family.check_names_free(context, SUBDOMAIN, [name])
    top = top_level(name)
    holder = other_holder(context, top)
    if holder is not None:
        raise InvalidInputException(
            f"The subdomain {name} is not available: {web_address(top)} is already in use by another AWS account "
            "(created, reserved, or deleted less than 30 days after an association). Subdomain names are unique "
            "across all accounts",
            code="SubdomainUnavailable",
        )
    state = context.state
    holds = _active(state, _HOLDS, context.now)
    counted = len(state.resources[_TYPE]) + len(holds.keys() - {name})
    if counted >= MAX_SUBDOMAINS:
        raise InvalidInputException(
            f"You can have up to {MAX_SUBDOMAINS} subdomains in your account, counting nested ones, those in the "
            f"CREATE_FAILED state and deleted ones other accounts can't create yet; you have {counted}",
            code="LimitExceeded",
        )
    body: Wire = {"fqdn": web_address(name), "depth": depth(name)}
    if depth(name) == 2:
        body["parentFqdn"] = web_address(top)
    subdomain = family.new_record(
        context, SUBDOMAIN, name, state=SubdomainState.CREATING, tags=request_tags(params), body=body
    )
    # Validated and built: commit. The reservation and the hold are the account's to use.
    family.add(context, subdomain)
    reservations = _active(state, _RESERVATIONS, context.now)
    reservations.pop(top, None)
    holds.pop(name, None)
    state.family_state[_RESERVATIONS] = reservations
    state.family_state[_HOLDS] = holds
    answer = {
        "subdomain": publish(subdomain),
        "operation": family.operation_on(context, subdomain, "CreateSubdomain", status="Started"),
    }
    family.begin_transition(context, subdomain, interim=SubdomainState.CREATING, final=SubdomainState.UNATTACHED)
    return answer


def get_subdomains(context: RequestContext, params: dict[str, Any]) -> Wire:
    """One subdomain with its tags, or a page of the top-level ones, each with its nested
    ones as ``children`` (GetSubdomains doc, §30.4)."""
    name = params.get("subdomainName")
    records = context.state.resources[_TYPE]
    if name is None:
        return family.page_of(
            context, "GetSubdomains", "subdomains", params, _trees(records), publish=lambda tree: _tree(context, tree)
        )
    if params.get("pageToken"):
        raise InvalidInputException("You can't specify subdomainName together with pageToken", code="ValidationError")
    refuse_web_address(name)
    record = records.get(name)
    if record is not None:
        return {"subdomains": [publish(record, tags=True)]}
    nested = nested_of(records, name)
    if nested:
        return {"subdomains": [_implicit(context, name, nested)]}
    raise family.not_found(_TYPE, name)


def _tree(context: RequestContext, tree: _Tree) -> Wire:
    record = publish(tree.record) if tree.record is not None else _implicit(context, tree.name, tree.nested)
    record["children"] = [publish(child) for child in tree.nested]
    return record


_DELETABLE = frozenset({SubdomainState.UNATTACHED, SubdomainState.CREATE_FAILED})


def delete_subdomain(context: RequestContext, params: dict[str, Any]) -> Wire:
    """Only an ``UNATTACHED`` or ``CREATE_FAILED`` subdomain; a top-level one with nested ones
    becomes ``IMPLICIT``, which the response describes; one that had been associated is held
    from other accounts for 30 days (DeleteSubdomain doc, §30.3)."""
    subdomain = find(context, params["subdomainName"], "delete")
    if subdomain.state not in _DELETABLE:
        hint = "; disassociate it first with UpdateSubdomainAssociation" if subdomain.state != "CREATING" else ""
        raise OperationFailureException(
            f"The subdomain {subdomain.name} is {subdomain.state}; a subdomain can be deleted only in the "
            f"UNATTACHED or CREATE_FAILED state{hint}",
            code="InvalidSubdomainState",
        )
    state = context.state
    nested = nested_of(state.resources[_TYPE], subdomain.name) if depth(subdomain.name) == 1 else []
    operation = family.delete(context, subdomain)["operations"][-1]
    if subdomain.private.get("associated"):
        holds = _active(state, _HOLDS, context.now)
        holds[subdomain.name] = context.now + HOLD_SECONDS
        state.family_state[_HOLDS] = holds
    answer: Wire = {"operation": operation}
    if nested:
        answer["subdomain"] = _implicit(context, subdomain.name, nested)
    return answer


def in_subdomain_region(handler: Handler) -> Handler:
    """Answer only in us-east-1, as the service answers domains and distributions (§30.5)."""

    def answer(context: RequestContext, params: dict[str, Any]) -> Wire:
        if context.region != SUBDOMAIN_REGION:
            raise InvalidInputException(
                f"Subdomain-related APIs are only available in the {SUBDOMAIN_REGION} Region. Please set your "
                f"Region configuration to {SUBDOMAIN_REGION} to create, view, or edit subdomains.",
                code="UnsupportedOperation",
            )
        return handler(context, params)

    return answer


_OPERATIONS: dict[str, Handler] = {
    "CheckSubdomainAvailability": check_subdomain_availability,
    "CreateSubdomain": create_subdomain,
    "GetSubdomains": get_subdomains,
    "DeleteSubdomain": delete_subdomain,
}

FAMILY = Family(
    title="Subdomains",
    kinds=(SUBDOMAIN,),
    operations={name: in_subdomain_region(handler) for name, handler in _OPERATIONS.items()},
)
