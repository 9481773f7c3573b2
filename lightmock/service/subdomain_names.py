"""Subdomain names: the rules of a name, who holds one across accounts, reservations, and
CheckSubdomainAvailability (docs/service-reference.md §22.1, §22.2); the records are in
``subdomains.py``.

A name has one or two labels of lower-case letters, digits and inner hyphens, at most 39
characters in all, no label starting ``xn--``, and is not a web address (§22.1). A top-level
name belongs, with every name nested under it, to one account: the one with a subdomain in
its tree (``mysite`` or any ``x.mysite``), the one that reserved it with
``CheckSubdomainAvailability(reserve=True)`` for 15 minutes of the mock's clock, or, for at
least 30 days (lightmock: exactly 30), the one that deleted a subdomain of it that had been
associated with a resource (§22.2). The store holds every account (``context.store.regions``),
so every check looks at all of them. An account's reservations and held names are kept in
its us-east-1 state (``RegionState.family_state``), replaced, never edited, by a change.

The service keeps subdomains in us-east-1, and lightmock answers their operations there only
(``family.served_from_us_east_1``), as the service does for domains and distributions (§22.5, inferred).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException
from lightmock.core.quoting import quoted
from lightmock.core.wire import Wire, wire_time
from lightmock.engine.store import RegionState
from lightmock.service import family
from lightmock.service.context import RequestContext
from lightmock.service.kinds import Family

_TYPE = ResourceType.SUBDOMAIN
#: The domain every subdomain's web address ends in (§22.1).
WEB_DOMAIN = "amazonlightsail.com"
MAX_NAME_LENGTH = 39
#: Every resource name is "at least 2 characters long" (the service's resource-name rule, and
#: the model's ``ResourceName``, which an operation's ``resourceName`` is): inferred (§22.1).
MIN_NAME_LENGTH = 2
#: "A reservation holds the subdomain for 15 minutes"; "up to 5 active reservations at a time".
RESERVATION_SECONDS = 15 * 60
MAX_RESERVATIONS = 5
#: "After you delete a subdomain that was associated with a resource, the subdomain isn't
#: available to other accounts for at least 30 days."
HOLD_SECONDS = 30 * 86_400

_RESERVATIONS = "subdomain-reservations"
_HOLDS = "subdomain-holds"
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")


# -- the rules of a name ----------------------------------------------------------------------


def top_level(name: str) -> str:
    """The top-level subdomain of a name: ``mysite`` for ``blog.mysite`` and for ``mysite``."""
    return name.rsplit(".", 1)[-1]


def depth(name: str) -> int:
    return name.count(".") + 1


def web_address(name: str) -> str:
    return f"{name}.{WEB_DOMAIN}"


def refuse_web_address(name: str) -> None:
    """A web address where the subdomain is asked for: "Specify only the subdomain" (§22.1)."""
    if name == WEB_DOMAIN or name.endswith(f".{WEB_DOMAIN}"):
        bare = name.removesuffix(WEB_DOMAIN).rstrip(".") or "mysite"
        raise InvalidInputException(
            f"Specify only the subdomain, not its web address: {quoted(name, bare=True)} (for "
            f"{web_address(bare)}, specify {bare})",
            code="ValidationError",
        )


def check_name(name: str) -> None:
    """Refuse a name the service would not create (§22.1), saying every rule it breaks."""
    refuse_web_address(name)
    labels = name.split(".")
    problems: list[str] = []
    if len(name) < MIN_NAME_LENGTH:
        problems.append(
            f"it is {len(name)} characters long; a resource name, as an operation names it, is at least "
            f"{MIN_NAME_LENGTH}"
        )
    if len(name) > MAX_NAME_LENGTH:
        problems.append(f"it is {len(name)} characters long; a subdomain can be up to {MAX_NAME_LENGTH}")
    if len(labels) > 2:
        problems.append(f"it has {len(labels)} labels; a subdomain has one or two, separated by a period")
    if not all(_LABEL.fullmatch(label) for label in labels):
        problems.append(
            "each label must start and end with a lowercase letter or a number, and can contain only "
            "lowercase letters, numbers, and hyphens"
        )
    if any(label.startswith("xn--") for label in labels):
        problems.append("labels that start with xn-- aren't supported")
    if problems:
        raise InvalidInputException(
            f"The subdomain name {quoted(name, bare=True)} is not valid: {'; '.join(problems)}",
            code="ValidationError",
        )


# -- who holds a name -------------------------------------------------------------------------


def _active(state: RegionState, key: str, now: float) -> dict[str, float]:
    """An account's reservations or held names (name -> until) still in force at ``now``: a
    new dict, which the caller may change and store."""
    kept: Mapping[str, float] = state.family_state.get(key, {})
    return {name: until for name, until in kept.items() if until > now}


def reservations(state: RegionState, now: float) -> dict[str, float]:
    """The account's reservations in force: top-level name -> when it expires."""
    return _active(state, _RESERVATIONS, now)


def holds(state: RegionState, now: float) -> dict[str, float]:
    """The names the account deleted after an association, held from other accounts: name -> until."""
    return _active(state, _HOLDS, now)


def hold(state: RegionState, name: str, now: float) -> None:
    """Hold a deleted name that had been associated from other accounts for 30 days."""
    state.family_state[_HOLDS] = {**holds(state, now), name: now + HOLD_SECONDS}


def taken_up(state: RegionState, name: str, now: float) -> None:
    """The account created ``name``: the reservation of its top-level name and its hold are used."""
    kept = reservations(state, now)
    kept.pop(top_level(name), None)
    held = holds(state, now)
    held.pop(name, None)
    state.family_state[_RESERVATIONS] = kept
    state.family_state[_HOLDS] = held


def _in_tree(names: Iterable[str], top: str) -> bool:
    """Whether any of ``names`` is in the tree of the top-level name ``top`` (``top`` or ``x.top``)."""
    return any(top_level(name) == top for name in names)


def _holds_tree(state: RegionState, top: str, now: float) -> bool:
    """Whether the account of ``state`` holds the top-level name ``top``: a subdomain in its
    tree, a reservation of it, or a name of its tree held after a deletion."""
    if _in_tree(state.resources[_TYPE], top):
        return True
    if top in reservations(state, now):
        return True
    return _in_tree(holds(state, now), top)


def other_holder(context: RequestContext, top: str) -> str | None:
    """Another account that holds ``top`` (§22.2), or None."""
    for (account_id, region), state in context.store.regions.items():
        if region == family.GLOBAL_REGION and account_id != context.account_id and _holds_tree(state, top, context.now):
            return account_id
    return None


# -- the operation ----------------------------------------------------------------------------


def check_subdomain_availability(context: RequestContext, params: dict[str, Any]) -> Wire:
    """Whether the account can create the name; with ``reserve``, hold its top-level name for
    15 minutes unless the account has it already. "Checking the subdomain again doesn't extend
    the reservation" (§22.2)."""
    name = params["subdomainName"]
    check_name(name)
    top = top_level(name)
    state = context.state
    records = state.resources[_TYPE]
    reserved = reservations(state, context.now)
    available = name not in records and other_holder(context, top) is None
    owned = _in_tree(records, top)
    if available and params.get("reserve") and not owned and top not in reserved:
        if len(reserved) >= MAX_RESERVATIONS:
            raise InvalidInputException(
                f"You can have up to {MAX_RESERVATIONS} active subdomain reservations at a time; yours expire at "
                f"{', '.join(sorted(str(wire_time(until)) for until in reserved.values()))}",
                code="LimitExceeded",
            )
        reserved[top] = context.now + RESERVATION_SECONDS
        state.family_state[_RESERVATIONS] = reserved
    answer: Wire = {"available": available}
    if top in reserved:
        answer["reservationExpiresAt"] = wire_time(reserved[top])
    answer["subdomainName"] = name
    return answer


FAMILY = Family(
    title="Subdomain names",
    operations=family.served_from_us_east_1("Subdomain", {"CheckSubdomainAvailability": check_subdomain_availability}),
)
