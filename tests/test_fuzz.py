"""Bad input never breaks the mock: every answer is a valid 200 or a modeled error, and errors change nothing.

Requests are drawn from the service model (``tests/strategies.py``) for every implemented
operation, valid ones and ones broken in one way each, and sent as raw bodies through the
``before-send`` hook, and through real boto3 clients. Before each example the mock holds an
instance, a load balancer, a database with metric data, two alarms, an SMS contact and an email
contact awaiting verification, so that valid requests reach the handlers' deep paths. How many cases each
operation got is printed at the end of the module (``fuzz cases per operation``) when the module
runs in pytest's own process (without ``-n``: an xdist worker has no terminal to print to).
"""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
import botocore
import orjson
import pytest
from botocore.awsrequest import AWSRequest, AWSResponse
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.model import ListShape, Shape, StructureShape
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from lightmock import LightsailMock, UnsupportedOperation, mock_lightsail
from lightmock.engine.store import RegionState, Store
from lightmock.gateway import activations, botocore_hook
from lightmock.gateway.protocol import JSON_CONTENT_TYPE, handle_request
from lightmock.schema.model import operation_model, service_model, target_prefix
from lightmock.schema.validation import output_problems
from lightmock.service.dispatch import OPERATIONS
from tests.strategies import (
    MAY_SUCCEED,
    NOW,
    SEEDED,
    Breakage,
    Nested,
    broken_requests,
    encode_body,
    has_sites,
    requests,
)

URL = "https://lightsail.us-east-1.amazonaws.com/"
TARGET = target_prefix() + "."
PROTOCOL_ERRORS = frozenset({"SerializationException", "UnknownOperationException"})
#: What a request broken on purpose may be answered with.
REJECTIONS = frozenset({"InvalidInputException", "SerializationException"})
#: The operations lightmock answers that the installed botocore's model has: an older botocore
#: (the oldest pyproject.toml allows is tested too) may lack operations newer than it.
OPERATION_NAMES = sorted(set(OPERATIONS) & set(service_model().operation_names))
UNIMPLEMENTED = sorted(set(service_model().operation_names) - set(OPERATIONS))

FUZZ = settings(
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)

ORJSON_VERSION = tuple(int(part) for part in orjson.__version__.split(".")[:3])

#: Sends bodies through an active mock in a fresh interpreter, one line (status and error
#: type) per body, flushed as it goes, so that a crash shows which body caused it. The bodies
#: come on standard input, each after its length: 100,000 levels are too long for a command line.
DEEP_NESTING_SCRIPT = """
import json, sys
from lightmock import mock_lightsail
from lightmock.gateway import activations
stream = sys.stdin.buffer
with mock_lightsail():
    while header := stream.readline():
        body = stream.read(int(header))
        wire = activations.innermost().answer(
            "https://lightsail.us-east-1.amazonaws.com/", {"X-Amz-Target": "Lightsail_20161128.GetAlarms"}, body
        )
        print(wire.status, json.loads(wire.body)["__type"], flush=True)
"""
DEEP_DEPTHS = [1_025, 10_000, 100_000]

#: Cases tried, by (operation, kind of case), and how many valid ones were answered 200;
#: reported when the module ends.
COUNTS: Counter[tuple[str, str]] = Counter()
SUCCEEDED: Counter[str] = Counter()

SEED: list[tuple[str, dict[str, Any]]] = [
    (
        "CreateInstances",
        {
            "instanceNames": [SEEDED.instance],
            "availabilityZone": "us-east-1a",
            "blueprintId": "ubuntu_22_04",
            "bundleId": "nano_3_0",
        },
    ),
    ("CreateLoadBalancer", {"loadBalancerName": SEEDED.load_balancer, "instancePort": 80}),
    (
        "CreateRelationalDatabase",
        {
            "relationalDatabaseName": SEEDED.database,
            "relationalDatabaseBlueprintId": "mysql_8_0",
            "relationalDatabaseBundleId": "micro_2_0",
            "masterDatabaseName": "app",
            "masterUsername": "admin",
        },
    ),
    ("CreateContactMethod", {"protocol": "Email", "contactEndpoint": SEEDED.email}),
    ("CreateContactMethod", {"protocol": "SMS", "contactEndpoint": "+12065550100"}),
    *[
        (
            "PutAlarm",
            {
                "alarmName": name,
                "metricName": "CPUUtilization",
                "monitoredResourceName": SEEDED.instance,
                "comparisonOperator": operator,
                "threshold": 50,
                "evaluationPeriods": 2,
                "contactProtocols": ["Email", "SMS"],
                "notificationTriggers": ["ALARM", "OK", "INSUFFICIENT_DATA"],
            },
        )
        for name, operator in zip(SEEDED.alarms, ["GreaterThanThreshold", "LessThanThreshold"], strict=True)
    ],
]


@pytest.fixture(scope="module", autouse=True)
def _report_counts(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None or not COUNTS:
        return
    kinds = sorted({kind for _, kind in COUNTS})
    with capture.global_and_fixture_disabled():
        reporter.write_line("")
        reporter.write_line("fuzz cases per operation (valid requests answered 200 in brackets):")
        for operation in sorted({operation for operation, _ in COUNTS}):
            cells = ", ".join(f"{kind} {COUNTS[operation, kind]}" for kind in kinds if COUNTS[operation, kind])
            total = sum(COUNTS[operation, kind] for kind in kinds)
            reporter.write_line(f"  {operation:<33} {total:>4}  ({cells}) [{SUCCEEDED[operation]}]")
        reporter.write_line(f"  {'total':<33} {sum(COUNTS.values()):>4}")


def _optional_members(operation: str) -> list[str]:
    shape = operation_model(operation).input_shape
    return [] if shape is None else sorted(set(shape.members) - set(shape.required_members))


def _integer_members(operation: str) -> list[str]:
    """The type names of an operation's top-level input members (to find those with integers)."""
    shape = operation_model(operation).input_shape
    return [] if shape is None else [member.type_name for member in shape.members.values()]


def modeled_errors(operation: str) -> frozenset[str]:
    return frozenset(shape.name for shape in operation_model(operation).error_shapes)


def send(body: bytes | str | None, *, target: str | None) -> AWSResponse:
    """A raw request through the ``before-send`` hook, as botocore would hand it over."""
    headers = {"Content-Type": JSON_CONTENT_TYPE}
    if target is not None:
        headers["X-Amz-Target"] = target
    request = AWSRequest(method="POST", url=URL, headers=headers, data=body).prepare()
    response = botocore_hook.before_send(request=request)
    assert response is not None, "the hook passed a request through while a mock was active"
    return response


def _series_lengths(state: RegionState) -> dict[Any, int]:
    keys = list(state.metrics.keys())
    return {key: len(series) for key in keys if (series := state.metrics.get(key)) is not None}


def snapshot(store: Store) -> dict[str, Any]:
    """Everything a call could change, deep-copied (regions never touched are left out).

    Copied by a pickle round trip: the same deep copy as ``copy.deepcopy``, at a third of
    the cost, taken twice for each of some 2,000 examples."""
    with store.lock:
        regions = {
            key: {
                "resources": {kind.value: dict(by_name) for kind, by_name in state.resources.items()},
                "alarms": {name: (alarm.state, alarm.config, alarm.wire) for name, alarm in state.alarms.items()},
                "contacts": {protocol.value: (c.status, c.wire) for protocol, c in state.contact_methods.items()},
                "metrics": _series_lengths(state),
                "history": {name: list(changes) for name, changes in state.history.items()},
            }
            for key, state in store.regions.items()
            if state.alarms or state.contact_methods or any(state.resources.values()) or len(state.metrics)
        }
        view = {"regions": regions, "notifications": list(store.notifications)}
        copied: dict[str, Any] = pickle.loads(pickle.dumps(view, pickle.HIGHEST_PROTOCOL))
        return copied


@contextmanager
def seeded() -> Iterator[LightsailMock]:
    """A fresh mock at ``NOW`` holding ``SEED`` and some metric data."""
    with mock_lightsail() as ls:
        ls.clock.freeze(NOW)
        for operation, params in SEED:
            response = send(encode_body(params), target=TARGET + operation)
            assert response.status_code == 200, response.content
        ls.put_metric_data(SEEDED.instance, "CPUUtilization", [10.0, 80.0, 20.0, 90.0] * 6)
        ls.put_metric_data(SEEDED.load_balancer, "RequestCount", list(range(120)))
        ls.put_metric_data(SEEDED.database, "DatabaseConnections", [3.0] * 60)
        yield ls


def check_answer(operation: str, response: AWSResponse, before: dict[str, Any], after: dict[str, Any]) -> Any:
    """A 200 whose body fits the output shape, or a modeled error that left the state alone."""
    assert response.status_code != 500, response.content
    body = json.loads(response.content)
    if response.status_code == 200:
        assert output_problems(operation, body) == []
        return None
    assert body["__type"] in modeled_errors(operation) | PROTOCOL_ERRORS, body
    assert after == before, f"{operation} failed with {body['__type']} but changed the state"
    return body["__type"]


def seeded_answer(operation: str, body: bytes, target: str | None) -> Any:
    """``check_answer`` for ``body`` sent with ``target`` to a freshly ``seeded`` mock."""
    with seeded() as ls:
        before = snapshot(ls.store)
        response = send(body, target=target)
        return check_answer(operation, response, before, snapshot(ls.store))


class TestValidRequests:
    @pytest.mark.parametrize("operation", OPERATION_NAMES)
    @settings(FUZZ, max_examples=8)
    @given(data=st.data())
    def test_answer_is_a_valid_body_or_a_modeled_error(self, operation: str, data: st.DataObject) -> None:
        """A request the model accepts gets a 200 fitting the output shape, or a modeled error changing nothing."""
        params = data.draw(requests(operation), label="params")
        error = seeded_answer(operation, encode_body(params), target=TARGET + operation)
        COUNTS[operation, "valid"] += 1
        SUCCEEDED[operation] += error is None


class TestBrokenRequests:
    @pytest.mark.parametrize("operation", OPERATION_NAMES)
    @settings(FUZZ, max_examples=9)
    @given(data=st.data())
    def test_rejected_without_change(self, operation: str, data: st.DataObject) -> None:
        """A request broken in one way is refused as invalid input and the state is exactly as before."""
        broken = data.draw(broken_requests(operation), label="broken")
        error = seeded_answer(operation, encode_body(broken.params), target=TARGET + operation)
        if broken.breakage not in MAY_SUCCEED:
            assert error in REJECTIONS, f"{broken.breakage} at {broken.path} was answered {error or 200}"
        COUNTS[operation, "broken"] += 1

    @pytest.mark.parametrize(
        "params",
        [
            {"threshold": 10**400},
            {"threshold": float("nan")},
            {"evaluationPeriods": None},
            {"alarmName": "x" * 100_000},
        ],
        ids=["huge-integer", "nan", "null", "long-name"],
    )
    def test_put_alarm_extremes_are_refused(self, params: dict[str, Any]) -> None:
        """PutAlarm with an impossible number, a null required member or a 100 kB name is invalid input."""
        request = {**SEED[-1][1], "alarmName": "extreme", **params}
        assert seeded_answer("PutAlarm", encode_body(request), target=TARGET + "PutAlarm") in REJECTIONS


def _floated(shape: Shape, value: Any) -> Any:
    """``value`` with every integer of an integer member written as a float (``3`` -> ``3.0``)."""
    if isinstance(shape, StructureShape) and isinstance(value, dict):
        return {k: _floated(shape.members[k], v) if k in shape.members else v for k, v in value.items()}
    if isinstance(shape, ListShape) and isinstance(value, list):
        return [_floated(shape.member, item) for item in value]
    if shape.type_name in ("integer", "long") and type(value) is int and abs(value) < 2**53:
        return float(value)
    return value


def _outcome(operation: str, params: dict[str, Any]) -> Any:
    """The error type ``params`` get from a freshly seeded mock (None for a 200)."""
    return seeded_answer(operation, encode_body(params), target=TARGET + operation)


class TestNormalisedRequests:
    """What passes validation reaches the handlers normalised: the answer does not depend on the spelling."""

    @pytest.mark.parametrize("operation", [op for op in OPERATION_NAMES if _optional_members(op)])
    @settings(FUZZ, max_examples=5)
    @given(data=st.data())
    def test_null_is_the_member_left_out(self, operation: str, data: st.DataObject) -> None:
        """A valid request with an optional member sent as null is answered as the one without it."""
        params = data.draw(requests(operation), label="params")
        member = data.draw(st.sampled_from(_optional_members(operation)), label="member")
        without = {k: v for k, v in params.items() if k != member}
        assert _outcome(operation, {**without, member: None}) == _outcome(operation, without)
        COUNTS[operation, "null"] += 1

    @pytest.mark.parametrize(
        "operation", [op for op in OPERATION_NAMES if "integer" in json.dumps(_integer_members(op))]
    )
    @settings(FUZZ, max_examples=5)
    @given(data=st.data())
    def test_integral_floats_are_integers(self, operation: str, data: st.DataObject) -> None:
        """Integer members written 3.0 instead of 3 get the same answer (a 200 still sends integers)."""
        params = data.draw(requests(operation), label="params")
        shape = operation_model(operation).input_shape
        assert shape is not None
        assert _outcome(operation, _floated(shape, params)) == _outcome(operation, params)
        COUNTS[operation, "float"] += 1


def _not_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def _not_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return True
    return False


@pytest.fixture(scope="module")
def deep_answers() -> dict[tuple[int, bool], str]:
    """What one fresh interpreter answered each deeply nested body with (``DEEP_NESTING_SCRIPT``),
    by (depth, objects); from the body that killed it on, why it died."""
    cases = [(depth, objects) for objects in (False, True) for depth in DEEP_DEPTHS]
    bodies = [encode_body({"alarmName": Nested(depth, objects)}) for depth, objects in cases]
    result = subprocess.run(
        [sys.executable, "-c", DEEP_NESTING_SCRIPT],
        input=b"".join(b"%d\n%s" % (len(body), body) for body in bodies),
        capture_output=True,
        timeout=120,
        check=False,
    )
    lines = result.stdout.decode().splitlines()
    died = f"the interpreter died with {result.returncode}: {result.stderr.decode()[-500:]}"
    return {case: lines[index] if index < len(lines) else died for index, case in enumerate(cases)}


class TestRawBodies:
    @pytest.mark.parametrize("operation", ["GetAlarms", "PutAlarm", "CreateInstances"])
    @settings(FUZZ, max_examples=40)
    @given(
        body=st.one_of(
            st.binary(min_size=1).filter(_not_utf8),
            st.text(min_size=1).filter(_not_json).map(lambda s: s.encode("utf-16")).filter(_not_utf8),
            st.just('{"alarmName": "café"}'.encode("latin-1")),
        )
    )
    def test_non_utf8_body_is_a_serialization_error(self, operation: str, body: bytes) -> None:
        """A body that is not UTF-8 is a SerializationException (400) and changes nothing."""
        assert seeded_answer(operation, body, target=TARGET + operation) == "SerializationException"
        COUNTS[operation, "raw"] += 1

    @pytest.mark.parametrize("operation", ["GetAlarms", "PutAlarm", "DeleteAlarm"])
    @settings(FUZZ, max_examples=40)
    @given(
        body=st.one_of(
            st.text(min_size=1).filter(lambda s: s.strip() != "").filter(_not_json),
            st.sampled_from(['{"alarmName": "a1"', "{'alarmName': 'a1'}", '{"a":1}}', "\ufeff{}", "{,}", "[}"]),
            st.one_of(st.lists(st.integers()), st.integers(), st.text(), st.none(), st.booleans()).map(json.dumps),
        )
    )
    def test_body_that_is_not_a_json_object_is_a_serialization_error(self, operation: str, body: str) -> None:
        """Text that is not JSON, or JSON that is not an object, is a SerializationException (400)."""
        assert seeded_answer(operation, body.encode(), target=TARGET + operation) == "SerializationException"
        COUNTS[operation, "raw"] += 1

    @pytest.mark.parametrize("depth", [10, 500, 1_000])
    @pytest.mark.parametrize("objects", [False, True], ids=["arrays", "objects"])
    def test_nested_body_is_refused(self, depth: int, objects: bool) -> None:
        """A member nested up to 1,000 levels deep is invalid input (400) and changes nothing."""
        body = encode_body({"alarmName": Nested(depth, objects)})
        assert seeded_answer("GetAlarms", body, target=TARGET + "GetAlarms") in REJECTIONS

    @pytest.mark.xfail(
        ORJSON_VERSION < (3, 9, 15),
        reason=f"orjson {orjson.__version__} (lightmock requires >=3.9.15, CVE-2024-27454) has no recursion limit",
        strict=True,
    )
    @pytest.mark.parametrize("depth", DEEP_DEPTHS)
    @pytest.mark.parametrize("objects", [False, True], ids=["arrays", "objects"])
    def test_deeply_nested_body_is_refused(
        self, depth: int, objects: bool, deep_answers: dict[tuple[int, bool], str]
    ) -> None:
        """A body nested up to 100,000 levels is refused (400), never a crash (run apart: a crash kills the process)."""
        assert deep_answers[depth, objects] == "400 SerializationException"

    @settings(FUZZ, max_examples=60)
    @given(
        target=st.one_of(
            st.none(),
            st.just(""),
            st.just(TARGET),
            st.just(TARGET.lower() + "GetAlarms"),
            st.just("DynamoDB_20120810.GetItem"),
            st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=40),
            st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=1).map(TARGET.__add__),
        ).filter(lambda t: t is None or t.removeprefix(TARGET) not in service_model().operation_names)
    )
    def test_wrong_or_missing_target_is_an_unknown_operation(self, target: str | None) -> None:
        """A missing X-Amz-Target, or one naming no Lightsail operation, is UnknownOperationException (400)."""
        assert seeded_answer("GetAlarms", b"{}", target=target) == "UnknownOperationException"
        COUNTS["X-Amz-Target", "raw"] += 1

    @pytest.mark.parametrize("operation", UNIMPLEMENTED[:5])
    def test_modeled_but_unimplemented_operation_raises(self, operation: str) -> None:
        """An operation of the model that lightmock lacks raises UnsupportedOperation in the caller, not a 200."""
        with seeded(), pytest.raises(UnsupportedOperation, match=operation):
            send(b"{}", target=TARGET + operation)

    def test_handle_request_takes_bytes_headers_and_str_bodies(self) -> None:
        """handle_request reads a bytes X-Amz-Target and a str body as botocore may hand them over."""
        with seeded():
            activation = activations.innermost()
            assert activation is not None
            wire = activation.answer(
                URL, {"X-Amz-Target": (TARGET + "GetAlarms").encode()}, '{"alarmName": "cpu-high"}'
            )
        assert wire.status == 200
        assert [alarm["name"] for alarm in json.loads(wire.body)["alarms"]] == ["cpu-high"]

    def test_protocol_errors_never_reach_the_dispatcher(self) -> None:
        """A protocol error is found before the dispatcher is called at all."""
        calls: list[str] = []

        def dispatcher(region: str, operation: str, params: dict[str, Any]) -> dict[str, Any]:
            calls.append(operation)
            return {}

        wire = handle_request(
            URL, {"X-Amz-Target": TARGET + "GetAlarms"}, b"\xff", default_region="us-east-1", dispatcher=dispatcher
        )
        assert (wire.status, json.loads(wire.body)["__type"], calls) == (400, "SerializationException", [])


#: Breakages botocore sends on unchanged with ``parameter_validation=False`` (the others it
#: cannot serialise at all: unknown members, nested values in typed members, nulls).
BOTO3_BREAKAGES = frozenset(
    {Breakage.TOO_LONG, Breakage.BAD_PATTERN, Breakage.UNKNOWN_ENUM, Breakage.OUT_OF_RANGE, Breakage.MISSING_REQUIRED}
)
_CREDENTIALS = {"aws_access_key_id": "AKIAFUZZ", "aws_secret_access_key": "fuzz"}


@pytest.fixture(scope="module")
def validating_client() -> Any:
    return boto3.client(
        "lightsail", region_name="us-east-1", config=Config(retries={"total_max_attempts": 1}), **_CREDENTIALS
    )


@pytest.fixture(scope="module")
def unvalidating_client() -> Any:
    config = Config(retries={"total_max_attempts": 1}, parameter_validation=False)
    return boto3.client("lightsail", region_name="us-east-1", config=config, **_CREDENTIALS)


def call(client: Any, operation: str, params: dict[str, Any]) -> tuple[int, str | None]:
    """Call ``operation`` through a real client: (HTTP status, error code or None)."""
    method = getattr(client, botocore.xform_name(operation))
    try:
        response = method(**params)
    except ClientError as error:
        return error.response["ResponseMetadata"]["HTTPStatusCode"], error.response["Error"]["Code"]
    return response["ResponseMetadata"]["HTTPStatusCode"], None


class TestThroughBoto3:
    @pytest.mark.parametrize("operation", OPERATION_NAMES)
    @settings(FUZZ, max_examples=4)
    @given(data=st.data())
    def test_valid_requests(self, validating_client: Any, operation: str, data: st.DataObject) -> None:
        """A valid request passes botocore's own validation and is answered 200 or with a modeled error."""
        params = data.draw(requests(operation), label="params")
        with seeded() as ls:
            before = snapshot(ls.store)
            status, code = call(validating_client, operation, params)
            after = snapshot(ls.store)
        assert status != 500
        if code is not None:
            assert code in modeled_errors(operation)
            assert after == before
        COUNTS[operation, "boto3"] += 1

    @pytest.mark.parametrize("operation", [op for op in OPERATION_NAMES if has_sites(op, BOTO3_BREAKAGES)])
    @settings(FUZZ, max_examples=4)
    @given(data=st.data())
    def test_broken_requests(self, unvalidating_client: Any, operation: str, data: st.DataObject) -> None:
        """What botocore does not check itself reaches the mock and is refused as invalid input."""
        broken = data.draw(broken_requests(operation, BOTO3_BREAKAGES), label="broken")
        # botocore's serialiser refuses non-finite doubles and timestamps on the client.
        assume(broken.breakage is not Breakage.OUT_OF_RANGE or broken.shape_type in ("integer", "long"))
        with seeded() as ls:
            before = snapshot(ls.store)
            status, code = call(unvalidating_client, operation, broken.params)
            after = snapshot(ls.store)
        assert (status, code) == (400, "InvalidInputException")
        assert after == before
        COUNTS[operation, "boto3"] += 1
