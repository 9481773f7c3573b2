"""A database's master user password: GetRelationalDatabaseMasterUserPassword, and the
versions a change of password leaves (docs/service-reference.md §20.4).

"Specifying CURRENT or PREVIOUS returns the current or previous passwords respectively.
Specifying PENDING returns the newest version of the password that will rotate to CURRENT.
After the PENDING password rotates to CURRENT, the PENDING password is no longer available."
(model ``passwordVersion``, default ``CURRENT``). The answer is the password and when it was
set (aws-cli ``get-relational-database-master-user-password`` example).

The password given at create is ``CURRENT`` from the create on; without one the service
generates one (``databases.generate_password``). UpdateRelationalDatabase's
``masterUserPassword`` or ``rotateMasterUserPassword`` (a generated one) makes a ``PENDING``
version, which becomes ``CURRENT`` when the change is applied (``database_updates.py``), the
old ``CURRENT`` becoming ``PREVIOUS``. Chosen here (docs/limits.md): asking for a version the
database does not have (``PREVIOUS`` before any change, ``PENDING`` with none pending) is a
``NotFoundException``.
"""

from __future__ import annotations

from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import NotFoundException
from lightmock.core.records import Resource
from lightmock.core.wire import Wire, wire_time
from lightmock.service import family
from lightmock.service.context import RequestContext
from lightmock.service.databases import CURRENT, PENDING, PREVIOUS
from lightmock.service.kinds import Family

Version = tuple[str, float]


def versions(database: Resource) -> dict[str, Version]:
    """The password versions a database has: (password, when it was set), by version."""
    held: dict[str, Version] = database.private["passwords"]
    return held


def set_pending(database: Resource, password: str, at: float) -> None:
    """A new password, to become ``CURRENT`` when applied (a newer one replaces it)."""
    database.private = {**database.private, "passwords": {**versions(database), PENDING: (password, at)}}


def apply_pending(database: Resource) -> bool:
    """The ``PENDING`` password becomes ``CURRENT`` and the old one ``PREVIOUS``; whether
    there was one."""
    held = versions(database)
    if PENDING not in held:
        return False
    database.private = {**database.private, "passwords": {PREVIOUS: held[CURRENT], CURRENT: held[PENDING]}}
    return True


def get_relational_database_master_user_password(context: RequestContext, params: dict[str, Any]) -> Wire:
    database = family.find(context, ResourceType.RELATIONAL_DATABASE, params["relationalDatabaseName"])
    version = params.get("passwordVersion", CURRENT)
    held = versions(database).get(version)
    if held is None:
        raise NotFoundException(
            f"The database {database.name} has no {version} master user password", code="PasswordVersionNotFound"
        )
    password, at = held
    return {"masterUserPassword": password, "createdAt": wire_time(at)}


FAMILY = Family(
    title="Relational database master user password",
    operations={"GetRelationalDatabaseMasterUserPassword": get_relational_database_master_user_password},
)
