"""GetCostEstimate through a real boto3 client (docs/service-reference.md §12.8)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from lightmock import LightsailMock
from tests.helpers import T0, create_database, create_instances

Client = Any
DAY = timedelta(days=1)


def _estimate(client: Client, name: str, start: Any, end: Any) -> dict[str, Any]:
    (estimate,) = client.get_cost_estimate(resourceName=name, startTime=start, endTime=end)["resourcesBudgetEstimate"]
    result: dict[str, Any] = estimate
    return result


def test_an_instance_by_the_day_at_the_plans_hourly_rate(ls: LightsailMock, client: Client) -> None:
    """From its creation (T0, 08:00) to two days on, one result per UTC day, at $5 / 750 h."""
    create_instances(client, "web-1")
    ls.clock.advance(days=1)
    midnight = T0.replace(hour=0)
    estimate = _estimate(client, "web-1", midnight - DAY, midnight + 2 * DAY)
    assert (estimate["resourceName"], estimate["resourceType"]) == ("web-1", "Instance")
    assert (estimate["startTime"], estimate["endTime"]) == (midnight - DAY, midnight + 2 * DAY)
    (cost,) = estimate["costEstimates"]
    assert cost["usageType"] == "Bundle:0.5GB"
    days = cost["resultsByTime"]
    assert [(day["timePeriod"]["start"], day["timePeriod"]["end"]) for day in days] == [
        (T0, midnight + DAY),
        (midnight + DAY, midnight + 2 * DAY),
    ]
    assert [day["unit"] for day in days] == [16.0, 24.0]
    assert {(day["pricingUnit"], day["currency"]) for day in days} == {("Hrs", "USD")}
    assert [day["usageCost"] for day in days] == pytest.approx([16 * 0.0067, 24 * 0.0067])


def test_windows_and_database_plans(client: Client) -> None:
    """The bill's usage types; the FAQ's $9.50 Windows plan is $0.0127 an hour."""
    create_instances(client, "win-1", blueprintId="windows_server_2022", bundleId="nano_win_3_0")
    create_database(client, "db-1", relationalDatabaseBundleId="small_ha_2_0")
    end = T0 + timedelta(hours=10)
    (windows,) = _estimate(client, "win-1", T0, end)["costEstimates"]
    assert windows["usageType"] == "Bundle:0.5GB (Windows)"
    assert windows["resultsByTime"][0]["usageCost"] == pytest.approx(10 * 0.0127)
    database = _estimate(client, "db-1", T0, end)
    assert database["resourceType"] == "RelationalDatabase"
    (cost,) = database["costEstimates"]
    assert cost["usageType"] == "RelationalDatabase:2GB (HA)"
    assert cost["resultsByTime"][0]["usageCost"] == pytest.approx(10 * round(60 / 750, 4))


def test_a_resource_without_a_plan_price(client: Client) -> None:
    client.allocate_static_ip(staticIpName="ip-1")
    estimate = _estimate(client, "ip-1", T0, T0 + DAY)
    assert (estimate["resourceType"], estimate["costEstimates"]) == ("StaticIp", [])


def test_refused(client: Client) -> None:
    create_instances(client, "web-1")
    errors = client.exceptions
    with pytest.raises(errors.NotFoundException, match="does not exist"):
        _estimate(client, "nope", T0, T0 + DAY)
    client.delete_instance(instanceName="web-1")
    # "A cost estimate will not generate for a resource that has been deleted."
    with pytest.raises(errors.NotFoundException, match="does not exist"):
        _estimate(client, "web-1", T0, T0 + DAY)
    create_instances(client, "web-2")
    with pytest.raises(errors.InvalidInputException, match="before endTime"):
        _estimate(client, "web-2", T0, T0)
    with pytest.raises(errors.InvalidInputException, match="no later than the current date"):
        _estimate(client, "web-2", T0 + DAY, T0 + 2 * DAY)
    with pytest.raises(errors.InvalidInputException, match="at most 366 days"):
        _estimate(client, "web-2", T0, T0 + timedelta(days=367))
