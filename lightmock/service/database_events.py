"""What happened to a database: GetRelationalDatabaseEvents, and the one way the database
modules record an event (docs/service-reference.md §20.5).

The service lists "events for a specific database" within the last ``durationInMinutes``
("Default: 60 ... The minimum is 1 and the maximum is 14 days (20160 minutes)", model
``GetRelationalDatabaseEventsRequest``), oldest first, each with ``resource``, ``createdAt``,
``message`` and ``eventCategories`` (aws-cli ``get-relational-database-events`` example:
"Backing up Relational Database", "Finished Relational Database backup", category
``backup``). Those two messages are Amazon RDS's RDS-EVENT-0001 and -0002 ("Backing up DB
instance", "Finished DB instance backup") with "DB instance" written "Relational Database";
the mock words the other events it records the same way from RDS's table, in RDS's
categories (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Events.Messages.html):
created (``creation``), stopped and started (``notification``), restarted
(``availability``), backed up (``backup``), modified, backups enabled or disabled, master
credentials reset (``configuration change``), restored (``restoration``).

Events are kept with the database (``Resource.private``) and go with it; the list pages
with ``pageToken`` (§8).
"""

from __future__ import annotations

from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException
from lightmock.core.records import Resource
from lightmock.core.wire import Wire, wire_time
from lightmock.service import family, paging
from lightmock.service.context import RequestContext
from lightmock.service.kinds import Family

#: RDS's event categories, as the example writes them.
CREATION = "creation"
BACKUP = "backup"
NOTIFICATION = "notification"
AVAILABILITY = "availability"
CONFIGURATION_CHANGE = "configuration change"
RESTORATION = "restoration"

#: "The minimum is 1 and the maximum is 14 days (20160 minutes)"; "Default: 60".
_LONGEST_MINUTES = 20160
_DEFAULT_MINUTES = 60

Event = tuple[float, str, tuple[str, ...]]


def record(resource: Resource, at: float, message: str, *categories: str) -> None:
    """Add an event to a database's record of what happened to it. The events are the one
    member of ``Resource.private`` added to in place: a list only ever appended to, and
    never handed out (a read copies what it shows), so appending costs the same however
    many events the database has."""
    events: list[Event] | None = resource.private.get("events")
    if events is None:
        resource.private = {**resource.private, "events": [(at, message, categories)]}
    else:
        events.append((at, message, categories))


def events_of(resource: Resource) -> list[Event]:
    events: list[Event] = resource.private.get("events", [])
    return events


def get_relational_database_events(context: RequestContext, params: dict[str, Any]) -> Wire:
    database = family.find(context, ResourceType.RELATIONAL_DATABASE, params["relationalDatabaseName"])
    minutes = params.get("durationInMinutes", _DEFAULT_MINUTES)
    if not 1 <= minutes <= _LONGEST_MINUTES:
        raise InvalidInputException(
            f"durationInMinutes must be from 1 to {_LONGEST_MINUTES} (14 days); got {minutes}",
            code="ValidationError",
        )
    since, now = context.now - minutes * 60.0, context.now
    # Keyed by (time, position in the database's record): unique and in order, so a token
    # survives new events and a window that moves with the clock.
    keys: list[paging.SortKey] = []
    chosen: list[Event] = []
    for index, event in enumerate(events_of(database)):
        if since <= event[0] <= now:
            keys.append((event[0], f"{index:09d}"))
            chosen.append(event)
    name = database.name

    def publish(event: Event) -> Wire:
        at, message, categories = event
        return {"resource": name, "createdAt": wire_time(at), "message": message, "eventCategories": list(categories)}

    listed = paging.Listing(keys, chosen)
    return family.page_of(context, "GetRelationalDatabaseEvents", "relationalDatabaseEvents", params, listed, publish)


FAMILY = Family(
    title="Relational database events",
    operations={"GetRelationalDatabaseEvents": get_relational_database_events},
)
