"""Where the real service and botocore's model disagree, and the model as the service enforces it.

lightmock checks requests and its own responses against the model the user's botocore
ships (``model.py``), because that is what the user's client speaks. In a few documented
places the service does not do what the model says; there the service wins, and this table
is the one place that says so. Each row names the shape, what the service does instead and
the public evidence. ``validation`` compiles its checkers from :func:`served_operation_model`,
the installed model with these rows applied; nothing else changes, and botocore's own
model (the client's) is never touched.

botocore's client-side validation checks a shape's ``min`` but never its ``max`` nor its
``enum`` (``botocore.validate.range_check`` reads only ``min``), so none of these rows
needs anything of the client.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import botocore.session
from botocore.model import OperationModel, ServiceModel

from lightmock.schema.model import SERVICE_NAME

#: A row's change to a shape definition: a key set to ``REMOVED`` is taken out; a key set
#: to a function is set to what it makes of the model's value.
REMOVED: Any = object()


@dataclass(frozen=True, slots=True)
class Difference:
    """One documented departure of the service from the model."""

    shape: str
    change: Mapping[str, Any]
    evidence: str
    #: The service reads the shape's enum in any case in requests; the value a handler
    #: gets is the model's spelling (responses keep to the model's spelling).
    any_case: bool = False


DIFFERENCES: tuple[Difference, ...] = (
    Difference(
        "MetricPeriod",
        {"max": REMOVED},
        "The model's MetricPeriod has max 86400, but the AWS CLI's own example of "
        "get-instance-metric-data queried --period 2628000 (about a month) and showed the "
        "service's datapoints (https://github.com/aws/aws-cli/blob/2f1b8b86b7da3f20970329f448e291234ea5a290/"
        "awscli/examples/lightsail/get-instance-metric-data.rst); monthly traffic scripts use "
        "2678400 and 2700000. Any multiple of 60 from 60 up is accepted.",
    ),
    Difference(
        "PortAccessType",
        {"enum": ["Public", "Private", "public", "private"]},
        'The model spells "Public" and "Private"; the service writes "public" in instance '
        "records: awscli/examples/lightsail/get-instance.rst and get-instances.rst, and the "
        "documented return value of community.aws's lightsail module "
        "(https://github.com/ansible-collections/community.aws, plugins/modules/lightsail.py). "
        "Both spellings are valid; lightmock answers in lower case.",
    ),
    Difference(
        "RelationalDatabaseEngine",
        {"enum": ["mysql", "postgres"]},
        'The model lists only "mysql"; the service answers "postgres" for PostgreSQL '
        "blueprints (awscli/examples/lightsail/get-relational-database-blueprints.rst: "
        "postgres_9_6, postgres_10 and postgres_11, each with engine postgres).",
    ),
    Difference(
        "NetworkProtocol",
        {},
        'The model spells "tcp", "udp", ...; the AWS CLI\'s own examples send protocol=TCP '
        "(awscli/examples/lightsail/open-instance-public-ports.rst and close-instance-public-ports.rst: "
        "--port-info fromPort=22,protocol=TCP,toPort=22) and the service answers Succeeded with "
        'operationDetails "22/tcp". A request may spell the protocol in any case; it is stored and '
        "reported in the model's lower case.",
        any_case=True,
    ),
    Difference(
        "RegionName",
        {"enum": lambda enum: [*enum, "global"]},
        'The model\'s RegionName lists the Regions; the service writes "global" as the regionName of '
        "a DNS zone's location, ARN and operations (awscli/examples/lightsail/create-domain.rst, "
        "get-domain.rst, get-domains.rst). A request that names \"global\" as a Region is accepted "
        "here and refused by the handler that needs a real Region.",
    ),
)


@functools.cache
def any_case_enums() -> frozenset[str]:
    """The shapes whose enum a request may spell in any case (:attr:`Difference.any_case`)."""
    return frozenset(difference.shape for difference in DIFFERENCES if difference.any_case)


def _apply(definition: Mapping[str, Any], change: Mapping[str, Any]) -> dict[str, Any]:
    served = dict(definition)
    for key, value in change.items():
        if value is REMOVED:
            served.pop(key, None)
        elif callable(value):
            served[key] = value(definition.get(key))
        else:
            served[key] = value
    return served


@functools.cache
def served_model() -> ServiceModel:
    """The installed Lightsail model with :data:`DIFFERENCES` applied (built once).

    A new description is built from the loader's; only the changed shape definitions are
    copied, so the loader's cached description, which botocore clients share, stays as it is.
    """
    loader = botocore.session.get_session().get_component("data_loader")
    description: dict[str, Any] = loader.load_service_model(SERVICE_NAME, "service-2")
    shapes = dict(description["shapes"])
    for difference in DIFFERENCES:
        if difference.shape in shapes:  # a botocore that has dropped the shape: nothing to relax
            shapes[difference.shape] = _apply(shapes[difference.shape], difference.change)
    return ServiceModel({**description, "shapes": shapes}, service_name=SERVICE_NAME)


@functools.cache
def served_operation_model(name: str) -> OperationModel:
    """An operation of :func:`served_model`: what the service checks a request against."""
    return served_model().operation_model(name)
