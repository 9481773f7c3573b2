"""The Lightsail service model that the installed botocore ships, loaded once.

lightmock validates requests and checks its own responses against exactly the model the
user's boto3 speaks, so a botocore upgrade that changes a shape changes the mock with it.
"""

from __future__ import annotations

import functools

import botocore.session
from botocore.model import OperationModel, ServiceModel

SERVICE_NAME = "lightsail"


@functools.cache
def service_model() -> ServiceModel:
    """The ``lightsail`` service model of the installed botocore (loaded once per process)."""
    return botocore.session.get_session().get_service_model(SERVICE_NAME)


@functools.cache
def operation_model(name: str) -> OperationModel:
    return service_model().operation_model(name)


@functools.cache
def served_regions() -> frozenset[str]:
    """The regions with a Lightsail endpoint, from the installed botocore's endpoint data
    (every partition): the one list of them. A request for any other region fails as the
    real one does, unable to connect (``gateway/protocol.py``)."""
    session = botocore.session.get_session()
    return frozenset(
        region
        for partition in session.get_available_partitions()
        for region in session.get_available_regions(SERVICE_NAME, partition)
    )


@functools.cache
def region_descriptions() -> dict[str, str]:
    """Each served region's description in botocore's endpoint data (``"US East (Ohio)"``)."""
    endpoints = botocore.session.get_session().get_component("data_loader").load_data("endpoints")
    return {
        region: str(details.get("description", region))
        for partition in endpoints["partitions"]
        for region, details in partition["regions"].items()
        if region in served_regions()
    }


@functools.cache
def target_prefix() -> str:
    """``Lightsail_20161128``: the prefix of the ``X-Amz-Target`` header."""
    prefix = service_model().metadata["targetPrefix"]
    assert isinstance(prefix, str)
    return prefix
