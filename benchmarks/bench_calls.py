"""Per-call cost of the mock through a real boto3 client, against the floor.

The floor is the same client answered by a ``before-send`` handler that returns a
prebuilt response with the same body: everything botocore does (serialise, sign, parse)
and nothing the mock does. The ratio mock/floor is what lightmock adds. Measurements of
mock and floor are interleaved in rounds and the median round is reported, because the
machines here are noisy; only ratios taken in one run are meaningful.

Run: ``python benchmarks/bench_calls.py`` (``--quick`` for fewer rounds).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import boto3
import numpy as np
from botocore.awsrequest import AWSResponse

import lightmock
from lightmock import mock_lightsail

REGION = "us-east-1"
NOW = datetime(2026, 11, 28, 12, 0, 3, tzinfo=UTC)
#: The targets of issue 11: mock / floor per operation.
TARGETS = {
    "PutAlarm": 1.25,
    "GetAlarms": 1.15,
    "GetInstanceMetricData": 1.15,
    # The families (issue 19 on): one operation of each, through the family layer.
    "GetInstance": 1.15,
    "GetInstances": 1.15,
    "GetDisk": 1.15,
    "GetActiveNames": 1.15,
    "GetBuckets": 1.15,
    "GetContainerServices": 1.15,
    "GetRelationalDatabase": 1.15,
    "GetRelationalDatabaseSnapshot": 1.15,
    "GetRelationalDatabaseParameters": 1.15,
    "GetRelationalDatabaseEvents": 1.15,
    "GetRelationalDatabaseLogEvents": 1.15,
    "GetRelationalDatabaseMasterUserPassword": 1.15,
    "IsVpcPeered": 1.15,
    "GetCloudFormationStackRecords": 1.15,
    "CreateGUISessionAccessDetails": 1.15,
    # A call that changes state (an event, a transition, an operation logged), as PutAlarm.
    "RebootRelationalDatabase": 1.25,
    # Issue 20: a read of each of its families.
    "GetDomain": 1.15,
    "GetCertificates": 1.15,
    "GetLoadBalancerTlsCertificates": 1.15,
    "GetDistributions": 1.15,
    "GetSetupHistory": 1.15,
    "GetSubdomains": 1.15,
    "GetProfile": 1.15,
}
#: How each row is labelled where the operation alone does not say what it returns.
LABELS = {
    "GetAlarms": "GetAlarms (10 alarms)",
    "GetInstanceMetricData": "GetInstanceMetricData (288 points)",
    "PutAlarm": "PutAlarm (update, evaluated)",
    "GetInstances": "GetInstances (5 instances)",
    "GetDisk": "GetDisk (attached)",
    "GetActiveNames": "GetActiveNames (the region's names)",
    "GetBuckets": "GetBuckets (5 buckets)",
    "GetContainerServices": "GetContainerServices (5 services)",
    "GetRelationalDatabaseMasterUserPassword": "GetRelationalDatabaseMasterUserPw",
    "GetDomain": "GetDomain (10 entries)",
    "GetLoadBalancerTlsCertificates": "GetLoadBalancerTlsCertificates (2)",
    "GetSubdomains": "GetSubdomains (5, 5 nested)",
}
#: Entering and leaving the mock, as a share of one PutAlarm floor call.
ENTER_EXIT_TARGET = 0.2
#: A client made inside the mock, against one made outside.
CLIENT_TARGET = 1.10


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Any:
        yield self._body


def floor_client(bodies: dict[str, bytes]) -> Any:
    """A client answered by a handler returning a prebuilt body per operation."""
    session = boto3.session.Session(aws_access_key_id="AKIAFLOOR", aws_secret_access_key="floor", region_name=REGION)
    client = session.client("lightsail")

    def answer(request: Any, **_: Any) -> AWSResponse:
        operation = request.headers["X-Amz-Target"].decode().rsplit(".", 1)[1]
        body = bodies[operation]
        headers = {
            "x-amzn-requestid": "00000000-0000-0000-0000-000000000000",
            "content-type": "application/x-amz-json-1.1",
            "content-length": str(len(body)),
        }
        return AWSResponse(request.url, 200, headers, _Raw(body))

    # Every botocore session carries lightmock's (inert) hook; the floor must not run it.
    client.meta.events.unregister("before-send.lightsail", lightmock.gateway.botocore_hook.before_send)
    client.meta.events.register("before-send.lightsail", answer, unique_id="bench-floor")
    return client


def per_call(function: Callable[[], Any], calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        function()
    return (time.perf_counter() - start) / calls


def interleaved(
    mock_call: Callable[[], Any], floor_call: Callable[[], Any], rounds: int, calls: int
) -> tuple[float, float, list[float]]:
    """Median per-call times of mock and floor, and the ratio of each round's pair.

    Each round times the two back to back, the mock first in even rounds and the floor
    first in odd ones, so that the machine's drift and any order effect cancel within a
    pair; the median of the pairs' ratios is the figure reported.
    """
    per_call(mock_call, calls)  # warm-up, untimed: first-call caches, interpreter specialisation
    per_call(floor_call, calls)
    mock_times, floor_times, ratios = [], [], []
    for index in range(rounds):
        if index % 2:
            floor_times.append(per_call(floor_call, calls))
            mock_times.append(per_call(mock_call, calls))
        else:
            mock_times.append(per_call(mock_call, calls))
            floor_times.append(per_call(floor_call, calls))
        ratios.append(mock_times[-1] / floor_times[-1])
    return statistics.median(mock_times), statistics.median(floor_times), ratios


def capture_bodies(client: Any, calls: dict[str, Callable[[], Any]]) -> dict[str, bytes]:
    """The mock's own response body for each operation, to prebuild the floor's."""
    captured: dict[str, bytes] = {}

    def record(http_response: Any, operation_name: str, **_: Any) -> None:
        captured[operation_name] = http_response.content

    def on_retry_check(response: Any, operation: Any, **_: Any) -> None:
        if response is not None:
            record(response[0], operation.name)

    client.meta.events.register("needs-retry.lightsail", on_retry_check, unique_id="bench-capture")
    for call in calls.values():
        call()
    return captured


def issue_20_operations(client: Any, ls: Any) -> dict[str, Callable[[Any], Any]]:
    """A zone of 10 entries, a validated certificate, a load balancer with two TLS
    certificates, a distribution, an instance's HTTPS setup; one read of each family."""
    client.create_domain(domainName="example.com")
    for index in range(5):
        client.create_domain_entry(
            domainName="example.com",
            domainEntry={"name": f"host{index}.example.com", "type": "A", "target": f"192.0.2.{index + 1}"},
        )
    client.create_certificate(
        certificateName="site", domainName="example.com", subjectAlternativeNames=["www.example.com"]
    )
    ls.validate_certificate("site")
    client.create_load_balancer(loadBalancerName="front", instancePort=80)
    for name in ("front-a", "front-b"):
        client.create_load_balancer_tls_certificate(
            loadBalancerName="front", certificateName=name, certificateDomainName="example.com"
        )
    client.create_distribution(
        distributionName="cdn",
        origin={"name": "front", "regionName": REGION},
        defaultCacheBehavior={"behavior": "cache"},
        bundleId="small_1_0",
    )
    client.setup_instance_https(
        instanceName="web-1",
        emailAddress="ops@example.com",
        domainNames=["example.com"],
        certificateProvider="LetsEncrypt",
    )
    return {
        "GetDomain": lambda c: c.get_domain(domainName="example.com"),
        "GetCertificates": lambda c: c.get_certificates(includeCertificateDetails=True),
        "GetLoadBalancerTlsCertificates": lambda c: c.get_load_balancer_tls_certificates(loadBalancerName="front"),
        "GetDistributions": lambda c: c.get_distributions(),
        "GetSetupHistory": lambda c: c.get_setup_history(resourceName="web-1"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="lightmock per-call cost against the floor")
    parser.add_argument("--quick", action="store_true")
    options = parser.parse_args(argv)
    rounds, calls = (5, 100) if options.quick else (15, 200)
    rng = np.random.default_rng(7)

    python = sys.version.split()[0]
    print(f"lightmock {lightmock.__version__}, boto3 {boto3.__version__}, numpy {np.__version__}, python {python}")
    print(f"{rounds} rounds x {calls} calls, mock and floor back to back; ratio: the median round's\n")
    rows: list[tuple[str, float, float, list[float]]] = []
    with mock_lightsail() as ls:
        ls.clock.freeze(NOW)
        client = boto3.client("lightsail", region_name=REGION)
        client.create_instances(
            instanceNames=["web-1", "web-2", "web-3", "web-4", "web-5"],
            availabilityZone="us-east-1a",
            blueprintId="ubuntu_22_04",
            bundleId="nano_3_0",
        )
        # A day of 5-minute CPU samples (random floats) per instance, and one of 1-minute ones.
        for name in ("web-1", "web-2", "web-3", "web-4", "web-5"):
            ls.put_metric_data(name, "CPUUtilization", rng.uniform(0, 100, 288))
        for index in range(9):  # with cpu-high below, the region holds 10 alarms
            client.put_alarm(
                alarmName=f"alarm-{index}",
                metricName="NetworkIn" if index % 2 else "NetworkOut",
                monitoredResourceName=f"web-{index // 2 + 1}",
                comparisonOperator="GreaterThanThreshold",
                threshold=float(index),
                evaluationPeriods=3,
            )
        put_alarm_params: dict[str, Any] = {
            "alarmName": "cpu-high",
            "metricName": "CPUUtilization",
            "monitoredResourceName": "web-1",
            "comparisonOperator": "GreaterThanOrEqualToThreshold",
            "threshold": 60.0,
            "evaluationPeriods": 12,
            "datapointsToAlarm": 3,
            "contactProtocols": ["Email"],
            "notificationTriggers": ["ALARM", "OK"],
        }
        client.put_alarm(**put_alarm_params)  # created; every timed call is an update that re-evaluates
        day = datetime.fromtimestamp(NOW.timestamp() - 86400, tz=UTC)
        metric_params: dict[str, Any] = {
            "instanceName": "web-1",
            "metricName": "CPUUtilization",
            "period": 300,
            "startTime": day,
            "endTime": NOW,
            "unit": "Percent",
            "statistics": ["Average", "Maximum", "Minimum"],
        }
        assert len(client.get_instance_metric_data(**metric_params)["metricData"]) == 288
        assert len(client.get_alarms()["alarms"]) == 10
        client.create_disk(diskName="data-1", availabilityZone="us-east-1a", sizeInGb=32)
        client.attach_disk(diskName="data-1", instanceName="web-1", diskPath="/dev/xvdf")
        assert "web-1" in client.get_active_names()["activeNames"]  # (not the default key pair)
        # The database families: a database with a snapshot, 100 lines of its error log, a
        # stack record from an export of an instance snapshot.
        client.create_relational_database(
            relationalDatabaseName="db-1",
            relationalDatabaseBlueprintId="mysql_8_0",
            relationalDatabaseBundleId="micro_2_0",
            masterDatabaseName="app",
            masterUsername="dbmaster",
        )
        client.create_relational_database_snapshot(
            relationalDatabaseName="db-1", relationalDatabaseSnapshotName="snap-1"
        )
        ls.put_database_log_events("db-1", "error", [(NOW.timestamp() - k, f"[Warning] line {k}") for k in range(100)])
        client.create_instance_snapshot(instanceSnapshotName="web-1-snapshot", instanceName="web-1")
        exported = client.export_snapshot(sourceSnapshotName="web-1-snapshot")["operations"][0]["resourceName"]
        client.create_cloud_formation_stack(
            instances=[
                {
                    "sourceName": exported,
                    "instanceType": "t2.micro",
                    "portInfoSource": "DEFAULT",
                    "availabilityZone": "us-east-1a",
                }
            ]
        )
        database = {"relationalDatabaseName": "db-1"}
        # A Lightsail for Research virtual computer with its GUI session started.
        client.create_instances(
            instanceNames=["vc-1"],
            availabilityZone="us-east-1a",
            blueprintId="lfr_jupyterlab_1_0",
            bundleId="app_standard_xl_1_0",
        )
        client.start_gui_session(resourceName="vc-1")

        for index in range(5):
            client.create_bucket(bucketName=f"bench-bucket-{index}", bundleId="small_1_0")
            client.create_container_service(serviceName=f"bench-service-{index}", power="nano", scale=1)
            client.create_container_service_deployment(
                serviceName=f"bench-service-{index}",
                containers={"app": {"image": "nginx:latest", "ports": {"80": "HTTP"}}},
                publicEndpoint={"containerName": "app", "containerPort": 80},
            )
        operations: dict[str, Callable[[Any], Any]] = {
            "PutAlarm": lambda c: c.put_alarm(**put_alarm_params),
            "GetAlarms": lambda c: c.get_alarms(),
            "GetInstanceMetricData": lambda c: c.get_instance_metric_data(**metric_params),
            "GetInstance": lambda c: c.get_instance(instanceName="web-1"),
            "GetInstances": lambda c: c.get_instances(),
            "GetDisk": lambda c: c.get_disk(diskName="data-1"),
            "GetActiveNames": lambda c: c.get_active_names(),
            "GetBuckets": lambda c: c.get_buckets(),
            "GetContainerServices": lambda c: c.get_container_services(),
            "GetRelationalDatabase": lambda c: c.get_relational_database(**database),
            "GetRelationalDatabaseSnapshot": lambda c: c.get_relational_database_snapshot(
                relationalDatabaseSnapshotName="snap-1"
            ),
            "GetRelationalDatabaseParameters": lambda c: c.get_relational_database_parameters(**database),
            "GetRelationalDatabaseEvents": lambda c: c.get_relational_database_events(**database),
            "GetRelationalDatabaseLogEvents": lambda c: c.get_relational_database_log_events(
                **database, logStreamName="error"
            ),
            "GetRelationalDatabaseMasterUserPassword": lambda c: c.get_relational_database_master_user_password(
                **database
            ),
            "IsVpcPeered": lambda c: c.is_vpc_peered(),
            "GetCloudFormationStackRecords": lambda c: c.get_cloud_formation_stack_records(),
            "CreateGUISessionAccessDetails": lambda c: c.create_gui_session_access_details(resourceName="vc-1"),
            # Last: every reboot adds an event and an operation to the database's record.
            "RebootRelationalDatabase": lambda c: c.reboot_relational_database(**database),
        }
        operations |= issue_20_operations(client, ls)
        if "GetSubdomains" in client.meta.service_model.operation_names:  # not in botocore 1.42.83's model
            for index in range(5):
                client.create_subdomain(subdomainName=f"site-{index}")
                client.create_subdomain(subdomainName=f"blog.site-{index}")
            operations["GetSubdomains"] = lambda c: c.get_subdomains()
            operations["GetProfile"] = lambda c: c.get_profile()
        bodies = capture_bodies(client, {name: (lambda op=op: op(client)) for name, op in operations.items()})
        floor = floor_client(bodies)
        for name, op in operations.items():
            mock_time, floor_time, ratios = interleaved(
                lambda op=op: op(client), lambda op=op: op(floor), rounds, calls
            )
            rows.append((name, mock_time, floor_time, ratios))

    print(f"{'operation':<34}{'mock µs':>10}{'floor µs':>10}{'ratio':>8}   target; rounds' range")
    for name, mock_time, floor_time, ratios in rows:
        target = TARGETS[name]
        label = LABELS.get(name, name)
        print(
            f"{label:<34}{mock_time * 1e6:>10.1f}{floor_time * 1e6:>10.1f}{statistics.median(ratios):>8.3f}"
            f"   <= {target:.2f}; {min(ratios):.3f}..{max(ratios):.3f}"
        )

    # Entering and leaving the mock, without a client.
    enter_times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(calls):
            with mock_lightsail():
                pass
        enter_times.append((time.perf_counter() - start) / calls)
    enter = statistics.median(enter_times)
    put_alarm_floor = next(floor_time for name, _, floor_time, _ in rows if name == "PutAlarm")
    print(
        f"\n{'enter + exit mock_lightsail':<34}{enter * 1e6:>10.1f} µs {enter / put_alarm_floor:>7.3f}"
        f" of one PutAlarm floor call   target <= {ENTER_EXIT_TARGET}"
    )

    # A client created inside the mock against one created outside it (same session kind).
    def make_client() -> Any:
        return boto3.session.Session(aws_access_key_id="AKIA", aws_secret_access_key="x", region_name=REGION).client(
            "lightsail"
        )

    # Pairs taken back to back, in alternating order, so that drift in the machine's
    # speed cancels, each after a full collection, so that one side does not pay for the
    # garbage of the other; the median of the pairs' ratios is reported.
    def timed(inside_mock: bool) -> float:
        gc.collect()
        if not inside_mock:
            return per_call(make_client, 10)
        with mock_lightsail():
            return per_call(make_client, 10)

    inside, outside, ratios = [], [], []
    for index in range(max(9, rounds // 2)):
        if index % 2:
            outside.append(timed(False))
            inside.append(timed(True))
        else:
            inside.append(timed(True))
            outside.append(timed(False))
        ratios.append(inside[-1] / outside[-1])
    print(
        f"{'client created inside / outside':<34}{statistics.median(inside) * 1e3:>8.2f} ms"
        f"{statistics.median(outside) * 1e3:>8.2f} ms {statistics.median(ratios):>7.3f}   target <= {CLIENT_TARGET}"
        f" (pairs {min(ratios):.2f}..{max(ratios):.2f})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
