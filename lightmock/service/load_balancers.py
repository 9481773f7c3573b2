"""The load balancer family: CreateLoadBalancer, GetLoadBalancer(s), DeleteLoadBalancer,
and the instances attached to one.

Records as the aws-cli ``create-load-balancer`` and ``get-load-balancer`` examples show them
(docs/service-reference.md §7.2). A load balancer's attached instances are its
``instanceHealthSummary`` (the model's ``InstanceHealthSummary``: name, health, reason): it
names instances, so the declaration says what happens when one goes (it is forgotten) or
changes state (its health is reported again).
"""

from __future__ import annotations

from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException
from lightmock.core.ids import new_id
from lightmock.core.quoting import quoted
from lightmock.core.records import Resource
from lightmock.core.wire import Wire, request_tags
from lightmock.engine.store import RegionState
from lightmock.service import catalogue, family, lb_tls
from lightmock.service.context import RequestContext
from lightmock.service.kinds import Family, Kind, Reference

#: "You can create up to 10 load balancers per AWS Region in your account" (CreateLoadBalancer doc).
MAX_LOAD_BALANCERS = 10


def instance_health(instance: Resource | None) -> Wire:
    """An attached instance's health as a load balancer reports it (``InstanceHealthSummary``).

    Healthy once attached when running (the mock finishes registration at once); a stopped
    instance is ``unused`` for ``Instance.InvalidState``, the model's reason "the target is
    in the stopped or terminated state".
    """
    if instance is not None and instance.state == "running":
        return {"instanceHealth": "healthy"}
    return {"instanceHealth": "unused", "instanceHealthReason": "Instance.InvalidState"}


def attached_names(balancer: Resource) -> list[str]:
    return [entry["instanceName"] for entry in balancer.body["instanceHealthSummary"]]


def _forget(state: RegionState, balancer: Resource, instance: Resource) -> None:
    summary = [entry for entry in balancer.body["instanceHealthSummary"] if entry["instanceName"] != instance.name]
    balancer.update(instanceHealthSummary=summary)


def _report_health(state: RegionState, balancer: Resource, instance: Resource) -> None:
    summary = [
        {"instanceName": entry["instanceName"], **instance_health(instance)}
        if entry["instanceName"] == instance.name
        else entry
        for entry in balancer.body["instanceHealthSummary"]
    ]
    balancer.update(instanceHealthSummary=summary)


LOAD_BALANCER = Kind(
    resource_type=ResourceType.LOAD_BALANCER,
    name_member="loadBalancerName",
    get=("GetLoadBalancer", "loadBalancer"),
    listing=("GetLoadBalancers", "loadBalancers"),
    delete="DeleteLoadBalancer",
    alarmable=True,
    refers_to=(
        Reference(kind=ResourceType.INSTANCE, names=attached_names, when_gone=_forget, when_changed=_report_health),
    ),
)


def create_load_balancer(context: RequestContext, params: dict[str, Any]) -> Wire:
    name = params["loadBalancerName"]
    health_check_path = params.get("healthCheckPath", "/")
    if not health_check_path.startswith("/"):
        raise InvalidInputException(
            f"The health check path must start with '/': {quoted(health_check_path)}", code="ValidationError"
        )
    certificate_name = params.get("certificateName")
    if (certificate_name is None) != (params.get("certificateDomainName") is None):
        raise InvalidInputException(
            "certificateName and certificateDomainName must be given together", code="ValidationError"
        )
    tls_policy = params.get("tlsPolicyName")
    if tls_policy is not None:
        lb_tls.check_policy(tls_policy, "tlsPolicyName")
    family.check_names_free(context, LOAD_BALANCER, [name])
    if len(context.state.resources[ResourceType.LOAD_BALANCER]) >= MAX_LOAD_BALANCERS:
        raise InvalidInputException(
            f"You can create up to {MAX_LOAD_BALANCERS} load balancers per AWS Region in your account; "
            f"{context.region} already has {MAX_LOAD_BALANCERS}",
            code="LimitExceeded",
        )

    elb_id = new_id().replace("-", "")
    elb_account = str(int(catalogue.account_code(context.account_id, 16), 16) % 10**12).zfill(12)
    body: Wire = {
        "dnsName": f"{elb_id}-{int(elb_id[:8], 16) % 10**10}.{context.region}.elb.amazonaws.com",
        "protocol": "HTTP",
        "publicPorts": [80],
        "healthCheckPath": health_check_path,
        "instancePort": params["instancePort"],
        "instanceHealthSummary": [],
        "tlsCertificateSummaries": [],
        "configurationOptions": {
            "SessionStickinessEnabled": "false",
            "SessionStickiness_LB_CookieDurationSeconds": "86400",
        },
        "ipAddressType": params.get("ipAddressType", "dualstack"),
        "httpsRedirectionEnabled": False,
    }
    if tls_policy is not None:
        body["tlsPolicyName"] = tls_policy
    record = family.new_record(
        context,
        LOAD_BALANCER,
        name,
        support_code=catalogue.support_code(
            context.account_id,
            f"arn:aws:elasticloadbalancing:{context.region}:{elb_account}:loadbalancer/app/{elb_id}/{new_id()[-16:]}",
        ),
        tags=request_tags(params),
        body=body,
    )
    certificate = None
    if certificate_name is not None:
        certificate = lb_tls.new_certificate(
            context,
            record,
            certificate_name,
            params["certificateDomainName"],
            params.get("certificateAlternativeNames", []),
        )
    family.add(context, record)
    if certificate is not None:
        lb_tls.add_certificate(context, record, certificate)
    family.begin_transition(context, record, interim="provisioning", final="active")
    operations = [family.operation_on(context, record, "CreateLoadBalancer", status="Started")]
    if certificate is not None:
        # As the real create with a certificate answers (aws-cli create-load-balancer example).
        operations += [
            family.operation_on(context, certificate, "CreateLoadBalancerTlsCertificate", details=name),
            family.operation_on(context, record, "CreateLoadBalancerTlsCertificate", details=certificate.name),
        ]
    return {"operations": operations}


# -- attachments: docs/service-reference.md §7.2 ---------------------------------------------
# The real attach "After some time" makes the instances healthy (AttachInstancesToLoadBalancer
# doc); the mock attaches at once. The operations are those of the aws-cli
# ``attach-instances-to-load-balancer`` example: for each instance, one on the load balancer
# naming the instance and one on the instance naming the load balancer, reported ``Started``.
# Undocumented, chosen here: attaching an instance that is already attached, or detaching one
# that is not, is an ``InvalidInputException`` naming it, and nothing changes. "An instance must
# be running before you can attach it to your load balancer" (model doc of ``instanceNames``):
# attaching one that is not is refused too (docs/service-reference.md §7.6).


def _request(context: RequestContext, params: dict[str, Any]) -> tuple[Resource, list[Resource], set[str]]:
    """The load balancer, the instances named (each must exist) and those already attached."""
    balancer = family.find(context, ResourceType.LOAD_BALANCER, params["loadBalancerName"])
    names: list[str] = list(dict.fromkeys(params["instanceNames"]))
    if not names:
        raise InvalidInputException("instanceNames must name at least one instance", code="ValidationError")
    instances = [family.find(context, ResourceType.INSTANCE, name) for name in names]
    return balancer, instances, set(attached_names(balancer))


def _operations(context: RequestContext, balancer: Resource, instances: list[Resource], operation_type: str) -> Wire:
    operations = []
    for instance in instances:
        operations.append(
            family.operation_on(context, balancer, operation_type, status="Started", details=instance.name)
        )
        # Location ``all`` on the instance's too, as the example shows.
        operations.append(
            context.operation(
                resource_name=instance.name,
                resource_type=ResourceType.INSTANCE,
                operation_type=operation_type,
                status="Started",
                details=balancer.name,
            )
        )
    return {"operations": operations}


def attach_instances_to_load_balancer(context: RequestContext, params: dict[str, Any]) -> Wire:
    balancer, instances, attached = _request(context, params)
    again = [instance.name for instance in instances if instance.name in attached]
    if again:
        raise InvalidInputException(
            f"Already attached to the load balancer {balancer.name}: {quoted(again, bare=True)}", code="AlreadyAttached"
        )
    idle = [f"{instance.name} ({instance.state})" for instance in instances if instance.state != "running"]
    if idle:
        raise InvalidInputException(
            f"An instance must be running before you can attach it to your load balancer; not running: "
            f"{', '.join(idle)}",
            code="InvalidInstanceState",
        )
    summary = balancer.body["instanceHealthSummary"] + [
        {"instanceName": instance.name, **instance_health(instance)} for instance in instances
    ]
    balancer.update(instanceHealthSummary=summary)
    return _operations(context, balancer, instances, "AttachInstancesToLoadBalancer")


def detach_instances_from_load_balancer(context: RequestContext, params: dict[str, Any]) -> Wire:
    balancer, instances, attached = _request(context, params)
    missing = [instance.name for instance in instances if instance.name not in attached]
    if missing:
        raise InvalidInputException(
            f"Not attached to the load balancer {balancer.name}: {quoted(missing, bare=True)}", code="NotAttached"
        )
    leaving = {instance.name for instance in instances}
    summary = [entry for entry in balancer.body["instanceHealthSummary"] if entry["instanceName"] not in leaving]
    balancer.update(instanceHealthSummary=summary)
    return _operations(context, balancer, instances, "DetachInstancesFromLoadBalancer")


FAMILY = Family(
    title="Load balancers",
    kinds=(LOAD_BALANCER,),
    operations={
        "CreateLoadBalancer": create_load_balancer,
        **family.standard_operations(LOAD_BALANCER),
        "AttachInstancesToLoadBalancer": attach_instances_to_load_balancer,
        "DetachInstancesFromLoadBalancer": detach_instances_from_load_balancer,
    },
)
