"""GetCostEstimate: what a resource costs over a window, from the catalogue's plan prices
(docs/service-reference.md §12.8).

"Retrieves information about the cost estimate for a specified resource. A cost estimate
will not generate for a resource that has been deleted"
(https://docs.aws.amazon.com/lightsail/2016-11-28/api-reference/API_GetCostEstimate.html);
the shapes describe "the estimated cost for resources in your Lightsail for Research
account" (``CostEstimate``). The answer is one ``ResourceBudgetEstimate``: the resource, the
window, and one ``CostEstimate`` per usage type, its ``resultsByTime`` one
``EstimateByTime`` per UTC day of the window ("The period of time, in days, that an
estimate covers", ``EstimateByTime.timePeriod``), in hours (``Hrs``) and ``USD``.

Plans are "billed on an on-demand hourly rate ... The least expensive Lightsail plan starts
at $0.0067 USD/hour ($5 USD/month). Lightsail plans that include a Windows Server license
start at $0.0127 USD/hour ($9.50 USD/month)" (user guide, billing FAQ): both are the monthly
price over 750 hours, to four places, the rate used here. A resource costs from its creation
(a stopped one too: "These resources accrue charges even when they are in the stopped
state"). The usage types are the bill's (user guide, "Billing usage types"):
``Bundle:<memory>GB`` for a Linux or Unix plan, ``Bundle:<memory>GB (Windows)``,
``RelationalDatabase:<memory>GB`` for a database (``(HA)`` for a high-availability one:
inferred).

Which types have a price is a table from resource type to a small function, like
SetIpAddressType's: instances and databases, whose plans the catalogue prices; a resource
of another type gets an estimate without cost lines (inferred). The start "must be equal to
or no later than the current date to avoid a validation error" (``TimePeriod.start``), and
before the end; the end may lie ahead (the result is "the estimate's forecasted cost",
``GetCostEstimateResult``), and the window covers at most 366 days (inferred).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from lightmock.core.domain import ResourceType
from lightmock.core.exceptions import InvalidInputException
from lightmock.core.records import Resource
from lightmock.core.wire import Wire, wire_time
from lightmock.service import catalogue, family
from lightmock.service.context import RequestContext
from lightmock.service.kinds import Family

#: The hours a monthly price is spread over (user guide, billing FAQ: see the docstring).
HOURS_PER_MONTH = 750
_DAY = 86400.0
#: The longest window an estimate covers (inferred: a year, one result per day).
MAX_DAYS = 366

#: A priced resource's usage type and monthly price, or ``None`` if it has none.
Pricer = Callable[[Resource], tuple[str, float] | None]


def _memory(gigabytes: float) -> str:
    return f"{gigabytes:g}GB"


def instance_price(instance: Resource) -> tuple[str, float] | None:
    bundle = catalogue.BUNDLES.get(instance.body["bundleId"])
    if bundle is None:
        return None
    windows = " (Windows)" if bundle.platform == "WINDOWS" else ""
    return f"Bundle:{_memory(bundle.ram_size_in_gb)}{windows}", bundle.price


def database_price(database: Resource) -> tuple[str, float] | None:
    bundle = catalogue.DATABASE_BUNDLES.get(database.body["relationalDatabaseBundleId"])
    if bundle is None:
        return None
    high_availability = " (HA)" if "_ha_" in bundle.bundle_id else ""
    return f"RelationalDatabase:{_memory(bundle.ram_size_in_gb)}{high_availability}", bundle.price


#: The resource types with a price, each with how to read it.
PRICERS: dict[ResourceType, Pricer] = {
    ResourceType.INSTANCE: instance_price,
    ResourceType.RELATIONAL_DATABASE: database_price,
}


def hourly_rate(monthly_price: float) -> float:
    return round(monthly_price / HOURS_PER_MONTH, 4)


def _find(context: RequestContext, name: str) -> Resource:
    """The resource of that name, of whichever kind (a priced kind first)."""
    tables = context.state.resources
    for resource_type in (*PRICERS, *tables):
        found = tables[resource_type].get(name)
        if found is not None:
            return found
    raise family.not_found("resource", name)


def _days(start: float, end: float) -> list[tuple[float, float]]:
    """``[start, end)`` cut at UTC midnights."""
    pieces = []
    at = start
    while at < end:
        midnight = (math.floor(at / _DAY) + 1) * _DAY
        pieces.append((at, min(midnight, end)))
        at = midnight
    return pieces


def _results(start: float, end: float, rate: float) -> list[Wire]:
    results = []
    for piece_start, piece_end in _days(start, end):
        hours = (piece_end - piece_start) / 3600
        results.append(
            {
                "usageCost": round(hours * rate, 6),
                "pricingUnit": "Hrs",
                "unit": round(hours, 6),
                "currency": "USD",
                "timePeriod": {"start": wire_time(piece_start), "end": wire_time(piece_end)},
            }
        )
    return results


def get_cost_estimate(context: RequestContext, params: dict[str, Any]) -> Wire:
    start = float(params["startTime"])
    end = float(params["endTime"])
    if not start < end:
        raise InvalidInputException("startTime must be before endTime", code="ValidationError")
    if end - start > MAX_DAYS * _DAY:
        raise InvalidInputException(
            f"The estimate may cover at most {MAX_DAYS} days, one result per day", code="ValidationError"
        )
    if start > context.now:
        raise InvalidInputException(
            "startTime must be equal to or no later than the current date", code="ValidationError"
        )
    resource = _find(context, params["resourceName"])
    pricer = PRICERS.get(resource.resource_type)
    price = pricer(resource) if pricer is not None else None
    estimates: list[Wire] = []
    if price is not None:
        usage_type, monthly = price
        estimates.append(
            {
                "usageType": usage_type,
                "resultsByTime": _results(max(start, resource.created_at), end, hourly_rate(monthly)),
            }
        )
    return {
        "resourcesBudgetEstimate": [
            {
                "resourceName": resource.name,
                "resourceType": str(resource.resource_type),
                "costEstimates": estimates,
                "startTime": wire_time(start),
                "endTime": wire_time(end),
            }
        ]
    }


FAMILY = Family(title="Cost estimates", operations={"GetCostEstimate": get_cost_estimate})
