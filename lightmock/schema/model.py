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
def target_prefix() -> str:
    """``Lightsail_20161128``: the prefix of the ``X-Amz-Target`` header."""
    prefix = service_model().metadata["targetPrefix"]
    assert isinstance(prefix, str)
    return prefix
