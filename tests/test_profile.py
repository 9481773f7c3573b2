"""GetProfile through boto3, and the handle's ``set_profile`` (docs/service-reference.md §22.7).

GetProfile came after botocore 1.42.83, the oldest botocore lightmock supports: where the
installed model lacks it these tests skip, but the one that checks the handle refuses to
set a profile there.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import botocore
import pytest

from lightmock import LightmockUsageError, LightsailMock, mock_lightsail
from lightmock.schema.model import service_model
from tests.helpers import OTHER_REGION, T0, shared_client

Client = Any
MODELED = "GetProfile" in service_model().operation_names

needs_the_model = pytest.mark.skipif(
    not MODELED, reason=f"botocore {botocore.__version__}'s Lightsail model lacks GetProfile (added after 1.42.83)"
)


@needs_the_model
class TestGetProfile:
    def test_an_account_is_a_standard_one(self, client: Client) -> None:
        """A Lightsailor profile, without partner details ("returned only for ... LightsailPartner")."""
        answer = client.get_profile()
        assert answer["profileType"] == "Lightsailor"
        assert "partner" not in answer

    def test_a_partner_in_every_region(self, ls: LightsailMock, client: Client) -> None:
        ls.set_profile("LightsailPartner", tier="Growth")
        expected = {
            "profileType": "LightsailPartner",
            "partner": {"enrolledAt": T0, "tierName": "Growth", "status": "Active"},
        }
        for reader in (client, shared_client(OTHER_REGION)):
            answer = reader.get_profile()
            assert {key: answer[key] for key in ("profileType", "partner")} == expected

    def test_a_suspended_partner_enrolled_earlier_without_a_tier(self, ls: LightsailMock, client: Client) -> None:
        enrolled = datetime(2025, 3, 1, 12, 30, tzinfo=UTC)
        ls.set_profile(status="Suspended", enrolled_at=enrolled)
        assert client.get_profile()["partner"] == {"enrolledAt": enrolled, "status": "Suspended"}

    def test_a_standard_account_again(self, ls: LightsailMock, client: Client) -> None:
        ls.set_profile(tier="Premier")
        ls.set_profile("Lightsailor")
        assert "partner" not in client.get_profile()

    def test_the_profile_is_the_accounts(self, ls: LightsailMock, client: Client) -> None:
        ls.set_profile(tier="Essential")
        with mock_lightsail(account_id="210987654321"):  # nested: the same store, another account
            assert shared_client().get_profile()["profileType"] == "Lightsailor"
        assert client.get_profile()["profileType"] == "LightsailPartner"

    @pytest.mark.parametrize(
        ("arguments", "complaint"),
        [
            ({"profile_type": "Partner"}, "profile_type must be one of Lightsailor, LightsailPartner"),
            ({"tier": "Gold"}, "tier must be one of Essential, Growth, Accelerate, Premier"),
            ({"status": "active"}, "status must be one of Active, Suspended"),
            ({"enrolled_at": datetime(2025, 1, 1)}, "aware datetime"),  # naive on purpose
            ({"profile_type": "Lightsailor", "tier": "Growth"}, "no partner membership"),
        ],
    )
    def test_what_the_model_does_not_allow_is_refused(
        self, ls: LightsailMock, client: Client, arguments: dict[str, Any], complaint: str
    ) -> None:
        ls.set_profile(tier="Growth", enrolled_at=T0 - timedelta(days=1))
        with pytest.raises(LightmockUsageError, match=complaint):
            ls.set_profile(**arguments)
        assert client.get_profile()["partner"]["tierName"] == "Growth"


@pytest.mark.skipif(MODELED, reason="the installed botocore's model has GetProfile")
def test_an_older_model_has_no_profile_to_set(ls: LightsailMock) -> None:
    with pytest.raises(LightmockUsageError, match="has no GetProfile"):
        ls.set_profile(tier="Growth")
