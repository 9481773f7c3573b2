"""Lightsail's wire protocol (JSON 1.1), apart from any transport.

A request is ``POST /`` with ``X-Amz-Target: Lightsail_20161128.<Operation>`` and a JSON
object body; a response is a JSON object, timestamps as epoch seconds with millisecond
fractions, optional members absent rather than null, and an ``x-amzn-requestid`` header.
An error is a JSON body ``{"__type": ..., "message": ..., "code": ...}`` with the status
the service uses for that error (``core/exceptions.py``). Every way in calls
:func:`handle_request` here, through ``activations.Activation.answer``: the botocore hook,
the ``requests`` adapter (raw HTTP) and the server's connections.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import orjson
import requests
from botocore.exceptions import EndpointConnectionError

from lightmock.core.exceptions import LightsailError, SerializationException, UnknownOperationException
from lightmock.core.ids import new_id
from lightmock.core.quoting import quoted
from lightmock.core.records import built_in_order
from lightmock.schema.model import served_regions, service_model, target_prefix

JSON_CONTENT_TYPE = "application/x-amz-json-1.1"

_SCOPE = re.compile(r"Credential=[^/,\s]+/\d{8}/([a-z0-9-]+)/lightsail/")
_HOST_REGION = re.compile(r"^https?://lightsail\.([a-z0-9-]+)\.amazonaws\.com", re.IGNORECASE)


class WireResponse(NamedTuple):
    """What goes back over the wire: status, headers and the encoded body (a NamedTuple:
    one is built per call, and that is the cheapest immutable record)."""

    status: int
    headers: dict[str, str]
    body: bytes


def encode(body: Mapping[str, Any]) -> bytes:
    """JSON as Lightsail sends it. orjson, because formatting floats is most of the cost
    of a metric read (benchmarks/bench_calls.py); it writes the shortest text that reads
    back as the same float, as ``json`` does. The mock never puts NaN or infinity in a body."""
    return orjson.dumps(body)


def _answer(status: int, body: bytes) -> WireResponse:
    headers = {"x-amzn-requestid": new_id(), "content-type": JSON_CONTENT_TYPE, "content-length": str(len(body))}
    return _wire_response((status, headers, body))


_wire_response = built_in_order(WireResponse)


def error_response(error: LightsailError) -> WireResponse:
    return _answer(error.status, encode(error.body()))


def error_answer(status: int, error_type: str, message: str) -> WireResponse:
    """An error in the service's JSON form for what is not one of its own errors (the
    server's 501 for an operation lightmock lacks, its 400 for a region Lightsail does not
    serve), which botocore and the other SDKs parse as they parse the service's."""
    return _answer(status, encode({"__type": error_type, "message": message}))


@functools.cache
def _operations_by_target() -> dict[str | bytes, str]:
    """Every ``X-Amz-Target`` of the model, as text and as bytes, to its operation."""
    prefix = target_prefix()
    table: dict[str | bytes, str] = {}
    for operation in service_model().operation_names:
        table[f"{prefix}.{operation}"] = operation
        table[f"{prefix}.{operation}".encode("latin-1")] = operation
    return table


def _botocore_header_keys() -> tuple[type | None, dict[str, Any]]:
    """botocore's ``HeadersDict`` (what every botocore request carries) and its keys for
    the headers read here, or ``(None, {})`` where the installed botocore's is not as read.

    ``HeadersDict.get`` makes a case-folding key object per lookup and runs four Python
    methods; the keys can be made once and looked up in its dict. That reads botocore
    internals, so it is used only when a ``HeadersDict`` built here answers that way as it
    answers ``get``; else ``header`` takes the public way."""
    try:
        from botocore.awsrequest import HeadersDict, _HeaderKey

        keys = {name: _HeaderKey(name) for name in ("X-Amz-Target", "Authorization")}
        sample = HeadersDict({"x-amz-TARGET": b"t", "authorization": "a"})
        if sample._dict.get(keys["X-Amz-Target"]) == b"t" and sample._dict.get(keys["Authorization"]) == "a":
            return HeadersDict, keys
    except Exception:  # any change of botocore's internals: the public way
        pass
    return None, {}


_HEADERS_DICT, _HEADER_KEYS = _botocore_header_keys()


def header(headers: Mapping[str, Any], name: str) -> Any:
    """A request header, looked up case-insensitively (``X-Amz-Target``, ``Authorization``)."""
    if type(headers) is _HEADERS_DICT:
        return headers._dict.get(_HEADER_KEYS[name])  # type: ignore[attr-defined]
    return headers.get(name) or headers.get(name.lower())


def operation_of(headers: Mapping[str, Any]) -> str:
    """The operation named by ``X-Amz-Target`` (headers looked up case-insensitively)."""
    target = header(headers, "X-Amz-Target")
    known = _operations_by_target().get(target) if isinstance(target, str | bytes) else None
    if known is not None:  # one lookup for every operation the model has
        return known
    if isinstance(target, bytes):
        target = target.decode("latin-1")
    prefix = target_prefix() + "."
    if not isinstance(target, str) or not target.startswith(prefix) or len(target) == len(prefix):
        raise UnknownOperationException(f"Unknown operation {quoted(target)}", code="UnknownOperation")
    return target[len(prefix) :]


def decode(body: bytes | str | None) -> dict[str, Any]:
    """The request's JSON object; an empty body is ``{}``, as botocore sends for no input."""
    if body is None or body in (b"", ""):
        return {}
    try:
        params = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        raise SerializationException(f"The request body is not valid UTF-8 JSON: {error}") from None
    if not isinstance(params, dict):
        raise SerializationException("The request body must be a JSON object")
    return params


#: Credential part of an Authorization header -> its region (None: no Lightsail scope).
#: A client signs every request with the same credential scope, so one search per scope.
_scope_regions: dict[str, str | None] = {}
_MAX_SCOPES = 1024


def _scope_region(authorization: str) -> str | None:
    credential = authorization.partition(",")[0]  # "AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/..."
    try:
        return _scope_regions[credential]
    except KeyError:
        match = _SCOPE.search(credential)
        region = match.group(1) if match else None
        if len(_scope_regions) >= _MAX_SCOPES:
            _scope_regions.clear()
        _scope_regions[credential] = region
        return region


def region_of(url: str, headers: Mapping[str, Any], default: str) -> str:
    """The region a request is for: its signature scope, else its endpoint host."""
    authorization = header(headers, "Authorization")
    if isinstance(authorization, bytes):
        authorization = authorization.decode("latin-1")
    if isinstance(authorization, str):
        region = _scope_region(authorization)
        if region is not None:
            return region
    match = _HOST_REGION.match(url)
    return match.group(1) if match else default


class UnservedRegion(EndpointConnectionError, requests.exceptions.ConnectionError):  # type: ignore[misc]
    """A request for a region where Lightsail has no endpoint (``us-east1``).

    The real request never reaches a service: the host does not resolve, and the caller
    sees the connection fail. So does this one: botocore's ``EndpointConnectionError``
    (raised out of the ``before-send`` hook, as botocore raises it from its HTTP sender) and,
    for raw ``requests`` calls, ``requests``' ``ConnectionError``; never an answer.
    ``region`` is the region asked for.
    """

    def __init__(self, *, endpoint_url: str, region: str = "") -> None:
        super().__init__(endpoint_url=endpoint_url)
        self.region = region


#: ``dispatcher(region, operation, params)``: the result body, encoded here at once.
Dispatcher = Callable[[str, str, dict[str, Any]], Mapping[str, Any]]


def handle_request(
    url: str,
    headers: Mapping[str, Any],
    body: bytes | str | None,
    *,
    default_region: str,
    dispatcher: Dispatcher,
) -> WireResponse:
    """Decode a request, hand it to ``dispatcher(region, operation, params)``, encode the
    answer (at once: the body shares values with the store, ``core/records.py``).

    A Lightsail error becomes its error response; any other exception propagates (an
    unimplemented operation must fail the test, not become an answer), and so does
    ``UnservedRegion``, before anything is read.
    """
    region = region_of(url, headers, default_region)
    if region not in served_regions():
        raise UnservedRegion(endpoint_url=url, region=region)
    try:
        operation = operation_of(headers)
        params = decode(body)
        return _answer(200, orjson.dumps(dispatcher(region, operation, params)))  # ``encode``, inline
    except LightsailError as error:
        return error_response(error)
