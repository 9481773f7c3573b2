"""A container service's deployments and images: CreateContainerServiceDeployment,
GetContainerServiceDeployments, RegisterContainerImage, GetContainerImages,
DeleteContainerImage, CreateContainerServiceRegistryLogin, GetContainerAPIMetadata.

How a deployment moves is in ``container_records.py`` (docs/service-reference.md §19.2).
Images (§19.3): "If the name of your container service is mycontainerservice, and the label
that you specify is mystaticwebsite, then the name of the registered container image will be
:mycontainerservice.mystaticwebsite.1 ... If you push and register another container image
to the same Lightsail container service, with the same label, then the version number for
the new registered container image will be 2" (RegisterContainerImage doc). Images from a
public registry are not registered and not listed (GetContainerImages doc). Registry log-in
credentials "expire 12 hours after they are created" (CreateContainerServiceRegistryLogin).
"""

from __future__ import annotations

import base64
import secrets
from typing import Any

from lightmock.core.exceptions import InvalidInputException, NotFoundException
from lightmock.core.quoting import quoted
from lightmock.core.wire import Wire, wire_time
from lightmock.service import catalogue
from lightmock.service.container_records import (
    CONTAINER_SERVICE,
    DEPLOYING,
    DISABLED,
    build,
    check_changeable,
    find,
    start,
)
from lightmock.service.context import RequestContext
from lightmock.service.kinds import Family

_TYPE = CONTAINER_SERVICE.resource_type
_REGISTRY_LOGIN_SECONDS = 12 * 3600
#: The Lightsail Control plugin version GetContainerAPIMetadata reports (lightsailctl's
#: latest release when this was written; the key is lightmock's choice: docs/limits.md).
LIGHTSAILCTL_VERSION = "v1.0.7"


def create_container_service_deployment(context: RequestContext, params: dict[str, Any]) -> Wire:
    service = find(context, params["serviceName"])
    check_changeable(service)
    if service.state == DISABLED:
        raise InvalidInputException(
            f"The container service {service.name} is disabled; enable it (UpdateContainerService isDisabled false) "
            "before deploying",
            code="InvalidResourceState",
        )
    request: Wire = {key: params[key] for key in ("containers", "publicEndpoint") if key in params}
    deployment = build(context, request, version=int(service.private.get("deploymentCount", 0)) + 1)
    context.operation(
        resource_name=service.name, resource_type=_TYPE, operation_type="CreateContainerServiceDeployment"
    )
    return {"containerService": start(context, service, deployment, interim=DEPLOYING)}


def get_container_service_deployments(context: RequestContext, params: dict[str, Any]) -> Wire:
    service = find(context, params["serviceName"])
    # "The newest version is listed at the top of the response."
    return {"deployments": [dict(entry) for entry in service.private.get("deployments", [])]}


def _image_record(entry: Wire) -> Wire:
    return {"image": entry["image"], "digest": entry["digest"], "createdAt": entry["createdAt"]}


def register_container_image(context: RequestContext, params: dict[str, Any]) -> Wire:
    service = find(context, params["serviceName"])
    label = params["label"]
    digest = params["digest"]
    if not digest.startswith("sha256:") or len(digest) != len("sha256:") + 64:
        raise InvalidInputException(
            f"digest must be an image digest, sha256: and 64 hexadecimal digits: {quoted(digest)}",
            code="ValidationError",
        )
    images: list[Wire] = service.private.get("images", [])
    counts: Wire = service.private.get("imageVersions", {})
    version = int(counts.get(label, 0)) + 1
    entry = {
        "image": f":{service.name}.{label}.{version}",
        "label": label,
        "version": version,
        "digest": digest,
        "createdAt": wire_time(context.now),
    }
    service.private = {**service.private, "images": [entry, *images], "imageVersions": {**counts, label: version}}
    context.operation(
        resource_name=service.name, resource_type=_TYPE, operation_type="RegisterContainerImage", details=entry["image"]
    )
    return {"containerImage": _image_record(entry)}


def get_container_images(context: RequestContext, params: dict[str, Any]) -> Wire:
    service = find(context, params["serviceName"])
    return {"containerImages": [_image_record(entry) for entry in service.private.get("images", [])]}


def delete_container_image(context: RequestContext, params: dict[str, Any]) -> Wire:
    service = find(context, params["serviceName"])
    image = params["image"]
    images: list[Wire] = service.private.get("images", [])
    kept = [entry for entry in images if entry["image"] != image]
    if len(kept) == len(images):
        raise NotFoundException(
            f"The container image does not exist: {quoted(image, bare=True)} (container service {service.name})",
            code="DoesNotExist",
        )
    service.private = {**service.private, "images": kept}
    context.operation(resource_name=service.name, resource_type=_TYPE, operation_type="DeleteContainerImage")
    return {}


def create_container_service_registry_login(context: RequestContext, params: dict[str, Any]) -> Wire:
    """Push credentials for the account's container image registry, which exists once the
    Region has a container service ("You must create a container service before retrieving
    container registry login credentials", the service's refusal quoted in
    arch-inc/amazon-lightsail-containers-test#3)."""
    if not context.state.resources[_TYPE]:
        raise InvalidInputException(
            "You must create a container service before retrieving container registry login credentials",
            code="ContainerServiceNotFound",
        )
    registry_account = str(int(catalogue.account_code(context.account_id, 10), 16))[:12].zfill(12)
    password = base64.b64encode(secrets.token_bytes(96)).decode("ascii")
    return {
        "registryLogin": {
            "username": "AWS",
            "password": password,
            "expiresAt": wire_time(context.now + _REGISTRY_LOGIN_SECONDS),
            "registry": f"{registry_account}.dkr.ecr.{context.region}.amazonaws.com",
        }
    }


def get_container_api_metadata(context: RequestContext, params: dict[str, Any]) -> Wire:
    return {"metadata": [{"lightsailctlVersion": LIGHTSAILCTL_VERSION}]}


FAMILY = Family(
    title="Container deployments and images",
    operations={
        "CreateContainerServiceDeployment": create_container_service_deployment,
        "GetContainerServiceDeployments": get_container_service_deployments,
        "RegisterContainerImage": register_container_image,
        "GetContainerImages": get_container_images,
        "DeleteContainerImage": delete_container_image,
        "CreateContainerServiceRegistryLogin": create_container_service_registry_login,
        "GetContainerAPIMetadata": get_container_api_metadata,
    },
)
