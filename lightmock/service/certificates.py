"""Lightsail certificates (for distributions and container services): CreateCertificate,
GetCertificates, DeleteCertificate; and the DNS validation that load balancer TLS
certificates share (docs/service-reference.md §14).

A certificate is made ``PENDING_VALIDATION`` with one CNAME validation record for its
domain and for each alternative name (the domain is one of its ``subjectAlternativeNames``,
as Terraform's provider expects, §14.1). It becomes ``ISSUED`` as ACM's DNS validation
would make it: once every validation record exists in a zone of the account
(``domains.has_entry``), or when a test says it is validated (the handle's
``validate_certificate``, the control API's ``POST /_lightmock/certificates/validate``).
lightmock notices a record when the certificate is next read or used, and the issue goes
through the one transition mechanism from then (at once by default). GetCertificates
answers summaries, with each certificate's detail when ``includeCertificateDetails`` is
true or one certificate is named (§14.2). DeleteCertificate refuses a certificate that a
distribution uses (§14.3).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable
from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException, LightmockUsageError
from lightmock.core.quoting import quoted
from lightmock.core.records import Resource, ResourceForm
from lightmock.core.wire import Wire, request_tags, wire_time
from lightmock.engine.store import Store
from lightmock.schema.validation import resource_name_problem
from lightmock.service import catalogue, domains, family, paging
from lightmock.service.context import RequestContext, settled_context
from lightmock.service.kinds import Family, FamilyTable, Kind

PENDING = "PENDING_VALIDATION"
ISSUED = "ISSUED"
#: "You can specify a maximum of nine alternate domains (in addition to the primary domain
#: name). Wildcard domain entries (*.example.com) are not supported." (CreateCertificate doc)
MAX_ALTERNATIVE_NAMES = 9
#: An issued certificate is valid for 13 months (ACM's validity period), in seconds.
VALIDITY_SECONDS = 395 * 86400

#: Certificates have no Get of their own: GetCertificates answers summaries (§14.2).
CERTIFICATE = Kind(
    resource_type=ResourceType.CERTIFICATE,
    name_member="certificateName",
    form=ResourceForm(state=None, tags_shown=False),
    transition_seconds=300.0,
)


# -- validation, shared with load balancer TLS certificates --------------------------------


def validation_names(domain_name: str, alternatives: Iterable[str]) -> list[str]:
    """The names a certificate covers, its domain first, each once."""
    return list(dict.fromkeys([domains.dns_name(domain_name), *(domains.dns_name(name) for name in alternatives)]))


@functools.lru_cache(maxsize=1 << 16)
def validation_record(seed: str, name: str) -> tuple[str, str]:
    """The CNAME (name, value) ACM asks for to validate ``name``, as the aws-cli
    ``get-load-balancer-tls-certificates`` example shows one: ``_<32 hex>.<name>.`` to
    ``_<32 hex>.<10 letters>.acm-validations.aws.`` (the same for the same certificate and
    name: kept, since every read of a certificate shows its records)."""
    digest = hashlib.sha256(f"{seed}\0{name}".encode()).hexdigest()
    letters = "".join(chr(ord("a") + int(digest[i : i + 2], 16) % 26) for i in range(0, 20, 2))
    return f"_{digest[:32]}.{name}.", f"_{digest[32:64]}.{letters}.acm-validations.aws."


def check_names(domain_name: str, alternatives: list[str], member: str) -> list[str]:
    """The names of a new certificate, refused as the service refuses them."""
    wild = [name for name in alternatives if name.startswith("*")]
    if wild:
        raise InvalidInputException(
            f"{member}: wildcard domain entries are not supported: {quoted(wild, bare=True)}", code="InvalidDomainName"
        )
    for name in [domain_name, *alternatives]:
        domains.check_dns_name(name, member)
    names = validation_names(domain_name, alternatives)
    if len(names) > MAX_ALTERNATIVE_NAMES + 1:
        raise InvalidInputException(
            f"{member}: at most {MAX_ALTERNATIVE_NAMES} alternative names besides the domain name; "
            f"got {len(names) - 1}",
            code="TooManyNames",
        )
    return names


def records_present(context: RequestContext, records: Iterable[tuple[str, str]]) -> bool:
    """Whether every validation CNAME exists in a zone of the account (docs §14.1)."""
    return all(domains.has_entry(context, name, "CNAME", value) for name, value in records)


_CHECKED = "certificates.checked"


def _records(certificate: Resource) -> list[tuple[str, str]]:
    return [validation_record(certificate.arn, name) for name in certificate.body["subjectAlternativeNames"]]


def records_found(context: RequestContext, certificate: Resource) -> bool:
    """``records_present`` for the certificate's validation records, looked up again only
    when the zones changed since the last look for this certificate (a read of a pending
    certificate costs a dictionary lookup: the records are made only for a look)."""
    version = domains.zones_version(context)
    checked: dict[str, int] = context.state.family_state.setdefault(_CHECKED, {})
    if checked.get(certificate.arn) == version:
        return False
    found = records_present(context, _records(certificate))
    checked[certificate.arn] = version
    return found


def begin_issue(context: RequestContext, resource: Resource, then: Callable[[], None]) -> None:
    """Start a pending certificate's way to ``ISSUED`` (once: a transition under way goes on)."""
    if resource.state != PENDING or context.store.transitions.in_transition(resource):
        return
    family.begin_transition(context, resource, interim=PENDING, final=ISSUED, then=then)


def _issue(context: RequestContext, certificate: Resource) -> None:
    """``begin_issue`` with what the certificate's kind gains when issued."""
    issued = _issued if certificate.resource_type == ResourceType.CERTIFICATE else tls_issued
    begin_issue(context, certificate, issued(context, certificate))


def settle(context: RequestContext, certificate: Resource) -> None:
    """Issue a pending certificate (or load balancer TLS certificate) whose validation
    records now exist."""
    if certificate.state == PENDING and records_found(context, certificate):
        _issue(context, certificate)


def serial_number(certificate: Resource) -> str:
    """An issued certificate's serial: 16 hex bytes from its ARN, colon-separated."""
    serial = hashlib.sha256(certificate.arn.encode()).hexdigest()[:32]
    return ":".join(serial[i : i + 2] for i in range(0, 32, 2))


def acm_support_code(context: RequestContext, certificate: Resource) -> str:
    """A certificate's support code, made from the ACM certificate ARN it stands for."""
    return catalogue.support_code(
        context.account_id,
        f"arn:aws:acm:{context.region}:{catalogue.account_code(context.account_id, 12)}:"
        f"certificate/{certificate.arn.rsplit('/', 1)[1]}",
    )


# -- Lightsail certificates ----------------------------------------------------------------


def _issued(context: RequestContext, certificate: Resource) -> Callable[[], None]:
    def then() -> None:
        now = context.now
        certificate.update(
            issuedAt=wire_time(now),
            notBefore=wire_time(now),
            notAfter=wire_time(now + VALIDITY_SECONDS),
            serialNumber=serial_number(certificate),
            issuerCA="Amazon",
            eligibleToRenew="INELIGIBLE",
        )

    return then


def find(context: RequestContext, name: str) -> Resource:
    certificate = family.find(context, ResourceType.CERTIFICATE, name)
    settle(context, certificate)
    return certificate


def in_use(context: RequestContext, certificate: Resource) -> list[str]:
    """The names of the resources of the region that use the certificate (distributions)."""
    return [
        distribution.name
        for distribution in context.state.resources[ResourceType.DISTRIBUTION].values()
        if distribution.body.get("certificateName") == certificate.name
    ]


@functools.lru_cache(maxsize=4096)
def _validation_records(arn: str, names: tuple[str, ...], validation: str) -> list[Wire]:
    """The ``domainValidationRecords`` of a certificate's detail (made once for the same
    names and status, and shared, never edited, as a record's values are: ``Resource``)."""
    return [
        {
            "domainName": name,
            "resourceRecord": {"name": record_name, "type": "CNAME", "value": value},
            "validationStatus": validation,
        }
        for name in names
        for record_name, value in [validation_record(arn, name)]
    ]


def detail(context: RequestContext, certificate: Resource) -> Wire:
    """The model's ``Certificate`` record."""
    body = certificate.body
    status = certificate.state or PENDING
    names = body["subjectAlternativeNames"]
    record: Wire = {
        "arn": certificate.arn,
        "name": certificate.name,
        "domainName": body["domainName"],
        "status": status,
        "subjectAlternativeNames": names,
        "domainValidationRecords": _validation_records(
            certificate.arn, tuple(names), "SUCCESS" if status == ISSUED else PENDING
        ),
        "inUseResourceCount": len(in_use(context, certificate)),
        "keyAlgorithm": "RSA-2048",
        "createdAt": certificate.head["createdAt"],
    }
    for member in ("issuedAt", "issuerCA", "notBefore", "notAfter", "serialNumber", "eligibleToRenew"):
        if member in body:
            record[member] = body[member]
    record["tags"] = certificate.tags  # shared, never edited (``Resource``)
    record["supportCode"] = certificate.support_code
    return record


def summary(context: RequestContext, certificate: Resource, with_detail: bool) -> Wire:
    record: Wire = {
        "certificateArn": certificate.arn,
        "certificateName": certificate.name,
        "domainName": certificate.body["domainName"],
    }
    if with_detail:
        record["certificateDetail"] = detail(context, certificate)
    record["tags"] = certificate.tags  # shared, never edited (``Resource``)
    return record


def create_certificate(context: RequestContext, params: dict[str, Any]) -> Wire:
    name = params["certificateName"]
    problem = resource_name_problem(name, "certificateName")  # the model's CertificateName has no pattern
    if problem is not None:
        raise InvalidInputException(problem, code="ValidationError")
    domain_name = domains.dns_name(params["domainName"])
    names = check_names(domain_name, params.get("subjectAlternativeNames", []), "subjectAlternativeNames")
    family.check_names_free(context, CERTIFICATE, [name])
    certificate = family.new_record(
        context,
        CERTIFICATE,
        name,
        state=PENDING,
        tags=request_tags(params),
        body={"domainName": domain_name, "subjectAlternativeNames": names},
    )
    certificate.support_code = acm_support_code(context, certificate)
    family.add(context, certificate)
    settle(context, certificate)
    return {
        "certificate": summary(context, certificate, True),
        "operations": [family.operation_on(context, certificate, "CreateCertificate")],
    }


def get_certificates(context: RequestContext, params: dict[str, Any]) -> Wire:
    """Summaries, with details when asked for or when one certificate is named (Terraform
    reads the detail of ``GetCertificates(certificateName=...)`` without asking: §14.2)."""
    statuses = set(params.get("certificateStatuses", ()))
    name = params.get("certificateName")
    with_detail = bool(params.get("includeCertificateDetails")) or name is not None
    if name is not None:
        certificate = find(context, name)
        shown = not statuses or certificate.state in statuses
        return {"certificates": [summary(context, certificate, with_detail)] if shown else []}
    table = context.state.resources[ResourceType.CERTIFICATE]

    # Each certificate is settled as the page reaches it: a call costs what it returns.
    def publish(certificate: Resource) -> Wire:
        settle(context, certificate)
        return summary(context, certificate, with_detail)

    def keep(certificate: Resource) -> bool:
        settle(context, certificate)
        return certificate.state in statuses

    return family.page_of(
        context, "GetCertificates", "certificates", params, paging.indexed(table), publish, keep if statuses else None
    )


def delete_certificate(context: RequestContext, params: dict[str, Any]) -> Wire:
    certificate = find(context, params["certificateName"])
    users = in_use(context, certificate)
    if users:
        raise InvalidInputException(
            f"The certificate {certificate.name} is in use by the distribution {users[0]}; detach it first",
            code="ResourceInUse",
        )
    return family.delete(context, certificate)


def validate(store: Store, table: FamilyTable, account_id: str, region: str, name: str) -> None:
    """What the handle's ``validate_certificate`` does: the certificate (or load balancer TLS
    certificate) of that name starts its way to ``ISSUED`` as if its records were found."""
    with settled_context(store, account_id, region, table) as context:
        for resource_type in (ResourceType.CERTIFICATE, ResourceType.LOAD_BALANCER_TLS_CERTIFICATE):
            resource = context.state.resources[resource_type].get(name)
            if resource is None:
                continue
            if resource.state != PENDING:
                raise LightmockUsageError(f"the certificate {name!r} in {region} is {resource.state}, not {PENDING}")
            _issue(context, resource)
            return
        raise LightmockUsageError(f"there is no certificate or load balancer TLS certificate {name!r} in {region}")


def tls_issued(context: RequestContext, certificate: Resource) -> Callable[[], None]:
    """What a load balancer TLS certificate gains when issued (aws-cli
    ``get-load-balancer-tls-certificates`` example)."""

    def then() -> None:
        now = context.now
        certificate.update(
            issuedAt=wire_time(now),
            issuer="Amazon",
            keyAlgorithm="RSA-2048",
            notAfter=wire_time(now + VALIDITY_SECONDS),
            notBefore=wire_time(now),
            serial=serial_number(certificate),
            signatureAlgorithm="SHA256WITHRSA",
            subject=f"CN={certificate.body['domainName']}",
        )

    return then


FAMILY = Family(
    title="Certificates",
    kinds=(CERTIFICATE,),
    operations={
        "CreateCertificate": create_certificate,
        "GetCertificates": get_certificates,
        "DeleteCertificate": delete_certificate,
    },
)
