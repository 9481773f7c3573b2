"""The browser-based GUI sessions of Lightsail for Research virtual computers:
CreateGUISessionAccessDetails, StartGUISession, StopGUISession (docs/service-reference.md §21).

A virtual computer is an instance made from a Lightsail for Research blueprint (app category
``LfR``, ``research_catalogue.py``). Its GUI session is "a web-based, remote graphical user
interface (GUI), Amazon DCV session ... used to access a virtual computer's operating system
or application" (model ``Session``):

- **StartGUISession** "Initiates a graphical user interface (GUI) session that's used to access
  a virtual computer's operating system and application. The session will be active for 1
  hour. Use this action to resume the session after it expires" (model). The session goes
  ``starting`` then ``started`` through the one transition mechanism, as a facet of the
  instance's record (``GUI_SESSION``: the instance itself stays ``running``), and is
  ``startExpired`` an hour of the mock's clock after it started. One ``StartGUISession``
  operation on the instance, ``Started``.
- **StopGUISession** "Terminates a web-based Amazon DCV session ... The session will close and
  any unsaved data will be lost" (model): ``stopping`` then ``stopped``; one
  ``StopGUISession`` operation, ``Started``.
- **CreateGUISessionAccessDetails** "Creates two URLs that are used to access a virtual
  computer's graphical user interface (GUI) session. The primary URL initiates a web-based
  Amazon DCV session to the virtual computer's application. The secondary URL initiates a
  web-based Amazon DCV session to the virtual computer's operating session. Use
  ``StartGUISession`` to open the session" (model). It answers the session's ``status`` (model
  ``Status``), ``percentageComplete`` and, for a failed start, ``failureReason``; the two
  ``sessions`` (primary: the application, secondary: Ubuntu) while the session is
  ``started``, each URL new on every call, in DCV's form ``https://host:8443/?authToken=...#session``
  (DCV user guide, "Connecting to a Amazon DCV session using URI"; the virtual computer's
  port 8443 is open by default, user guide "Manage firewall ports").

Where the documentation is silent lightmock chooses (docs/limits.md, **inferred**): a new
virtual computer's session is ``notStarted``; while the computer is first being set up
(``pending`` before it ever ran) the status is ``settingUpInstance``; a start on a computer
that is not running, or that stops before the session is up, ends ``failedStartingGUISession``
with a ``failureReason`` (the operations list no ``OperationFailureException``: a failure is
reported through the status); stopping the computer ends its session (``stopped``); a start on
a session already started renews its hour (``Succeeded``); a stop with no session running
changes nothing (``Succeeded``); percentages move with the mock's clock over the instance
kind's transition duration while ``starting``, ``stopping`` or ``settingUpInstance``, are 0 for
``notStarted`` and 100 once a step is done. An ordinary instance is refused with
``InvalidInputException``; a name that is no instance is the instance's ``NotFoundException``.
``failedInstanceCreation`` and ``failedStoppingGUISession`` never happen in the mock.
"""

from __future__ import annotations

import random
from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException
from lightmock.core.records import Resource
from lightmock.core.wire import Wire
from lightmock.engine.transitions import Facet, TransitionMode
from lightmock.service import catalogue, family, research_catalogue
from lightmock.service.context import RequestContext
from lightmock.service.instances import RUNNING
from lightmock.service.kinds import Family
from lightmock.service.offerings import Blueprint

#: "The session will be active for 1 hour" (model StartGUISession).
SESSION_SECONDS = 3600.0
#: The port DCV's web client is served on (DCV's default; open on every virtual computer).
DCV_PORT = 8443

NOT_STARTED = "notStarted"
STARTING = "starting"
STARTED = "started"
START_EXPIRED = "startExpired"
STOPPING = "stopping"
STOPPED = "stopped"
SETTING_UP = "settingUpInstance"
FAILED_START = "failedStartingGUISession"

_PENDING = "pending"
_KEY = "guiSession"


# -- the session, kept on the instance's record (Resource.private) ---------------------------


def _session(instance: Resource) -> Wire:
    """The instance's GUI session: its status, when it last changed and started, how many
    times the instance had stopped then (a later stop ended it), why it failed. Read only:
    a change replaces it (``_keep``), as every value a record keeps is replaced, never edited."""
    kept: Wire | None = instance.private.get(_KEY)
    if kept is None:
        return {"status": NOT_STARTED, "changedAt": instance.created_at, "startedAt": None, "stops": 0, "failure": None}
    return kept


def _keep(instance: Resource, **members: Any) -> None:
    instance.private = {**instance.private, _KEY: {**_session(instance), **members}}


def _status_of(instance: Resource) -> str | None:
    return str(_session(instance)["status"])


def _write_status(instance: Resource, status: str) -> None:
    _keep(instance, status=status)


#: The ``status`` of a virtual computer's GUI session: what Start and StopGUISession move.
GUI_SESSION = Facet("guiSession", _status_of, _write_status)


# -- reading it ------------------------------------------------------------------------------


def _virtual_computer(context: RequestContext, params: dict[str, Any]) -> tuple[Resource, Blueprint]:
    """The instance named, if it is a Lightsail for Research virtual computer."""
    instance = family.find(context, ResourceType.INSTANCE, params["resourceName"])
    blueprint = catalogue.BLUEPRINTS.get(instance.body["blueprintId"])
    if blueprint is None or blueprint.app_category != research_catalogue.LFR:
        raise InvalidInputException(
            f"The instance {instance.name} is not a Lightsail for Research virtual computer: its blueprint "
            f"{instance.body['blueprintId']} is not of the LfR app category, and GUI sessions are for virtual "
            "computers only",
            code="InvalidResourceType",
        )
    return instance, blueprint


def _progress(context: RequestContext, since: float) -> int:
    """How far a step begun at ``since`` has come on the mock's clock (below 100 until done)."""
    seconds = context.table.kinds[ResourceType.INSTANCE].transition_seconds
    return max(0, min(99, int(100 * (context.now - since) / seconds)))


def status(context: RequestContext, instance: Resource) -> tuple[str, int]:
    """The session's status and percentage as CreateGUISessionAccessDetails reports them."""
    session = _session(instance)
    kept = session["status"]
    if instance.state == _PENDING and not instance.stopped:
        return SETTING_UP, _progress(context, instance.created_at)
    ended = len(instance.stopped) > session["stops"]
    if kept in (STARTED, STARTING) and ended:
        return STOPPED, 100
    if kept == STARTED and context.now >= session["startedAt"] + SESSION_SECONDS:
        return START_EXPIRED, 100
    if kept in (STARTING, STOPPING):
        return kept, _progress(context, session["changedAt"])
    return kept, 0 if kept == NOT_STARTED else 100


def _host(instance: Resource) -> str:
    address = instance.body.get("publicIpAddress")
    return str(address) if address is not None else f"[{instance.body['ipv6Addresses'][0]}]"


def _sessions(instance: Resource, blueprint: Blueprint) -> list[Wire]:
    """The two sessions, each with a new DCV URL ``https://host:port/?authToken=...#session``
    (two 64-digit tokens from one draw of ``random``: a mock's tokens must differ from call
    to call, not keep a secret, and the system's random source costs a system call)."""
    tokens = f"{random.getrandbits(512):0128x}"
    base = f"https://{_host(instance)}:{DCV_PORT}/?authToken="
    return [
        {"name": blueprint.name, "url": f"{base}{tokens[:64]}#application", "isPrimary": True},
        {"name": research_catalogue.OPERATING_SYSTEM, "url": f"{base}{tokens[64:]}#desktop", "isPrimary": False},
    ]


# -- the operations --------------------------------------------------------------------------


def create_gui_session_access_details(context: RequestContext, params: dict[str, Any]) -> Wire:
    instance, blueprint = _virtual_computer(context, params)
    current, percentage = status(context, instance)
    body: Wire = {"resourceName": instance.name, "status": current, "percentageComplete": percentage}
    failure = _session(instance)["failure"]
    if current == FAILED_START and failure is not None:
        body["failureReason"] = failure
    body["sessions"] = _sessions(instance, blueprint) if current == STARTED else []
    return body


def start_gui_session(context: RequestContext, params: dict[str, Any]) -> Wire:
    instance, _ = _virtual_computer(context, params)
    if status(context, instance)[0] == STARTED:
        _keep(instance, startedAt=context.now)  # resumed: a new hour
        return {"operations": [family.operation_on(context, instance, "StartGUISession")]}
    _keep(instance, changedAt=context.now, stops=len(instance.stopped), failure=None)
    clock = context.store.clock
    # When it is up: in the clock mode at its due time, whenever the next call settles it;
    # else when it is finished (at once, or when the test finishes it).
    due = context.now + context.table.kinds[ResourceType.INSTANCE].transition_seconds
    timed = context.store.transitions.mode is TransitionMode.CLOCK

    def started() -> None:
        if instance.state == RUNNING:
            _keep(instance, startedAt=due if timed else clock.time())
        else:
            _keep(
                instance,
                status=FAILED_START,
                failure=f"The virtual computer {instance.name} is {instance.state}: a GUI session starts only on "
                "a running virtual computer",
            )

    family.begin_transition(context, instance, interim=STARTING, final=STARTED, then=started, facet=GUI_SESSION)
    return {"operations": [family.operation_on(context, instance, "StartGUISession", status="Started")]}


def stop_gui_session(context: RequestContext, params: dict[str, Any]) -> Wire:
    instance, _ = _virtual_computer(context, params)
    session = _session(instance)
    if session["status"] not in (STARTED, STARTING) or len(instance.stopped) > session["stops"]:
        return {"operations": [family.operation_on(context, instance, "StopGUISession")]}
    _keep(instance, changedAt=context.now)
    family.begin_transition(context, instance, interim=STOPPING, final=STOPPED, facet=GUI_SESSION)
    return {"operations": [family.operation_on(context, instance, "StopGUISession", status="Started")]}


FAMILY = Family(
    title="Lightsail for Research GUI sessions",
    operations={
        "CreateGUISessionAccessDetails": create_gui_session_access_details,
        "StartGUISession": start_gui_session,
        "StopGUISession": stop_gui_session,
    },
)
