"""The container service family: CreateContainerService, GetContainerServices,
UpdateContainerService, DeleteContainerService, GetContainerServicePowers and
GetContainerServiceMetricData. Deployments, images and logs have modules of their own
(``container_deployments.py``, ``container_logs.py``); what they share is in
``container_records.py``.

States as the service moves them (docs/service-reference.md §19.1): a new service is
``PENDING`` until ``READY`` (``RUNNING`` when it was created with a deployment, once that
is active); a change of power, scale, domains or ``isDisabled`` is ``UPDATING`` until
``READY``/``RUNNING``, or ``DISABLED``; a deletion is ``DELETING`` until the service is gone.
Every move goes through ``family.begin_transition`` (docs/transitions.md): in the default
instant mode a waiting program (Terraform's waiters poll for up to 30 minutes) reads the
final state at once; a test can hold the transitions or let the mock's clock end them.
The create, update and deployment calls answer the service as it stands when the change
begins (``PENDING``, ``UPDATING``, ``DEPLOYING``), as the real ones do.

Chosen here where the service says nothing (docs/limits.md): a service in a transitional
state refuses changes other than deletion; ``publicDomainNames`` name certificates that are
not checked; the service's names share the namespace of the other kinds with metric data.
"""

from __future__ import annotations

from typing import Any

from lightmock.core.exceptions import InvalidInputException
from lightmock.core.wire import Wire, request_tags
from lightmock.service import family, metricdata, paging
from lightmock.service.container_records import (
    CONTAINER_SERVICE,
    DELETING,
    PENDING,
    POWERS,
    READY,
    UPDATING,
    answer,
    build,
    check_changeable,
    find,
    settled_state,
    start,
    token,
)
from lightmock.service.context import RequestContext
from lightmock.service.kinds import Family

#: "You can specify up to four public domain names for a container service" (CreateContainerService doc).
MAX_PUBLIC_DOMAIN_NAMES = 4


def get_container_service_powers(context: RequestContext, params: dict[str, Any]) -> Wire:
    return {"powers": [{**power, "isActive": True} for power in POWERS.values()]}


def _public_domain_names(params: dict[str, Any]) -> Wire:
    names: Wire = params.get("publicDomainNames", {})
    count = sum(len(domains) for domains in names.values())
    if count > MAX_PUBLIC_DOMAIN_NAMES:
        raise InvalidInputException(
            f"publicDomainNames: you can specify up to {MAX_PUBLIC_DOMAIN_NAMES} public domain names for a "
            f"container service; got {count}",
            code="ValidationError",
        )
    # An empty list detaches that certificate (how Terraform removes one).
    return {certificate: list(domains) for certificate, domains in names.items() if domains}


def _registry_access(context: RequestContext, name: str, request: Wire | None, current: Wire | None) -> Wire:
    """``privateRegistryAccess`` as the service reports it: the ECR image puller role,
    with its ARN once activated (PrivateRegistryAccess doc)."""
    if request is None and current is not None:
        return current
    if not ((request or {}).get("ecrImagePullerRole") or {}).get("isActive"):
        return {"ecrImagePullerRole": {"isActive": False, "principalArn": ""}}
    role = (
        f"arn:aws:iam::{context.account_id}:role/amazon/lightsail/{context.region}/containers/{name}/ecr-image-puller"
    )
    return {"ecrImagePullerRole": {"isActive": True, "principalArn": role}}


def create_container_service(context: RequestContext, params: dict[str, Any]) -> Wire:
    name = params["serviceName"]
    domains = _public_domain_names(params)
    family.check_names_free(context, CONTAINER_SERVICE, [name])
    request = params.get("deployment")
    deployment = None if request is None else build(context, request, version=1)
    body: Wire = {
        "power": params["power"],
        "powerId": POWERS[params["power"]]["powerId"],
        "scale": params["scale"],
        "isDisabled": False,
        "principalArn": f"arn:aws:iam::{context.account_id}:role/amazon/lightsail/{context.region}/containers/"
        f"{name}/{token(26)}",
        "privateDomainName": f"{name}.service.local",
        "url": f"https://{name}.{token(13)}.{context.region}.cs.amazonlightsail.com/",
        "privateRegistryAccess": _registry_access(context, name, params.get("privateRegistryAccess"), None),
    }
    if domains:
        body["publicDomainNames"] = domains
    service = family.new_record(context, CONTAINER_SERVICE, name, tags=request_tags(params), body=body)
    family.add(context, service)
    context.operation(resource_name=name, resource_type=service.resource_type, operation_type="CreateContainerService")
    if deployment is not None:
        return {"containerService": start(context, service, deployment, interim=PENDING)}
    answered = answer(service, PENDING)
    family.begin_transition(context, service, interim=PENDING, final=READY)
    return {"containerService": answered}


def get_container_services(context: RequestContext, params: dict[str, Any]) -> Wire:
    name = params.get("serviceName")
    if name is not None:
        return {"containerServices": [find(context, name).wire]}
    # The operation does not page (its request has no pageToken): every service, in the
    # listing order kept with the region's table.
    listed = paging.indexed(context.state.resources[CONTAINER_SERVICE.resource_type])
    return {"containerServices": [listed.items[index].wire for index in range(len(listed.items))]}


def update_container_service(context: RequestContext, params: dict[str, Any]) -> Wire:
    service = find(context, params["serviceName"])
    check_changeable(service)
    changes: Wire = {}
    if "power" in params:
        changes["power"] = params["power"]
        changes["powerId"] = POWERS[params["power"]]["powerId"]
    if "scale" in params:
        changes["scale"] = params["scale"]
    if "isDisabled" in params:
        changes["isDisabled"] = params["isDisabled"]
    if "publicDomainNames" in params:
        changes["publicDomainNames"] = _public_domain_names(params)
    if "privateRegistryAccess" in params:
        changes["privateRegistryAccess"] = _registry_access(
            context, service.name, params["privateRegistryAccess"], service.body["privateRegistryAccess"]
        )
    # Validated and built: commit.
    body = {**service.body, **changes}
    if not body.get("publicDomainNames"):
        body.pop("publicDomainNames", None)
    service.body = body
    context.operation(
        resource_name=service.name, resource_type=service.resource_type, operation_type="UpdateContainerService"
    )
    answered = answer(service, UPDATING)
    family.begin_transition(context, service, interim=UPDATING, final=settled_state(service))
    return {"containerService": answered}


def delete_container_service(context: RequestContext, params: dict[str, Any]) -> Wire:
    """The service goes through ``DELETING`` and then leaves its region; the response is
    empty (the model's ``DeleteContainerServiceResult``), the operation is logged."""
    service = find(context, params["serviceName"])
    if service.state == DELETING:
        return {}
    context.operation(
        resource_name=service.name, resource_type=service.resource_type, operation_type="DeleteContainerService"
    )

    def gone() -> None:
        if not service.gone:
            family.remove(context, service)

    family.begin_transition(context, service, interim=DELETING, final=DELETING, then=gone)
    return {}


def get_container_service_metric_data(context: RequestContext, params: dict[str, Any]) -> Wire:
    return metricdata.metric_data(context, params, CONTAINER_SERVICE.resource_type, "serviceName")


FAMILY = Family(
    title="Container services",
    kinds=(CONTAINER_SERVICE,),
    operations={
        "CreateContainerService": create_container_service,
        "GetContainerServices": get_container_services,
        "UpdateContainerService": update_container_service,
        "DeleteContainerService": delete_container_service,
        "GetContainerServicePowers": get_container_service_powers,
        "GetContainerServiceMetricData": get_container_service_metric_data,
    },
)
