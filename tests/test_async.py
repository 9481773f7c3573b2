"""aiobotocore (and so aioboto3) clients answered in-process, through aiobotocore itself.

aiobotocore pins botocore to a narrower range than boto3 and awscli need, so it is not in
the ``test`` extra: these tests run where ``lightmock[async]`` is installed (``.ci/run``
builds a second environment for them) and are skipped, saying why, elsewhere. The test
that lightmock never imports aiobotocore itself runs everywhere.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest

from lightmock import LightsailMock
from tests.helpers import T0


def _aiobotocore() -> Any:
    return pytest.importorskip(
        "aiobotocore.session",
        reason="aiobotocore is not installed: pip install 'lightmock[async]' (a separate environment: "
        "aiobotocore pins botocore below the version boto3 and awscli need here)",
    )


def run(body: Callable[[Any], Awaitable[Any]], region: str = "us-east-1") -> Any:
    """Run ``body(client)`` with an aiobotocore Lightsail client, in a fresh event loop."""
    session_module = _aiobotocore()

    async def main() -> Any:
        session = session_module.get_session()
        async with session.create_client("lightsail", region_name=region) as client:
            return await body(client)

    return asyncio.run(main())


async def _create(client: Any, name: str = "web-1") -> Any:
    return await client.create_instances(
        instanceNames=[name], availabilityZone="us-east-1a", blueprintId="ubuntu_22_04", bundleId="nano_3_0"
    )


class TestAiobotocoreClient:
    def test_create_and_read_an_instance(self, ls: LightsailMock) -> None:
        """An aiobotocore client creates an instance and reads it back, as boto3 would."""

        async def body(client: Any) -> Any:
            created = await _create(client)
            return created, await client.get_instance(instanceName="web-1")

        created, got = run(body)
        assert created["operations"][0]["resourceName"] == "web-1"
        assert got["instance"]["name"] == "web-1"
        assert got["instance"]["state"]["name"] == "running"

    def test_metric_data_and_alarms(self, ls: LightsailMock) -> None:
        """Seeded data reads back through the async client, and an alarm on it fires."""

        async def create(client: Any) -> None:
            await _create(client)

        run(create)
        ls.clock.freeze(T0)
        stamps = [T0 - timedelta(minutes=5 * k) for k in range(12, 0, -1)]
        ls.put_metric_data("web-1", "CPUUtilization", [90.0] * 12, timestamps=stamps)

        async def read(client: Any) -> Any:
            data = await client.get_instance_metric_data(
                instanceName="web-1",
                metricName="CPUUtilization",
                period=300,
                startTime=T0 - timedelta(hours=1),
                endTime=T0,
                unit="Percent",
                statistics=["Average"],
            )
            await client.put_alarm(
                alarmName="cpu-high",
                metricName="CPUUtilization",
                monitoredResourceName="web-1",
                comparisonOperator="GreaterThanThreshold",
                threshold=80.0,
                evaluationPeriods=1,
            )
            return data

        data = run(read)
        assert sorted(point["average"] for point in data["metricData"]) == [90.0] * 12
        ls.clock.advance(minutes=5)

        async def alarms(client: Any) -> Any:
            return await client.get_alarms(alarmName="cpu-high")

        assert run(alarms)["alarms"][0]["state"] == "ALARM"

    def test_errors_arrive_as_client_errors(self, ls: LightsailMock) -> None:
        """A Lightsail error is raised as botocore's ClientError with the service's code."""
        from botocore.exceptions import ClientError

        async def body(client: Any) -> Any:
            return await client.get_instance(instanceName="nope")

        with pytest.raises(ClientError) as raised:
            run(body)
        assert raised.value.response["Error"]["Code"] == "NotFoundException"

    def test_sync_clients_still_get_plain_responses(self, ls: LightsailMock, client: Any) -> None:
        """A boto3 client beside an aiobotocore one is answered as before."""

        async def body(aio: Any) -> Any:
            return await _create(aio)

        run(body)
        assert client.get_instance(instanceName="web-1")["instance"]["name"] == "web-1"


def test_lightmock_never_imports_aiobotocore() -> None:
    """A process using lightmock with boto3 alone never loads aiobotocore, installed or not."""
    script = textwrap.dedent(
        """
        import sys
        import boto3
        from lightmock import mock_lightsail

        with mock_lightsail():
            client = boto3.client("lightsail", region_name="us-east-1")
            client.get_alarms()
        loaded = sorted(name for name in sys.modules if name.split(".")[0] in ("aiobotocore", "aiohttp"))
        assert not loaded, loaded
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
