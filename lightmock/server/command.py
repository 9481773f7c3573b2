"""``lightmock server``: serve until SIGINT or SIGTERM, then exit 0.

The first line on stdout holds the URL (``http://HOST:PORT``) and is printed, flushed,
once the socket accepts connections, so a script or a test that starts the command reads
one line and connects. Everything else goes to stderr.
"""

from __future__ import annotations

import errno
import signal
import sys
import threading
from typing import TextIO

from lightmock.core.exceptions import LightmockUsageError
from lightmock.server.lightsail_server import LightsailServer
from lightmock.server.listener import is_loopback


def run(
    *,
    host: str,
    port: int,
    account_id: str | None = None,
    region: str | None = None,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:
    """Serve until a stop signal; returns the exit status."""
    try:
        server = LightsailServer(host=host, port=port, account_id=account_id, default_region=region)
    except LightmockUsageError as error:
        print(f"lightmock: {error}", file=err)
        return 2
    if not is_loopback(host):
        print(
            f"lightmock: warning: listening on {host}, not loopback: other machines can reach this mock, "
            "and it checks no credentials",
            file=err,
            flush=True,
        )
    stop = threading.Event()
    previous = {number: signal.signal(number, lambda *_: stop.set()) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        try:
            server.start()
        except OSError as error:
            hint = " (another server is listening there: choose another --port, or --port 0 for a free one)"
            reason = error.strerror or str(error)
            print(
                f"lightmock: cannot listen on {host}:{port}: {reason}{hint if error.errno == errno.EADDRINUSE else ''}",
                file=err,
            )
            return 1
        print(
            f"lightmock serving Lightsail on {server.url} (account {server.mock.account_id}, "
            f"default region {server.mock.default_region}); control API at {server.url}/_lightmock/",
            file=out,
            flush=True,
        )
        stop.wait()
        server.stop()
        print("lightmock: server stopped", file=err, flush=True)
        return 0
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
