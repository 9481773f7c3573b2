"""The workflows of shell scripts, driven through the AWS CLI in-process.

``awscli.clidriver.create_clidriver().main([...])`` runs a command as ``aws ...`` would, in
this process, so the active mock answers it through botocore. The flows: stop and start an
instance and poll its state, a static IP for it, tags, waiting on an operation, a key pair,
a port opened, and a traffic guard's month of NetworkOut. Skipped where awscli (a test
extra) is not installed.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import struct
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from lightmock import LightsailMock

pytest.importorskip("awscli")
from awscli.clidriver import create_clidriver

Aws = Callable[..., Any]


@pytest.fixture
def aws(ls: LightsailMock, monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Aws:
    """Run ``aws lightsail ...`` in-process and return its JSON output (None when it prints nothing)."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": str(tmp_path / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "credentials"),
        "AWS_PAGER": "",
    }.items():
        monkeypatch.setenv(name, value)

    driver = create_clidriver()  # one per test: building it reads the whole service model

    def run(*args: str) -> Any:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = driver.main(["lightsail", *args, "--output", "json"])
        assert status == 0, f"aws lightsail {' '.join(args)} exited {status}: {err.getvalue()}"
        text = out.getvalue().strip()
        return json.loads(text) if text else None

    return run


def _create(aws: Aws, name: str = "web-1") -> str:
    created = aws(
        "create-instances",
        "--instance-names",
        name,
        "--availability-zone",
        "us-east-1a",
        "--blueprint-id",
        "ubuntu_22_04",
        "--bundle-id",
        "nano_3_0",
    )
    return str(created["operations"][0]["id"])


def test_stop_start_and_poll_the_state(aws: Aws) -> None:
    _create(aws)
    (stopped,) = aws("stop-instance", "--instance-name", "web-1", "--force")["operations"]
    assert stopped["operationType"] == "StopInstance"
    assert aws("get-instance-state", "--instance-name", "web-1")["state"] == {"code": 80, "name": "stopped"}
    aws("start-instance", "--instance-name", "web-1")
    assert aws("get-instance-state", "--instance-name", "web-1")["state"]["name"] == "running"
    aws("reboot-instance", "--instance-name", "web-1")
    assert aws("get-instance-state", "--instance-name", "web-1")["state"]["name"] == "running"


def test_wait_on_the_create_operation(aws: Aws) -> None:
    operation_id = _create(aws)
    assert aws("get-operation", "--operation-id", operation_id)["operation"]["status"] == "Succeeded"
    listed = aws("get-operations-for-resource", "--resource-name", "web-1")["operations"]
    assert [op["id"] for op in listed] == [operation_id]


def test_static_ip_for_an_instance(aws: Aws) -> None:
    _create(aws)
    aws("allocate-static-ip", "--static-ip-name", "ip-1")
    aws("attach-static-ip", "--static-ip-name", "ip-1", "--instance-name", "web-1")
    address = aws("get-static-ip", "--static-ip-name", "ip-1")["staticIp"]["ipAddress"]
    instance = aws("get-instance", "--instance-name", "web-1")["instance"]
    assert (instance["publicIpAddress"], instance["isStaticIp"]) == (address, True)
    assert [ip["name"] for ip in aws("get-static-ips")["staticIps"]] == ["ip-1"]


def test_tags_round_trip(aws: Aws) -> None:
    _create(aws)
    aws("tag-resource", "--resource-name", "web-1", "--tags", "key=env,value=prod", "key=team,value=ops")
    aws("untag-resource", "--resource-name", "web-1", "--tag-keys", "team")
    assert aws("get-instance", "--instance-name", "web-1")["instance"]["tags"] == [{"key": "env", "value": "prod"}]


def test_key_pair_and_ports(aws: Aws) -> None:
    blob = b"".join(struct.pack(">I", len(part)) + part for part in (b"ssh-rsa", b"\x01\x00\x01", bytes(range(1, 200))))
    key = "ssh-rsa " + base64.b64encode(blob).decode()
    aws("import-key-pair", "--key-pair-name", "laptop", "--public-key-base64", key)
    assert aws("get-key-pair", "--key-pair-name", "laptop")["keyPair"]["name"] == "laptop"
    _create(aws)
    port = "fromPort=8080,toPort=8080,protocol=tcp"
    aws("open-instance-public-ports", "--instance-name", "web-1", "--port-info", port)
    states = aws("get-instance-port-states", "--instance-name", "web-1")["portStates"]
    assert {(s["fromPort"], s["protocol"], s["state"]) for s in states} >= {(8080, "tcp", "open")}
    aws("delete-key-pair", "--key-pair-name", "laptop")
    assert aws("get-key-pairs")["keyPairs"] == []


def test_traffic_guard_script(ls: LightsailMock, aws: Aws) -> None:
    """Sum this month's NetworkOut by day and stop the instance past the quota."""
    _create(aws)
    now = ls.clock.now()
    month_start = now.replace(day=1, hour=0)
    ls.put_metric_data("web-1", "NetworkOut", np.full(int((now - month_start).total_seconds() // 300), 4e6))
    data = aws(
        "get-instance-metric-data",
        "--instance-name",
        "web-1",
        "--metric-name",
        "NetworkOut",
        "--period",
        "86400",
        "--start-time",
        month_start.isoformat(),
        "--end-time",
        now.isoformat(),
        "--unit",
        "Bytes",
        "--statistics",
        "Sum",
    )["metricData"]
    used_gb = sum(point["sum"] for point in data) / 1e9
    assert used_gb > 30
    aws("stop-instance", "--instance-name", "web-1")
    assert aws("get-instance-state", "--instance-name", "web-1")["state"]["name"] == "stopped"
