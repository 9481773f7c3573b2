"""``lightmock server`` as a user starts it: a subprocess, its first line, its signals."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from typing import Any

import botocore.exceptions
import pytest
import requests

from tests.serving import clean_environment, http_client, server_process


def test_boto3_against_the_command() -> None:
    """A boto3 client with ``endpoint_url`` drives the command's server; SIGTERM stops it with 0."""
    with server_process() as server:
        assert server.first_line.startswith("lightmock serving Lightsail on http://127.0.0.1:")
        client = http_client(server.url)
        client.create_instances(
            instanceNames=["web-1"], availabilityZone="us-east-1a", blueprintId="ubuntu_22_04", bundleId="nano_3_0"
        )
        client.put_alarm(
            alarmName="cpu-high",
            metricName="CPUUtilization",
            monitoredResourceName="web-1",
            comparisonOperator="GreaterThanThreshold",
            threshold=90,
            evaluationPeriods=1,
        )
        assert client.get_alarms()["alarms"][0]["monitoredResourceInfo"]["name"] == "web-1"
        with pytest.raises(botocore.exceptions.ClientError) as raised:
            client.get_instance(instanceName="nope")
        assert raised.value.response["Error"]["Code"] == "NotFoundException"
        status, err = server.stop(signal.SIGTERM)
        assert status == 0
        assert "stopped" in err


def test_sigint_stops_cleanly_and_loopback_is_not_warned_about() -> None:
    with server_process("--host", "localhost") as server:
        assert requests.get(f"{server.url}/_lightmock/health", timeout=10).json()["status"] == "ok"
        status, err = server.stop(signal.SIGINT)
    assert status == 0
    assert "Traceback" not in err
    assert "warning" not in err


def test_account_and_region_options() -> None:
    """``--account-id`` and ``--region`` are where an unsigned request lands."""
    with server_process("--account-id", "111122223333", "--region", "eu-west-2") as server:
        assert "account 111122223333" in server.first_line
        assert "default region eu-west-2" in server.first_line
        unsigned = requests.post(
            server.url,
            data=b'{"protocol": "Email", "contactEndpoint": "ops@example.com"}',
            headers={
                "X-Amz-Target": "Lightsail_20161128.CreateContactMethod",
                "Content-Type": "application/x-amz-json-1.1",
            },
            timeout=10,
        )
        assert unsigned.status_code == 200
        client = http_client(server.url, region="eu-west-2", access_key="111122223333")
        assert [c["contactEndpoint"] for c in client.get_contact_methods()["contactMethods"]] == ["ops@example.com"]
        assert server.stop()[0] == 0


def _run_command(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lightmock", "server", *arguments],
        capture_output=True,
        text=True,
        timeout=60,
        env=clean_environment(),
    )


def test_a_port_taken_fails_at_once() -> None:
    """A port some other program listens on: a clear message and a non-zero exit, nothing served."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _run_command("--port", str(port))
    assert result.returncode != 0
    assert result.stdout == ""
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "in use" in result.stderr


def test_a_bad_account_id_is_refused() -> None:
    result = _run_command("--port", "0", "--account-id", "12")
    assert result.returncode != 0
    assert "12 digits" in result.stderr


def test_warns_when_not_on_loopback() -> None:
    """Any address but loopback is served, with a warning on stderr."""
    with server_process("--host", "0.0.0.0") as server:
        assert "http://0.0.0.0:" in server.first_line
        status, err = server.stop()
    assert status == 0
    assert "warning: listening on 0.0.0.0" in err


def test_help_names_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    from lightmock.cli import main

    with pytest.raises(SystemExit):
        main(["server", "--help"])
    out: Any = capsys.readouterr().out
    assert "--port" in out
    assert "--account-id" in out
