"""How a resource family is declared: its kinds, what they refer to, and its operations.

A family is one module (``service/instances.py``, ``service/disks.py``, ...) that declares
its kinds once and gives the table of its operations. What follows from a declaration is
written once, in ``service/family.py``: Get, list and Delete handlers, the not-found and
name-taken errors, paging, the Operation record of a deletion, tags, and what happens to a
record when a resource it names goes or changes. The cross-cutting code (TagResource, the
HTML summary, the operations page, the contract tests) iterates the family table
(``service/families.py``) and names no kind of its own.

This module holds only the declarations' types, so that the request context can carry the
table without importing any family.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.records import Resource, ResourceForm
from lightmock.core.wire import Wire
from lightmock.engine.store import RegionState

#: A request handler: ``(context, params) -> body``. The context's type lives in
#: ``service/context.py``, which imports this module.
Handler = Callable[[Any, dict[str, Any]], Wire]
#: A family's catching up with the clock: ``(context) -> None`` (``Family.catch_up``).
CatchUp = Callable[[Any], None]


@dataclass(frozen=True, slots=True, kw_only=True)
class Reference:
    """A kind's records name resources of another kind (a disk its instance, a static IP
    its instance, a load balancer its instances).

    ``names`` reads which ones a record names; ``when_gone`` brings the record up to date
    when one of them is deleted (detach it, forget it); ``when_changed`` when one changes
    state (a load balancer's health summary). ``None``: nothing to do (a snapshot keeps
    the name of the instance it was taken from). ``reported_as``: the operation type the
    deletion reports for each record it changed through ``when_gone``, as a pair (one on
    the record, one on the resource gone), before its own: DeleteInstance reports a
    ``DetachDisk`` pair for each disk it detaches (aws-cli ``delete-instance`` example).
    """

    kind: ResourceType
    names: Callable[[Resource], Iterable[str]]
    when_gone: Callable[[RegionState, Resource, Resource], None] | None = None
    when_changed: Callable[[RegionState, Resource, Resource], None] | None = None
    reported_as: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Kind:
    """One kind of resource: everything the generic operations need to know of it.

    ``name_member`` is the request member that names one (``diskName``); ``get`` and
    ``listing`` are the operation and response member of its reads (``("GetDisk",
    "disk")``, ``("GetDisks", "disks")``), ``delete`` its delete operation; ``zoned`` says
    whether it lives in an availability zone (else its location is ``all``);
    ``alarmable`` whether alarms and metric data can name it (its name is then unique
    across all alarmable kinds of the region, so ``monitoredResourceName`` names one);
    ``taggable`` whether TagResource reaches it. ``form`` is how its record goes onto the
    wire; ``refers_to`` what it names of other kinds; ``transition_seconds`` how long its
    transitions take on the mock's clock in the ``clock`` mode (docs/transitions.md);
    ``when_removed`` what its own record lets go of when it leaves the region.
    ``unlisted`` picks the records its list and GetActiveNames leave out unless asked for
    them (the region's default key pair: GetKeyPairs' ``includeDefaultKeyPair``).
    ``location`` is the ``regionName`` a record of an account-wide kind shows in its ARN,
    its location and its operations (``"global"`` for DNS zones, which the service keeps in
    us-east-1: docs/service-reference.md §13); ``None``, the request's region.
    """

    resource_type: ResourceType
    name_member: str
    get: tuple[str, str] | None = None
    listing: tuple[str, str] | None = None
    delete: str | None = None
    zoned: bool = False
    alarmable: bool = False
    taggable: bool = True
    form: ResourceForm = field(default_factory=ResourceForm)
    refers_to: tuple[Reference, ...] = ()
    transition_seconds: float = 60.0
    when_removed: Callable[[RegionState, Resource], None] | None = None
    unlisted: Callable[[Resource], bool] | None = None
    location: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Family:
    """A family's module as the table sees it: a title for the operations page, its kinds,
    its operations, and, for records that are not ``Resource``s (alarms, contact methods),
    how TagResource finds them by name. ``catch_up`` brings the family's records of the
    request's region up to the clock before any handler runs (``dispatch``), for what the
    service does on its own as time passes (automatic snapshots); it must cost next to
    nothing when nothing is due, since every call runs it."""

    title: str
    kinds: tuple[Kind, ...] = ()
    operations: Mapping[str, Handler] = field(default_factory=dict)
    tag_targets: Callable[[RegionState, str], Iterator[Taggable]] | None = None
    catch_up: CatchUp | None = None


@dataclass(frozen=True, slots=True)
class Taggable:
    """One record as tagging sees it: where it is, its tags, and how to store new ones."""

    name: str
    arn: str
    resource_type: ResourceType
    zone: str
    tags: list[Wire]
    store: Callable[[list[Wire]], None]


@dataclass(frozen=True, slots=True)
class FamilyTable:
    """Every family, and their kinds by resource type: what cross-cutting code iterates."""

    families: tuple[Family, ...]
    kinds: Mapping[ResourceType, Kind]

    @classmethod
    def of(cls, families: Iterable[Family]) -> FamilyTable:
        families = tuple(families)
        return cls(families, {kind.resource_type: kind for family in families for kind in family.kinds})

    def referring_to(self, resource_type: ResourceType) -> Iterator[tuple[Kind, Reference]]:
        """The kinds whose records name resources of ``resource_type``, with the reference."""
        for kind in self.kinds.values():
            for reference in kind.refers_to:
                if reference.kind == resource_type:
                    yield kind, reference
