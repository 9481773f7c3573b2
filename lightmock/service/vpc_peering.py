"""VPC peering: PeerVpc, UnpeerVpc, IsVpcPeered (docs/service-reference.md §20.8).

PeerVpc "Peers the Lightsail VPC with the user's default VPC", UnpeerVpc unpeers them,
IsVpcPeered "Returns a Boolean value indicating whether your Lightsail VPC is peered"
(model); per account and region (the AWS CLI examples pass ``--region``; "you must set up
VPC peering in each AWS Region where you have Lightsail resources", AWS re:Post
knowledge center, *lightsail-iam-permission-for-vpc-peering*). PeerVpc and UnpeerVpc report
one operation, ``Succeeded`` and terminal, on the Lightsail VPC (``resourceName``
``vpc-0...``, ``resourceType`` ``PeeredVpc``, zone ``all``) with the default VPC's id as its
details, ``operationType`` ``PeeredVpc`` / ``UnpeeredVpc`` (aws-cli ``peer-vpc``,
``unpeer-vpc`` examples): types the model's ``OperationType`` enum lacks, so they are left
out (``RequestContext.operation``).

The peering is a ``PeeredVpc`` record in the region's resource table, named by the
Lightsail VPC, while the VPCs are peered: a kind with no reads and nothing to tag. The VPC
ids are the account's and region's own, the same on every call (a Lightsail VPC does not
change). Chosen here (docs/limits.md): PeerVpc when already peered, and UnpeerVpc when not,
are ``OperationFailureException`` (**inferred**: the documents say nothing of either; EC2
refuses a second active peering of the same two VPCs).
"""

from __future__ import annotations

import functools
import hashlib
from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import OperationFailureException
from lightmock.core.records import Resource, ResourceForm
from lightmock.core.wire import Wire
from lightmock.service import family
from lightmock.service.context import RequestContext
from lightmock.service.kinds import Family, Kind

PEERED_VPC = Kind(
    resource_type=ResourceType.PEERED_VPC,
    name_member="",  # no request names one: the service does, by the Lightsail VPC
    taggable=False,
    form=ResourceForm(tags_shown=False),
    # Not a resource the account named: GetActiveNames leaves it out.
    unlisted=lambda record: True,
)


@functools.cache
def _vpc_ids(account_id: str, region: str) -> tuple[str, str]:
    """The Lightsail VPC (``vpc-0`` and 16 hex digits, as the example's ``vpc-0EXAMPLEa5261efb3``)
    and the default VPC (``vpc-`` and 8, as ``vpc-e2b3eb9b``) of an account and region."""
    digest = hashlib.sha256(f"lightmock:vpc:{account_id}:{region}".encode()).hexdigest()
    return "vpc-0" + digest[:16], "vpc-" + digest[16:24]


def lightsail_vpc_id(context: RequestContext) -> str:
    return _vpc_ids(context.account_id, context.region)[0]


def default_vpc_id(context: RequestContext) -> str:
    return _vpc_ids(context.account_id, context.region)[1]


def _peering(context: RequestContext) -> Resource | None:
    return context.state.resources[ResourceType.PEERED_VPC].get(lightsail_vpc_id(context))


def peer_vpc(context: RequestContext, params: dict[str, Any]) -> Wire:
    if _peering(context) is not None:
        raise OperationFailureException(
            f"The Lightsail VPC {lightsail_vpc_id(context)} is already peered with the default VPC "
            f"{default_vpc_id(context)} in {context.region}",
            code="AlreadyPeered",
        )
    record = family.new_record(context, PEERED_VPC, lightsail_vpc_id(context))
    record.private = {"peeredWith": default_vpc_id(context)}
    family.add(context, record)
    return {"operation": family.operation_on(context, record, "PeeredVpc", details=default_vpc_id(context))}


def unpeer_vpc(context: RequestContext, params: dict[str, Any]) -> Wire:
    record = _peering(context)
    if record is None:
        raise OperationFailureException(
            f"The Lightsail VPC {lightsail_vpc_id(context)} is not peered in {context.region}", code="NotPeered"
        )
    family.remove(context, record)
    return {"operation": family.operation_on(context, record, "UnpeeredVpc", details=record.private["peeredWith"])}


def is_vpc_peered(context: RequestContext, params: dict[str, Any]) -> Wire:
    return {"isPeered": _peering(context) is not None}


FAMILY = Family(
    title="VPC peering",
    kinds=(PEERED_VPC,),
    operations={"PeerVpc": peer_vpc, "UnpeerVpc": unpeer_vpc, "IsVpcPeered": is_vpc_peered},
)
