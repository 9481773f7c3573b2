"""One HTTP/1.1 connection: read requests, answer each, until the client closes it.

``POST /`` is a Lightsail call, answered by the same ``Activation.answer`` the in-process
hook uses; ``/_lightmock/...`` is the control API (``control.py``). The request head is
parsed here rather than by ``http.server``, whose ``email``-based header parser costs more
than answering a GetAlarms call does: Lightsail clients send a dozen plain headers and a
body with a ``Content-Length``, and that is all this has to read.
"""

from __future__ import annotations

import socket
import socketserver
import traceback
import urllib.parse
from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any, Protocol

import orjson

from lightmock.core.exceptions import UnsupportedOperation
from lightmock.gateway.protocol import UnservedRegion, error_answer
from lightmock.server import control
from lightmock.server.state import Served, account_of

#: The error code botocore and the other SDKs read from the body of a 501.
UNSUPPORTED_ERROR = UnsupportedOperation.error_type

_MAX_LINE = 65536
_MAX_HEADERS = 100


class ServerSide(Protocol):
    """What a connection needs of the server that accepted it."""

    served: Served
    log: Callable[[str], None]

    def host_allowed(self, host_header: str | None) -> bool: ...

    def track(self, connection: socket.socket, open_: bool) -> None: ...


class Headers(dict[str, str]):
    """Request headers by lower-case name; ``get`` takes any case, as ``protocol`` expects."""

    def get(self, name: str, default: Any = None) -> Any:
        return dict.get(self, name.lower(), default)


class BadRequest(Exception):
    """A request this server cannot read; answered with 400 and the connection closed."""


class Connection(socketserver.StreamRequestHandler):
    """Serves one client connection (keep-alive) on its own thread."""

    disable_nagle_algorithm = True
    server: ServerSide  # type: ignore[assignment]

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection, True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.track(self.connection, False)

    def handle(self) -> None:
        self.close = False
        while not self.close:
            try:
                request = self._read_head()
            except BadRequest as error:
                self.close = True
                self._json(400, {"error": "BadRequest", "message": str(error)})
                return
            if request is None:
                return
            method, target, headers = request
            body = self._read_body(headers)
            if body is None:
                return
            self._serve(method, target, headers, body)

    # -- reading ---------------------------------------------------------------------------

    def _line(self) -> bytes:
        line = self.rfile.readline(_MAX_LINE + 1)
        if len(line) > _MAX_LINE:
            raise BadRequest("request line or header too long")
        return line

    def _read_head(self) -> tuple[str, str, Headers] | None:
        """The request line and headers; None when the client closed the connection."""
        line = self._line()
        while line in (b"\r\n", b"\n"):  # stray blank lines between requests are allowed
            line = self._line()
        if not line:
            return None
        parts = line.decode("latin-1").split()
        if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
            raise BadRequest(f"bad request line {line[:100]!r}")
        method, target, version = parts
        headers = Headers()
        for _ in range(_MAX_HEADERS):
            line = self._line()
            if line in (b"\r\n", b"\n", b""):
                break
            name, colon, value = line.decode("latin-1").partition(":")
            if not colon:
                raise BadRequest(f"bad header line {line[:100]!r}")
            headers[name.strip().lower()] = value.strip()
        else:
            raise BadRequest("too many headers")
        connection = headers.get("connection", "").lower()
        self.close = connection == "close" or (version == "HTTP/1.0" and connection != "keep-alive")
        if headers.get("expect", "").lower() == "100-continue":
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        return method, target, headers

    def _read_body(self, headers: Headers) -> bytes | None:
        length = headers.get("content-length")
        if length is None:
            if "chunked" in headers.get("transfer-encoding", "").lower():
                self.close = True
                self._json(411, {"error": "LengthRequired", "message": "send the body with a Content-Length"})
                return None
            return b""
        if not length.isdigit():
            self.close = True
            self._json(400, {"error": "BadRequest", "message": f"bad Content-Length {length!r}"})
            return None
        size = int(length)
        body = self.rfile.read(size) if size else b""
        if len(body) < size:  # the client went away half-way
            self.close = True
            return None
        return body

    # -- answering ---------------------------------------------------------------------------

    def _serve(self, method: str, target: str, headers: Headers, body: bytes) -> None:
        path, _, query = target.partition("?")
        try:
            if path.startswith(control.PREFIX):
                self._control(method, path[len(control.PREFIX) :], query, headers, body)
            elif method == "POST":
                self._lightsail(target, headers, body)
            else:
                self._json(404, {"error": "NotFound", "message": f"lightmock answers POST / and {control.PREFIX}..."})
        except Exception as error:
            self.server.log("lightmock: internal error:\n" + traceback.format_exc().rstrip())
            self._json(500, {"__type": "InternalFailure", "message": f"lightmock failed: {error!r}"})

    def _lightsail(self, target: str, headers: Headers, body: bytes) -> None:
        served = self.server.served
        account = account_of(headers, served.account_id)
        url = f"http://{headers.get('host', '')}{target}"
        try:
            status, response_headers, payload = served.activation_for(account).answer(url, headers, body)
        except UnsupportedOperation as error:
            # 501, not 500: SDKs (Terraform's among them) retry a 500 with back-off for minutes.
            self.server.log(f"lightmock: answered HTTP 501: {error}")
            status, response_headers, payload = error_answer(501, UNSUPPORTED_ERROR, str(error))
        except UnservedRegion as error:
            # A region Lightsail does not serve (``us-east1``), from the request's signature:
            # in process the request fails as the missing endpoint would; a server can only
            # say so, with a 400 that no SDK retries.
            message = f"Lightsail has no endpoint in the region {error.region!r} that this request is signed for"
            status, response_headers, payload = error_answer(400, "UnservedRegion", message)
        self._send(status, response_headers, payload)

    def _control(self, method: str, route: str, query: str, headers: Headers, body: bytes) -> None:
        if not self.server.host_allowed(headers.get("host")):
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
        answer = control.answer(self.server.served, control.ControlRequest(method, route, fields, decoded))
        self._json(answer.status, answer.body)

    # -- writing ------------------------------------------------------------------------------

    def _json(self, status: int, body: Mapping[str, Any]) -> None:
        payload = orjson.dumps(body)
        self._send(status, {"content-type": "application/json", "content-length": str(len(payload))}, payload)

    def _send(self, status: int, headers: Mapping[str, str], payload: bytes) -> None:
        """The whole response in one write (one packet for a small answer)."""
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = ""
        head = [f"HTTP/1.1 {status} {reason}\r\n"]
        head.extend(f"{name}: {value}\r\n" for name, value in headers.items())
        if self.close:
            head.append("connection: close\r\n")
        head.append("\r\n")
        self.wfile.write("".join(head).encode("latin-1") + payload)
