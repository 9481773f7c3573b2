"""Lightsail subdomains: CreateSubdomain, GetSubdomains and DeleteSubdomain
(docs/service-reference.md §22). The rules of names, reservations and CheckSubdomainAvailability
are in ``subdomain_names.py``, associations in ``subdomain_associations.py``.

A subdomain is a name such as ``mysite`` or ``blog.mysite`` whose web address is the name
followed by ``amazonlightsail.com`` (§22.1); names are unique across all accounts, and a
create refuses a name another account holds (§22.2). Up to 30 subdomains count towards an
account's quota (§22.2).

A nested subdomain whose top-level one the account never created has that top-level one
``IMPLICIT``: it has no ARN and no record here; GetSubdomains shows it, made from its nested
ones, and it cannot be deleted or associated. Deleting a top-level subdomain with nested ones
leaves it ``IMPLICIT`` (§22.3). A create goes ``CREATING`` then ``UNATTACHED``, through the
one transition mechanism; DeleteSubdomain takes only an ``UNATTACHED`` or ``CREATE_FAILED``
one (§22.3). GetSubdomains lists the top-level ones, each with its nested ones (§22.4).
Subdomains live in us-east-1 and are answered there only (§22.5).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException, OperationFailureException
from lightmock.core.records import Resource, ResourceForm
from lightmock.core.registry import Registry
from lightmock.core.wire import Wire, request_tags, wire_time
from lightmock.engine.store import RegionState
from lightmock.service import family, paging
from lightmock.service.context import RequestContext
from lightmock.service.kinds import Family, Handler, Kind, Reference
from lightmock.service.subdomain_names import (
    check_name,
    depth,
    hold,
    holds,
    other_holder,
    refuse_web_address,
    taken_up,
    top_level,
    web_address,
)

_TYPE = ResourceType.SUBDOMAIN
#: "You can have up to 30 subdomains in your account."
MAX_SUBDOMAINS = 30
#: Where the listing of an account's top-level subdomains is kept (``Registry.derived``).
_TREES = "subdomain-trees"


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


def set_association(subdomain: Resource, **members: Any) -> None:
    """The subdomain's association members become ``members`` (one not given, or None, goes),
    and it is attached to the resource ``attachedResource`` names, if any; a subdomain that
    has been associated is marked so (DeleteSubdomain holds its name: §22.3)."""
    body = {key: value for key, value in subdomain.body.items() if key not in ASSOCIATION_MEMBERS}
    body.update({key: value for key, value in members.items() if value is not None})
    subdomain.body = body
    attached = members.get("attachedResource")
    subdomain.attached_to = None if attached is None else attached["name"]
    if attached is not None:
        subdomain.private = {**subdomain.private, "associated": True}


def _resource_gone(state: RegionState, subdomain: Resource, resource: Resource) -> None:
    """The resource a subdomain names was deleted: the association ends, and a change still
    pending for it lapses (docs/limits.md)."""
    set_association(subdomain)
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
            record[member] = body[member]  # shared, never edited (``Resource``), as the head's members
    head = subdomain.head
    record["location"] = head["location"]
    record["createdAt"] = head["createdAt"]
    if "parentFqdn" in body:
        record["parentFqdn"] = body["parentFqdn"]
    if tags:
        record["tags"] = subdomain.tags
    return record


def _implicit(context: RequestContext, name: str, created_at: float) -> Wire:
    """A top-level subdomain held ``IMPLICIT`` for its nested ones: no ARN ("It doesn't have an
    ARN until you create a subdomain with that name"), made (``created_at``) when its first
    nested one was."""
    return {
        "subdomainName": name,
        "fqdn": web_address(name),
        "depth": 1,
        "state": SubdomainState.IMPLICIT,
        "location": {"availabilityZone": "all", "regionName": context.region},
        "createdAt": wire_time(created_at),
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
    """The account's top-level subdomains in listing order, kept (``Registry.derived``) until a
    subdomain is created or deleted: a tree holds its records, which are read when published."""
    return paging.kept(records, _TREES, lambda: _grown(records))


def _grown(records: Registry[str, Resource]) -> paging.Listing[_Tree]:
    """The account's top-level subdomains in listing order, grouped in one pass."""
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


def _lookup(records: Registry[str, Resource], name: str) -> tuple[Resource | None, list[Resource]]:
    """The account's subdomain of that name, or, for an ``IMPLICIT`` one, None and its nested
    ones (oldest first); a web address is refused, a name of neither not found."""
    refuse_web_address(name)
    record = records.get(name)
    if record is not None:
        return record, []
    nested = nested_of(records, name)
    if not nested:
        raise family.not_found(_TYPE, name)
    return None, nested


def find(context: RequestContext, name: str, doing: str) -> Resource:
    """The account's subdomain of that name; an ``IMPLICIT`` one is refused for ``doing``
    ("You can't associate or delete a subdomain in this state"), a missing one not found."""
    record, _ = _lookup(context.state.resources[_TYPE], name)
    if record is not None:
        return record
    raise OperationFailureException(
        f"The subdomain {name} is IMPLICIT: it is the parent of nested subdomains you created, not a subdomain "
        f"you created, and you can't {doing} it. Create it with CreateSubdomain to use it",
        code="InvalidSubdomainState",
    )


# -- operations -------------------------------------------------------------------------------


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
    counted = len(state.resources[_TYPE]) + len(holds(state, context.now).keys() - {name})
    if counted >= MAX_SUBDOMAINS:
        raise InvalidInputException(
            f"You can have up to {MAX_SUBDOMAINS} subdomains in your account, counting nested ones, those in the "
            f"CREATE_FAILED state and deleted ones other accounts can't create yet; you have {counted}",
            code="LimitExceeded",
        )
    level = depth(name)
    body: Wire = {"fqdn": web_address(name), "depth": level}
    if level == 2:
        body["parentFqdn"] = web_address(top)
    subdomain = family.new_record(
        context, SUBDOMAIN, name, state=SubdomainState.CREATING, tags=request_tags(params), body=body
    )
    # Validated and built: commit. The reservation and the hold are the account's to use.
    family.add(context, subdomain)
    taken_up(state, name, context.now)
    answer = {
        "subdomain": publish(subdomain),
        "operation": family.operation_on(context, subdomain, "CreateSubdomain", status="Started"),
    }
    family.begin_transition(context, subdomain, interim=SubdomainState.CREATING, final=SubdomainState.UNATTACHED)
    return answer


def get_subdomains(context: RequestContext, params: dict[str, Any]) -> Wire:
    """One subdomain with its tags, or a page of the top-level ones, each with its nested
    ones as ``children`` (GetSubdomains doc, §22.4)."""
    name = params.get("subdomainName")
    records = context.state.resources[_TYPE]
    if name is None:
        return family.page_of(
            context, "GetSubdomains", "subdomains", params, _trees(records), publish=lambda tree: _tree(context, tree)
        )
    if params.get("pageToken"):
        raise InvalidInputException("You can't specify subdomainName together with pageToken", code="ValidationError")
    record, nested = _lookup(records, name)
    if record is not None:
        return {"subdomains": [publish(record, tags=True)]}
    return {"subdomains": [_implicit(context, name, nested[0].created_at)]}


def _tree(context: RequestContext, tree: _Tree) -> Wire:
    record = publish(tree.record) if tree.record is not None else _implicit(context, tree.name, tree.created_at)
    record["children"] = [publish(child) for child in tree.nested]
    return record


_DELETABLE = frozenset({SubdomainState.UNATTACHED, SubdomainState.CREATE_FAILED})


def delete_subdomain(context: RequestContext, params: dict[str, Any]) -> Wire:
    """Only an ``UNATTACHED`` or ``CREATE_FAILED`` subdomain; a top-level one with nested ones
    becomes ``IMPLICIT``, which the response describes; one that had been associated is held
    from other accounts for 30 days (DeleteSubdomain doc, §22.3)."""
    subdomain = find(context, params["subdomainName"], "delete")
    if subdomain.state not in _DELETABLE:
        hint = (
            "; disassociate it first with UpdateSubdomainAssociation"
            if subdomain.state != SubdomainState.CREATING
            else ""
        )
        raise OperationFailureException(
            f"The subdomain {subdomain.name} is {subdomain.state}; a subdomain can be deleted only in the "
            f"UNATTACHED or CREATE_FAILED state{hint}",
            code="InvalidSubdomainState",
        )
    state = context.state
    nested = nested_of(state.resources[_TYPE], subdomain.name) if depth(subdomain.name) == 1 else []
    operation = family.delete(context, subdomain)["operations"][-1]
    if subdomain.private.get("associated"):
        hold(state, subdomain.name, context.now)
    answer: Wire = {"operation": operation}
    if nested:
        answer["subdomain"] = _implicit(context, subdomain.name, nested[0].created_at)
    return answer


_OPERATIONS: dict[str, Handler] = {
    "CreateSubdomain": create_subdomain,
    "GetSubdomains": get_subdomains,
    "DeleteSubdomain": delete_subdomain,
}

FAMILY = Family(
    title="Subdomains",
    kinds=(SUBDOMAIN,),
    operations=family.served_from_us_east_1("Subdomain", _OPERATIONS),
)
