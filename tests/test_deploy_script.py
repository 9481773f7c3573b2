"""A release script through the AWS CLI against ``lightmock server``
(``tests/scripts/deploy_container.sh``): it creates a container service, waits for
``READY``, deploys, waits for the deployment to be ``ACTIVE``, and prints the public URL and
the container's log.

The transitions are held (docs/transitions.md), so the script's wait loops really wait: the
test lets the service become ready, seeds the container's log through the control API while
the deployment is activating, then lets it finish, and the script's output shows both.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import requests

from lightmock.server import LightsailServer
from tests.serving import clean_environment, http_client

SCRIPT = Path(__file__).resolve().parent / "scripts" / "deploy_container.sh"
#: How long the test waits for the script to reach each step (it polls every 0.2 s).
STEP_SECONDS = 60.0


def _until(condition: Any, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + STEP_SECONDS
    while not condition():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the script did not reach the step in time"
        time.sleep(0.05)


def test_deploy_script(lightsail_server: LightsailServer, tmp_path: Path) -> None:
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    pytest.importorskip("awscli")
    server = lightsail_server
    control = f"{server.url}/_lightmock"
    assert requests.post(f"{control}/transitions", json={"mode": "hold"}, timeout=10).status_code == 200
    # ``aws`` is the AWS CLI of this interpreter's environment.
    shim = tmp_path / "aws"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m awscli "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    env = clean_environment(
        AWS_DEFAULT_REGION="us-east-1",
        AWS_ENDPOINT_URL=server.url,
        POLL_SECONDS="0.2",
        PATH=f"{tmp_path}{os.pathsep}{os.environ.get('PATH', '')}",
    )
    process = subprocess.Popen(
        ["bash", str(SCRIPT), "web", "nginx:latest"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        client = http_client(server.url)

        def services() -> list[Any]:
            found: list[Any] = client.get_container_services()["containerServices"]
            return found

        _until(lambda: services() and services()[0]["state"] == "PENDING", process)
        requests.post(f"{control}/transitions/finish", json={"resourceName": "web"}, timeout=10)
        _until(lambda: services()[0]["state"] == "DEPLOYING", process)
        assert client.get_container_service_deployments(serviceName="web")["deployments"][0]["state"] == "ACTIVATING"
        seeded = requests.post(
            f"{control}/container-log",
            json={"serviceName": "web", "containerName": "app", "events": ["nginx: ready for start up"]},
            timeout=10,
        )
        assert seeded.json() == {"added": 1}
        requests.post(f"{control}/transitions/finish", json={"resourceName": "web"}, timeout=10)
        out, err = process.communicate(timeout=STEP_SECONDS)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    url = services()[0]["url"]
    assert out.splitlines() == [f"url: {url}", "nginx: ready for start up"]
    assert services()[0]["currentDeployment"]["state"] == "ACTIVE"
