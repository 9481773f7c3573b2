"""UpdateSubdomainAssociation: a subdomain associated with a resource, disassociated from it,
or moved to another (docs/service-reference.md §22.6).

"Currently, you can associate a subdomain only with a Lightsail content delivery network
(CDN) distribution": the target is named by its ARN, which must be of a resource of the
account; lightmock looks it up in every table of the ARN's Region, so an ARN of another kind
of resource is refused as the wrong kind and an ARN of nothing is not found. "A resource can
be associated with only one subdomain at a time"; a distribution "that has a Lightsail
certificate attached" (a custom domain) is refused; a subdomain moves (``TRANSFER``) "only
once in a 24-hour period".

"The update is asynchronous. The response returns the subdomain in the ATTACHING, DETACHING,
or TRANSFERRING state": the response shows that state in every transition mode, and the
record goes on to ``ATTACHED`` or ``UNATTACHED`` through the one transition mechanism
(``family.begin_transition``). ``attachingResource`` names the resource being associated
while ``ATTACHING`` or ``TRANSFERRING``; ``attachedResource`` the one associated (while
``TRANSFERRING``, the one it is moving from), with the time of the request that associated it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException, OperationFailureException
from lightmock.core.quoting import quoted
from lightmock.core.records import Resource
from lightmock.core.wire import Wire, wire_time
from lightmock.service import family, subdomains
from lightmock.service.context import RequestContext
from lightmock.service.kinds import Family
from lightmock.service.subdomains import SubdomainState

#: The kinds a subdomain can be associated with (UpdateSubdomainAssociation doc).
ATTACHABLE = frozenset({ResourceType.DISTRIBUTION})
#: "You can transfer each subdomain to another resource only once in a 24-hour period."
TRANSFER_INTERVAL_SECONDS = 86_400.0


def _resolve(context: RequestContext, target_arn: str | None, action: str) -> Resource:
    """The account's resource an ARN names, if a subdomain can be associated with it."""
    if not target_arn:
        raise InvalidInputException(
            f"targetResourceArn is required when the action is {action}", code="MissingParameter"
        )
    parts = target_arn.split(":", 5)
    if len(parts) != 6 or parts[:3] != ["arn", "aws", "lightsail"] or "/" not in parts[5]:
        raise InvalidInputException(
            f"targetResourceArn is not the ARN of a Lightsail resource: {quoted(target_arn)} "
            "(expected arn:aws:lightsail:<region>:<account>:<type>/<id>)",
            code="InvalidResourceArn",
        )
    region, account_id = parts[3], parts[4]
    # "The resource must be in your account": another account's is not one of yours to find.
    state = context.store.regions.get((context.account_id, region)) if account_id == context.account_id else None
    found = None
    if state is not None:
        found = next(
            (record for records in state.resources.values() for record in records.values() if record.arn == target_arn),
            None,
        )
    if found is None:
        raise family.not_found("resource", target_arn)
    if found.resource_type not in ATTACHABLE:
        raise InvalidInputException(
            "Currently, you can associate a subdomain only with a Lightsail content delivery network (CDN) "
            f"distribution; {quoted(target_arn, bare=True)} is the {found.resource_type} {found.name}",
            code="UnsupportedResourceType",
        )
    return found


def _check_target(context: RequestContext, subdomain: Resource, target: Resource) -> None:
    """One subdomain per resource, and no distribution that uses a custom domain."""
    if target.body.get("certificateName"):
        raise InvalidInputException(
            f"You can't associate a subdomain with the distribution {target.name}: it uses a custom domain (the "
            f"Lightsail certificate {target.body['certificateName']} is attached to it)",
            code="CustomDomainInUse",
        )
    for other in context.state.resources[ResourceType.SUBDOMAIN].values():
        if other is not subdomain and any(
            other.body.get(member, {}).get("arn") == target.arn for member in subdomains.ASSOCIATION_MEMBERS
        ):
            raise InvalidInputException(
                f"The {target.resource_type} {target.name} is already associated with the subdomain {other.name}; a "
                "resource can be associated with only one subdomain at a time",
                code="AlreadyAssociated",
            )


def _require(subdomain: Resource, state: SubdomainState, action: str) -> None:
    if subdomain.state != state:
        raise OperationFailureException(
            f"The subdomain {subdomain.name} is {subdomain.state}; {action} needs it {state}",
            code="InvalidSubdomainState",
        )


def _settled(subdomain: Resource, **members: Any) -> Callable[[], None]:
    """What the end of the change does to the record: its association members become
    ``members`` (``subdomains.set_association``)."""

    def settle() -> None:
        subdomains.set_association(subdomain, **members)

    return settle


def update_subdomain_association(context: RequestContext, params: dict[str, Any]) -> Wire:
    action = params["action"]
    subdomain = subdomains.find(context, params["subdomainName"], "associate")
    attached = subdomain.body.get("attachedResource")
    target: Resource | None = None
    if action == "ASSOCIATE":
        _require(subdomain, SubdomainState.UNATTACHED, action)
        target = _resolve(context, params.get("targetResourceArn"), action)
        interim = SubdomainState.ATTACHING
    elif action == "DISASSOCIATE":
        _require(subdomain, SubdomainState.ATTACHED, action)
        interim = SubdomainState.DETACHING
    else:  # TRANSFER: the model's enum has no other action
        _require(subdomain, SubdomainState.ATTACHED, action)
        target = _resolve(context, params.get("targetResourceArn"), action)
        assert attached is not None
        if target.arn == attached["arn"]:
            raise InvalidInputException(
                f"The subdomain {subdomain.name} is already associated with the {target.resource_type} {target.name}",
                code="AlreadyAssociated",
            )
        moved = subdomain.private.get("transferredAt")
        if moved is not None and context.now - moved < TRANSFER_INTERVAL_SECONDS:
            raise InvalidInputException(
                f"You can transfer each subdomain to another resource only once in a 24-hour period; "
                f"{subdomain.name} was transferred at {wire_time(moved)}",
                code="TransferLimitExceeded",
            )
        interim = SubdomainState.TRANSFERRING
    if target is not None:
        _check_target(context, subdomain, target)
    # Validated: commit the change's first step, answer with it, then let it finish.
    if target is None:
        final, then = SubdomainState.UNATTACHED, _settled(subdomain)
    else:
        attaching = {"arn": target.arn, "name": target.name}
        subdomain.update(attachingResource=attaching)
        subdomain.attached_to = target.name
        final = SubdomainState.ATTACHED
        then = _settled(subdomain, attachedResource={**attaching, "attachedAt": wire_time(context.now)})
        if interim is SubdomainState.TRANSFERRING:
            subdomain.private = {**subdomain.private, "transferredAt": context.now}
    subdomain.state = interim
    answer = {
        "subdomain": subdomains.publish(subdomain),
        "operation": family.operation_on(
            context,
            subdomain,
            "UpdateSubdomainAssociation",
            status="Started",
            details=target.name if target is not None else attached["name"] if attached is not None else None,
        ),
    }
    family.begin_transition(context, subdomain, interim=interim, final=final, then=then)
    return answer


FAMILY = Family(
    title="Subdomain associations",
    operations=family.served_from_us_east_1("Subdomain", {"UpdateSubdomainAssociation": update_subdomain_association}),
)
