"""The HTTP side: a threaded standard-library server, a thread per keep-alive connection.

``POST /`` is a Lightsail call, answered by the same ``Activation.answer`` the in-process
hook uses; ``/_lightmock/...`` is the control API (``control.py``). HTTP/1.1 keep-alive
and ``TCP_NODELAY`` on every accepted socket: with Nagle's algorithm a client that writes
headers and body separately waits for the delayed ACK, 40 ms a call on Linux.

The accept loop waits on the listening socket and a wake-up socket together, so stopping
is immediate (``serve_forever`` polls every half second). Open keep-alive connections are
shut down on stop, which ends their threads.
"""

from __future__ import annotations

import contextlib
import ipaddress
import selectors
import socket
import socketserver
import sys
import threading
import traceback
import urllib.parse
from collections.abc import Callable, Mapping
from http.server import BaseHTTPRequestHandler
from typing import Any

import orjson

from lightmock.core.exceptions import UnsupportedOperation
from lightmock.gateway.protocol import JSON_CONTENT_TYPE, encode
from lightmock.server import control
from lightmock.server.state import Served, account_of

#: The error code botocore and the other SDKs read from the body of a 501.
UNSUPPORTED_ERROR = "UnsupportedOperation"


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only (``localhost`` or a loopback address)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _host_name(host_header: str) -> str:
    """The name part of a ``Host`` header (``[::1]:80`` -> ``::1``, ``a:80`` -> ``a``)."""
    if host_header.startswith("["):
        return host_header[1:].partition("]")[0]
    return host_header.rpartition(":")[0] if host_header.count(":") == 1 else host_header


class Listener(socketserver.ThreadingMixIn, socketserver.TCPServer):
    """The listening socket, the accept loop and the open connections."""

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, host: str, port: int, served: Served, log: Callable[[str], None]) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.served = served
        self.log = log
        self.bound_host = host
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        self._wake_reader, self._wake_writer = socket.socketpair()
        self._stopping = False
        try:
            super().__init__((host, port), Handler)
        except BaseException:
            self._wake_reader.close()
            self._wake_writer.close()
            raise

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def host_allowed(self, host_header: str | None) -> bool:
        """Whether a control request's ``Host`` names this server rather than some domain.

        DNS rebinding points an attacker's domain at 127.0.0.1, and the browser then sends
        that domain as ``Host``; an address literal, ``localhost`` or the name the server
        was bound to cannot be such a domain. Ports are not compared, so a container's
        mapped port works.
        """
        if not host_header:
            return False
        name = _host_name(host_header.strip()).lower()
        if name in ("localhost", self.bound_host.lower()):
            return True
        try:
            ipaddress.ip_address(name)
        except ValueError:
            return False
        return True

    # -- the accept loop and stopping -------------------------------------------------

    def serve(self) -> None:
        """Accept connections until ``stop``; each is served on a thread of its own."""
        with selectors.DefaultSelector() as selector:
            selector.register(self.socket, selectors.EVENT_READ)
            selector.register(self._wake_reader, selectors.EVENT_READ)
            while not self._stopping:
                for key, _ in selector.select():
                    if key.fileobj is self._wake_reader or self._stopping:
                        return
                    try:
                        connection, address = self.get_request()
                    except OSError:
                        continue
                    self.process_request(connection, address)

    def stop(self) -> None:
        """Stop accepting, close the listening socket and every open connection."""
        self._stopping = True
        with contextlib.suppress(OSError):
            self._wake_writer.send(b"x")

    def close(self) -> None:
        self.server_close()
        self._wake_reader.close()
        self._wake_writer.close()
        with self._connections_lock:
            connections, self._connections = self._connections, set()
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def track(self, connection: socket.socket, open_: bool) -> None:
        with self._connections_lock:
            if open_:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A connection the client or ``stop`` cut is no error; anything else is logged."""
        error = sys.exc_info()[1]
        if isinstance(error, OSError) or self._stopping:
            return
        self.log("lightmock: error while serving a connection:\n" + traceback.format_exc().rstrip())


class Handler(BaseHTTPRequestHandler):
    """One connection: Lightsail calls and control calls, until the client closes it."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: Listener

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection, True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.track(self.connection, False)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: a server that logs every call drowns the test output it runs beside."""

    def do_POST(self) -> None:
        self._serve("POST")

    def do_GET(self) -> None:
        self._serve("GET")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    def do_PUT(self) -> None:
        self._serve("PUT")

    # -- one request --------------------------------------------------------------------

    def _serve(self, method: str) -> None:
        body = self._read_body()
        if body is None:
            return
        path, _, query = self.path.partition("?")
        try:
            if path.startswith(control.PREFIX):
                self._control(method, path[len(control.PREFIX) :], query, body)
            elif method == "POST":
                self._lightsail(body)
            else:
                self._json(404, {"error": "NotFound", "message": f"lightmock answers POST / and {control.PREFIX}..."})
        except Exception as error:
            self.server.log("lightmock: internal error:\n" + traceback.format_exc().rstrip())
            self._json(500, {"__type": "InternalFailure", "message": f"lightmock failed: {error!r}"})

    def _read_body(self) -> bytes | None:
        length = self.headers.get("Content-Length")
        if length is None:
            if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
                self.close_connection = True
                self._json(411, {"error": "LengthRequired", "message": "send the body with a Content-Length"})
                return None
            return b""
        try:
            size = int(length)
        except ValueError:
            size = -1
        if size < 0:
            self.close_connection = True
            self._json(400, {"error": "BadRequest", "message": f"bad Content-Length {length!r}"})
            return None
        return self.rfile.read(size) if size else b""

    def _lightsail(self, body: bytes) -> None:
        served = self.server.served
        headers = self.headers
        account = account_of(headers, served.account_id)
        url = f"http://{headers.get('Host', '')}{self.path}"
        try:
            status, response_headers, payload = served.activation_for(account).answer(url, headers, body)
        except UnsupportedOperation as error:
            # 501, not 500: SDKs (Terraform's among them) retry a 500 with back-off for minutes.
            self.server.log(f"lightmock: answered HTTP 501: {error}")
            payload = encode({"__type": UNSUPPORTED_ERROR, "message": str(error)})
            status, response_headers = 501, {"content-type": JSON_CONTENT_TYPE, "content-length": str(len(payload))}
        self._send(status, response_headers, payload)

    def _control(self, method: str, route: str, query: str, body: bytes) -> None:
        if not self.server.host_allowed(self.headers.get("Host")):
            self._json(
                403,
                {
                    "error": "Forbidden",
                    "message": "the control API answers only requests addressed to "
                    "this server by address or localhost (Host header), against DNS rebinding",
                },
            )
            return
        if method == "POST" and self.headers.get_content_type() != "application/json":
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

    # -- writing --------------------------------------------------------------------------

    def _json(self, status: int, body: Mapping[str, Any]) -> None:
        payload = orjson.dumps(body)
        self._send(status, {"content-type": "application/json", "content-length": str(len(payload))}, payload)

    def _send(self, status: int, headers: Mapping[str, str], payload: bytes) -> None:
        """The whole response in one write (one packet for a small answer)."""
        reason = self.responses.get(status, ("",))[0]
        head = [f"HTTP/1.1 {status} {reason}\r\n"]
        head.extend(f"{name}: {value}\r\n" for name, value in headers.items())
        if self.close_connection:
            head.append("connection: close\r\n")
        head.append("\r\n")
        self.wfile.write("".join(head).encode("latin-1") + payload)
