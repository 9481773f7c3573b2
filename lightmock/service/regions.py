"""Account-wide reads: GetRegions and GetActiveNames (docs/service-reference.md §12.1, §12.2).

**GetRegions** "Returns a list of all valid regions for Amazon Lightsail"
(https://docs.aws.amazon.com/lightsail/2016-11-28/api-reference/API_GetRegions.html): here
the regions with a Lightsail endpoint in the installed botocore (``schema.model.served_regions``,
the one list every request is checked against), in the model's ``RegionName`` order, which
is the order of the aws-cli ``get-regions`` example (us-east-1, us-east-2, us-west-2, ...).
Each record has the example's members: ``continentCode``, ``description``, ``displayName``,
``name``, and ``availabilityZones`` and ``relationalDatabaseAvailabilityZones``, empty as in
the example unless ``includeAvailabilityZones`` / ``includeRelationalDatabaseAvailabilityZones``
asks for them. The zones listed are those lightmock accepts for an instance or a database
(``family.ZONE_LETTERS``: ``<region>a`` to ``<region>f``), each ``available``, so that a zone
GetRegions lists is one CreateInstances takes and the other way round (docs/limits.md: real
regions have three to six).

**GetActiveNames** "Returns the names of all active (not deleted) resources"
(https://docs.aws.amazon.com/lightsail/2016-11-28/api-reference/API_GetActiveNames.html):
every resource record of the region, of every kind in the family table, oldest first, each
name once (a key pair and an instance may share one), paged with ``pageToken`` (§8). What a
kind leaves out of its own list unless asked (``Kind.unlisted``: the default key pair) is
left out here too: the aws-cli ``get-active-names`` example lists an account's instances and
static IP and no default key pair.
"""

from __future__ import annotations

import functools
import operator
from typing import Any

from lightmock.core.records import Resource
from lightmock.core.wire import Wire
from lightmock.schema.differences import served_model
from lightmock.schema.model import region_descriptions, served_regions
from lightmock.service import family, paging
from lightmock.service.context import RequestContext
from lightmock.service.kinds import Family

#: ``(continentCode, displayName, whom the region serves)`` by region. The three US regions
#: are the aws-cli ``get-regions`` example's, word for word; the rest follow its pattern
#: (inferred: display names are the city of botocore's endpoint description, Montreal for
#: ``Canada (Central)``; continent codes are the two-letter ones the example's ``NA`` is one of).
_REGIONS: dict[str, tuple[str, str, str]] = {
    "us-east-1": ("NA", "Virginia", "the eastern United States"),
    "us-east-2": ("NA", "Ohio", "the eastern United States"),
    "us-west-2": ("NA", "Oregon", "the northwestern United States, Alaska, and western Canada"),
    "ca-central-1": ("NA", "Montreal", "Canada"),
    "sa-east-1": ("SA", "Sao Paulo", "South America"),
    "eu-west-1": ("EU", "Ireland", "Ireland and western Europe"),
    "eu-west-2": ("EU", "London", "the United Kingdom and western Europe"),
    "eu-west-3": ("EU", "Paris", "France and western Europe"),
    "eu-central-1": ("EU", "Frankfurt", "central Europe"),
    "eu-north-1": ("EU", "Stockholm", "northern Europe"),
    "eu-south-2": ("EU", "Spain", "Spain and southern Europe"),
    "ap-east-1": ("AS", "Hong Kong", "Hong Kong and southern China"),
    "ap-south-1": ("AS", "Mumbai", "India"),
    "ap-northeast-1": ("AS", "Tokyo", "Japan"),
    "ap-northeast-2": ("AS", "Seoul", "South Korea"),
    "ap-southeast-1": ("AS", "Singapore", "southeast Asia"),
    "ap-southeast-2": ("OC", "Sydney", "Australia and New Zealand"),
    "ap-southeast-3": ("AS", "Jakarta", "Indonesia"),
    "ap-southeast-5": ("AS", "Malaysia", "Malaysia"),
}
_CONTINENTS = {"us": "NA", "ca": "NA", "sa": "SA", "eu": "EU", "ap": "AS", "me": "AS", "af": "AF", "il": "AS"}


def _about(region: str) -> tuple[str, str, str]:
    """A region's continent, display name and audience; for a region botocore serves that
    the table above does not know yet, what its endpoint description says."""
    known = _REGIONS.get(region)
    if known is not None:
        return known
    described = region_descriptions().get(region, region)
    place = described.partition("(")[2].rstrip(")") or described
    return _CONTINENTS.get(region[:2], "NA"), place, place


@functools.cache
def _regions() -> tuple[tuple[str, str, str, str, tuple[str, ...]], ...]:
    """Each served region's name, continent, display name, description and zone names, in
    the model's ``RegionName`` order (the example's), any others after: worked out once."""
    enum = [name for name in served_model().shape_for("RegionName").enum if name in served_regions()]
    records = []
    for region in enum + sorted(served_regions().difference(enum)):
        continent, display_name, audience = _about(region)
        description = f"This region is recommended to serve users in {audience}"
        zones = tuple(f"{region}{letter}" for letter in family.ZONE_LETTERS)
        records.append((region, continent, display_name, description, zones))
    return tuple(records)


def _zones(names: tuple[str, ...]) -> list[Wire]:
    return [{"zoneName": name, "state": "available"} for name in names]


def get_regions(context: RequestContext, params: dict[str, Any]) -> Wire:
    with_zones = bool(params.get("includeAvailabilityZones"))
    with_database_zones = bool(params.get("includeRelationalDatabaseAvailabilityZones"))
    return {
        "regions": [
            {
                "continentCode": continent,
                "description": description,
                "displayName": display_name,
                "name": region,
                "availabilityZones": _zones(zones) if with_zones else [],
                "relationalDatabaseAvailabilityZones": _zones(zones) if with_database_zones else [],
            }
            for region, continent, display_name, description, zones in _regions()
        ]
    }


#: Where the region's listing of active names is kept (``Registry.derived``).
_ACTIVE = "active-names"


_GENERATION = operator.attrgetter("generation")


def _active(context: RequestContext) -> paging.Listing[str]:
    """The name of every listed resource of the region, once (the oldest's), in listing order.

    Kept, like a kind's own listing (``paging.indexed``), until the region's membership
    changes: every table's ``generation`` only grows, so their sum changes with any change.
    It is kept with the first table of the region."""
    tables = context.state.resources
    version = sum(map(_GENERATION, tables.values()))  # in C: a table per resource type, every call
    holder = next(iter(tables.values()))
    cached = holder.derived.get(_ACTIVE)
    if cached is not None and cached[0] == version:
        listing: paging.Listing[str] = cached[1]
        return listing
    kinds = context.table.kinds
    chosen: list[Resource] = []
    for resource_type, records in tables.items():
        if not records:
            continue
        kind = kinds.get(resource_type)
        unlisted = kind.unlisted if kind is not None else None
        if unlisted is None:
            chosen += records.values()
        else:
            chosen += [record for record in records.values() if not unlisted(record)]
    chosen.sort(key=paging.sort_key)
    keys: list[paging.SortKey] = []
    items: list[str] = []
    seen: set[str] = set()
    for record in chosen:
        if record.name not in seen:
            seen.add(record.name)
            keys.append((record.created_at, record.name))
            items.append(record.name)
    listing = paging.Listing(keys, items)
    holder.derived[_ACTIVE] = (version, listing)
    return listing


def get_active_names(context: RequestContext, params: dict[str, Any]) -> Wire:
    return family.page_of(
        context, "GetActiveNames", "activeNames", params, _active(context), publish=str  # names: each itself
    )


FAMILY = Family(
    title="Account-wide reads",
    operations={"GetRegions": get_regions, "GetActiveNames": get_active_names},
)
