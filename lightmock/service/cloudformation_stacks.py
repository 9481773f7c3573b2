"""CloudFormation stacks from exported snapshots: CreateCloudFormationStack and
GetCloudFormationStackRecords (docs/service-reference.md §20.9).

CreateCloudFormationStack "Creates an AWS CloudFormation stack, which creates a new Amazon
EC2 instance from an exported Amazon Lightsail snapshot. This operation results in a
CloudFormation stack record"; "You can only pass one instance entry at a time in this
array. You will get an invalid parameter error if you pass more than one"; each entry's
``sourceName`` is "The name of the export snapshot record, which contains the exported
Lightsail instance snapshot"; "Wait until after your new Amazon EC2 instance is created
before running the create cloud formation stack operation again with the same export
snapshot record" (model). The record (aws-cli ``get-cloud-formation-stack-records``
example): named ``CloudFormationStackRecord-<id>``, location ``all``, ``state`` ``Started``
then ``Succeeded`` (model ``RecordState``), ``sourceInfo`` naming the export snapshot record,
``destinationInfo`` the stack: ``arn:aws:cloudformation:<region>:<account>:stack/
Lightsail-Stack-<id>/<stack id>``, service ``Aws::CloudFormation::Stack``, the record's and the
stack's ``<id>`` the same.

lightmock keeps the records and nothing behind them: there is no CloudFormation or EC2
here, and the stack the record names does not exist. The export snapshot records are
ExportSnapshot's (``exports.py``: state ``Succeeded`` when done, ``sourceInfo.resourceType``
the snapshot's kind). Chosen here
(docs/limits.md): an unknown record is ``NotFoundException``; an export of a disk snapshot
(an EBS volume, no instance to launch), an ``instanceType`` not of the EC2 form
(``t2.micro``), or a zone of another region, ``InvalidInputException``; an export not yet
finished, or one whose previous stack is still ``Started``, ``OperationFailureException``.
The service names the record, so the kind declares no list for the contract suite;
GetCloudFormationStackRecords is its own handler, paged like every listing (§8). One
operation, ``Started``, on the stack record, naming the export (its ``operationType``,
not in the model's enum, is left out).
"""

from __future__ import annotations

import re
from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException, OperationFailureException
from lightmock.core.ids import new_id
from lightmock.core.quoting import quoted
from lightmock.core.records import ResourceForm
from lightmock.core.wire import Wire
from lightmock.service import family, paging
from lightmock.service.context import RequestContext
from lightmock.service.kinds import Family, Kind

CLOUD_FORMATION_STACK_RECORD = Kind(
    resource_type=ResourceType.CLOUD_FORMATION_STACK_RECORD,
    name_member="",  # no request names one: the service does
    taggable=False,
    form=ResourceForm(tags_shown=False),
    transition_seconds=300.0,
)

STARTED = "Started"
SUCCEEDED = "Succeeded"
#: An EC2 instance type: a family and a size (``t2.micro``, ``m5.2xlarge``, ``c6gn.medium``).
_INSTANCE_TYPE = re.compile(r"[a-z][a-z0-9-]*\.[a-z0-9]+")


def create_cloud_formation_stack(context: RequestContext, params: dict[str, Any]) -> Wire:
    entries = params["instances"]
    if len(entries) != 1:
        raise InvalidInputException(
            f"instances must hold exactly one instance entry; got {len(entries)}", code="ValidationError"
        )
    [entry] = entries
    export = family.find(context, ResourceType.EXPORT_SNAPSHOT_RECORD, entry["sourceName"])
    if export.state != SUCCEEDED:
        raise OperationFailureException(
            f"The export snapshot record {export.name} is {export.state}; a stack can be created from it once "
            "it has Succeeded",
            code="InvalidResourceState",
        )
    source_type = export.body["sourceInfo"]["resourceType"]
    if source_type != str(ResourceType.INSTANCE_SNAPSHOT):
        raise InvalidInputException(
            f"The export snapshot record {export.name} holds a {source_type}; an EC2 instance is created from "
            "an exported instance snapshot",
            code="InvalidSourceType",
        )
    if not _INSTANCE_TYPE.fullmatch(entry["instanceType"]):
        raise InvalidInputException(
            f"instances[0].instanceType {quoted(entry['instanceType'])} is not an EC2 instance type such as t2.micro",
            code="ValidationError",
        )
    family.check_zone(context, entry["availabilityZone"])
    for record in context.state.resources[ResourceType.CLOUD_FORMATION_STACK_RECORD].values():
        if record.state == STARTED and record.body["sourceInfo"][0]["name"] == export.name:
            raise OperationFailureException(
                f"The stack {record.name} of the export snapshot record {export.name} is still being created; "
                "wait until its EC2 instance is created",
                code="InvalidResourceState",
            )
    stack_id = new_id()
    stacks = f"arn:aws:cloudformation:{context.region}:{context.account_id}:stack"
    stack = f"{stacks}/Lightsail-Stack-{stack_id}/{new_id()}"
    record = family.new_record(
        context,
        CLOUD_FORMATION_STACK_RECORD,
        f"CloudFormationStackRecord-{stack_id}",
        body={
            "sourceInfo": [{"resourceType": "ExportSnapshotRecord", "name": export.name, "arn": export.arn}],
            "destinationInfo": {"id": stack, "service": "Aws::CloudFormation::Stack"},
        },
    )
    family.add(context, record)
    family.begin_transition(context, record, interim=STARTED, final=SUCCEEDED)
    return {
        "operations": [
            family.operation_on(context, record, "CreateCloudFormationStack", status=STARTED, details=export.name)
        ]
    }


def get_cloud_formation_stack_records(context: RequestContext, params: dict[str, Any]) -> Wire:
    listed = paging.indexed(context.state.resources[ResourceType.CLOUD_FORMATION_STACK_RECORD])
    return family.page_of(
        context, "GetCloudFormationStackRecords", "cloudFormationStackRecords", params, listed, family.published
    )


FAMILY = Family(
    title="CloudFormation stacks from exported snapshots",
    kinds=(CLOUD_FORMATION_STACK_RECORD,),
    operations={
        "CreateCloudFormationStack": create_cloud_formation_stack,
        "GetCloudFormationStackRecords": get_cloud_formation_stack_records,
    },
)
