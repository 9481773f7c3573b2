"""``LightsailServer``: the mock over HTTP, started and stopped from Python.

For tests whose Lightsail clients are not in the test's own process (the AWS CLI,
Terraform, a Node or Go service started as a subprocess) or not Python at all. The
server's handle (``server.mock``) reaches the state it serves (clock, seeding, history,
notifications, faults) but patches nothing in this process: the test's own boto3 clients
reach the server over HTTP like everything else, through ``endpoint_url`` or
``AWS_ENDPOINT_URL_LIGHTSAIL``.
"""

from __future__ import annotations

import sys
import threading
from typing import Any

from lightmock.core.clock import Clock
from lightmock.core.exceptions import LightmockUsageError
from lightmock.engine.store import Store, StoreOptions
from lightmock.mock import LightsailMock
from lightmock.server.listener import Listener
from lightmock.server.state import Served

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 4580


def _log_to_stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


class LightsailServer:
    """A Lightsail mock served over HTTP on a thread of this process.

    ``with LightsailServer(port=0) as server:`` serves fresh state on a free port;
    ``LightsailServer(mock=ls)`` serves the state of the started mock ``ls`` instead (its
    account and default region too), so in-process calls and HTTP calls meet. Requests
    signed with a 12-digit access key id are that account's; others are ``account_id``'s.
    """

    def __init__(
        self,
        *,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        account_id: str | None = None,
        default_region: str | None = None,
        mock: LightsailMock | None = None,
    ) -> None:
        if not isinstance(port, int) or isinstance(port, bool) or not 0 <= port <= 65535:
            raise LightmockUsageError(f"port must be 0 (a free port) to 65535, got {port!r}")
        if mock is not None:
            if account_id is not None or default_region is not None:
                raise LightmockUsageError("account_id and default_region come from the mock served: give mock alone")
            handle = mock
            mock.store  # noqa: B018 (raises the handle's own LightmockUsageError when it was never started)
        else:
            options: dict[str, Any] = {}
            if account_id is not None:
                options["account_id"] = account_id
            if default_region is not None:
                options["default_region"] = default_region
            handle = LightsailMock.over(Store(Clock(), StoreOptions()), **options)
        self._served = Served(handle)
        self._host = host
        self._port = port
        self._listener: Listener | None = None
        self._thread: threading.Thread | None = None

    # -- what a test reads -------------------------------------------------------------------

    @property
    def mock(self) -> LightsailMock:
        """The handle over the state served (clock, seeding, history, notifications, faults)."""
        return self._served.handle

    @property
    def host(self) -> str:
        return self._host

    @property
    def port(self) -> int:
        """The port listened on (the one picked for ``port=0`` once started)."""
        return self._listener.port if self._listener is not None else self._port

    @property
    def url(self) -> str:
        """``http://HOST:PORT``, the endpoint URL to give clients."""
        if self._listener is None:
            raise LightmockUsageError("the server is not started: use it in a with block or call start()")
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"http://{host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._listener is not None

    def reset(self) -> None:
        """Fresh state and a fresh clock, as ``POST /_lightmock/reset`` does."""
        self._served.reset()

    # -- starting and stopping --------------------------------------------------------------

    def start(self) -> LightsailServer:
        """Listen and serve; connections are accepted from the moment this returns.

        A port already taken raises ``OSError`` at once (``errno.EADDRINUSE``).
        """
        if self._listener is not None:
            raise LightmockUsageError("this server is already running; stop() it first")
        listener = Listener(self._host, self._port, self._served, _log_to_stderr)
        thread = threading.Thread(target=listener.serve, name=f"lightmock-server-{listener.port}", daemon=True)
        thread.start()
        self._listener, self._thread = listener, thread
        return self

    def stop(self) -> None:
        """Stop accepting, close every connection; the handle still reads the final state."""
        if self._listener is None or self._thread is None:
            raise LightmockUsageError("this server is not running")
        listener, thread = self._listener, self._thread
        self._listener = self._thread = None
        listener.stop()
        thread.join()
        listener.close()

    def __enter__(self) -> LightsailServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.url if self._listener is not None else "stopped"
        return f"<LightsailServer {where} account={self.mock.account_id} default_region={self.mock.default_region}>"
