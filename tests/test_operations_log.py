"""GetOperation, GetOperations and GetOperationsForResource through a real boto3 client:
every Operation record a call returned, logged per region and finished (``Succeeded``), as
Terraform's provider waits for after each create and delete."""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from lightmock import mock_lightsail
from tests.helpers import shared_client

Client = Any


def _create(client: Client, name: str = "web-1") -> list[dict[str, Any]]:
    return client.create_instances(  # type: ignore[no-any-return]
        instanceNames=[name], availabilityZone="us-east-1a", blueprintId="ubuntu_22_04", bundleId="nano_3_0"
    )["operations"]


def _wait(client: Client, operation_id: str) -> dict[str, Any]:
    """What Terraform's ``waitOperation`` does: poll until Succeeded or Completed."""
    for _ in range(10):
        operation = client.get_operation(operationId=operation_id)["operation"]
        if operation["status"] in ("Succeeded", "Completed"):
            return operation  # type: ignore[no-any-return]
        assert operation["status"] != "Failed"
    raise AssertionError("the operation never finished")


class TestGetOperation:
    def test_a_started_create_is_logged_finished(self, client: Client) -> None:
        (created,) = _create(client)
        assert created["status"] == "Started"
        logged = _wait(client, created["id"])
        assert logged["isTerminal"] is True
        assert {k: v for k, v in logged.items() if k not in ("status", "isTerminal")} == {
            k: v for k, v in created.items() if k not in ("status", "isTerminal")
        }

    def test_every_mutating_call_is_logged(self, client: Client) -> None:
        returned = [*_create(client)]
        returned += client.put_alarm(
            alarmName="cpu",
            monitoredResourceName="web-1",
            metricName="CPUUtilization",
            comparisonOperator="GreaterThanThreshold",
            threshold=50.0,
            evaluationPeriods=1,
        )["operations"]
        returned += client.delete_instance(instanceName="web-1")["operations"]
        for operation in returned:
            assert _wait(client, operation["id"])["resourceName"] == operation["resourceName"]

    def test_unknown_id(self, client: Client) -> None:
        with pytest.raises(client.exceptions.NotFoundException):
            client.get_operation(operationId="8b4f2c55-0000-4000-8000-000000000000")

    def test_per_region(self, client: Client) -> None:
        (created,) = _create(client)
        other = boto3.client("lightsail", region_name="eu-west-1")
        with pytest.raises(ClientError):
            other.get_operation(operationId=created["id"])


class TestListings:
    def test_newest_first_and_per_resource(self, client: Client) -> None:
        _create(client, "web-1")
        _create(client, "web-2")
        client.stop_instance(instanceName="web-1")
        names = [op["resourceName"] for op in client.get_operations()["operations"]]
        assert names == ["web-1", "web-2", "web-1"]
        types = [op["operationType"] for op in client.get_operations_for_resource(resourceName="web-1")["operations"]]
        assert types == ["StopInstance", "CreateInstance"]
        assert client.get_operations_for_resource(resourceName="nothing")["operations"] == []

    def test_pages_neither_repeat_nor_skip(self) -> None:
        with mock_lightsail(page_size=2):
            client = shared_client()
            for index in range(5):
                _create(client, f"web-{index}")
            seen: list[str] = []
            page = client.get_operations()
            seen += [op["id"] for op in page["operations"]]
            _create(client, "late")  # logged between pages: newer, so not on a later page
            while "nextPageToken" in page:
                page = client.get_operations(pageToken=page["nextPageToken"])
                seen += [op["id"] for op in page["operations"]]
            assert len(seen) == len(set(seen)) == 5

    def test_pages_of_one_resource(self) -> None:
        """GetOperationsForResource pages over that resource's records only, newest first,
        among the records of others."""
        with mock_lightsail(page_size=2):
            client = shared_client()
            _create(client, "web-1")
            _create(client, "web-2")
            for _ in range(3):
                client.stop_instance(instanceName="web-1")
                client.stop_instance(instanceName="web-2")
                client.start_instance(instanceName="web-1")
                client.start_instance(instanceName="web-2")
            types, token = [], None
            while True:
                page = client.get_operations_for_resource(
                    resourceName="web-1", **({"pageToken": token} if token else {})
                )
                assert len(page["operations"]) <= 2
                types += [op["operationType"] for op in page["operations"]]
                token = page.get("nextPageToken")
                if not token:
                    break
            assert types == ["StartInstance", "StopInstance"] * 3 + ["CreateInstance"]

    def test_a_foreign_token_is_refused(self, client: Client) -> None:
        with pytest.raises(client.exceptions.InvalidInputException):
            client.get_operations(pageToken="bm90LWEtdG9rZW4")


class TestPageCost:
    """A page costs the same however long the log is (issue 18: 3.5 ms a page with 1,000
    operations logged, 9.5 ms with 40,000, as every call copied the whole log). Counted
    here as what a call allocates at its peak, which a copy of the log makes grow with it;
    the times are in ``benchmarks/bench_operations.py``."""

    @staticmethod
    def peak(call: Callable[[], Any]) -> int:
        """The most memory ``call`` held at once beyond what was there before (tracemalloc)."""
        call()  # warm: botocore's first-call caches are not the log's cost
        gc.collect()
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            call()
            return tracemalloc.get_traced_memory()[1] - before
        finally:
            tracemalloc.stop()

    def test_a_page_does_not_copy_the_log(self) -> None:
        with mock_lightsail(page_size=5):
            client = shared_client()
            client.create_instances(
                instanceNames=[f"first-{i}" for i in range(20)],
                availabilityZone="us-east-1a",
                blueprintId="ubuntu_22_04",
                bundleId="nano_3_0",
            )
            page = client.get_operations()
            token = page["nextPageToken"]
            short = [self.peak(client.get_operations), self.peak(lambda: client.get_operations(pageToken=token))]
            for batch in range(8):
                client.create_instances(
                    instanceNames=[f"later-{batch}-{i}" for i in range(50)],
                    availabilityZone="us-east-1a",
                    blueprintId="ubuntu_22_04",
                    bundleId="nano_3_0",
                )
            long = [self.peak(client.get_operations), self.peak(lambda: client.get_operations(pageToken=token))]
            # 400 more records: a copy of the log and its keys alone would be some 40 KB more.
            assert max(b - a for a, b in zip(short, long, strict=True)) < 8 * 1024
            # And the pages are still right: the newest first, and the old token still
            # continues after the record it was issued for.
            assert [op["resourceName"] for op in client.get_operations()["operations"]] == [
                f"later-7-{i}" for i in range(49, 44, -1)
            ]
            assert [op["resourceName"] for op in client.get_operations(pageToken=token)["operations"]] == [
                f"first-{i}" for i in range(14, 9, -1)
            ]
