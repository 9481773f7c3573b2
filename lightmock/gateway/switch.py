"""Switching the ways in on and off with the activation stack.

The outermost activation patches (botocore sessions' credentials and the region variable,
the ``before-send`` responder, botocore's HTTP sender, ``requests``' adapter lookup); the
last one out undoes exactly that, where its patch is still the one in place. Nested
activations only push. (The HTTP sender's wrapper stays: it refuses fake-key requests.)
"""

from __future__ import annotations

from lightmock.gateway import activations, bootstrap, botocore_hook, environment, requests_hook
from lightmock.gateway.activations import Activation


def activate(activation: Activation) -> bool:
    """Activate; True when this is the outermost activation (which owns fresh state)."""
    with activations.lock:
        outermost = activations.push(activation)
        if outermost:
            try:
                environment.patch(activation.default_region)
                botocore_hook.install_sender()
                requests_hook.start()
            except BaseException:  # a patch that failed leaves nothing active behind it
                deactivate(activation)
                raise
            bootstrap.responder = botocore_hook.respond
            bootstrap.credential_giver = environment.give_credentials
        return outermost


def deactivate(activation: Activation) -> bool:
    """Deactivate ``activation``; True when it was the last one (everything is restored)."""
    with activations.lock:
        if not activations.remove(activation):
            return False
        bootstrap.responder = None
        bootstrap.credential_giver = None
        requests_hook.stop()
        environment.restore()
        return True
