"""The stack of active mocks, as the ways in see it: whose account, which region, what state.

Process-wide (not per thread): threads started by the code under test see the mock their
test started, as they would see AWS. This module only keeps the books; what is patched
while the stack is not empty is ``switch``'s business.
"""

from __future__ import annotations

import functools
import os
import threading
from dataclasses import dataclass
from typing import Any

from lightmock.engine.store import Store
from lightmock.gateway.protocol import WireResponse, handle_request
from lightmock.service.dispatch import dispatch


@dataclass(frozen=True, slots=True)
class Activation:
    """One active mock: whose account, which default region, what state."""

    account_id: str
    default_region: str
    store: Store
    #: The ``LightsailMock`` that made this activation (what ``current_mock`` returns).
    handle: Any

    def answer(self, url: str, headers: Any, body: bytes | str | None) -> WireResponse:
        """The mock's answer to one raw Lightsail request (any transport)."""
        dispatcher = functools.partial(dispatch, self.store, self.account_id)  # no frame of its own
        return handle_request(url, headers, body, default_region=self.default_region, dispatcher=dispatcher)


#: Guards the stack and every patch made or undone with it.
lock = threading.RLock()
_stack: list[Activation] = []


def _fresh_lock_in_child() -> None:
    """A forked child gets a fresh lock: the parent's may have been held by a thread the child lacks."""
    global lock
    lock = threading.RLock()


os.register_at_fork(after_in_child=_fresh_lock_in_child)


def innermost() -> Activation | None:
    """The activation that answers requests now, or None while no mock is active."""
    return _stack[-1] if _stack else None


def outermost_store() -> Store | None:
    """The state every nested activation shares, or None while no mock is active."""
    return _stack[0].store if _stack else None


def push(activation: Activation) -> bool:
    """Put ``activation`` on top; True when it is the outermost one."""
    with lock:
        _stack.append(activation)
        return len(_stack) == 1


def remove(activation: Activation) -> bool:
    """Take ``activation`` off (wherever it is); True when the stack is now empty."""
    with lock:
        for index in range(len(_stack) - 1, -1, -1):
            if _stack[index] is activation:
                del _stack[index]
                return not _stack
        return False
