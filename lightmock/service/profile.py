"""GetProfile: the profile of the account that calls (docs/service-reference.md §22.7).

"The response includes the profile type and, for accounts enrolled in the Lightsail partner
program, the partner membership details": ``profileType`` is ``Lightsailor`` ("The account is
not enrolled in the Lightsail partner program") or ``LightsailPartner``, and ``partner``
(``enrolledAt``, ``tierName``, ``status``) "is returned only for accounts that have a
profileType of LightsailPartner" (model ``GetProfileResult``).

A mock's account is a standard one until the test enrols it (``LightsailMock.set_profile``).
The profile is the account's, not a Region's: it is kept with the account's us-east-1 state
and answered in every Region.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from lightmock.core.exceptions import LightmockUsageError
from lightmock.core.wire import Wire, wire_time
from lightmock.engine.store import Store
from lightmock.schema.model import service_model
from lightmock.service import family
from lightmock.service.context import RequestContext
from lightmock.service.kinds import Family

STANDARD = "Lightsailor"
PARTNER = "LightsailPartner"
_PROFILE = "profile"


def get_profile(context: RequestContext, params: dict[str, Any]) -> Wire:
    state = context.store.regions.get((context.account_id, family.GLOBAL_REGION))
    partner: Wire | None = None if state is None else state.family_state.get(_PROFILE)
    if partner is None:
        return {"profileType": STANDARD}
    return {"profileType": PARTNER, "partner": dict(partner)}


def _choices(shape: str) -> list[str]:
    model = service_model()
    if shape not in model.shape_names:
        raise LightmockUsageError(
            "the installed botocore's Lightsail model has no GetProfile (it came after botocore 1.42.83); "
            "upgrade botocore to set a profile"
        )
    return list(model.shape_for(shape).enum)


def _one_of(value: str | None, shape: str, what: str) -> None:
    choices = _choices(shape)
    if value not in choices:
        raise LightmockUsageError(f"{what} must be one of {', '.join(choices)}; got {value!r}")


def set_profile(
    store: Store,
    account_id: str,
    profile_type: str,
    *,
    tier: str | None,
    status: str,
    enrolled_at: datetime | None,
) -> None:
    """Make the account a standard one, or a partner of that tier and status enrolled at
    ``enrolled_at`` (the mock's clock when None), as GetProfile will report it."""
    _one_of(profile_type, "ProfileType", "profile_type")
    if profile_type == STANDARD:
        if tier is not None or enrolled_at is not None:
            raise LightmockUsageError(f"a {STANDARD} profile has no partner membership: give no tier or enrolled_at")
        partner: Wire | None = None
    else:
        if tier is not None:
            _one_of(tier, "TierName", "tier")
        _one_of(status, "PartnerStatus", "status")
        if enrolled_at is not None and (not isinstance(enrolled_at, datetime) or enrolled_at.tzinfo is None):
            raise LightmockUsageError(f"enrolled_at must be an aware datetime; got {enrolled_at!r}")
        with store.lock:
            when = store.clock.time() if enrolled_at is None else enrolled_at.timestamp()
        partner = {"enrolledAt": wire_time(when), **({"tierName": tier} if tier is not None else {}), "status": status}
    with store.lock:
        family_state = store.region(account_id, family.GLOBAL_REGION).family_state
        if partner is None:
            family_state.pop(_PROFILE, None)
        else:
            family_state[_PROFILE] = partner


FAMILY = Family(title="Account profile", operations={"GetProfile": get_profile})
