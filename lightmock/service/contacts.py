"""Contact methods: where alarm notifications go (one Email and one SMS per region).

Facts from the model's documentation (docs/service-reference.md §6): one email
address and one mobile number per region; SMS only in the regions the model lists; an
email starts ``PendingVerification`` and receives nothing until verified; SMS needs no
verification; phone numbers in E.164; ``SendContactMethodVerification`` is for Email only.
Undocumented, chosen here: a second contact method of a protocol already present is an
``InvalidInputException`` (the console's "replace" is a delete and a create).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from lightmock.core.domain import ContactProtocol, ResourceType
from lightmock.core.exceptions import InvalidInputException, NotFoundException
from lightmock.core.ids import new_id
from lightmock.core.quoting import quoted
from lightmock.core.records import PENDING, VALID, ContactMethod
from lightmock.core.wire import Wire, request_tags
from lightmock.engine.store import RegionState
from lightmock.service.catalogue import support_code
from lightmock.service.context import RequestContext
from lightmock.service.kinds import Family, Taggable

#: "SMS text messaging is supported in the following Amazon Web Services Regions" (model
#: documentation of CreateContactMethodRequest.protocol).
SMS_REGIONS = frozenset({"us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1", "ap-southeast-1", "ap-southeast-2"})
_E164 = re.compile(r"\+[1-9][0-9]{1,14}")
# Deliberately plain: one @, no spaces, a dot in the domain. SNS rejects much the same.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")



def create_contact_method(context: RequestContext, params: dict[str, Any]) -> Wire:
    protocol = ContactProtocol(params["protocol"])
    endpoint = params["contactEndpoint"]
    if protocol is ContactProtocol.SMS:
        if context.region not in SMS_REGIONS:
            raise InvalidInputException(
                f"SMS text messaging is not supported in {context.region}; it is supported in: "
                f"{', '.join(sorted(SMS_REGIONS))}",
                code="UnsupportedRegion",
            )
        if not _E164.fullmatch(endpoint):
            raise InvalidInputException(
                f"contactEndpoint: {quoted(endpoint, bare=True)} is not a phone number in E.164 format "
                "(a + and the country code, at most 15 digits, e.g. +12065550100)",
                code="InvalidPhoneNumber",
            )
    elif not _EMAIL.fullmatch(endpoint):
        raise InvalidInputException(
            f"contactEndpoint: {quoted(endpoint, bare=True)} is not a valid email address", code="InvalidEmail"
        )
    if protocol in context.state.contact_methods:
        raise InvalidInputException(
            f"A {protocol} contact method already exists in {context.region}; you can add one email "
            "address and one mobile phone number per region. Delete it first to replace it",
            code="AlreadyExists",
        )
    method_id = new_id()
    name = f"{protocol.value}-{context.region}"
    wire = {
        "contactEndpoint": endpoint,
        "status": PENDING if protocol is ContactProtocol.EMAIL else VALID,
        "protocol": protocol.value,
        **context.resource_head(ResourceType.CONTACT_METHOD, name, method_id),
        "supportCode": support_code(context.account_id, method_id),
        "tags": request_tags(params),
    }
    context.state.contact_methods[protocol] = ContactMethod(protocol=protocol, endpoint=endpoint, wire=wire)
    return {"operations": [_operation(context, name, "CreateContactMethod")]}


def _operation(context: RequestContext, name: str, operation_type: str) -> Wire:
    return context.operation(
        resource_name=name, resource_type=ResourceType.CONTACT_METHOD.value, operation_type=operation_type
    )


def get_contact_methods(context: RequestContext, params: dict[str, Any]) -> Wire:
    wanted = set(params.get("protocols") or [p.value for p in ContactProtocol])
    methods = [c.wire for p, c in sorted(context.state.contact_methods.items()) if p.value in wanted]
    return {"contactMethods": methods}


def _existing(context: RequestContext, protocol: ContactProtocol) -> ContactMethod:
    contact = context.state.contact_methods.get(protocol)
    if contact is None:
        raise NotFoundException(
            f"The {protocol} contact method does not exist in {context.region}", code="DoesNotExist"
        )
    return contact


def delete_contact_method(context: RequestContext, params: dict[str, Any]) -> Wire:
    protocol = ContactProtocol(params["protocol"])
    contact = _existing(context, protocol)
    del context.state.contact_methods[protocol]
    return {"operations": [_operation(context, contact.wire["name"], "DeleteContactMethod")]}


def send_contact_method_verification(context: RequestContext, params: dict[str, Any]) -> Wire:
    protocol = ContactProtocol(params["protocol"])
    contact = _existing(context, protocol)
    if contact.status == VALID:
        raise InvalidInputException(
            f"The {protocol} contact method {contact.endpoint} is already verified", code="AlreadyVerified"
        )
    return {"operations": [_operation(context, contact.wire["name"], "SendContactMethodVerification")]}


def _tag_targets(state: RegionState, name: str) -> Iterator[Taggable]:
    """The contact method of that name, as TagResource reaches it."""
    for contact in state.contact_methods.values():
        if contact.wire["name"] != name:
            continue

        def store(tags: list[Wire], contact: ContactMethod = contact) -> None:
            contact.wire = {**contact.wire, "tags": tags}  # a new record: handed-out ones stay as they were

        wire = contact.wire
        yield Taggable(wire["name"], wire["arn"], ResourceType.CONTACT_METHOD, "all", wire["tags"], store)


FAMILY = Family(
    title="Contact methods",
    operations={
        "CreateContactMethod": create_contact_method,
        "GetContactMethods": get_contact_methods,
        "DeleteContactMethod": delete_contact_method,
        "SendContactMethodVerification": send_contact_method_verification,
    },
    tag_targets=_tag_targets,
)
