"""The built-in catalogue: instance and database blueprints and bundles, and support codes.

Lightsail's catalogue is per region and changes over time; the mock has one fixed, small
catalogue for every region so that tests are deterministic. Figures are the real ones where
AWS publishes them: the ``nano_3_0``/``micro_3_0``/``small_3_0`` bundles (aws-cli
``examples/lightsail/get-bundles.rst``), the database bundles (``get-relational-database-
bundles.rst``) and the WordPress blueprint (``get-blueprints.rst``); the rest follow the same
pattern and the public price list.

``Blueprint.name`` is a ``ResourceName`` in the model (no spaces), so the one blueprint the
real service calls "Amazon Linux 2023" is ``Amazon-Linux-2023`` here.

Records are frozen; ``wire()`` builds a fresh dict every time, so nothing handed to a
response is ever shared with the catalogue.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass

from lightmock.core.wire import Wire

_ANYWHERE = "Anywhere (0.0.0.0/0 and ::/0)"


@functools.cache
def account_code(account_id: str, length: int) -> str:
    """Hex digits derived from the account id: the same for every resource of one account."""
    return hashlib.sha256(f"lightmock:{account_id}".encode()).hexdigest()[:length]


def support_code(account_id: str, backing_id: str) -> str:
    """``<account code>/<backing id>``: the account code is 12 uppercase characters, stable per account.

    Real codes look like ``6EXAMPLE3362/i-05EXAMPLE407c97d3`` (docs/service-reference.md §3.3): the
    prefix is the same for every resource of one account.
    """
    return f"{account_code(account_id, 12).upper()}/{backing_id}"


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
            "accessType": "Public",
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

    def wire(self) -> Wire:
        return {
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

    @property
    def instance_type(self) -> str:
        return self.bundle_id.removesuffix("_3_0")

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
            "supportedPlatforms": ["LINUX_UNIX"],
            "publicIpv4AddressCount": 1,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class DatabaseBlueprint:
    """A database engine and version.

    The model's ``RelationalDatabaseEngine`` enum lists only ``mysql``, although the real
    service answers ``postgres`` for PostgreSQL blueprints (aws-cli
    ``get-relational-database-blueprints.rst``). Every response of the mock must fit the
    model, so ``wire()`` leaves ``engine`` out where the model has no value for it; the
    database records themselves (``RelationalDatabase.engine`` is a free string) say
    ``postgres``.
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


_LINUX_PORTS = (Port(port=22), Port(port=80))
_APP_PORTS = (Port(port=22), Port(port=80), Port(port=443))

BLUEPRINTS: dict[str, Blueprint] = {
    blueprint.blueprint_id: blueprint
    for blueprint in (
        Blueprint(
            blueprint_id="amazon_linux_2023",
            name="Amazon-Linux-2023",
            group="amazon_linux_2023",
            type="os",
            description="Amazon Linux 2023 (AL2023), Amazon's Linux with a predictable release cadence.",
            version="2023.5.20240701.0",
            username="ec2-user",
            ports=_LINUX_PORTS,
            product_url="https://aws.amazon.com/linux/amazon-linux-2023/",
            license_url="https://aws.amazon.com/amazon-linux-2023/faqs/",
        ),
        Blueprint(
            blueprint_id="ubuntu_22_04",
            name="Ubuntu",
            group="ubuntu_22",
            type="os",
            description="Ubuntu 22.04 LTS (Jammy Jellyfish), a Debian-based Linux operating system.",
            version="22.04 LTS",
            username="ubuntu",
            ports=_LINUX_PORTS,
            product_url="https://aws.amazon.com/marketplace/pp/prodview-f2if34z3a4e3i",
            license_url="https://ubuntu.com/legal",
        ),
        Blueprint(
            blueprint_id="ubuntu_24_04",
            name="Ubuntu",
            group="ubuntu_24",
            type="os",
            description="Ubuntu 24.04 LTS (Noble Numbat), a Debian-based Linux operating system.",
            version="24.04 LTS",
            username="ubuntu",
            ports=_LINUX_PORTS,
            product_url="https://aws.amazon.com/marketplace/pp/prodview-a2hm7bnqcbmmy",
            license_url="https://ubuntu.com/legal",
        ),
        Blueprint(
            blueprint_id="debian_12",
            name="Debian",
            group="debian_12",
            type="os",
            description="Debian 12 (Bookworm), a free operating system developed by the Debian project.",
            version="12.6",
            username="admin",
            ports=_LINUX_PORTS,
            product_url="https://aws.amazon.com/marketplace/pp/prodview-g5rooj5oqzrw4",
            license_url="https://www.debian.org/legal/licenses/",
        ),
        Blueprint(
            blueprint_id="wordpress",
            name="WordPress",
            group="wordpress",
            type="app",
            description="WordPress packaged by Bitnami: a pre-configured, ready-to-run WordPress.",
            version="6.5.3-0",
            username="bitnami",
            ports=_APP_PORTS,
            product_url="https://aws.amazon.com/marketplace/pp/B00NN8Y43U",
            license_url="https://aws.amazon.com/marketplace/pp/B00NN8Y43U#pdp-usage",
        ),
    )
}

BUNDLES: dict[str, Bundle] = {
    bundle.bundle_id: bundle
    for bundle in (
        Bundle(
            bundle_id="nano_3_0",
            name="Nano",
            price=5.0,
            cpu_count=2,
            ram_size_in_gb=0.5,
            disk_size_in_gb=20,
            transfer_per_month_in_gb=1024,
            power=298,
        ),
        Bundle(
            bundle_id="micro_3_0",
            name="Micro",
            price=7.0,
            cpu_count=2,
            ram_size_in_gb=1.0,
            disk_size_in_gb=40,
            transfer_per_month_in_gb=2048,
            power=500,
        ),
        Bundle(
            bundle_id="small_3_0",
            name="Small",
            price=12.0,
            cpu_count=2,
            ram_size_in_gb=2.0,
            disk_size_in_gb=60,
            transfer_per_month_in_gb=3072,
            power=1000,
        ),
        Bundle(
            bundle_id="medium_3_0",
            name="Medium",
            price=24.0,
            cpu_count=2,
            ram_size_in_gb=4.0,
            disk_size_in_gb=80,
            transfer_per_month_in_gb=4096,
            power=1500,
        ),
        Bundle(
            bundle_id="large_3_0",
            name="Large",
            price=44.0,
            cpu_count=2,
            ram_size_in_gb=8.0,
            disk_size_in_gb=160,
            transfer_per_month_in_gb=5120,
            power=2000,
        ),
        Bundle(
            bundle_id="xlarge_3_0",
            name="XLarge",
            price=84.0,
            cpu_count=4,
            ram_size_in_gb=16.0,
            disk_size_in_gb=320,
            transfer_per_month_in_gb=6144,
            power=3000,
        ),
    )
}

DATABASE_BLUEPRINTS: dict[str, DatabaseBlueprint] = {
    blueprint.blueprint_id: blueprint
    for blueprint in (
        DatabaseBlueprint(
            blueprint_id="mysql_8_0",
            engine="mysql",
            engine_version="8.0.39",
            engine_description="MySQL Community Edition",
            engine_version_description="MySQL 8.0.39",
            port=3306,
            is_engine_default=True,
        ),
        DatabaseBlueprint(
            blueprint_id="postgres_15",
            engine="postgres",
            engine_version="15.8",
            engine_description="PostgreSQL",
            engine_version_description="PostgreSQL 15.8-R1",
            port=5432,
            is_engine_default=False,
        ),
        DatabaseBlueprint(
            blueprint_id="postgres_16",
            engine="postgres",
            engine_version="16.4",
            engine_description="PostgreSQL",
            engine_version_description="PostgreSQL 16.4-R1",
            port=5432,
            is_engine_default=True,
        ),
    )
}

DATABASE_BUNDLES: dict[str, DatabaseBundle] = {
    bundle.bundle_id: bundle
    for bundle in (
        DatabaseBundle(
            bundle_id="micro_2_0",
            name="Micro",
            price=15.0,
            cpu_count=2,
            ram_size_in_gb=1.0,
            disk_size_in_gb=40,
            transfer_per_month_in_gb=100,
        ),
        DatabaseBundle(
            bundle_id="small_2_0",
            name="Small",
            price=30.0,
            cpu_count=2,
            ram_size_in_gb=2.0,
            disk_size_in_gb=80,
            transfer_per_month_in_gb=100,
        ),
        DatabaseBundle(
            bundle_id="medium_2_0",
            name="Medium",
            price=60.0,
            cpu_count=2,
            ram_size_in_gb=4.0,
            disk_size_in_gb=120,
            transfer_per_month_in_gb=100,
        ),
        DatabaseBundle(
            bundle_id="large_2_0",
            name="Large",
            price=115.0,
            cpu_count=2,
            ram_size_in_gb=8.0,
            disk_size_in_gb=240,
            transfer_per_month_in_gb=200,
        ),
    )
}
