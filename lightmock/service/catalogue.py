"""The built-in catalogue: instance and database blueprints and bundles, and support codes.

Lightsail's catalogue is per region and changes over time; the mock has one fixed catalogue
for every region so that tests are deterministic. It holds the ids real configurations use,
each found in a public source named in a comment beside it (docs/limits.md lists them):

* ``[CLI]`` the AWS CLI's own examples, ``awscli/examples/lightsail/<command>.rst`` in
  https://github.com/aws/aws-cli (installed with ``awscli`` too);
* ``[CPU]`` the Lightsail guide's plan table, "Understand baseline CPU performance",
  https://docs.aws.amazon.com/lightsail/latest/userguide/baseline-cpu-performance.html
  (price, vCPUs, memory and storage of every dual-stack Linux and Windows plan);
* ``[TF]`` Terraform's ``aws_lightsail_instance`` documentation,
  https://github.com/hashicorp/terraform-provider-aws/blob/main/website/docs/r/lightsail_instance.html.markdown,
  and Pulumi's, https://www.pulumi.com/registry/packages/aws/api-docs/lightsail/instance/;
* ``[GH]`` public infrastructure code naming the id, found by code search (the repository
  where the search named it).

An id that is in none of them is refused, as the service refuses an id it does not offer
("The specified bundle does not exist in this region: nano_1_0", trailofbits/algo#946).
Figures a source does not give (the data transfer allowance above 6 TB, ``power``) follow
the pattern of those it does.

``Blueprint.name`` is a ``ResourceName`` in the model (no spaces), so names the real
service writes with spaces ("Amazon Linux 2023") are hyphenated here.

The records themselves are ``offerings.py``'s; the Lightsail for Research applications and
plans (app category ``LfR``, listed only when asked for) are ``research_catalogue.py``'s,
merged in here.
"""

from __future__ import annotations

import functools
import hashlib
from typing import Any

from lightmock.service import research_catalogue
from lightmock.service.offerings import Blueprint, Bundle, DatabaseBlueprint, DatabaseBundle, Port

__all__ = [
    "BLUEPRINTS",
    "BUNDLES",
    "DATABASE_BLUEPRINTS",
    "DATABASE_BUNDLES",
    "Blueprint",
    "Bundle",
    "DatabaseBlueprint",
    "DatabaseBundle",
    "Port",
    "account_code",
    "support_code",
]


@functools.cache
def account_code(account_id: str, length: int) -> str:
    """Hex digits derived from the account id: the same for every resource of one account."""
    return hashlib.sha256(f"lightmock:{account_id}".encode()).hexdigest()[:length]


def support_code(account_id: str, backing_id: str) -> str:
    """``<12-digit account number>/<backing id>``, as real support codes are written.

    Real codes begin with an AWS account number, twelve decimal digits, then a slash and
    the id of what backs the resource: ``588307843083/i-0997c97831ee21e33`` in the
    community.aws ``lightsail`` module's documented return value
    (https://github.com/ansible-collections/community.aws, ``plugins/modules/lightsail.py``),
    ``621291663362/MyPersonalKeyPair`` in the aws-cli ``create-key-pair.rst`` example. In
    that community.aws sample the number is not the ARN's account (448830907657): it is
    the account that hosts the resource on AWS's side, which no caller can know, so
    lightmock writes the caller's own account id there (docs/limits.md).
    """
    return f"{account_id}/{backing_id}"


_LINUX_PORTS = (Port(port=22), Port(port=80))
_APP_PORTS = (Port(port=22), Port(port=80), Port(port=443))
#: The Windows Server 2022 instance of aws-cli get-instances.rst opens 80, 22 and 3389.
_WINDOWS_PORTS = (Port(port=22), Port(port=80), Port(port=3389))
_UBUNTU_LICENSE = "https://ubuntu.com/legal"


def _os(
    blueprint_id: str, name: str, group: str, description: str, version: str, username: str, **extra: Any
) -> Blueprint:
    return Blueprint(
        blueprint_id=blueprint_id,
        name=name,
        group=group,
        type="os",
        description=description,
        version=version,
        username=username,
        ports=extra.pop("ports", _LINUX_PORTS),
        **extra,
    )


def _app(blueprint_id: str, name: str, group: str, description: str, version: str, product: str) -> Blueprint:
    """A Bitnami application image (the marketplace products and versions are aws-cli get-blueprints.rst's)."""
    url = product if product.startswith("https://") else f"https://aws.amazon.com/marketplace/pp/{product}"
    return Blueprint(
        blueprint_id=blueprint_id,
        name=name,
        group=group,
        type="app",
        description=description,
        version=version,
        username="bitnami",
        ports=_APP_PORTS,
        product_url=url,
        license_url=f"{url}#pdp-usage",
    )


BLUEPRINTS: dict[str, Blueprint] = {
    blueprint.blueprint_id: blueprint
    for blueprint in (
        # [TF] the blueprint of every aws_lightsail_instance example, and of Pulumi's.
        _os(
            "amazon_linux_2",
            "Amazon-Linux-2",
            "amazon_linux_2",
            "Amazon Linux 2, Amazon's long-term-support Linux.",
            "2.0",
            "ec2-user",
            product_url="https://aws.amazon.com/amazon-linux-2/",
            license_url="https://aws.amazon.com/amazon-linux-2/faqs/",
        ),
        # [GH] Terraform variable defaults (blueprint_id "amazon_linux_2023") and CDK stacks
        # (CfnInstance blueprintId "amazon_linux_2023"); Amazon Linux 2's successor.
        _os(
            "amazon_linux_2023",
            "Amazon-Linux-2023",
            "amazon_linux_2023",
            "Amazon Linux 2023 (AL2023), Amazon's Linux with a predictable release cadence.",
            "2023.5.20240701.0",
            "ec2-user",
            product_url="https://aws.amazon.com/linux/amazon-linux-2023/",
            license_url="https://aws.amazon.com/amazon-linux-2023/faqs/",
        ),
        # [GH] Terraform variable defaults ("One of the blueprints listed by ... get-blueprints").
        _os(
            "ubuntu_22_04",
            "Ubuntu",
            "ubuntu_22",
            "Ubuntu 22.04 LTS (Jammy Jellyfish), a Debian-based Linux operating system.",
            "22.04 LTS",
            "ubuntu",
            product_url="https://aws.amazon.com/marketplace/pp/prodview-f2if34z3a4e3i",
            license_url=_UBUNTU_LICENSE,
        ),
        # [GH] public Terraform and CDK configurations.
        _os(
            "ubuntu_24_04",
            "Ubuntu",
            "ubuntu_24",
            "Ubuntu 24.04 LTS (Noble Numbat), a Debian-based Linux operating system.",
            "24.04 LTS",
            "ubuntu",
            product_url="https://aws.amazon.com/marketplace/pp/prodview-a2hm7bnqcbmmy",
            license_url=_UBUNTU_LICENSE,
        ),
        # [GH] Terraform configurations of IPv6-only servers (blueprint_id = "debian_12").
        _os(
            "debian_12",
            "Debian",
            "debian_12",
            "Debian 12 (Bookworm), a free operating system developed by the Debian project.",
            "12.6",
            "admin",
            product_url="https://aws.amazon.com/marketplace/pp/prodview-g5rooj5oqzrw4",
            license_url="https://www.debian.org/legal/licenses/",
        ),
        # [GH] papiloton/Week9-lamp main.tf (blueprint_id = "centos_stream_9").
        _os(
            "centos_stream_9",
            "CentOS-Stream-9",
            "centos_stream_9",
            "CentOS Stream 9, the continuously delivered distribution upstream of RHEL.",
            "9",
            "ec2-user",
            product_url="https://www.centos.org/centos-stream/",
            license_url="https://www.centos.org/legal/",
        ),
        # [CLI] get-instances.rst: Windows_Server_2022-1, user Administrator, bundle large_win_3_0.
        _os(
            "windows_server_2022",
            "Windows-Server-2022",
            "windows_2022",
            "Windows Server 2022, Microsoft's server operating system.",
            "2022",
            "Administrator",
            ports=_WINDOWS_PORTS,
            product_url="https://aws.amazon.com/windows/",
            license_url="https://aws.amazon.com/windows/resources/licensing/",
            platform="WINDOWS",
        ),
        # [CLI] get-blueprints.rst lists these three with their versions and URLs.
        _app(
            "wordpress",
            "WordPress",
            "wordpress",
            "WordPress packaged by Bitnami: a pre-configured, ready-to-run WordPress.",
            "6.5.3-0",
            "B00NN8Y43U",
        ),
        _app(
            "lamp_8_bitnami",
            "LAMP-PHP-8",
            "lamp_8",
            "LAMP with PHP 8.X packaged by Bitnami: PHP, Apache and MariaDB on Linux.",
            "8.2.18-4",
            "prodview-6g3gzfcih6dvu",
        ),
        _app(
            "nodejs",
            "Node-js",
            "node",
            "Node.js packaged by Bitnami: Node.js, Apache, Python and Redis.",
            "18.20.2-0",
            "B00NNZUAKO",
        ),
        # [CLI] get-instance.rst: the MEAN-1 instance (blueprintName "MEAN", user bitnami).
        _app(
            "mean",
            "MEAN",
            "mean",
            "MEAN packaged by Bitnami: MongoDB, Express, Angular and Node.js.",
            "7.0",
            "https://bitnami.com/stack/mean",
        ),
        *research_catalogue.BLUEPRINTS,
    )
}


#: Data transfer per month by size: 1 TB for nano ([CLI] get-bundles.rst: 1024, 2048, 3072),
#: one more per size above.
_TRANSFER_GB = {"nano": 1024, "micro": 2048, "small": 3072, "medium": 4096, "large": 5120, "xlarge": 6144}
_TRANSFER_GB |= {"2xlarge": 7168, "4xlarge": 8192}
#: ``power`` by size ([CLI] get-bundles.rst: nano 298, micro 500, small 1000; the rest in order).
_POWER = {"nano": 298, "micro": 500, "small": 1000, "medium": 1500, "large": 2000, "xlarge": 3000}
_POWER |= {"2xlarge": 4000, "4xlarge": 6000}


def _bundles(
    suffix: str, name_suffix: str, platform: str, ipv4: int, rows: tuple[tuple[str, float, int, float, int], ...]
) -> tuple[Bundle, ...]:
    """One family of plans: rows of (size, price, vCPUs, memory GB, storage GB)."""
    return tuple(
        Bundle(
            bundle_id=f"{size}{suffix}",
            name=size.capitalize().replace("Xl", "XL") + name_suffix,
            price=price,
            cpu_count=cpus,
            ram_size_in_gb=ram,
            disk_size_in_gb=disk,
            transfer_per_month_in_gb=_TRANSFER_GB[size],
            power=_POWER[size],
            platform=platform,
            public_ipv4_address_count=ipv4,
        )
        for size, price, cpus, ram, disk in rows
    )


BUNDLES: dict[str, Bundle] = {
    bundle.bundle_id: bundle
    for bundle in (
        # [CPU] the Linux or Unix plans; [CLI] get-bundles.rst gives nano/micro/small in full.
        *_bundles(
            "_3_0",
            "",
            "LINUX_UNIX",
            1,
            (
                ("nano", 5.0, 2, 0.5, 20),
                ("micro", 7.0, 2, 1.0, 40),
                ("small", 12.0, 2, 2.0, 60),
                ("medium", 24.0, 2, 4.0, 80),
                ("large", 44.0, 2, 8.0, 160),
                ("xlarge", 84.0, 4, 16.0, 320),
                ("2xlarge", 164.0, 8, 32.0, 640),
                ("4xlarge", 384.0, 16, 64.0, 1280),
            ),
        ),
        # [CPU] the Windows plans ($9.50 ... $244); [CLI] get-instances.rst uses large_win_3_0.
        *_bundles(
            "_win_3_0",
            "-Windows",
            "WINDOWS",
            1,
            (
                ("nano", 9.5, 2, 0.5, 20),
                ("micro", 14.0, 2, 1.0, 40),
                ("small", 22.0, 2, 2.0, 60),
                ("medium", 44.0, 2, 4.0, 80),
                ("large", 74.0, 2, 8.0, 160),
                ("xlarge", 124.0, 4, 16.0, 320),
                ("2xlarge", 244.0, 8, 32.0, 640),
            ),
        ),
        # IPv6-only plans: no public IPv4 address ([CPU]: "the price for an IPv6-only plan is
        # different, the performance baselines are the same"). Prices: nano $3.50 and
        # micro $5 (a public deployment log quoting AWS's refusal of micro_ipv6_3_0), small
        # $10 (a Terraform variable restricted to nano/micro/small/medium_ipv6_3_0); the
        # larger IPv6 plans are left out, their prices not found in a public source.
        *_bundles(
            "_ipv6_3_0",
            "-IPv6",
            "LINUX_UNIX",
            0,
            (
                ("nano", 3.5, 2, 0.5, 20),
                ("micro", 5.0, 2, 1.0, 40),
                ("small", 10.0, 2, 2.0, 60),
            ),
        ),
        *research_catalogue.BUNDLES,
    )
}

DATABASE_BLUEPRINTS: dict[str, DatabaseBlueprint] = {
    blueprint.blueprint_id: blueprint
    for blueprint in (
        # [CLI] get-relational-database-blueprints.rst lists mysql_8_0 (its version there is 2019's).
        DatabaseBlueprint(
            blueprint_id="mysql_8_0",
            engine="mysql",
            engine_version="8.0.39",
            engine_description="MySQL Community Edition",
            engine_version_description="MySQL 8.0.39",
            port=3306,
            is_engine_default=True,
        ),
        # PostgreSQL blueprints follow the example's postgres_<major> naming (postgres_11 there).
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


def _database_bundle(bundle_id: str, price: float, ram: float, disk: int, transfer: int) -> DatabaseBundle:
    size = bundle_id.partition("_")[0].capitalize()
    return DatabaseBundle(
        bundle_id=bundle_id,
        name=f"{size} with High Availability" if "_ha_" in bundle_id else size,
        price=price,
        cpu_count=2,
        ram_size_in_gb=ram,
        disk_size_in_gb=disk,
        transfer_per_month_in_gb=transfer,
    )


DATABASE_BUNDLES: dict[str, DatabaseBundle] = {
    bundle.bundle_id: bundle
    for bundle in (
        # [CLI] get-relational-database-bundles.rst: all eight, standard and high availability.
        _database_bundle("micro_2_0", 15.0, 1.0, 40, 100),
        _database_bundle("micro_ha_2_0", 30.0, 1.0, 40, 100),
        _database_bundle("small_2_0", 30.0, 2.0, 80, 100),
        _database_bundle("small_ha_2_0", 60.0, 2.0, 80, 100),
        _database_bundle("medium_2_0", 60.0, 4.0, 120, 100),
        _database_bundle("medium_ha_2_0", 120.0, 4.0, 120, 100),
        _database_bundle("large_2_0", 115.0, 8.0, 240, 200),
        _database_bundle("large_ha_2_0", 230.0, 8.0, 240, 200),
    )
}
