"""TagResource and UntagResource, on every kind of resource lightmock keeps.

"Each resource can have a maximum of 50 tags. Each tag consists of a key and an optional
value. Tag keys must be unique per resource."
(https://docs.aws.amazon.com/lightsail/2016-11-28/api-reference/API_TagResource.html)
A tag whose key the resource already has replaces that tag's value; untagging a key the
resource lacks is not an error. The stored record changes, so a client that re-reads the
resource (Terraform after every apply) sees its tags as it set them.

Kinds: instances, load balancers, databases, key pairs, alarms and contact methods show
their tags in their records. A static IP can be tagged, but the model's ``StaticIp`` shape
has no ``tags`` member, so GetStaticIp cannot show them and nothing is kept.

The returned operation has no ``operationType``: the service's (``TagResource``,
``UntagResource``) are not in the model's ``OperationType`` enum (docs/limits.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import NotFoundException
from lightmock.core.quoting import quoted
from lightmock.core.records import Alarm, ContactMethod, Resource
from lightmock.core.wire import Wire, check_tags
from lightmock.service.context import RequestContext


@dataclass(frozen=True, slots=True)
class Taggable:
    """One resource as tagging sees it: where it is, its tags, and how to store new ones."""

    name: str
    arn: str
    resource_type: ResourceType
    zone: str
    tags: list[Wire]
    store: Callable[[list[Wire]], None]


def _resource(resource: Resource) -> Taggable:
    def store(tags: list[Wire]) -> None:
        resource.wire = {**resource.wire, "tags": tags}  # a new record: handed-out ones stay as they were

    wire = resource.wire
    return Taggable(
        resource.name, resource.arn, resource.resource_type, wire["location"]["availabilityZone"], wire["tags"], store
    )


def _static_ip(resource: Resource) -> Taggable:
    return Taggable(resource.name, resource.arn, ResourceType.STATIC_IP, "all", [], lambda tags: None)


def _alarm(alarm: Alarm) -> Taggable:
    def store(tags: list[Wire]) -> None:
        alarm.tags = tuple(tags)
        alarm.publish()

    return Taggable(alarm.name, alarm.arn, ResourceType.ALARM, "all", list(alarm.tags), store)


def _contact(contact: ContactMethod) -> Taggable:
    def store(tags: list[Wire]) -> None:
        contact.wire = {**contact.wire, "tags": tags}

    wire = contact.wire
    return Taggable(wire["name"], wire["arn"], ResourceType.CONTACT_METHOD, "all", wire["tags"], store)


def _candidates(context: RequestContext, name: str) -> Iterator[Taggable]:
    state = context.state
    resource = state.find_resource(name)
    if resource is not None:
        yield _resource(resource)
    key_pair = state.key_pairs.get(name)
    if key_pair is not None:
        yield _resource(key_pair)
    static_ip = state.static_ips.get(name)
    if static_ip is not None:
        yield _static_ip(static_ip)
    alarm = state.alarms.get(name)
    if alarm is not None:
        yield _alarm(alarm)
    for contact in state.contact_methods.values():
        if contact.wire["name"] == name:
            yield _contact(contact)


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
