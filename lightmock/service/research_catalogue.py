"""The Lightsail for Research part of the catalogue: its applications and plans
(docs/service-reference.md §21.1).

Lightsail for Research "provides and manages machine images that contain the application and
operating system required to launch a virtual computer ... All Lightsail for Research
application images use the Ubuntu (Linux) operating system": JupyterLab, RStudio, VSCodium,
Scilab and Ubuntu 20.04 LTS; its plans are "Standard" (XL, 2XL, 4XL: 4, 8 and 16 vCPUs, 8, 16
and 32 GB, 50 GB of storage, 512 GB of monthly transfer) and "GPU" (XL, 2XL, 4XL: 4, 8 and 16
vCPUs, 16, 32 and 64 GB, 50 GB, 1 TB) (Lightsail for Research user guide, "Choose application
images and hardware plans",
https://docs.aws.amazon.com/lightsail-for-research/latest/ug/blueprints-plans.html). An
application is a blueprint and a plan a bundle in the API (its tutorial, "Get started"), each
of the app category ``LfR`` (model ``Blueprint.appCategory``, ``Bundle.supportedAppCategories``),
which GetBlueprints and GetBundles list only when asked for it.

The ids:

* ``[GH]`` ``lfr_ubuntu_1_0`` and ``lfr_rstudio_1_0`` (the blueprints an integration test
  against the service looks for, scttfrdmn/lfr-tools ``internal/aws``; ``lfr_ubuntu_1_0`` is
  also what public provisioning tools built on aws-sdk-lightsail create virtual computers
  from), and the six plans ``app_standard_{xl,2xl,4xl}_1_0`` and ``gpu_nvidia_{xl,2xl,4xl}_1_0``
  (the same test, and those tools);
* **inferred** ``lfr_jupyterlab_1_0``, ``lfr_vscodium_1_0`` and ``lfr_scilab_1_0``: no public
  source names them; they follow the ``lfr_<application>_1_0`` naming of the two found.

Figures no source gives are marked inferred in docs/limits.md: the prices (the hourly prices a
public project's documentation quotes for us-east-2, AlexsLemonade/OpenScPCA-analysis
``docs/software-platforms/lsfr/creating-vcs.md``, written as a monthly figure of 750 hours like
Lightsail's, so GetCostEstimate's hourly rate is that price), ``power``, ``instanceType`` (the
plan's size), the versions of the applications, and their groups.
"""

from __future__ import annotations

from lightmock.service.offerings import Blueprint, Bundle, Port

#: The app category of every Lightsail for Research blueprint and bundle (model ``AppCategory``).
LFR = "LfR"

#: "The following ports are open by default for newly created virtual computers": TCP 22, 80,
#: 443 and 8443 (user guide, "Manage firewall ports for Lightsail for Research virtual computers").
_PORTS = (Port(port=22), Port(port=80), Port(port=443), Port(port=8443))
_UBUNTU_LICENSE = "https://ubuntu.com/legal"
#: The operating system of every application image (user guide: Ubuntu 20.04 LTS).
OPERATING_SYSTEM = "Ubuntu"


def _application(blueprint_id: str, name: str, description: str, product_url: str) -> Blueprint:
    return Blueprint(
        blueprint_id=blueprint_id,
        name=name,
        group=blueprint_id.removesuffix("_1_0"),
        type="app",
        description=description,
        version="1.0",
        username="ubuntu",
        ports=_PORTS,
        product_url=product_url,
        license_url=_UBUNTU_LICENSE,
        app_category=LFR,
    )


BLUEPRINTS: tuple[Blueprint, ...] = (
    # Inferred id (the lfr_<application>_1_0 naming); the application is the guide's.
    _application(
        "lfr_jupyterlab_1_0",
        "JupyterLab",
        "JupyterLab, a web-based IDE for notebooks, code and data, on Ubuntu 20.04 LTS.",
        "https://docs.jupyter.org/en/latest/",
    ),
    # [GH] lfr-tools' integration test looks for lfr_rstudio_1_0.
    _application(
        "lfr_rstudio_1_0",
        "RStudio",
        "RStudio, an open-source IDE for R and Python, on Ubuntu 20.04 LTS.",
        "https://posit.co/products/open-source/rstudio/",
    ),
    # Inferred id.
    _application(
        "lfr_vscodium_1_0",
        "VSCodium",
        "VSCodium, a community-driven binary distribution of Microsoft's editor VS Code, on Ubuntu 20.04 LTS.",
        "https://vscodium.com/",
    ),
    # Inferred id.
    _application(
        "lfr_scilab_1_0",
        "Scilab",
        "Scilab, an open-source numerical computation package and language, on Ubuntu 20.04 LTS.",
        "https://www.scilab.org/",
    ),
    # [GH] lfr_ubuntu_1_0: lfr-tools' test, and public provisioning tools.
    Blueprint(
        blueprint_id="lfr_ubuntu_1_0",
        name=OPERATING_SYSTEM,
        group="lfr_ubuntu",
        type="os",
        description="Ubuntu 20.04 LTS, an open source Linux distribution based on Debian.",
        version="20.04 LTS",
        username="ubuntu",
        ports=_PORTS,
        product_url="https://releases.ubuntu.com/focal/",
        license_url=_UBUNTU_LICENSE,
        app_category=LFR,
    ),
)


def _plan(kind: str, size: str, hourly: float, cpus: int, ram: float, transfer: int, power: int) -> Bundle:
    """One plan: ``kind`` is ``app_standard`` or ``gpu_nvidia``, ``size`` ``xl``, ``2xl`` or ``4xl``."""
    title = "Standard" if kind == "app_standard" else "GPU"
    return Bundle(
        bundle_id=f"{kind}_{size}_1_0",
        name=f"{title} {size.upper()}",
        price=round(hourly * 750, 2),
        cpu_count=cpus,
        ram_size_in_gb=ram,
        disk_size_in_gb=50,
        transfer_per_month_in_gb=transfer,
        power=power,
        app_categories=(LFR,),
        size=size,
    )


BUNDLES: tuple[Bundle, ...] = (
    # [GH] the ids; the guide's figures; prices and power inferred (module docstring).
    _plan("app_standard", "xl", 0.90, 4, 8.0, 512, 3000),
    _plan("app_standard", "2xl", 1.11, 8, 16.0, 512, 4000),
    _plan("app_standard", "4xl", 1.53, 16, 32.0, 512, 6000),
    _plan("gpu_nvidia", "xl", 2.37, 4, 16.0, 1024, 3000),
    _plan("gpu_nvidia", "2xl", 2.64, 8, 32.0, 1024, 4000),
    _plan("gpu_nvidia", "4xl", 3.18, 16, 64.0, 1024, 6000),
)
