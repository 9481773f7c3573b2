"""Many threads, one mock: no exception, no lost or duplicated alarm, limits and paging kept.

Sixteen threads, each with its own boto3 session and client (client creation on a shared
session is not thread-safe), run a mixed load of PutAlarm, GetAlarms, DeleteAlarm,
``ls.put_metric_data`` and GetInstanceMetricData for about a second. Each thread knows
which alarms it created and deleted (names are per thread; the metrics they watch are
shared, so the two-alarms-per-metric limit is contended), and the final GetAlarms must show
exactly the survivors. The activation stack is process-wide: threads see the mock their
test started, and a mock started in another thread nests inside it.
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from lightmock import LightsailMock, mock_lightsail
from lightmock.gateway import activations

NOW = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)
THREADS = 16
DURATION = 1.0
MAX_CALLS_PER_THREAD = 150
PAGE_SIZE = 3
INSTANCES = ["web-1", "web-2", "web-3"]
METRICS = ["CPUUtilization", "NetworkIn", "StatusCheckFailed"]
SAMPLES_PER_PUT = 3
WINDOW = {"period": 3600, "startTime": NOW.timestamp() - 86_400, "endTime": NOW.timestamp()}


def new_client() -> Any:
    """A client on its own session, ready to be handed to a thread."""
    config = Config(retries={"total_max_attempts": 1})
    return boto3.session.Session().client("lightsail", region_name="us-east-1", config=config)


def all_alarms(client: Any) -> list[dict[str, Any]]:
    """Every alarm, page by page; each page must itself respect the per-metric limit."""
    alarms: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        page = client.get_alarms(**({"pageToken": token} if token else {}))
        assert len(page["alarms"]) <= PAGE_SIZE
        assert max(per_metric(page["alarms"]).values(), default=0) <= 2
        alarms += page["alarms"]
        token = page.get("nextPageToken")
        if token is None:
            return alarms


def per_metric(alarms: list[dict[str, Any]]) -> Counter[tuple[str, str]]:
    return Counter((alarm["monitoredResourceInfo"]["name"], alarm["metricName"]) for alarm in alarms)


def sample_count(client: Any, instance: str) -> int:
    response = client.get_instance_metric_data(
        instanceName=instance, metricName="CPUUtilization", unit="Percent", statistics=["SampleCount"], **WINDOW
    )
    return int(sum(point["sampleCount"] for point in response["metricData"]))


@dataclass
class Worker:
    """One thread's client and what it did."""

    index: int
    client: Any
    ls: LightsailMock
    deadline: float
    alive: set[str] = field(default_factory=set)
    created: int = 0
    deleted: int = 0
    samples: Counter[str] = field(default_factory=Counter)
    calls: int = 0
    refusals: Counter[tuple[str, str | None]] = field(default_factory=Counter)
    error: BaseException | None = None

    def run(self) -> None:
        try:
            self._run()
        except BaseException as error:  # handed to the main thread, which fails the test with it
            self.error = error

    def _run(self) -> None:
        rng = random.Random(self.index)
        last_count = dict.fromkeys(INSTANCES, 0)
        while time.monotonic() < self.deadline and self.calls < MAX_CALLS_PER_THREAD:
            self.calls += 1
            action = rng.choice(["put", "put", "get", "delete", "data", "query"])
            if action == "put":
                self._put(f"t{self.index}-a{rng.randrange(8)}", rng.choice(INSTANCES), rng.choice(METRICS))
            elif action == "get":
                all_alarms(self.client)
            elif action == "delete" and self.alive:
                name = rng.choice(sorted(self.alive))
                self.client.delete_alarm(alarmName=name)
                self.alive.remove(name)
                self.deleted += 1
            elif action == "data":
                instance = rng.choice(INSTANCES)
                self.samples[instance] += self.ls.put_metric_data(instance, "CPUUtilization", [50.0] * SAMPLES_PER_PUT)
            elif action == "query":
                instance = rng.choice(INSTANCES)
                count = sample_count(self.client, instance)
                assert count >= last_count[instance], "metric data went backwards"
                last_count[instance] = count

    def _put(self, name: str, instance: str, metric: str) -> None:
        try:
            self.client.put_alarm(
                alarmName=name,
                metricName=metric,
                monitoredResourceName=instance,
                comparisonOperator="GreaterThanThreshold",
                threshold=70.0,
                evaluationPeriods=1,
            )
        except ClientError as error:
            self.refusals[error.response["Error"]["Code"], error.response.get("code")] += 1
            return
        if name not in self.alive:
            self.alive.add(name)
            self.created += 1


def run_threads(workers: list[Worker]) -> None:
    threads = [threading.Thread(target=worker.run, name=f"worker-{worker.index}") for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=DURATION + 60)
        assert not thread.is_alive(), f"{thread.name} did not finish"
    for worker in workers:
        if worker.error is not None:
            raise worker.error


class TestMixedLoad:
    def test_sixteen_threads_lose_and_duplicate_nothing(self) -> None:
        """16 threads x mixed calls: the final alarms are exactly those created and not deleted, limits kept."""
        with mock_lightsail(page_size=PAGE_SIZE) as ls:
            ls.clock.freeze(NOW)
            main = new_client()
            for instance in INSTANCES:
                main.create_instances(
                    instanceNames=[instance],
                    availabilityZone="us-east-1a",
                    blueprintId="ubuntu_22_04",
                    bundleId="nano_3_0",
                )
            clients = [new_client() for _ in range(THREADS)]
            deadline = time.monotonic() + DURATION
            workers = [Worker(index, client, ls, deadline) for index, client in enumerate(clients)]
            run_threads(workers)

            final = all_alarms(main)
            names = [alarm["name"] for alarm in final]
            expected = set().union(*(worker.alive for worker in workers))
            counts = {instance: sample_count(main, instance) for instance in INSTANCES}
        total_calls = sum(worker.calls for worker in workers)
        assert len(names) == len(set(names)), "an alarm was listed twice"
        assert set(names) == expected
        assert max(per_metric(final).values(), default=0) <= 2
        assert sum(worker.created for worker in workers) - sum(worker.deleted for worker in workers) == len(names)
        assert counts == {instance: sum(worker.samples[instance] for worker in workers) for instance in INSTANCES}
        assert total_calls >= THREADS * 10, "the load was too light to prove anything"
        refusals = sum((worker.refusals for worker in workers), Counter[tuple[str, str | None]]())
        assert set(refusals) == {("InvalidInputException", "AlarmLimitExceeded")}, "only the limit may refuse a put"

    def test_paging_walks_every_alarm_once(self) -> None:
        """With a page size of 3, walking the pages of 20 alarms yields each exactly once, in creation order."""
        with mock_lightsail(page_size=PAGE_SIZE) as ls:
            ls.clock.freeze(NOW)
            client = new_client()
            names = [f"web-{i:02d}" for i in range(10)]
            client.create_instances(
                instanceNames=names, availabilityZone="us-east-1a", blueprintId="ubuntu_22_04", bundleId="nano_3_0"
            )
            created = []
            for name in names:
                for metric in ("CPUUtilization", "NetworkIn"):
                    alarm = f"{name}-{metric}"
                    client.put_alarm(
                        alarmName=alarm,
                        metricName=metric,
                        monitoredResourceName=name,
                        comparisonOperator="GreaterThanThreshold",
                        threshold=1.0,
                        evaluationPeriods=1,
                    )
                    created.append(alarm)
            assert [alarm["name"] for alarm in all_alarms(client)] == created


class TestThreadsAndActivations:
    def test_threads_started_inside_a_mock_share_its_state(self) -> None:
        """A thread started by code under test talks to the same mock as the test."""
        results: dict[str, Any] = {}
        with mock_lightsail() as ls:
            ls.clock.freeze(NOW)
            main = new_client()
            main.create_instances(
                instanceNames=["web-1"], availabilityZone="us-east-1a", blueprintId="ubuntu_22_04", bundleId="nano_3_0"
            )
            worker_client = new_client()

            def work() -> None:
                results["instances"] = [i["name"] for i in worker_client.get_instances()["instances"]]
                worker_client.put_alarm(
                    alarmName="from-thread",
                    metricName="CPUUtilization",
                    monitoredResourceName="web-1",
                    comparisonOperator="GreaterThanThreshold",
                    threshold=1.0,
                    evaluationPeriods=1,
                )

            thread = threading.Thread(target=work)
            thread.start()
            thread.join(timeout=30)
            alarms = [alarm["name"] for alarm in main.get_alarms()["alarms"]]
        assert results["instances"] == ["web-1"]
        assert alarms == ["from-thread"]

    def test_mock_started_in_another_thread_nests_and_shares_state(self) -> None:
        """A second mock started in a thread while one is active shares the outer state; its stop tears nothing down."""
        seen: dict[str, Any] = {}
        with mock_lightsail() as outer:
            outer.clock.freeze(NOW)
            main = new_client()
            main.create_instances(
                instanceNames=["web-1"], availabilityZone="us-east-1a", blueprintId="ubuntu_22_04", bundleId="nano_3_0"
            )
            worker_client = new_client()
            started = threading.Event()
            release = threading.Event()

            def work() -> None:
                with mock_lightsail() as inner:
                    seen["same_store"] = inner.store is outer.store
                    seen["instances"] = [i["name"] for i in worker_client.get_instances()["instances"]]
                    worker_client.create_instances(
                        instanceNames=["web-2"],
                        availabilityZone="us-east-1a",
                        blueprintId="ubuntu_22_04",
                        bundleId="nano_3_0",
                    )
                    started.set()
                    release.wait(timeout=30)

            thread = threading.Thread(target=work)
            thread.start()
            assert started.wait(timeout=30)
            top = activations.innermost()
            seen["innermost_while_nested"] = top is not None and top.handle is not outer
            release.set()
            thread.join(timeout=30)
            seen["innermost_after"] = activations.innermost() is not None and activations.innermost().handle is outer
            seen["after"] = sorted(i["name"] for i in main.get_instances()["instances"])
        assert seen == {
            "same_store": True,
            "instances": ["web-1"],
            "innermost_while_nested": True,
            "innermost_after": True,
            "after": ["web-1", "web-2"],
        }
        assert activations.innermost() is None

    @pytest.mark.parametrize("starts", [4, 16])
    def test_concurrent_starts_and_stops_leave_nothing_active(self, starts: int) -> None:
        """Mocks started and stopped from many threads at once leave the hook inert and the environment as it was."""
        environment = dict(os.environ)
        barrier = threading.Barrier(starts)
        errors: list[BaseException] = []

        def cycle() -> None:
            try:
                barrier.wait(timeout=30)
                for _ in range(20):
                    with mock_lightsail():
                        pass
            except BaseException as error:  # handed to the main thread
                errors.append(error)

        threads = [threading.Thread(target=cycle) for _ in range(starts)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert errors == []
        assert activations.innermost() is None
        assert dict(os.environ) == environment


def test_calls_from_many_threads_are_all_recorded() -> None:
    """ls.calls loses and duplicates nothing under concurrent calls."""
    threads, per_thread = 8, 25
    with mock_lightsail() as ls:
        clients = [new_client() for _ in range(threads)]

        def work(index: int) -> None:
            for call in range(per_thread):
                if call % 2:
                    with pytest.raises(ClientError):
                        clients[index].get_alarms(alarmName=f"t{index}-{call}")
                else:
                    clients[index].get_alarms()

        workers = [threading.Thread(target=work, args=(index,)) for index in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
        calls = ls.calls
    named = Counter(call.params.get("alarmName") for call in calls)
    assert len(calls) == threads * per_thread
    assert named[None] == threads * ((per_thread + 1) // 2)
    assert all(count == 1 for name, count in named.items() if name is not None)
    assert {call.error for call in calls} == {None, "NotFoundException"}
