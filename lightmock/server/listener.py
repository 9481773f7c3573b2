"""The listening side: a threaded standard-library server, a thread per keep-alive connection.

Each accepted connection is served by ``connection.Connection`` with ``TCP_NODELAY`` set:
with Nagle's algorithm a client that writes headers and body separately (botocore does)
waits for the delayed ACK, 40 ms a call on Linux.

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

from lightmock.server.connection import Connection
from lightmock.server.state import Served


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

    def track(self, connection: socket.socket, open_: bool) -> None:
        """Keep the books of open connections (called as each one's thread starts and ends)."""
        with self._connections_lock:
            if not open_:
                self._connections.discard(connection)
                return
            if not self._closed:
                self._connections.add(connection)
                return
        with contextlib.suppress(OSError):  # accepted as the server closed: end it at once
            connection.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A connection the client or ``stop`` cut is no error; anything else is logged."""
        error = sys.exc_info()[1]
        if isinstance(error, OSError) or self._stopping:
            return
        self.log("lightmock: error while serving a connection:\n" + traceback.format_exc().rstrip())
