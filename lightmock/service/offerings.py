"""The records of the catalogue: blueprints, bundles and their database counterparts.

Frozen, and ``wire()`` builds a fresh dict every time, so nothing handed to a response is
ever shared with the catalogue (``catalogue.py`` holds the entries themselves).
"""

from __future__ import annotations

from dataclasses import dataclass

from lightmock.core.wire import Wire

_ANYWHERE = "Anywhere (0.0.0.0/0 and ::/0)"


@dataclass(frozen=True, slots=True, kw_only=True)
class Port:
    """A firewall rule a blueprint opens by default (to everyone, over TCP)."""

    port: int
    common_name: str = ""

    def wire(self) -> Wire:
        return {
            "fromPort": self.port,
            "toPort": self.port,
            "protocol": "tcp",
            "accessFrom": _ANYWHERE,
            # The service writes the model's "Public" in lower case (see lightmock.schema.differences).
            "accessType": "public",
            "commonName": self.common_name,
            "accessDirection": "inbound",
            "cidrs": ["0.0.0.0/0"],
            "ipv6Cidrs": ["::/0"],
            "cidrListAliases": [],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Blueprint:
    """An instance image: an operating system (``os``) or an application (``app``)."""

    blueprint_id: str
    name: str
    group: str
    type: str
    description: str
    version: str
    username: str
    ports: tuple[Port, ...]
    product_url: str
    license_url: str
    min_power: int = 0
    platform: str = "LINUX_UNIX"
    #: ``LfR`` for a Lightsail for Research application: listed only when asked for by
    #: GetBlueprints' ``appCategory`` (the model: "You must use this parameter to view
    #: Lightsail for Research blueprints").
    app_category: str | None = None

    def wire(self) -> Wire:
        record: Wire = {
            "blueprintId": self.blueprint_id,
            "name": self.name,
            "group": self.group,
            "type": self.type,
            "description": self.description,
            "isActive": True,
            "minPower": self.min_power,
            "version": self.version,
            "versionCode": "1",
            "productUrl": self.product_url,
            "licenseUrl": self.license_url,
            "platform": self.platform,
        }
        if self.app_category is not None:
            record["appCategory"] = self.app_category
        return record


@dataclass(frozen=True, slots=True, kw_only=True)
class Bundle:
    """An instance plan: price (USD per month) and hardware."""

    bundle_id: str
    name: str
    price: float
    cpu_count: int
    ram_size_in_gb: float
    disk_size_in_gb: int
    transfer_per_month_in_gb: int
    power: int
    platform: str = "LINUX_UNIX"
    public_ipv4_address_count: int = 1
    #: ``("LfR",)`` for a Lightsail for Research plan (``supportedAppCategories``): listed
    #: only when asked for by GetBundles' ``appCategory``.
    app_categories: tuple[str, ...] = ()
    #: The size where the id does not begin with it (``app_standard_xl_1_0`` is ``xl``).
    size: str | None = None

    @property
    def instance_type(self) -> str:
        """The size, ``nano`` for ``nano_win_3_0`` too (the aws-cli example: ``nano_3_0`` is ``nano``)."""
        return self.size if self.size is not None else self.bundle_id.partition("_")[0]

    def wire(self) -> Wire:
        return {
            "price": self.price,
            "cpuCount": self.cpu_count,
            "diskSizeInGb": self.disk_size_in_gb,
            "bundleId": self.bundle_id,
            "instanceType": self.instance_type,
            "isActive": True,
            "name": self.name,
            "power": self.power,
            "ramSizeInGb": self.ram_size_in_gb,
            "transferPerMonthInGb": self.transfer_per_month_in_gb,
            "supportedPlatforms": [self.platform],
            **({"supportedAppCategories": list(self.app_categories)} if self.app_categories else {}),
            "publicIpv4AddressCount": self.public_ipv4_address_count,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class DatabaseBlueprint:
    """A database engine and version.

    ``wire()`` leaves ``engine`` out where the model, as the service enforces it
    (``lightmock.schema.differences``), has no value for it, so that every response fits.
    ``postgres`` is such a value there: the installed model lists only ``mysql``, the
    service answers ``postgres`` (aws-cli ``get-relational-database-blueprints.rst``).
    """

    blueprint_id: str
    engine: str
    engine_version: str
    engine_description: str
    engine_version_description: str
    port: int
    is_engine_default: bool

    def wire(self, model_engines: frozenset[str]) -> Wire:
        record: Wire = {
            "blueprintId": self.blueprint_id,
            "engineVersion": self.engine_version,
            "engineDescription": self.engine_description,
            "engineVersionDescription": self.engine_version_description,
            "isEngineDefault": self.is_engine_default,
        }
        if self.engine in model_engines:
            record["engine"] = self.engine
        return record


@dataclass(frozen=True, slots=True, kw_only=True)
class DatabaseBundle:
    """A database plan: price (USD per month) and hardware."""

    bundle_id: str
    name: str
    price: float
    cpu_count: int
    ram_size_in_gb: float
    disk_size_in_gb: int
    transfer_per_month_in_gb: int

    def wire(self) -> Wire:
        return {
            "bundleId": self.bundle_id,
            "name": self.name,
            "price": self.price,
            "ramSizeInGb": self.ram_size_in_gb,
            "diskSizeInGb": self.disk_size_in_gb,
            "transferPerMonthInGb": self.transfer_per_month_in_gb,
            "cpuCount": self.cpu_count,
            "isEncrypted": True,
            "isActive": True,
        }
