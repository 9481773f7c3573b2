"""Terraform's AWS provider, run by the tests against ``lightmock server``: where a local copy
of the provider is, a working directory whose configuration starts with the provider block,
and ``run`` for its commands. Without terraform or the provider, ``terraform_or_skip`` skips
the test, saying why (docs/server.md).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

PLUGIN_DIR_VARIABLE = "LIGHTMOCK_TF_PLUGIN_DIR"
_AWS_PROVIDER = "registry.terraform.io/hashicorp/aws"


def _cli_config_paths() -> list[Path]:
    """Directories named in Terraform's CLI configuration file (filesystem mirrors, the plugin cache)."""
    config = Path(os.environ.get("TF_CLI_CONFIG_FILE") or Path.home() / ".terraformrc")
    if not config.is_file():
        return []
    text = config.read_text(encoding="utf-8", errors="replace")
    found = re.findall(r'filesystem_mirror\s*\{[^}]*?path\s*=\s*"([^"]+)"', text, re.DOTALL)
    found += re.findall(r'plugin_cache_dir\s*=\s*"([^"]+)"', text)
    return [Path(os.path.expandvars(os.path.expanduser(path))) for path in found]


def plugin_directories() -> list[Path]:
    """Where a local copy of the AWS provider may be, in the order looked at.

    ``$LIGHTMOCK_TF_PLUGIN_DIR`` first, then Terraform's own settings: the plugin cache
    (``$TF_PLUGIN_CACHE_DIR``), the CLI configuration's mirrors, and the implied local
    mirror directories (https://developer.hashicorp.com/terraform/cli/config/config-file).
    """
    home = Path.home()
    data_home = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    data_dirs = (os.environ.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share").split(":")
    candidates = [os.environ.get(PLUGIN_DIR_VARIABLE), os.environ.get("TF_PLUGIN_CACHE_DIR")]
    paths = [Path(c) for c in candidates if c]
    paths += _cli_config_paths()
    paths += [home / ".terraform.d" / "plugins", data_home / "terraform" / "plugins"]
    paths += [Path(d) / "terraform" / "plugins" for d in data_dirs if d]
    return paths


def find_aws_provider() -> tuple[Path, str] | None:
    """A directory holding the AWS provider in the mirror layout, and the provider's version."""
    for directory in plugin_directories():
        provider = directory / _AWS_PROVIDER
        if not provider.is_dir():
            continue
        for version in sorted(provider.iterdir(), reverse=True):
            if any(version.glob("linux_amd64/terraform-provider-aws*")) or any(version.glob("*linux_amd64*.zip")):
                return directory, version.name
    return None


#: The provider block every configuration starts with (endpoint and keys: the environment the
#: ``lightsail_server`` fixture sets).
PROVIDER = """
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "VERSION"
    }
  }
}

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "AKIALIGHTMOCKTESTING"
  secret_key                  = "lightmock-testing-secret-key"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

"""


@dataclass(frozen=True)
class Terraform:
    """A working directory for one configuration, and how to run terraform in it."""

    work: Path
    provider: str
    run: Callable[..., subprocess.CompletedProcess[str]]

    def write(self, configuration: str) -> None:
        """Make ``configuration`` (its resources; the provider block is added) the directory's."""
        (self.work / "main.tf").write_text(self.provider + configuration, encoding="utf-8")

    def ok(self, *arguments: str) -> subprocess.CompletedProcess[str]:
        """Run ``terraform <arguments>``, which must succeed (the test fails with its output
        otherwise; ``plan -detailed-exitcode`` succeeds only with no changes to make)."""
        result = self.run(*arguments)
        assert result.returncode == 0, result.stdout + result.stderr
        return result


def terraform_or_skip(tmp_path: Path) -> Terraform:
    """Terraform set up in ``tmp_path`` with the provider from its local mirror, or a skip."""
    terraform = shutil.which("terraform")
    if terraform is None:
        pytest.skip("terraform is not installed")
    found = find_aws_provider()
    if found is None:
        pytest.skip(
            f"no local copy of the hashicorp/aws provider: set {PLUGIN_DIR_VARIABLE} to a filesystem mirror "
            "directory (see docs/server.md)"
        )
    mirror, version = found
    cli_config = tmp_path / "cli.tfrc"
    cli_config.write_text(
        f'provider_installation {{\n  filesystem_mirror {{\n    path = "{mirror}"\n'
        f'    include = ["{_AWS_PROVIDER}"]\n  }}\n}}\ndisable_checkpoint = true\n',
        encoding="utf-8",
    )
    work = tmp_path / "config"
    work.mkdir()
    env = {**os.environ, "TF_CLI_CONFIG_FILE": str(cli_config), "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"}

    def run(*arguments: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [terraform, *arguments, "-input=false", "-no-color"],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )

    return Terraform(work, PROVIDER.replace("VERSION", version), run)
