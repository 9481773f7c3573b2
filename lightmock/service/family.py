"""What every family's operations share, written once from the kind's declaration
(``service/kinds.py``): finding a record or refusing with the service's not-found error,
refusing a name in use, storing a new record, deleting one (and what that means for the
records that name it, the alarms that watch it and its metric data), Get and list
handlers with paging, and transitions.

Errors are the service's: a missing resource is a ``NotFoundException`` whose message says
"does not exist" (Terraform recognises that text: docs/service-reference.md §2.2); a name in
use is an ``InvalidInputException``.

Names are unique per account and region within a kind; the kinds alarms can watch share
one namespace (not only per kind, as in Lightsail), because an alarm names its resource by
``monitoredResourceName`` alone and that lookup must be unambiguous.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException, NotFoundException
from lightmock.core.ids import new_id
from lightmock.core.quoting import quoted
from lightmock.core.records import Resource
from lightmock.core.wire import Wire, arn
from lightmock.engine.transitions import STATE, Facet
from lightmock.service import alarms, paging
from lightmock.service.context import RequestContext
from lightmock.service.kinds import Handler, Kind, Taggable

T = TypeVar("T")

#: The zone letters lightmock accepts in every region (``<region>a`` to ``<region>f``).
ZONE_LETTERS = "abcdef"


# -- finding and naming ---------------------------------------------------------------------


def not_found(resource_type: str, name: str) -> NotFoundException:
    return NotFoundException(f"The {resource_type} does not exist: {quoted(name, bare=True)}", code="DoesNotExist")


def find_in(records: Mapping[str, Resource], resource_type: str, name: str) -> Resource:
    """The record of that name among ``records`` (one kind's), or the service's ``NotFoundException``."""
    resource = records.get(name)
    if resource is None:
        raise not_found(resource_type, name)
    return resource


def find(context: RequestContext, resource_type: ResourceType, name: str) -> Resource:
    """The record of that kind and name in the request's region, or ``NotFoundException``."""
    return find_in(context.state.resources[resource_type], resource_type, name)


def check_zone(context: RequestContext, zone: str) -> None:
    """Refuse an availability zone that is not one of the request's region."""
    if not (len(zone) == len(context.region) + 1 and zone.startswith(context.region) and zone[-1] in ZONE_LETTERS):
        raise InvalidInputException(
            f"The availability zone {quoted(zone, bare=True)} is not valid in the region {context.region} "
            f"(expected one of {context.region}a to {context.region}{ZONE_LETTERS[-1]})",
            code="InvalidAvailabilityZone",
        )


def check_names_free(context: RequestContext, kind: Kind, names: Iterable[str]) -> None:
    """Refuse a name in use by a record of the kind (or, for an alarmable kind, of any
    alarmable kind: see the module docstring)."""
    state = context.state
    for name in names:
        existing = state.find_resource(name) if kind.alarmable else state.resources[kind.resource_type].get(name)
        if existing is None:
            continue
        if existing.resource_type == kind.resource_type:
            raise InvalidInputException(
                f"The {kind.resource_type} name is already in use: {quoted(name, bare=True)}", code="NameExists"
            )
        raise InvalidInputException(
            f"The name {name} is already in use by the {existing.resource_type} {name} in {context.region}; "
            "lightmock keeps names unique across instances, load balancers and databases so that an "
            "alarm's monitoredResourceName names one resource (and across buckets and container services, "
            "whose metric data is seeded by name)",
            code="NameExists",
        )


# -- records --------------------------------------------------------------------------------


def new_record(
    context: RequestContext,
    kind: Kind,
    name: str,
    *,
    zone: str = "all",
    support_code: str | None = None,
    state: str | None = None,
    tags: list[Wire] | None = None,
    attached_to: str | None = None,
    body: Wire | None = None,
) -> Resource:
    """A new record of ``kind`` made now in the request's region (not stored yet: ``add``);
    an account-wide kind's record shows its ``location`` instead of the region."""
    region = kind.location or context.region
    return Resource(
        name=name,
        resource_type=kind.resource_type,
        arn=arn(region, context.account_id, kind.resource_type, new_id()),
        created_at=context.now,
        zone=zone,
        region=region,
        support_code=support_code,
        state=state,
        tags=tags if tags is not None else [],
        attached_to=attached_to,
        body=body if body is not None else {},
        form=kind.form,
    )


def add(context: RequestContext, resource: Resource) -> None:
    """Store a new record in its kind's table of the request's region."""
    context.state.resources[resource.resource_type][resource.name] = resource


def operation_on(
    context: RequestContext,
    resource: Resource,
    operation_type: str,
    *,
    status: str = "Succeeded",
    details: str | None = None,
) -> Wire:
    """The Operation record of a call on ``resource``, in its zone and region (docs/service-reference.md §3.1)."""
    return context.operation(
        resource_name=resource.name,
        resource_type=resource.resource_type,
        operation_type=operation_type,
        status=status,
        availability_zone=resource.zone,
        details=details,
        region_name=resource.region,
    )


def remove(context: RequestContext, resource: Resource) -> list[Wire]:
    """Take a record out of its region, with what depends on it: the alarms that watch it
    and its metric data (for an alarmable kind), and, in the records of other kinds that
    name it, what their references declare; the operations those changes report (a
    reference's ``reported_as``)."""
    state = context.state
    reported: list[Wire] = []
    del state.resources[resource.resource_type][resource.name]
    resource.gone = True
    kind = context.table.kinds[resource.resource_type]
    if kind.when_removed is not None:
        kind.when_removed(state, resource)
    if kind.alarmable:
        alarms.remove_for_resource(context, resource)
        state.metrics.discard(lambda key: key[0] == resource.resource_type and key[1] == resource.name)
    for other, reference in context.table.referring_to(resource.resource_type):
        if reference.when_gone is None:
            continue
        for record in list(state.resources[other.resource_type].values()):
            if resource.name in reference.names(record):
                reference.when_gone(state, record, resource)
                reported_as = reference.reported_as
                if reported_as is not None:
                    reported.append(operation_on(context, record, reported_as, status="Started", details=resource.name))
                    reported.append(operation_on(context, resource, reported_as, status="Started", details=record.name))
    return reported


def changed(context: RequestContext, resource: Resource) -> None:
    """Bring the records that name ``resource`` up to date after it changed state."""
    state = context.state
    for other, reference in context.table.referring_to(resource.resource_type):
        if reference.when_changed is None:
            continue
        for record in state.resources[other.resource_type].values():
            if resource.name in reference.names(record):
                reference.when_changed(state, record, resource)


def delete(context: RequestContext, resource: Resource, *, status: str = "Succeeded") -> Wire:
    """Commit a deletion and report it: what its references report, then one terminal
    operation in the resource's zone, as the real DeleteInstance reports it (aws-cli
    ``delete-instance`` example)."""
    operations = remove(context, resource)
    kind = context.table.kinds[resource.resource_type]
    operations.append(operation_on(context, resource, kind.delete or f"Delete{resource.resource_type}", status=status))
    return {"operations": operations}


def begin_transition(
    context: RequestContext,
    resource: Resource,
    *,
    interim: str,
    final: str,
    then: Callable[[], None] | None = None,
    facet: Facet = STATE,
) -> None:
    """Move ``resource`` (its state, or another ``facet`` of it) through ``interim`` to
    ``final`` by the store's transition mode (``engine/transitions.py``); the kind's
    declared duration applies in the clock mode. Both moves are changes the records that
    name it hear of (``changed``)."""
    kind = context.table.kinds[resource.resource_type]

    def finished() -> None:
        if then is not None:
            then()
        changed(context, resource)

    context.store.transitions.begin(
        resource,
        interim=interim,
        final=final,
        now=context.now,
        seconds=kind.transition_seconds,
        then=finished,
        facet=facet,
    )
    if facet.read(resource) == interim:
        changed(context, resource)


# -- account-wide families -------------------------------------------------------------------

#: Where the service keeps what is account-wide (domains, distributions, subdomains, the
#: account's profile), and the one Region that answers their operations (§13.1, §22.5).
GLOBAL_REGION = "us-east-1"


def served_from_us_east_1(noun: str, operations: Mapping[str, Handler]) -> dict[str, Handler]:
    """An account-wide family's ``operations``, each answered in us-east-1 only and elsewhere
    refused as the service refuses a domain operation (docs/service-reference.md §13.1: an
    ``InvalidInputException`` of code ``UnsupportedOperation``), before it reads anything.
    ``noun`` names what the family's operations are about ("Domain", "Distribution")."""

    def wrap(handler: Handler) -> Handler:
        def answer(context: RequestContext, params: dict[str, Any]) -> Wire:
            if context.region != GLOBAL_REGION:
                raise InvalidInputException(
                    f"{noun}-related APIs are only available in the {GLOBAL_REGION} Region. Please set your "
                    f"Region configuration to {GLOBAL_REGION} to create, view, or edit {noun.lower()} resources.",
                    code="UnsupportedOperation",
                )
            return handler(context, params)

        return answer

    return {name: wrap(handler) for name, handler in operations.items()}


# -- reads ----------------------------------------------------------------------------------


def published(resource: Resource) -> Wire:
    """A stored record as a response carries it (``Resource.wire``: its own top level)."""
    return resource.wire


def page_of(
    context: RequestContext,
    operation: str,
    member: str,
    params: dict[str, Any],
    listed: paging.Listing[T],
    publish: Callable[[T], Any],
    keep: Callable[[T], bool] | None = None,
) -> Wire:
    """One page of ``listed``, each item as ``publish`` gives it (a record, or a name)."""
    return paging.page(
        listed,
        operation=operation,
        member=member,
        params=params,
        page_size=context.store.options.page_size,
        publish=publish,
        keep=keep,
    )


def list_catalogue(
    context: RequestContext, operation: str, member: str, params: dict[str, Any], records: Iterable[Wire]
) -> Wire:
    """One page of catalogue records, in catalogue order (each made fresh for the call)."""
    return page_of(context, operation, member, params, paging.in_order(records), publish=lambda record: record)


def get_handler(kind: Kind, publish: Callable[[Resource], Wire] = published) -> Handler:
    """``Get<Kind>``: the record named by ``kind.name_member``."""
    assert kind.get is not None
    member = kind.get[1]

    def get(context: RequestContext, params: dict[str, Any]) -> Wire:
        return {member: publish(find(context, kind.resource_type, params[kind.name_member]))}

    return get


def list_handler(
    kind: Kind,
    publish: Callable[[Resource], Wire] = published,
    keep: Callable[[dict[str, Any]], Callable[[Resource], bool] | None] | None = None,
) -> Handler:
    """``Get<Kinds>``: a page of the kind's records by (creation time, name); ``keep``
    makes a filter from the request's parameters where the operation has one."""
    assert kind.listing is not None
    operation, member = kind.listing

    def get_all(context: RequestContext, params: dict[str, Any]) -> Wire:
        listed = paging.indexed(context.state.resources[kind.resource_type])
        chosen = keep(params) if keep is not None else None
        return page_of(context, operation, member, params, listed, publish, chosen)

    return get_all


def delete_handler(
    kind: Kind, check: Callable[[RequestContext, Resource, dict[str, Any]], None] | None = None
) -> Handler:
    """``Delete<Kind>``: the record named, after ``check`` (which refuses by raising)."""

    def delete_one(context: RequestContext, params: dict[str, Any]) -> Wire:
        resource = find(context, kind.resource_type, params[kind.name_member])
        if check is not None:
            check(context, resource, params)
        return delete(context, resource)

    return delete_one


def standard_operations(
    kind: Kind,
    *,
    publish: Callable[[Resource], Wire] = published,
    check_delete: Callable[[RequestContext, Resource, dict[str, Any]], None] | None = None,
) -> dict[str, Handler]:
    """The Get, list and Delete operations the kind declares, from the declaration alone."""
    operations: dict[str, Handler] = {}
    if kind.get is not None:
        operations[kind.get[0]] = get_handler(kind, publish)
    if kind.listing is not None:
        operations[kind.listing[0]] = list_handler(kind, publish)
    if kind.delete is not None:
        operations[kind.delete] = delete_handler(kind, check_delete)
    return operations


# -- tags -----------------------------------------------------------------------------------


def taggable(resource: Resource) -> Taggable:
    """A record as TagResource sees it; its tags are stored on the record (shown or not)."""

    def store(tags: list[Wire]) -> None:
        resource.tags = tags

    return Taggable(resource.name, resource.arn, resource.resource_type, resource.zone, resource.tags, store)
