"""TagResource and UntagResource, on every kind of resource lightmock keeps.

"Each resource can have a maximum of 50 tags. Each tag consists of a key and an optional
value. Tag keys must be unique per resource."
(https://docs.aws.amazon.com/lightsail/2016-11-28/api-reference/API_TagResource.html)
A tag whose key the resource already has replaces that tag's value; untagging a key the
resource lacks is not an error. The stored record changes, so a client that re-reads the
resource (Terraform after every apply) sees its tags as it set them.

Every kind declared taggable in the family table (``service/families.py``) is reached, and
the families whose records are not ``Resource``s (alarms, contact methods) say how their
records are found by name. A static IP keeps its tags although the model's ``StaticIp``
shape cannot show them.

The returned operation has no ``operationType``: the service's (``TagResource``,
``UntagResource``) are not in the model's ``OperationType`` enum (docs/limits.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lightmock.core.exceptions import NotFoundException
from lightmock.core.quoting import quoted
from lightmock.core.wire import Wire, check_tags
from lightmock.service import family
from lightmock.service.context import RequestContext
from lightmock.service.kinds import Family, Taggable


def _candidates(context: RequestContext, name: str) -> Iterator[Taggable]:
    state = context.state
    for table_family in context.table.families:
        for kind in table_family.kinds:
            if kind.taggable:
                resource = state.resources[kind.resource_type].get(name)
                if resource is not None:
                    yield family.taggable(resource)
        if table_family.tag_targets is not None:
            yield from table_family.tag_targets(state, name)


def _find(context: RequestContext, params: dict[str, Any]) -> Taggable:
    """The resource named (and, when ``resourceArn`` is given, with that ARN: names of
    different kinds may coincide)."""
    name, wanted_arn = params["resourceName"], params.get("resourceArn")
    for candidate in _candidates(context, name):
        if wanted_arn is None or candidate.arn == wanted_arn:
            return candidate
    detail = "" if wanted_arn is None else f" with the ARN {quoted(wanted_arn, bare=True)}"
    raise NotFoundException(f"The resource does not exist: {quoted(name, bare=True)}{detail}", code="DoesNotExist")


def _operation(context: RequestContext, target: Taggable) -> Wire:
    return context.operation(
        resource_name=target.name,
        resource_type=target.resource_type,
        operation_type=None,
        availability_zone=target.zone,
    )


def tag_resource(context: RequestContext, params: dict[str, Any]) -> Wire:
    target = _find(context, params)
    # A key the resource has: its value is replaced (the one tag rule, core.wire.check_tags).
    target.store(check_tags(target.tags, params["tags"]))
    return {"operations": [_operation(context, target)]}


def untag_resource(context: RequestContext, params: dict[str, Any]) -> Wire:
    target = _find(context, params)
    doomed = set(params["tagKeys"])
    target.store([dict(tag) for tag in target.tags if tag["key"] not in doomed])
    return {"operations": [_operation(context, target)]}


FAMILY = Family(title="Tags", operations={"TagResource": tag_resource, "UntagResource": untag_resource})
