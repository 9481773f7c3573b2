"""The listening side: a threaded standard-library server, a thread per keep-alive connection.

Each accepted connection is served by ``connection.Connection`` with ``TCP_NODELAY`` set:
with Nagle's algorithm a client that writes headers and body separately (botocore does)
waits for the delayed ACK, 40 ms a call on Linux.

Limits (docs/server.md): a listen backlog of ``BACKLOG``, so that a burst of clients
connecting at once is accepted at once (with the standard library's 5, every client beyond
the first few waited for the kernel's SYN retry, 1 s and more); at most ``MAX_CONNECTIONS`` open at once, a
client beyond them answered 503 at once and closed; a connection idle ``IDLE_TIMEOUT``
seconds closed.

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
from collections.abc import Callable
from typing import Any

from lightmock.gateway.protocol import error_answer
from lightmock.server.connection import Connection
from lightmock.server.state import Served

#: Connections the kernel completes while the accept loop catches up (Linux caps it at
#: ``net.core.somaxconn``, 4096 by default).
BACKLOG = 128
#: Connections served at once, each on its own thread; more are answered 503 and closed.
MAX_CONNECTIONS = 128
#: Seconds a connection may stay silent (between requests or inside one) before it is
#: closed: longer than the idle timeouts of clients' own pools (Go's is 90 s), so a client
#: normally closes first and never sends on a connection the server is closing.
IDLE_TIMEOUT = 120.0


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


def _authority(authority: str) -> tuple[str, str]:
    """Host name (lower case) and port (80 when absent) of ``host[:port]``, to compare two."""
    if authority.startswith("["):
        name, _, rest = authority[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
    else:
        name, _, port = authority.partition(":")
    return name.lower(), port or "80"


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
        self.request_queue_size = BACKLOG
        self.max_connections = MAX_CONNECTIONS
        self.idle_timeout = IDLE_TIMEOUT
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        self._wake_reader, self._wake_writer = socket.socketpair()
        self._stopping = False
        self._closed = False
        try:
            super().__init__((host, port), Connection)
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

    def origin_allowed(self, origin: str, host_header: str | None) -> bool:
        """Whether a request's ``Origin`` is the server's own: ``http://`` and the very
        authority the request is addressed to, itself one ``host_allowed`` accepts.

        Browsers send ``Origin`` (the page's scheme, host and port) on every POST and on
        cross-origin requests; SDKs and command-line clients send none. A page of a
        rebound domain is same-origin with it (``Origin`` then matches ``Host``, both the
        domain), and a page elsewhere is cross-origin: neither is this server's own, and
        neither reaches any path (docs/server.md). ``null`` (a sandboxed or file page) is no
        origin of a server.
        """
        if not host_header or not self.host_allowed(host_header):
            return False
        scheme, _, authority = origin.strip().partition("://")
        return scheme.lower() == "http" and _authority(authority) == _authority(host_header.strip())

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
        """Make ``serve`` return (from any thread); ``close`` then frees the sockets."""
        self._stopping = True
        with contextlib.suppress(OSError):
            self._wake_writer.send(b"x")

    def close(self) -> None:
        """Close the listening socket and shut down every open connection, ending its thread."""
        self.server_close()
        self._wake_reader.close()
        self._wake_writer.close()
        with self._connections_lock:
            self._closed = True
            connections, self._connections = self._connections, set()
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Serve the connection on a thread of its own, or refuse it when ``max_connections``
        are open (or the server is closing)."""
        with self._connections_lock:
            admitted = not self._closed and len(self._connections) < self.max_connections
            if admitted:
                self._connections.add(request)
        if admitted:
            super().process_request(request, client_address)
        else:
            self._turn_away(request)

    def _turn_away(self, connection: socket.socket) -> None:
        """503 with the reason, in the service's error form (SDKs retry a 503), then close;
        written at once, without reading, so the accept loop never waits on this client."""
        message = (
            f"lightmock serves at most {self.max_connections} connections at once; "
            "close idle ones or retry (docs/server.md)"
        )
        _, headers, body = error_answer(503, "ServiceUnavailable", message)
        head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        data = f"HTTP/1.1 503 Service Unavailable\r\n{head}retry-after: 1\r\nconnection: close\r\n\r\n"
        with contextlib.suppress(OSError):
            connection.setblocking(False)
            connection.send(data.encode("latin-1") + body)
        self.shutdown_request(connection)

    def shutdown_request(self, request: Any) -> None:
        """Forget a connection whose thread is ending (whatever ended it), and close it."""
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A connection the client or ``stop`` cut is no error; anything else is logged."""
        error = sys.exc_info()[1]
        if isinstance(error, OSError) or self._stopping:
            return
        self.log("lightmock: error while serving a connection:\n" + traceback.format_exc().rstrip())
