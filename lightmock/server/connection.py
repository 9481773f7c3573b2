"""One HTTP/1.1 connection: requests answered in order until the client closes it or goes idle.

``POST /`` is a Lightsail call, answered by the same ``Activation.answer`` the in-process
hook uses; ``/_lightmock/...`` is the control API (``control.py``).

The HTTP/1.1 framing is h11's (https://h11.readthedocs.io): the request line and header
syntax, Content-Length (one value of ASCII digits; two different ones refused), chunked
bodies, a mandatory single ``Host`` in HTTP/1.1, transfer codings other than chunked (501),
``Connection`` as a list of options, ``100 Continue`` only to HTTP/1.1 clients that ask for
it, no body on an answer to HEAD. A reader written by hand got a dozen of those MUSTs of
RFC 9110 and RFC 9112 wrong; h11 gets them right by construction, and costs a fraction of
a call (docs/server.md, "Speed"). What h11 leaves to the server is done here:

- a body larger than ``MAX_BODY_BYTES`` is refused with 413 before any of it is read;
- a request with both Content-Length and Transfer-Encoding is refused and the connection
  closed (RFC 9112 §6.3: "the server MUST close the connection after responding");
- an absolute-form target (``POST http://host/ HTTP/1.1``) is served, its authority taking
  the place of ``Host`` (RFC 9112 §3.2.2);
- HEAD is served as GET without the body (RFC 9110 §9.3.2);
- a request with an ``Origin`` that is not the server's own is refused (``Listener.origin_allowed``);
- a connection idle longer than the listener's ``idle_timeout`` is closed (408 first if it
  had sent part of a request).
"""

from __future__ import annotations

import contextlib
import socket
import socketserver
import traceback
import urllib.parse
from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any, Protocol

import h11
import orjson

from lightmock.core.exceptions import UnsupportedOperation
from lightmock.gateway.protocol import UnservedRegion, WireResponse, error_answer
from lightmock.server import control
from lightmock.server.state import Served, account_of

#: The error code botocore and the other SDKs read from the body of a 501.
UNSUPPORTED_ERROR = UnsupportedOperation.error_type

#: The largest request body served (413 beyond): far above what Lightsail clients send (a
#: few KB for a CreateInstances with a launch script or 50 tags), far below harm.
MAX_BODY_BYTES = 1024 * 1024
#: The largest request line and headers together (431 beyond).
MAX_HEAD_BYTES = 64 * 1024

_RECEIVE_BYTES = 65536
#: Reason phrases by status, looked up once rather than on every answer.
_REASONS = {int(status): status.phrase.encode("ascii") for status in HTTPStatus}
#: After refusing a request whose body was not read, how much of it is read and dropped
#: before closing, so that the client reads the answer rather than a reset connection.
_LINGER_BYTES = 4 * 1024 * 1024
_LINGER_SECONDS = 1.0


class ServerSide(Protocol):
    """What a connection needs of the server that accepted it."""

    served: Served
    log: Callable[[str], None]
    idle_timeout: float

    def host_allowed(self, host_header: str | None) -> bool: ...

    def origin_allowed(self, origin: str, host_header: str | None) -> bool: ...


class Headers(dict[str, str]):
    """Request headers by lower-case name; ``get`` takes any case, as ``protocol`` expects."""

    def get(self, name: str, default: Any = None) -> Any:
        return dict.get(self, name.lower(), default)


class _Refused(Exception):
    """A request answered with an error before (or instead of) reading its body; the
    connection is closed after the answer."""

    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.error = error


def _too_large() -> _Refused:
    return _Refused(413, "ContentTooLarge", f"lightmock takes request bodies of at most {MAX_BODY_BYTES} bytes")


class Connection(socketserver.BaseRequestHandler):
    """Serves one client connection (keep-alive) on its own thread."""

    server: ServerSide  # type: ignore[assignment]
    request: socket.socket

    def setup(self) -> None:
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.request.settimeout(self.server.idle_timeout)
        self.http = h11.Connection(h11.SERVER, max_incomplete_event_size=MAX_HEAD_BYTES)
        self.method = b""

    def handle(self) -> None:
        try:
            while self._serve_one():
                self.http.start_next_cycle()
        except h11.RemoteProtocolError as error:
            status = error.error_status_hint
            self._refuse(_Refused(status, HTTPStatus(status).phrase.replace(" ", ""), str(error)))
        except _Refused as refusal:
            self._refuse(refusal)
        except TimeoutError:
            if self.http.their_state is not h11.IDLE or self.http.trailing_data[0]:
                self._refuse(_Refused(408, "RequestTimeout", "the request was not complete within the idle timeout"))

    # -- reading ---------------------------------------------------------------------------

    def _event(self) -> Any:
        """The next h11 event, reading from the socket as needed."""
        while True:
            event = self.http.next_event()
            if event is h11.NEED_DATA:
                self.http.receive_data(self.request.recv(_RECEIVE_BYTES))
                continue
            return event

    def _serve_one(self) -> bool:
        """Read and answer one request; whether the connection goes on to the next."""
        self.method = b""  # until this request's head is read (an error answer has a body)
        request = self._event()
        if type(request) is not h11.Request:  # ConnectionClosed: the client is done
            return False
        self.method = request.method
        headers = Headers()
        for raw_name, raw_value in request.headers.raw_items():  # a list: cheaper than the Sequence
            name = raw_name.lower().decode("latin-1")
            if name in headers:  # a repeated field is one list (RFC 9110 §5.3)
                headers[name] += ", " + raw_value.decode("latin-1")
            else:
                headers[name] = raw_value.decode("latin-1")
        target = request.target.decode("latin-1")  # h11 checked: printable ASCII
        authority = headers.get("host")
        path, _, query = target.partition("?")
        url = f"http://{authority or ''}{target}"
        if target[:7].lower() == "http://" or target[:8].lower() == "https://":
            try:
                split = urllib.parse.urlsplit(target)
            except ValueError as error:
                raise _Refused(400, "BadRequest", f"bad request target: {error}") from None
            authority, path, query, url = split.netloc, split.path or "/", split.query, target
        self._check(headers, authority)
        body = self._body()
        self._serve(request.method.decode("ascii"), path, query, url, authority, headers, body)
        return self.http.our_state is h11.DONE and self.http.their_state is h11.DONE

    def _check(self, headers: Headers, authority: str | None) -> None:
        """What must be refused before the body is read."""
        if "transfer-encoding" in headers and "content-length" in headers:
            raise _Refused(400, "BadRequest", "a request may not have both Content-Length and Transfer-Encoding")
        length = headers.get("content-length")
        if length is not None and int(length) > MAX_BODY_BYTES:  # h11 checked: 1 to 20 ASCII digits
            raise _too_large()
        origin = headers.get("origin")
        if origin is not None and not self.server.origin_allowed(origin, authority):
            message = (
                f"lightmock refuses requests sent by web pages of another origin ({origin!r}): against DNS "
                "rebinding and cross-site requests; SDKs and command-line clients send no Origin"
            )
            raise _Refused(403, "Forbidden", message)

    def _body(self) -> bytes:
        if self.http.they_are_waiting_for_100_continue:
            self._write(self.http.send(h11.InformationalResponse(status_code=100, headers=[], reason=b"Continue")))
        parts: list[bytes] = []
        size = 0
        while True:
            event = self._event()
            if type(event) is h11.EndOfMessage:
                return b"".join(parts)
            size += len(event.data)  # h11.Data: the only other event in a body
            if size > MAX_BODY_BYTES:
                raise _too_large()
            parts.append(event.data)

    # -- answering ---------------------------------------------------------------------------

    def _serve(
        self, method: str, path: str, query: str, url: str, authority: str | None, headers: Headers, body: bytes
    ) -> None:
        try:
            if path.startswith(control.PREFIX):
                self._control(method, path[len(control.PREFIX) :], query, authority, headers, body)
            elif method == "POST":
                self._lightsail(url, headers, body)
            else:
                self._json(404, {"error": "NotFound", "message": f"lightmock answers POST / and {control.PREFIX}..."})
        except Exception as error:
            self.server.log("lightmock: internal error:\n" + traceback.format_exc().rstrip())
            self._json(500, {"__type": "InternalFailure", "message": f"lightmock failed: {error!r}"})

    def _lightsail(self, url: str, headers: Headers, body: bytes) -> None:
        served = self.server.served
        account = account_of(headers, served.account_id)
        try:
            answer = served.activation_for(account).answer(url, headers, body)
        except UnsupportedOperation as error:
            # 501, not 500: SDKs (Terraform's among them) retry a 500 with back-off for minutes.
            self.server.log(f"lightmock: answered HTTP 501: {error}")
            answer = error_answer(501, UNSUPPORTED_ERROR, str(error))
        except UnservedRegion as error:
            # A region Lightsail does not serve (``us-east1``), from the request's signature:
            # in process the request fails as the missing endpoint would; a server can only
            # say so, with a 400 that no SDK retries.
            message = f"Lightsail has no endpoint in the region {error.region!r} that this request is signed for"
            answer = error_answer(400, "UnservedRegion", message)
        self._send(answer)

    def _control(
        self, method: str, route: str, query: str, authority: str | None, headers: Headers, body: bytes
    ) -> None:
        if not self.server.host_allowed(authority):
            message = (
                "the control API answers only requests addressed to this server by address or localhost "
                "(the Host header), against DNS rebinding"
            )
            self._json(403, {"error": "Forbidden", "message": message})
            return
        content_type = headers.get("content-type", "").partition(";")[0].strip().lower()
        if method == "POST" and content_type != "application/json":
            self._json(415, {"error": "UnsupportedMediaType", "message": "control API POSTs must be application/json"})
            return
        try:
            decoded = orjson.loads(body) if body.strip() else {}
        except orjson.JSONDecodeError as error:
            self._json(400, {"error": "LightmockUsageError", "message": f"the body is not JSON: {error}"})
            return
        if not isinstance(decoded, dict):
            self._json(400, {"error": "LightmockUsageError", "message": "the body must be a JSON object"})
            return
        fields = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
        method = "GET" if method == "HEAD" else method  # HEAD is GET without the body (RFC 9110 §9.3.2)
        answer = control.answer(self.server.served, control.ControlRequest(method, route, fields, decoded))
        self._json(answer.status, answer.body)

    # -- writing ------------------------------------------------------------------------------

    def _json(self, status: int, body: Mapping[str, Any]) -> None:
        payload = orjson.dumps(body)
        headers = {"content-type": "application/json", "content-length": str(len(payload))}
        self._send(WireResponse(status, headers, payload))

    def _send(self, answer: WireResponse) -> None:
        """The whole response in one write (one packet for a small answer); h11 adds
        ``Connection: close`` when the connection is to close, and leaves out the body of
        an answer to HEAD."""
        http = self.http
        reason = _REASONS.get(answer.status, b"")
        data = http.send(h11.Response(status_code=answer.status, headers=list(answer.headers.items()), reason=reason))
        if self.method != b"HEAD" and answer.body:
            data += http.send(h11.Data(data=answer.body))
        data += http.send(h11.EndOfMessage())
        self._write(data)

    def _write(self, data: bytes | None) -> None:
        if data:
            self.request.sendall(data)

    def _refuse(self, refusal: _Refused) -> None:
        """Answer a request that cannot be served with an error, then close the connection."""
        if self.http.our_state not in (h11.IDLE, h11.SEND_RESPONSE):
            return  # an answer has begun (or the connection broke): nothing more can be said
        body = {"error": refusal.error, "message": str(refusal)}
        with contextlib.suppress(OSError, h11.LocalProtocolError):
            payload = orjson.dumps(body)
            headers = {"content-type": "application/json", "content-length": str(len(payload)), "connection": "close"}
            self._send(WireResponse(refusal.status, headers, payload))
            self._linger()

    def _linger(self) -> None:
        """Stop writing, then read and drop what the client still sends for a moment: closing
        a socket with unread data resets the connection, and the client may lose the answer."""
        connection = self.request
        connection.shutdown(socket.SHUT_WR)
        connection.settimeout(_LINGER_SECONDS)
        dropped = 0
        while dropped < _LINGER_BYTES:
            chunk = connection.recv(_RECEIVE_BYTES)
            if not chunk:
                return
            dropped += len(chunk)
