"""What the container service modules share: the kind, its states, the powers, how a
change is answered, and how a deployment is built and moved to ``ACTIVE`` or ``FAILED``
(CreateContainerService takes a first deployment, CreateContainerServiceDeployment the next).

Deployments (docs/service-reference.md §19.2): versions count from 1; a new one is the
service's ``nextDeployment``, ``ACTIVATING``, while the service is ``DEPLOYING``; it then
becomes the ``currentDeployment``, ``ACTIVE``, and the one it replaces ``INACTIVE``. A
deployment naming an image of the service's own registry (``:<service>.<label>.<version>``
or ``.latest``) that the service does not have ends ``FAILED``, and the service goes back to
the state it had. The service's defaults fill the health check the request leaves out.
"""

from __future__ import annotations

import copy
import re
import secrets
import string
from collections.abc import Callable

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException
from lightmock.core.quoting import quoted
from lightmock.core.records import Resource, ResourceForm
from lightmock.core.wire import Wire, wire_time
from lightmock.service import family
from lightmock.service.context import RequestContext
from lightmock.service.kinds import Kind

_TYPE = ResourceType.CONTAINER_SERVICE

PENDING, READY, RUNNING, UPDATING, DEPLOYING, DISABLED, DELETING = (
    "PENDING",
    "READY",
    "RUNNING",
    "UPDATING",
    "DEPLOYING",
    "DISABLED",
    "DELETING",
)
TRANSITIONAL = frozenset({PENDING, UPDATING, DEPLOYING, DELETING})

#: "The state detail is populated only when a container service is in a PENDING, DEPLOYING,
#: or UPDATING state" (ContainerService doc); the codes of a DEPLOYING or UPDATING service
#: are the ContainerServiceStateDetail doc's (those of PENDING name errors only).
_STATE_DETAIL = {DEPLOYING: "ACTIVATING_DEPLOYMENT", UPDATING: "PROVISIONING_SERVICE"}


def _state_detail(service: Resource) -> Wire:
    code = _STATE_DETAIL.get(service.state or "")
    return {} if code is None else {"stateDetail": {"code": code}}


CONTAINER_SERVICE = Kind(
    resource_type=_TYPE,
    name_member="serviceName",
    get=("GetContainerServices", "containerServices"),
    listing=("GetContainerServices", "containerServices"),
    delete="DeleteContainerService",
    alarmable=True,
    form=ResourceForm(derived=_state_detail, name_member="containerServiceName"),
    transition_seconds=300.0,
)


# -- powers -----------------------------------------------------------------------------------

#: Each power's vCPUs, memory and monthly price per node (the Lightsail pricing page's
#: container table; ``powerId`` as the ContainerServicePower doc writes it, ``nano-1``).
POWERS: dict[str, Wire] = {
    name: {"powerId": f"{name}-1", "price": price, "cpuCount": cpus, "ramSizeInGb": ram, "name": name}
    for name, cpus, ram, price in (
        ("nano", 0.25, 0.5, 7.0),
        ("micro", 0.25, 1.0, 10.0),
        ("small", 0.5, 2.0, 25.0),
        ("medium", 1.0, 4.0, 50.0),
        ("large", 2.0, 8.0, 100.0),
        ("xlarge", 4.0, 16.0, 200.0),
    )
}


# -- records ----------------------------------------------------------------------------------


def token(length: int) -> str:
    return "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(length))


def find(context: RequestContext, name: str) -> Resource:
    return family.find(context, _TYPE, name)


def check_changeable(service: Resource) -> None:
    """Refuse a change to a service still being created, changed, deployed or deleted."""
    if service.state in TRANSITIONAL:
        raise InvalidInputException(
            f"The container service {service.name} is {service.state}; wait until it is READY, RUNNING or DISABLED "
            "before changing it",
            code="InvalidResourceState",
        )


def settled_state(service: Resource) -> str:
    """Where a change ends: ``DISABLED`` when disabled, else ``RUNNING`` with an active
    deployment, ``READY`` without."""
    if service.body["isDisabled"]:
        return DISABLED
    return RUNNING if "currentDeployment" in service.body else READY


def answer(service: Resource, state: str) -> Wire:
    """The service as a create, update or deployment answers it: in ``state``, the one its
    change began with, whatever the transition mode has done since."""
    record = service.wire
    record["state"] = state
    record.pop("stateDetail", None)
    code = _STATE_DETAIL.get(state)
    if code is not None:
        record["stateDetail"] = {"code": code}
    return record


# -- deployments ------------------------------------------------------------------------------

#: The health check the service fills in (ContainerServiceHealthCheckConfig doc: "The default
#: value is 2", "... is 5", "... is /"; Terraform's provider defaults ``success_codes`` to
#: ``200-499``, the range the doc allows).
HEALTH_CHECK_DEFAULTS: Wire = {
    "healthyThreshold": 2,
    "unhealthyThreshold": 2,
    "timeoutSeconds": 2,
    "intervalSeconds": 5,
    "path": "/",
    "successCodes": "200-499",
}
#: "You can specify between 2 and 60 seconds" / "between 5 and 300 seconds" (the same doc).
_HEALTH_RANGES = {"timeoutSeconds": (2, 60), "intervalSeconds": (5, 300)}
_OWN_IMAGE = re.compile(r":(?P<service>[a-z0-9-]+)\.(?P<label>[a-z0-9-]+)\.(?P<version>\d+|latest)")


def _problem(message: str) -> InvalidInputException:
    return InvalidInputException(message, code="ValidationError")


def _health_check(request: Wire) -> Wire:
    check = {**HEALTH_CHECK_DEFAULTS, **request}
    for member, (low, high) in _HEALTH_RANGES.items():
        if not low <= check[member] <= high:
            raise _problem(f"publicEndpoint.healthCheck.{member} must be between {low} and {high}; got {check[member]}")
    return check


def build(context: RequestContext, request: Wire, version: int) -> Wire:
    """A deployment record, ``ACTIVATING``, from a deployment request (its containers and
    public endpoint); ``InvalidInputException`` for one the service would refuse."""
    containers: Wire = request.get("containers", {})
    if not containers:
        raise _problem("containers: a deployment needs at least one container")
    record_containers: Wire = {}
    for name, container in containers.items():
        if not container.get("image"):
            raise _problem(f"containers.{name}.image is required")
        record_containers[name] = {
            "image": container["image"],
            "command": list(container.get("command", [])),
            "environment": dict(container.get("environment", {})),
            "ports": dict(container.get("ports", {})),
        }
    deployment: Wire = {"version": version, "state": "ACTIVATING", "containers": record_containers}
    endpoint = request.get("publicEndpoint")
    if endpoint is not None:
        target = record_containers.get(endpoint["containerName"])
        if target is None:
            raise _problem(
                f"publicEndpoint.containerName {quoted(endpoint['containerName'])} is not a container of the deployment"
            )
        if str(endpoint["containerPort"]) not in target["ports"]:
            raise _problem(
                f"publicEndpoint.containerPort {endpoint['containerPort']} is not an open port of the container "
                f"{endpoint['containerName']}"
            )
        deployment["publicEndpoint"] = {
            "containerName": endpoint["containerName"],
            "containerPort": endpoint["containerPort"],
            "healthCheck": _health_check(endpoint.get("healthCheck", {})),
        }
    deployment["createdAt"] = wire_time(context.now)
    return deployment


def resolve_image(service: Resource, image: str) -> Wire | None:
    """The registered image an image name of the service's own registry stands for (None:
    the service has no such image). ``latest`` is the highest version of the label."""
    match = _OWN_IMAGE.fullmatch(image)
    if match is None or match["service"] != service.name:
        return None
    versions = [
        entry
        for entry in service.private.get("images", [])
        if entry["label"] == match["label"]
        and (match["version"] == "latest" or str(entry["version"]) == match["version"])
    ]
    return max(versions, key=lambda entry: entry["version"]) if versions else None


def _pullable(service: Resource, deployment: Wire) -> bool:
    """Whether every image can be had: a public registry's always (lightmock cannot tell),
    one of the service's own registry only if registered."""
    return all(
        not container["image"].startswith(":") or resolve_image(service, container["image"]) is not None
        for container in deployment["containers"].values()
    )


def _store_deployment(service: Resource, deployment: Wire) -> None:
    kept = [entry for entry in service.private.get("deployments", []) if entry["version"] != deployment["version"]]
    ordered = sorted([*kept, deployment], key=lambda entry: -int(entry["version"]))
    service.private = {**service.private, "deployments": ordered}


def start(context: RequestContext, service: Resource, deployment: Wire, *, interim: str) -> Wire:
    """Begin a deployment on ``service`` (stored, its ``nextDeployment``), moving the service
    through ``interim``; the service as the call answers it. Then, by the transition mode,
    the deployment becomes the current one, ``ACTIVE``, or ``FAILED``."""
    ok = _pullable(service, deployment)
    _store_deployment(service, deployment)
    service.private = {**service.private, "deploymentCount": deployment["version"]}
    service.update(nextDeployment=copy.deepcopy(deployment))
    answered = answer(service, interim)
    had_current = "currentDeployment" in service.body
    final = RUNNING if ok or had_current else READY
    family.begin_transition(context, service, interim=interim, final=final, then=_settle(service, deployment, ok))
    return answered


def _settle(service: Resource, deployment: Wire, ok: bool) -> Callable[[], None]:
    def settle() -> None:
        body = {key: value for key, value in service.body.items() if key != "nextDeployment"}
        if ok:
            previous = body.get("currentDeployment")
            if previous is not None:
                _store_deployment(service, {**previous, "state": "INACTIVE"})
            current = {**deployment, "state": "ACTIVE"}
            body["currentDeployment"] = copy.deepcopy(current)
            _store_deployment(service, current)
        else:
            _store_deployment(service, {**deployment, "state": "FAILED"})
        service.body = body

    return settle
