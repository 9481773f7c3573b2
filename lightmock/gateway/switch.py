"""Switching the ways in on and off with the activation stack.

The outermost activation patches (environment, the boto3 default session's handler, the
``requests`` mock); the last one out undoes exactly that. Nested activations only push.
"""

from __future__ import annotations

import boto3
import responses

from lightmock.gateway import activations, botocore_hook, environment, requests_hook
from lightmock.gateway.activations import Activation

_requests_mock: responses.RequestsMock | None = None


def activate(activation: Activation) -> bool:
    """Activate; True when this is the outermost activation (which owns fresh state)."""
    global _requests_mock
    with activations.lock:
        outermost = activations.push(activation)
        if outermost:
            environment.patch(activation.default_region)
            if boto3.DEFAULT_SESSION is not None:
                botocore_hook.register(boto3.DEFAULT_SESSION.events)
            _requests_mock = requests_hook.start()
        return outermost


def deactivate(activation: Activation) -> None:
    """Deactivate ``activation``; the last one out restores everything as it was."""
    global _requests_mock
    with activations.lock:
        if not activations.remove(activation):
            return
        if _requests_mock is not None:
            requests_hook.stop(_requests_mock)
            _requests_mock = None
        environment.restore()
