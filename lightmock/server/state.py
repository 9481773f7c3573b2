"""What a server serves: one store, a default account and region, a handle per account.

Every Lightsail request is answered by an ``Activation`` over the store, the same object
the in-process hook answers with, so the answers are the in-process ones byte for byte.
The account is taken from the request's access key id when that is 12 digits (as
LocalStack does), so one server can hold the state of several accounts side by side.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from lightmock.core.clock import Clock
from lightmock.engine.store import Store
from lightmock.gateway.activations import Activation
from lightmock.mock import LightsailMock

#: The access key id in a SigV4 ``Authorization`` header.
_ACCESS_KEY = re.compile(r"Credential=([^/,\s]+)/")


def account_of(headers: Any, default: str) -> str:
    """The account a request is for: its access key id when that is 12 digits, else ``default``.

    ``headers`` is any mapping with a case-insensitive ``get`` (``http.client.HTTPMessage``).
    """
    authorization = headers.get("Authorization")
    if not isinstance(authorization, str):
        return default
    match = _ACCESS_KEY.search(authorization)
    if match is None:
        return default
    key = match.group(1)
    return key if len(key) == 12 and key.isdigit() else default


class Served:
    """The state behind one server, and the per-account ways into it.

    ``handle`` is the default account's; handles and activations of other accounts are
    made on first use and kept, all over the same store.
    """

    def __init__(self, handle: LightsailMock) -> None:
        self.handle = handle
        self.store: Store = handle.store
        self._lock = threading.Lock()
        self._handles: dict[str, LightsailMock] = {handle.account_id: handle}
        self._activations: dict[str, Activation] = {}

    @property
    def account_id(self) -> str:
        return self.handle.account_id

    @property
    def default_region(self) -> str:
        return self.handle.default_region

    def handle_for(self, account_id: str | None) -> LightsailMock:
        """The handle of ``account_id`` (the default account when None)."""
        if account_id is None:
            return self.handle
        with self._lock:
            handle = self._handles.get(account_id)
            if handle is None:
                # The constructor checks the account id (12 digits) before anything is kept.
                handle = LightsailMock.over(self.store, account_id=account_id, default_region=self.default_region)
                self._handles[account_id] = handle
            return handle

    def activation_for(self, account_id: str) -> Activation:
        """What answers the account's Lightsail requests (the in-process hook's answerer)."""
        activation = self._activations.get(account_id)
        if activation is None:
            handle = self.handle_for(account_id)
            activation = Activation(account_id, self.default_region, self.store, handle)
            self._activations[account_id] = activation
        return activation

    def reset(self) -> None:
        """Fresh state and a fresh clock (running in real time), for every account."""
        with self.store.lock:
            self.store.clear()
            self.store.clock = Clock()
