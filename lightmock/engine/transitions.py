"""Transitional states, in one place for every family (docs/transitions.md).

Real Lightsail moves a resource through a transitional state before its final one: a
snapshot is ``pending`` before ``available``, a certificate ``PENDING_VALIDATION`` before
``ISSUED``, a container service ``PENDING`` before ``READY``, a database ``creating`` before
``available``. Programs wait for the final state by polling with real sleeps (Terraform's
waiters, Ansible modules, scripts), so the mock's default is ``instant``: the resource is in
its final state by the time anything can read it, and no program ever waits. A test of a
program's own wait loop chooses otherwise:

- ``hold``: a transition stays in its transitional state until the test finishes it
  (``LightsailMock.finish_transitions``, or ``POST /_lightmock/transitions/finish``);
- ``clock``: a transition finishes when the mock's clock reaches its start plus the
  transition's duration (each family declares a typical one).

Every handler that moves a resource goes through :meth:`Transitions.begin`, and every read
or call first settles what is due (``timeline.settled``), so the three modes hold for every
family alike. What a transition does when it finishes (a snapshot's ``progress`` at 100%, a
deleted service leaving its region) is the ``then`` its handler gives.

A transition moves a record's own state unless its handler names another :class:`Facet` of
it: an instance's ``metadataOptions`` go ``pending`` then ``applied`` while the instance
stays ``running``. A record's facets move independently: a newer transition replaces only
the pending one of the same facet.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable
from dataclasses import dataclass

from lightmock.core.exceptions import LightmockUsageError
from lightmock.core.records import Resource


@dataclass(frozen=True, slots=True)
class Facet:
    """What of a record a transition moves: how to read and write that state."""

    name: str
    read: Callable[[Resource], str | None]
    write: Callable[[Resource, str], None]


def _write_state(resource: Resource, value: str) -> None:
    resource.state = value


#: The record's own state (``Resource.state``): what every transition moves by default.
STATE = Facet("state", lambda resource: resource.state, _write_state)


class TransitionMode(enum.StrEnum):
    INSTANT = "instant"
    HOLD = "hold"
    CLOCK = "clock"


@dataclass(slots=True)
class Pending:
    """A transition begun and not finished: ``resource``'s ``facet`` goes to ``final`` at
    ``due`` (infinite while held), then ``then`` runs."""

    resource: Resource
    interim: str
    final: str
    due: float
    then: Callable[[], None] | None
    facet: Facet = STATE


class Transitions:
    """The transitions of one store, and the mode new ones begin in."""

    __slots__ = ("mode", "pending")

    def __init__(self) -> None:
        self.mode = TransitionMode.INSTANT
        self.pending: list[Pending] = []

    def set_mode(self, mode: str) -> None:
        """Choose how transitions begun from now on finish (those pending keep theirs)."""
        try:
            self.mode = TransitionMode(mode)
        except ValueError:
            choices = ", ".join(repr(member.value) for member in TransitionMode)
            raise LightmockUsageError(f"the transition mode must be one of {choices}; got {mode!r}") from None

    def begin(
        self,
        resource: Resource,
        *,
        interim: str,
        final: str,
        now: float,
        seconds: float,
        then: Callable[[], None] | None = None,
        facet: Facet = STATE,
    ) -> None:
        """Move ``resource``'s ``facet`` to ``interim`` on its way to ``final`` (at once,
        held, or after ``seconds`` of the mock's clock, by the mode). A transition still
        pending for the same facet of the resource is replaced: the newer call decides
        where it ends."""
        self.pending = [
            entry for entry in self.pending if entry.resource is not resource or entry.facet.name != facet.name
        ]
        if self.mode is TransitionMode.INSTANT:
            facet.write(resource, final)
            if then is not None:
                then()
            return
        facet.write(resource, interim)
        due = now + seconds if self.mode is TransitionMode.CLOCK else math.inf
        self.pending.append(Pending(resource, interim, final, due, then, facet))

    def settle(self, now: float) -> None:
        """Finish every transition due by ``now``, earliest first."""
        if not self.pending:
            return
        due = sorted((entry for entry in self.pending if entry.due <= now), key=lambda entry: entry.due)
        if due:
            self._finish(due)

    def finish(self, name: str | None = None) -> int:
        """Finish the pending transitions (of the resources called ``name``, or all) now,
        whatever their mode; how many were finished."""
        chosen = [entry for entry in self.pending if name is None or entry.resource.name == name]
        self._finish(chosen)
        return len(chosen)

    def in_transition(self, resource: Resource) -> bool:
        return any(entry.resource is resource for entry in self.pending)

    def _finish(self, entries: list[Pending]) -> None:
        finishing = {id(entry) for entry in entries}
        self.pending = [entry for entry in self.pending if id(entry) not in finishing]
        for entry in entries:
            resource = entry.resource
            if resource.gone or entry.facet.read(resource) != entry.interim:
                continue  # deleted meanwhile, or moved on by another call
            entry.facet.write(resource, entry.final)
            if entry.then is not None:
                entry.then()
