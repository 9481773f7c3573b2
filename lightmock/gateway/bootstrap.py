"""What must be in place before botocore is imported, at the cost of nothing but the standard library.

The pytest plugin loads in every pytest run of an environment where lightmock is
installed, including projects that never use it, so it must not import botocore, numpy or
requests. Yet a botocore session made at a test module's import time, before any mock
starts, should carry lightmock's ``before-send.lightsail`` handler (the fast path). Both
hold because botocore reads its list of built-in handlers, ``BUILTIN_HANDLERS``, when a
session is created: :func:`install` appends the handler to that list when
``botocore.handlers`` is first imported (an import hook), or at once if it already is.

The handler here is inert until a mock starts and sets :data:`responder`; only then is
the rest of lightmock (botocore, numpy) needed, and by then it is imported.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

EVENT = "before-send.lightsail"
PROBE_EVENT = "lightmock-probe"
#: Where an aiobotocore signer is handed the fake credentials (its own async signer does not
#: go through the sync ``RequestSigner`` that ``environment`` wraps).
SIGN_EVENT = "before-sign.lightsail"
UNIQUE_ID = "lightmock-before-send"
_HANDLERS_MODULE = "botocore.handlers"

#: Set while a mock is active (by ``switch``): answers a botocore request, or returns None.
responder: Callable[[Any], Any] | None = None
#: Set while a mock is active (by ``switch``): gives a request about to be signed its credentials.
credential_giver: Callable[[Any, Any], None] | None = None


def before_send(request: Any, **_: Any) -> Any:
    """The ``before-send.lightsail`` handler: the mock's answer, or ``None`` while no mock is active."""
    answer = responder
    return None if answer is None else answer(request)


def before_sign(request: Any, request_signer: Any = None, **_: Any) -> None:
    """The ``before-sign.lightsail`` handler: inert while no mock is active."""
    give = credential_giver
    if give is not None:
        give(request, request_signer)


def _probe(**_: Any) -> bool:
    """Answers the private ``lightmock-probe`` event: "this emitter carries the handler"."""
    return True


def add_to(builtin_handlers: list[tuple[str, Any]]) -> None:
    """Append the handler and its probe to botocore's ``BUILTIN_HANDLERS`` (once)."""
    if (EVENT, before_send) not in builtin_handlers:
        builtin_handlers.append((EVENT, before_send))
        builtin_handlers.append((SIGN_EVENT, before_sign))
        builtin_handlers.append((PROBE_EVENT, _probe))


class _AppendingLoader(importlib.abc.Loader):
    """botocore's own loader for ``botocore.handlers``, plus the append once it has run."""

    def __init__(self, inner: importlib.abc.Loader) -> None:
        self._inner = inner

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self._inner.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        module.__loader__ = self._inner  # the module keeps its real loader, as if we were not here
        if module.__spec__ is not None:
            module.__spec__.loader = self._inner
        self._inner.exec_module(module)
        add_to(module.BUILTIN_HANDLERS)


class _HandlersFinder(importlib.abc.MetaPathFinder):
    """Finds nothing itself: wraps the loader the other finders give ``botocore.handlers``."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != _HANDLERS_MODULE:
            return None
        _remove_finder()
        for finder in sys.meta_path:
            find_spec = getattr(finder, "find_spec", None)
            spec: importlib.machinery.ModuleSpec | None = (
                find_spec(fullname, path, target) if find_spec is not None else None
            )
            if spec is not None:
                if spec.loader is not None:
                    spec.loader = _AppendingLoader(spec.loader)
                return spec
        return None


_FINDER = _HandlersFinder()


def _remove_finder() -> None:
    if _FINDER in sys.meta_path:
        sys.meta_path.remove(_FINDER)


def install() -> None:
    """Make every botocore session created from now on carry the (inert) handler."""
    handlers = sys.modules.get(_HANDLERS_MODULE)
    if handlers is not None:
        add_to(handlers.BUILTIN_HANDLERS)
    elif _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)
