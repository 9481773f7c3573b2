"""HTTPS on a load balancer: its TLS certificates (CreateLoadBalancerTlsCertificate,
GetLoadBalancerTlsCertificates, AttachLoadBalancerTlsCertificate,
DeleteLoadBalancerTlsCertificate), its attributes (UpdateLoadBalancerAttribute) and the TLS
security policies (GetLoadBalancerTlsPolicies) (docs/service-reference.md §15).

A load balancer TLS certificate belongs to one load balancer, which lists it in its
``tlsCertificateSummaries``; it is validated by DNS as a Lightsail certificate is
(``certificates.py``), and goes when its load balancer goes. "Only two certificates can be
created for a load balancer" (aws-cli ``create-load-balancer-tls-certificate`` example); an
attached one must be ``ISSUED``, and attaching one detaches the other (§15.1). HTTPS
redirection needs an attached, valid certificate (§15.2). ``configurationOptions`` are
strings, as the service writes them and Terraform parses them (§15.2). The load balancer
TLS certificate cannot be tagged: "The resource type, LoadBalancerTlsCertificate, is not
taggable" (terraform-provider-aws ``lb_certificate.go``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException, NotFoundException
from lightmock.core.quoting import quoted
from lightmock.core.records import Resource, ResourceForm
from lightmock.core.wire import Wire
from lightmock.engine.store import RegionState
from lightmock.service import certificates, family
from lightmock.service.context import RequestContext
from lightmock.service.kinds import Family, Kind, Reference

#: "Only two certificates can be created for a load balancer" (aws-cli example).
MAX_PER_LOAD_BALANCER = 2
_TYPE = ResourceType.LOAD_BALANCER_TLS_CERTIFICATE


def _balancer_of(certificate: Resource) -> list[str]:
    return [certificate.body["loadBalancerName"]]


def _balancer_gone(state: RegionState, certificate: Resource, balancer: Resource) -> None:
    """A load balancer's certificates go with it."""
    del state.resources[_TYPE][certificate.name]
    certificate.gone = True


TLS_CERTIFICATE = Kind(
    resource_type=_TYPE,
    name_member="certificateName",
    taggable=False,
    form=ResourceForm(state=None),
    refers_to=(Reference(kind=ResourceType.LOAD_BALANCER, names=_balancer_of, when_gone=_balancer_gone),),
    transition_seconds=300.0,
)

#: The policies of the Lightsail guide "Configure TLS security policies for your Lightsail
#: load balancer": TLS-2016-08 is the default; the FS policies are the Elastic Load
#: Balancing policies of the same dates (protocols and ciphers as ELB lists them).
_FS_CIPHERS = [
    "ECDHE-ECDSA-AES128-GCM-SHA256",
    "ECDHE-RSA-AES128-GCM-SHA256",
    "ECDHE-ECDSA-AES256-GCM-SHA384",
    "ECDHE-RSA-AES256-GCM-SHA384",
]
TLS_POLICIES: tuple[Wire, ...] = (
    {
        "name": "TLS-2016-08",
        "isDefault": True,
        "description": "The default policy: TLS 1.0 to 1.2, with the ciphers of ELBSecurityPolicy-2016-08",
        "protocols": ["TLSv1", "TLSv1.1", "TLSv1.2"],
        "ciphers": [*_FS_CIPHERS, "AES128-GCM-SHA256", "AES256-GCM-SHA384", "AES128-SHA", "AES256-SHA"],
    },
    {
        "name": "TLS-FS-Res-1-2-2019-08",
        "isDefault": False,
        "description": "TLS 1.2 only, forward secrecy and strong ciphers",
        "protocols": ["TLSv1.2"],
        "ciphers": list(_FS_CIPHERS),
    },
    {
        "name": "TLS-FS-1-1-2019-08",
        "isDefault": False,
        "description": "TLS 1.1 and 1.2, forward secrecy",
        "protocols": ["TLSv1.1", "TLSv1.2"],
        "ciphers": [*_FS_CIPHERS, "ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA"],
    },
)
POLICY_NAMES = frozenset(str(policy["name"]) for policy in TLS_POLICIES)


def check_policy(name: str, member: str) -> None:
    """Refuse a policy GetLoadBalancerTlsPolicies does not list (CreateLoadBalancer doc: "Use
    the GetLoadBalancerTlsPolicies action to get a list of TLS policy names that you can
    specify")."""
    if name not in POLICY_NAMES:
        raise InvalidInputException(
            f"{member}: the TLS policy {quoted(name, bare=True)} does not exist; "
            f"GetLoadBalancerTlsPolicies lists {', '.join(sorted(POLICY_NAMES))}",
            code="InvalidTlsPolicy",
        )


def get_load_balancer_tls_policies(context: RequestContext, params: dict[str, Any]) -> Wire:
    return family.list_catalogue(
        context, "GetLoadBalancerTlsPolicies", "tlsPolicies", params, ({**policy} for policy in TLS_POLICIES)
    )


# -- certificates ---------------------------------------------------------------------------


def _publish(certificate: Resource, attached: bool) -> Wire:
    """The model's ``LoadBalancerTlsCertificate``, as the aws-cli example shows one."""
    record = certificate.wire
    status = certificate.state or certificates.PENDING
    validation = "SUCCESS" if status == certificates.ISSUED else certificates.PENDING
    record["isAttached"] = attached
    record["status"] = status
    record["domainValidationRecords"] = _validation_records(
        certificate.arn, tuple(certificate.body["subjectAlternativeNames"]), validation
    )
    return record


@functools.lru_cache(maxsize=4096)
def _validation_records(arn: str, names: tuple[str, ...], validation: str) -> list[Wire]:
    """A certificate's ``domainValidationRecords`` in this shape (made once for the same
    names and status, and shared, never edited, as a record's values are: ``Resource``)."""
    return [
        {"name": name, "type": "CNAME", "value": value, "validationStatus": validation, "domainName": domain}
        for domain in names
        for name, value in [certificates.validation_record(arn, domain)]
    ]


def summaries(balancer: Resource) -> list[Wire]:
    """The balancer's own list, not a copy: read only (a change replaces it: ``Resource``)."""
    entries: list[Wire] = balancer.body["tlsCertificateSummaries"]
    return entries


def new_certificate(
    context: RequestContext, balancer: Resource, name: str, domain_name: str, alternatives: list[str]
) -> Resource:
    """A load balancer TLS certificate for ``balancer``, checked, not stored (``add_certificate``)."""
    names = certificates.check_names(domain_name, alternatives, "certificateAlternativeNames")
    family.check_names_free(context, TLS_CERTIFICATE, [name])
    certificate = family.new_record(
        context,
        TLS_CERTIFICATE,
        name,
        state=certificates.PENDING,
        body={
            "loadBalancerName": balancer.name,
            "domainName": names[0],
            "subjectAlternativeNames": names,
        },
    )
    certificate.support_code = certificates.acm_support_code(context, certificate)
    return certificate


def add_certificate(context: RequestContext, balancer: Resource, certificate: Resource) -> None:
    family.add(context, certificate)
    balancer.update(tlsCertificateSummaries=[*summaries(balancer), {"name": certificate.name, "isAttached": False}])
    certificates.settle(context, certificate)


def create_load_balancer_tls_certificate(context: RequestContext, params: dict[str, Any]) -> Wire:
    balancer = family.find(context, ResourceType.LOAD_BALANCER, params["loadBalancerName"])
    if len(summaries(balancer)) >= MAX_PER_LOAD_BALANCER:
        raise InvalidInputException(
            f"Only {MAX_PER_LOAD_BALANCER} certificates can be created for a load balancer; "
            f"{balancer.name} has {len(summaries(balancer))}",
            code="LimitExceeded",
        )
    certificate = new_certificate(
        context,
        balancer,
        params["certificateName"],
        params["certificateDomainName"],
        params.get("certificateAlternativeNames", []),
    )
    add_certificate(context, balancer, certificate)
    # Both operations, as the aws-cli create-load-balancer-tls-certificate example shows them.
    operation = "CreateLoadBalancerTlsCertificate"
    return {
        "operations": [
            family.operation_on(context, certificate, operation, details=balancer.name),
            family.operation_on(context, balancer, operation, details=certificate.name),
        ]
    }


def _of_balancer(context: RequestContext, params: dict[str, Any]) -> tuple[Resource, Resource]:
    balancer = family.find(context, ResourceType.LOAD_BALANCER, params["loadBalancerName"])
    certificate = context.state.resources[_TYPE].get(params["certificateName"])
    if certificate is None or certificate.body["loadBalancerName"] != balancer.name:
        raise NotFoundException(
            f"The LoadBalancerTlsCertificate does not exist: {quoted(params['certificateName'], bare=True)} "
            f"on the load balancer {balancer.name}",
            code="DoesNotExist",
        )
    certificates.settle(context, certificate)
    return balancer, certificate


def attached_certificate(balancer: Resource) -> str | None:
    return next((entry["name"] for entry in summaries(balancer) if entry["isAttached"]), None)


def get_load_balancer_tls_certificates(context: RequestContext, params: dict[str, Any]) -> Wire:
    balancer = family.find(context, ResourceType.LOAD_BALANCER, params["loadBalancerName"])
    table = context.state.resources[_TYPE]
    published = []
    for entry in summaries(balancer):
        certificate = table[entry["name"]]
        certificates.settle(context, certificate)
        published.append(_publish(certificate, entry["isAttached"]))
    return {"tlsCertificates": published}


def attach_load_balancer_tls_certificate(context: RequestContext, params: dict[str, Any]) -> Wire:
    """Attach an issued certificate; the one attached before is detached (§15.1)."""
    balancer, certificate = _of_balancer(context, params)
    if certificate.state != certificates.ISSUED:
        raise InvalidInputException(
            f"The certificate {certificate.name} is {certificate.state}; only a validated (ISSUED) certificate "
            "can be attached to a load balancer",
            code="CertificateNotValid",
        )
    balancer.update(
        tlsCertificateSummaries=[
            {"name": entry["name"], "isAttached": entry["name"] == certificate.name} for entry in summaries(balancer)
        ],
        protocol="HTTP_HTTPS",
        publicPorts=[80, 443],
    )
    operation = "AttachLoadBalancerTlsCertificate"
    return {
        "operations": [
            family.operation_on(context, balancer, operation, details=certificate.name),
            family.operation_on(context, certificate, operation, details=balancer.name),
        ]
    }


def delete_load_balancer_tls_certificate(context: RequestContext, params: dict[str, Any]) -> Wire:
    """The API reference: ``force`` "is required when the primary SSL/TLS certificate is in use
    by an instance attached to the load balancer" (§15.1)."""
    balancer, certificate = _of_balancer(context, params)
    attached = attached_certificate(balancer) == certificate.name
    if attached and balancer.body["instanceHealthSummary"] and not params.get("force"):
        raise InvalidInputException(
            f"The certificate {certificate.name} is in use by the load balancer {balancer.name}, which has instances "
            "attached; delete it with force",
            code="ResourceInUse",
        )
    changes: dict[str, Any] = {
        "tlsCertificateSummaries": [entry for entry in summaries(balancer) if entry["name"] != certificate.name]
    }
    if attached:
        changes.update(protocol="HTTP", publicPorts=[80], httpsRedirectionEnabled=False)
    family.remove(context, certificate)
    balancer.update(**changes)
    # Reported Started, as the aws-cli delete-load-balancer-tls-certificate example shows.
    operation = "DeleteLoadBalancerTlsCertificate"
    return {
        "operations": [
            family.operation_on(context, certificate, operation, status="Started"),
            family.operation_on(context, balancer, operation, status="Started"),
        ]
    }


# -- attributes: docs/service-reference.md §15.2 -------------------------------------------


def _boolean(value: str, name: str) -> str:
    if value.lower() not in ("true", "false"):
        raise InvalidInputException(f"{name}: {quoted(value)} is not true or false", code="InvalidAttributeValue")
    return value.lower()


def _health_check_path(balancer: Resource, value: str) -> dict[str, Any]:
    if not value.startswith("/"):
        raise InvalidInputException(
            f"The health check path must start with '/': {quoted(value)}", code="InvalidAttributeValue"
        )
    return {"healthCheckPath": value}


def _stickiness(balancer: Resource, value: str) -> dict[str, Any]:
    options = {
        **balancer.body["configurationOptions"],
        "SessionStickinessEnabled": _boolean(value, "SessionStickinessEnabled"),
    }
    return {"configurationOptions": options}


def _cookie_duration(balancer: Resource, value: str) -> dict[str, Any]:
    """ "The cookie duration in seconds ... the default is 86400 (1 day)" (LoadBalancer doc);
    the console offers 1 second to 7 days."""
    if not value.isdigit() or not 1 <= int(value) <= 604800:
        raise InvalidInputException(
            f"SessionStickiness_LB_CookieDurationSeconds: {quoted(value)} is not a number of seconds from 1 to 604800",
            code="InvalidAttributeValue",
        )
    options = {**balancer.body["configurationOptions"], "SessionStickiness_LB_CookieDurationSeconds": str(int(value))}
    return {"configurationOptions": options}


def _https_redirection(balancer: Resource, value: str) -> dict[str, Any]:
    enabled = _boolean(value, "HttpsRedirectionEnabled") == "true"
    if enabled and attached_certificate(balancer) is None:
        raise InvalidInputException(
            f"HTTPS redirection needs a valid certificate attached to the load balancer {balancer.name}",
            code="CertificateNotAttached",
        )
    return {"httpsRedirectionEnabled": enabled}


def _tls_policy(balancer: Resource, value: str) -> dict[str, Any]:
    check_policy(value, "TlsPolicyName")
    return {"tlsPolicyName": value}


_ATTRIBUTES: dict[str, Callable[[Resource, str], dict[str, Any]]] = {
    "HealthCheckPath": _health_check_path,
    "SessionStickinessEnabled": _stickiness,
    "SessionStickiness_LB_CookieDurationSeconds": _cookie_duration,
    "HttpsRedirectionEnabled": _https_redirection,
    "TlsPolicyName": _tls_policy,
}


def update_load_balancer_attribute(context: RequestContext, params: dict[str, Any]) -> Wire:
    balancer = family.find(context, ResourceType.LOAD_BALANCER, params["loadBalancerName"])
    name = params["attributeName"]
    balancer.update(**_ATTRIBUTES[name](balancer, params["attributeValue"]))
    return {"operations": [family.operation_on(context, balancer, "UpdateLoadBalancerAttribute", details=name)]}


FAMILY = Family(
    title="Load balancer HTTPS",
    kinds=(TLS_CERTIFICATE,),
    operations={
        "CreateLoadBalancerTlsCertificate": create_load_balancer_tls_certificate,
        "GetLoadBalancerTlsCertificates": get_load_balancer_tls_certificates,
        "AttachLoadBalancerTlsCertificate": attach_load_balancer_tls_certificate,
        "DeleteLoadBalancerTlsCertificate": delete_load_balancer_tls_certificate,
        "UpdateLoadBalancerAttribute": update_load_balancer_attribute,
        "GetLoadBalancerTlsPolicies": get_load_balancer_tls_policies,
    },
)
