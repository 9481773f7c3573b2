"""Every operation of the installed botocore's Lightsail model is answered, in process and over
HTTP: a request built from the operation's input shape gets the service's answer or one of
its errors, never ``UnsupportedOperation``.

An upgrade of botocore that adds an operation makes ``test_answered_in_process`` fail naming
it, so a new operation is noticed the day it ships. Operations lightmock does not answer yet
are listed in ``NOT_YET`` (each a failure of its own under ``test_not_yet_is_only_what_is_missing``
when it is answered, so the list can only shrink).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore import xform_name
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.model import Shape

from lightmock import UnsupportedOperation, mock_lightsail
from lightmock.schema.model import service_model
from lightmock.server import LightsailServer
from lightmock.service.families import OPERATIONS
from tests.serving import http_client

#: What lightmock does not answer yet: nothing (keep it so; a name here must be one lightmock lacks).
NOT_YET: frozenset[str] = frozenset()

MODEL = service_model()
ALL = sorted(MODEL.operation_names)


def _value(shape: Shape, depth: int = 0) -> Any:
    """A value botocore's own validation accepts for ``shape``: the service may still refuse it."""
    kind = shape.type_name
    if kind == "structure":
        return {
            name: _value(member, depth + 1)
            for name, member in shape.members.items()
            if name in shape.required_members and depth < 6
        }
    if kind == "list":
        least = shape.metadata.get("min", 0)
        return [_value(shape.member, depth + 1) for _ in range(max(least, 1 if depth < 6 else 0))][: max(least, 1)]
    if kind == "map":
        return {}
    if kind == "string":
        if shape.enum:
            return shape.enum[0]
        return "walk-" + "x" * max(0, shape.metadata.get("min", 0) - 5)
    if kind in ("integer", "long"):
        return int(shape.metadata.get("min", 1))
    if kind in ("double", "float"):
        return float(shape.metadata.get("min", 1))
    if kind == "boolean":
        return False
    if kind == "timestamp":
        return datetime(2026, 11, 28, tzinfo=UTC)
    if kind == "blob":
        return b"walk"
    raise AssertionError(f"no value for a {kind} shape")  # pragma: no cover - a new shape type


def request_for(operation: str) -> dict[str, Any]:
    shape = MODEL.operation_model(operation).input_shape
    return {} if shape is None else _value(shape)


def _answered(client: Any, operation: str) -> bool:
    """Whether the mock answered ``operation`` (a result or any error but UnsupportedOperation)."""
    try:
        getattr(client, xform_name(operation))(**request_for(operation))
    except UnsupportedOperation:
        return False
    except ClientError as error:
        return error.response["Error"]["Code"] != "UnsupportedOperation"
    return True


@pytest.fixture(scope="module")
def in_process() -> Iterator[Any]:
    with mock_lightsail():
        yield boto3.client("lightsail", region_name="us-east-1", config=Config(retries={"max_attempts": 1}))


@pytest.mark.parametrize("operation", [name for name in ALL if name not in NOT_YET])
def test_answered_in_process(in_process: Any, operation: str) -> None:
    """The operation is answered through a boto3 client under ``mock_lightsail``."""
    assert _answered(in_process, operation), f"{operation} is answered UnsupportedOperation"


def test_answered_over_http() -> None:
    """Over HTTP too: no operation (but those not yet answered) gets the server's 501."""
    with LightsailServer(port=0) as server:
        client = http_client(server.url)
        unanswered = [name for name in ALL if name not in NOT_YET and not _answered(client, name)]
    assert unanswered == []


def test_not_yet_is_only_what_is_missing() -> None:
    """``NOT_YET`` names only operations lightmock lacks: one answered leaves the list."""
    assert sorted(NOT_YET & set(OPERATIONS)) == []
