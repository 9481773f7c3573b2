"""PutAlarm, GetAlarms and DeleteAlarm through real boto3 clients.

The rules are the PutAlarm documentation's (docs/service-reference.md §4) and
docs/alarm-evaluation.md: what a new alarm looks like, what an update keeps and replaces, every
input rule (each rejection leaving the state exactly as it was), listing and paging, and
what goes away with an alarm or with the resource it watches.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lightmock import LightsailMock, mock_lightsail
from lightmock.core.domain import METRICS_BY_RESOURCE_TYPE, ResourceType
from lightmock.schema.model import service_model
from tests.helpers import (
    ACCOUNT,
    REGION,
    T0,
    UUID,
    create_database,
    create_instances,
    create_load_balancer,
    shared_client,
)

#: A valid PutAlarm request on the instance ``web-1`` (merge overrides into it).
VALID: dict[str, Any] = {
    "alarmName": "cpu-high",
    "metricName": "CPUUtilization",
    "monitoredResourceName": "web-1",
    "comparisonOperator": "GreaterThanThreshold",
    "threshold": 50.0,
    "evaluationPeriods": 3,
}

#: docs/alarm-evaluation.md, "The statistic, unit and period of an alarm", row by row.
STATISTIC_AND_UNIT: list[tuple[str, str, str, str]] = [
    ("instance", "BurstCapacityPercentage", "Average", "Percent"),
    ("instance", "BurstCapacityTime", "Average", "Seconds"),
    ("instance", "CPUUtilization", "Average", "Percent"),
    ("instance", "NetworkIn", "Sum", "Bytes"),
    ("instance", "NetworkOut", "Sum", "Bytes"),
    ("instance", "StatusCheckFailed", "Sum", "Count"),
    ("instance", "StatusCheckFailed_Instance", "Sum", "Count"),
    ("instance", "StatusCheckFailed_System", "Sum", "Count"),
    ("load_balancer", "ClientTLSNegotiationErrorCount", "Sum", "Count"),
    ("load_balancer", "HealthyHostCount", "Average", "Count"),
    ("load_balancer", "UnhealthyHostCount", "Average", "Count"),
    ("load_balancer", "HTTPCode_LB_4XX_Count", "Sum", "Count"),
    ("load_balancer", "HTTPCode_LB_5XX_Count", "Sum", "Count"),
    ("load_balancer", "HTTPCode_Instance_2XX_Count", "Sum", "Count"),
    ("load_balancer", "HTTPCode_Instance_3XX_Count", "Sum", "Count"),
    ("load_balancer", "HTTPCode_Instance_4XX_Count", "Sum", "Count"),
    ("load_balancer", "HTTPCode_Instance_5XX_Count", "Sum", "Count"),
    ("load_balancer", "InstanceResponseTime", "Average", "Seconds"),
    ("load_balancer", "RejectedConnectionCount", "Sum", "Count"),
    ("load_balancer", "RequestCount", "Sum", "Count"),
    ("database", "CPUUtilization", "Average", "Percent"),
    ("database", "DatabaseConnections", "Average", "Count"),
    ("database", "DiskQueueDepth", "Average", "Count"),
    ("database", "FreeStorageSpace", "Average", "Bytes"),
    ("database", "NetworkReceiveThroughput", "Average", "Bytes/Second"),
    ("database", "NetworkTransmitThroughput", "Average", "Bytes/Second"),
    # In the model from botocore 1.44 on, whose documentation
    # gives each one's "most useful statistic" and "published unit".
    ("instance", "DiskReadOps", "Sum", "Count"),
    ("instance", "DiskWriteOps", "Sum", "Count"),
    ("instance", "DiskReadBytes", "Sum", "Bytes"),
    ("instance", "DiskWriteBytes", "Sum", "Bytes"),
    ("instance", "DiskTotalReadTime", "Average", "Seconds"),
    ("instance", "DiskTotalWriteTime", "Average", "Seconds"),
    ("instance", "DiskQueueLength", "Average", "Count"),
]
#: Only the rows the installed botocore's model knows can be sent (older models lack the
#: newest metrics; the service model is what the mock validates against).
_MODEL_METRIC_NAMES = set(service_model().shape_for("MetricName").enum)
STATISTIC_AND_UNIT = [row for row in STATISTIC_AND_UNIT if row[1] in _MODEL_METRIC_NAMES]

#: The resource of each kind that ``resources`` creates, and the heading the model's
#: PutAlarmRequest.metricName documentation lists its metrics under.
RESOURCE_OF = {"instance": "web-1", "load_balancer": "lb-1", "database": "db-1"}
MODEL_HEADING = {"instance": "Instances", "load_balancer": "Load balancers", "database": "Relational databases"}


# --- set-up -------------------------------------------------------------------------








@pytest.fixture
def resources(client: Any) -> Any:
    """An instance ``web-1``, a second instance ``web-2``, a load balancer and a database."""
    create_instances(client, "web-1", "web-2")
    create_load_balancer(client, "lb-1")
    create_database(client, "db-1")
    return client


def put(client: Any, **overrides: Any) -> dict[str, Any]:
    return client.put_alarm(**{**VALID, **overrides})  # type: ignore[no-any-return]


def alarm(client: Any, name: str = "cpu-high") -> dict[str, Any]:
    (record,) = client.get_alarms(alarmName=name)["alarms"]
    return record  # type: ignore[no-any-return]


def names(alarms: list[dict[str, Any]]) -> list[str]:
    return [a["name"] for a in alarms]


def model_metrics(heading: str) -> set[str]:
    """The metrics the model's PutAlarmRequest.metricName documentation lists under ``heading``."""
    shape = shared_client().meta.service_model.shape_for("PutAlarmRequest")
    documentation = shape.members["metricName"].documentation
    item = re.search(rf"<b>{heading}</b>:(.*?)</li>", documentation, re.DOTALL)
    assert item is not None, f"the model no longer lists metrics for {heading}"
    return set(re.findall(r"<code>(\w+)</code>", item.group(1)))


# --- PutAlarm: a new alarm ------------------------------------------------------------


class TestPutAlarmCreates:
    def test_returns_one_terminal_succeeded_operation(self, resources: Any) -> None:
        """PutAlarm answers one PutAlarm operation on the Alarm, Succeeded and terminal."""
        (operation,) = put(resources)["operations"]
        assert operation["operationType"] == "PutAlarm"
        assert operation["status"] == "Succeeded"
        assert operation["isTerminal"] is True
        assert operation["resourceType"] == "Alarm"
        assert operation["resourceName"] == "cpu-high"
        assert operation["location"]["regionName"] == REGION
        uuid.UUID(operation["id"])

    def test_starts_in_insufficient_data_without_data(self, resources: Any) -> None:
        """With no data at all a new alarm is INSUFFICIENT_DATA."""
        put(resources)
        assert alarm(resources)["state"] == "INSUFFICIENT_DATA"

    def test_record_carries_every_member_of_the_model_shape(self, resources: Any) -> None:
        """The Alarm record has every member the model's Alarm shape declares."""
        put(resources, tags=[{"key": "team", "value": "ops"}])
        members = set(resources.meta.service_model.shape_for("Alarm").members)
        assert set(alarm(resources)) == members

    def test_identity_fields(self, resources: Any) -> None:
        """ARN, location, resource type, creation time and the monitored resource are filled in."""
        put(resources)
        record = alarm(resources)
        assert re.fullmatch(rf"arn:aws:lightsail:{REGION}:{ACCOUNT}:Alarm/{UUID}", record["arn"])
        assert record["name"] == "cpu-high"
        assert record["resourceType"] == "Alarm"
        assert record["location"] == {"availabilityZone": "all", "regionName": REGION}
        assert record["createdAt"] == T0
        assert record["monitoredResourceInfo"]["name"] == "web-1"
        assert record["monitoredResourceInfo"]["resourceType"] == "Instance"
        assert record["monitoredResourceInfo"]["arn"].startswith(f"arn:aws:lightsail:{REGION}:{ACCOUNT}:Instance/")
        assert record["supportCode"]

    def test_created_at_follows_the_mock_clock(self, ls: LightsailMock, resources: Any) -> None:
        """createdAt is the mock clock's time, not the machine's."""
        ls.clock.advance(minutes=7, seconds=30)
        put(resources)
        assert alarm(resources)["createdAt"] == T0 + timedelta(minutes=7, seconds=30)

    def test_two_alarms_have_different_arns(self, resources: Any) -> None:
        """Each alarm gets its own id."""
        put(resources, alarmName="one")
        put(resources, alarmName="two")
        assert alarm(resources, "one")["arn"] != alarm(resources, "two")["arn"]

    def test_defaults(self, resources: Any) -> None:
        """Omitted options: datapointsToAlarm = evaluationPeriods, ALARM trigger, enabled, missing."""
        put(resources, evaluationPeriods=4)
        record = alarm(resources)
        assert record["evaluationPeriods"] == 4
        assert record["datapointsToAlarm"] == 4
        assert record["notificationTriggers"] == ["ALARM"]
        assert record["notificationEnabled"] is True
        assert record["treatMissingData"] == "missing"
        assert record["contactProtocols"] == []
        assert record["tags"] == []

    def test_configuration_is_reported_as_given(self, resources: Any) -> None:
        """Every option given comes back unchanged."""
        put(
            resources,
            comparisonOperator="LessThanOrEqualToThreshold",
            threshold=12.5,
            evaluationPeriods=5,
            datapointsToAlarm=2,
            treatMissingData="breaching",
            contactProtocols=["Email", "SMS"],
            notificationTriggers=["ALARM", "OK", "INSUFFICIENT_DATA"],
            notificationEnabled=False,
            tags=[{"key": "team", "value": "ops"}],
        )
        record = alarm(resources)
        assert record["comparisonOperator"] == "LessThanOrEqualToThreshold"
        assert record["threshold"] == 12.5
        assert record["evaluationPeriods"] == 5
        assert record["datapointsToAlarm"] == 2
        assert record["treatMissingData"] == "breaching"
        assert record["contactProtocols"] == ["Email", "SMS"]
        assert record["notificationTriggers"] == ["ALARM", "OK", "INSUFFICIENT_DATA"]
        assert record["notificationEnabled"] is False
        assert record["tags"] == [{"key": "team", "value": "ops"}]

    def test_contact_protocols_need_not_be_configured(self, resources: Any) -> None:
        """An alarm may name Email and SMS although the region has no contact method."""
        put(resources, contactProtocols=["Email", "SMS"])
        assert resources.get_contact_methods()["contactMethods"] == []
        assert alarm(resources)["contactProtocols"] == ["Email", "SMS"]

    @pytest.mark.parametrize(("kind", "metric", "statistic", "unit"), STATISTIC_AND_UNIT)
    def test_period_statistic_and_unit_per_metric(
        self, resources: Any, kind: str, metric: str, statistic: str, unit: str
    ) -> None:
        """The period is 300 s; the statistic and unit follow the metric (docs/alarm-evaluation.md)."""
        put(resources, metricName=metric, monitoredResourceName=RESOURCE_OF[kind])
        record = alarm(resources)
        assert (record["period"], record["statistic"], record["unit"]) == (300, statistic, unit)
        assert record["metricName"] == metric

    @pytest.mark.parametrize("kind", list(MODEL_HEADING))
    def test_statistic_table_covers_every_alarmable_metric(self, kind: str) -> None:
        """The table above lists exactly the metrics the model documents for each resource type."""
        listed = {metric for row_kind, metric, _, _ in STATISTIC_AND_UNIT if row_kind == kind}
        assert listed == model_metrics(MODEL_HEADING[kind])

    @pytest.mark.parametrize(
        ("kind", "resource_type"),
        [("instance", "Instance"), ("load_balancer", "LoadBalancer"), ("database", "RelationalDatabase")],
    )
    def test_monitored_resource_type_is_found_by_name(self, resources: Any, kind: str, resource_type: str) -> None:
        """The monitored resource is looked up by name among instances, load balancers and databases."""
        metric = {"instance": "NetworkIn", "load_balancer": "RequestCount", "database": "DiskQueueDepth"}[kind]
        put(resources, metricName=metric, monitoredResourceName=RESOURCE_OF[kind])
        assert alarm(resources)["monitoredResourceInfo"]["resourceType"] == resource_type


# --- PutAlarm: an update ------------------------------------------------------------------


class TestPutAlarmUpdates:
    def test_keeps_the_state(self, ls: LightsailMock, resources: Any) -> None:
        """An update starts from the alarm's state: ignore with no data keeps ALARM."""
        ls.put_metric_data("web-1", "CPUUtilization", [90, 90, 90])
        put(resources, treatMissingData="ignore")
        ls.clock.advance(hours=1)  # the data ages out of the range: no datapoint left
        assert alarm(resources)["state"] == "ALARM"
        history = ls.alarm_history("cpu-high")
        put(resources, treatMissingData="ignore", threshold=95.0)
        assert alarm(resources)["state"] == "ALARM"
        assert alarm(resources)["threshold"] == 95.0
        assert ls.alarm_history("cpu-high") == history

    def test_keeps_identity(self, ls: LightsailMock, resources: Any) -> None:
        """ARN, creation time and support code survive an update; tags are not configuration."""
        put(resources, tags=[{"key": "team", "value": "ops"}])
        before = alarm(resources)
        ls.clock.advance(minutes=3)
        put(resources, threshold=70.0)
        after = alarm(resources)
        assert after["threshold"] == 70.0
        for member in ("arn", "createdAt", "supportCode", "tags"):
            assert after[member] == before[member], member

    def test_replaces_the_whole_configuration(self, resources: Any) -> None:
        """Options the update omits go back to their defaults, not to their old values."""
        put(
            resources,
            evaluationPeriods=5,
            datapointsToAlarm=2,
            treatMissingData="breaching",
            contactProtocols=["Email"],
            notificationTriggers=["ALARM", "OK"],
            notificationEnabled=False,
        )
        put(resources, evaluationPeriods=4)
        record = alarm(resources)
        assert record["datapointsToAlarm"] == 4
        assert record["treatMissingData"] == "missing"
        assert record["contactProtocols"] == []
        assert record["notificationTriggers"] == ["ALARM"]
        assert record["notificationEnabled"] is True

    def test_may_change_metric_and_resource(self, resources: Any) -> None:
        """An update may watch another metric of another resource."""
        put(resources)
        put(resources, metricName="RequestCount", monitoredResourceName="lb-1")
        record = alarm(resources)
        assert record["metricName"] == "RequestCount"
        assert record["monitoredResourceInfo"]["name"] == "lb-1"
        assert (record["statistic"], record["unit"]) == ("Sum", "Count")

    def test_is_re_evaluated_at_once(self, ls: LightsailMock, resources: Any) -> None:
        """A new threshold takes effect without the clock moving."""
        ls.put_metric_data("web-1", "CPUUtilization", [30, 30, 30])
        put(resources)
        assert alarm(resources)["state"] == "OK"
        put(resources, threshold=20.0)
        assert alarm(resources)["state"] == "ALARM"

    def test_does_not_count_against_the_limit(self, resources: Any) -> None:
        """With two alarms on a metric, either of them can still be updated."""
        put(resources, alarmName="first")
        put(resources, alarmName="second")
        put(resources, alarmName="second", threshold=99.0)
        assert alarm(resources, "second")["threshold"] == 99.0

    def test_does_not_duplicate(self, resources: Any) -> None:
        """An update changes the alarm in place: GetAlarms still lists one."""
        put(resources)
        put(resources, threshold=10.0)
        assert names(resources.get_alarms()["alarms"]) == ["cpu-high"]


# --- PutAlarm: what is rejected ---------------------------------------------------------

#: (id, overrides, exception, what the message must contain). Each is rejected both as a
#: new alarm and as an update of an existing one.
REJECTED: list[Any] = [
    pytest.param({"monitoredResourceName": "ghost"}, "NotFoundException", "ghost", id="unknown-resource"),
    pytest.param({"metricName": "RequestCount"}, "InvalidInputException", "metricName.*RequestCount", id="lb-metric"),
    pytest.param(
        {"metricName": "MetadataNoToken"}, "InvalidInputException", "metricName.*MetadataNoToken", id="not-alarmable"
    ),
    pytest.param(
        {"metricName": "DatabaseConnections"},
        "InvalidInputException",
        "metricName.*DatabaseConnections",
        id="database-metric",
    ),
    pytest.param({"evaluationPeriods": 0}, "InvalidInputException", "evaluationPeriods.*from 1 to 288", id="periods-0"),
    pytest.param(
        {"evaluationPeriods": 289}, "InvalidInputException", "evaluationPeriods.*from 1 to 288", id="periods-289"
    ),
    pytest.param(
        {"datapointsToAlarm": 0},
        "InvalidInputException",
        r"datapointsToAlarm.*from 1 to evaluationPeriods \(3\)",
        id="datapoints-0",
    ),
    pytest.param(
        {"datapointsToAlarm": 4},
        "InvalidInputException",
        r"datapointsToAlarm.*from 1 to evaluationPeriods \(3\)",
        id="datapoints-above-n",
    ),
    pytest.param(
        {"evaluationPeriods": 2, "datapointsToAlarm": 3},
        "InvalidInputException",
        r"datapointsToAlarm.*from 1 to evaluationPeriods \(2\)",
        id="datapoints-above-given-n",
    ),
    pytest.param(
        {"notificationTriggers": []},
        "InvalidInputException",
        "notificationTriggers.*ALARM state must be specified",
        id="triggers-empty",
    ),
    pytest.param(
        {"notificationTriggers": ["OK"]},
        "InvalidInputException",
        "notificationTriggers.*ALARM state must be specified",
        id="triggers-ok",
    ),
    pytest.param(
        {"notificationTriggers": ["OK", "INSUFFICIENT_DATA"]},
        "InvalidInputException",
        "notificationTriggers.*ALARM state must be specified",
        id="triggers-without-alarm",
    ),
    pytest.param(
        {"monitoredResourceName": "lb-1"},
        "InvalidInputException",
        "metricName: CPUUtilization is not a metric of the LoadBalancer lb-1",
        id="instance-metric-on-load-balancer",
    ),
    pytest.param(
        {"monitoredResourceName": "db-1", "metricName": "NetworkIn"},
        "InvalidInputException",
        "metricName: NetworkIn is not a metric of the RelationalDatabase db-1",
        id="instance-metric-on-database",
    ),
    pytest.param({"metricName": "Foo"}, "InvalidInputException", "metricName.*Foo", id="metric-enum"),
    pytest.param(
        {"comparisonOperator": "Bigger"}, "InvalidInputException", "comparisonOperator.*Bigger", id="operator-enum"
    ),
    pytest.param(
        {"treatMissingData": "sometimes"}, "InvalidInputException", "treatMissingData.*sometimes", id="treatment-enum"
    ),
    pytest.param(
        {"contactProtocols": ["Pigeon"]},
        "InvalidInputException",
        r"contactProtocols\[0\].*Pigeon.*Email.*SMS",
        id="protocol-enum",
    ),
    pytest.param(
        {"notificationTriggers": ["ALARM", "LOUD"]},
        "InvalidInputException",
        r"notificationTriggers\[1\].*LOUD",
        id="trigger-enum",
    ),
    pytest.param({"monitoredResourceName": "a b"}, "InvalidInputException", "monitoredResourceName", id="bad-resource"),
]


class TestPutAlarmRejects:
    @pytest.fixture
    def existing(self, ls: LightsailMock, resources: Any) -> Any:
        """An alarm ``cpu-high`` in ALARM with a history, and a contact method, to compare against."""
        resources.create_contact_method(protocol="SMS", contactEndpoint="+12065550100")
        ls.put_metric_data("web-1", "CPUUtilization", [90, 90, 90])
        put(resources, contactProtocols=["SMS"], notificationTriggers=["ALARM", "OK"])
        assert alarm(resources)["state"] == "ALARM"
        return resources

    def snapshot(self, ls: LightsailMock, client: Any) -> Any:
        return (client.get_alarms()["alarms"], ls.alarm_history("cpu-high"), ls.notifications)

    @pytest.mark.parametrize("name", ["cpu-high", "new-alarm"], ids=["update", "create"])
    @pytest.mark.parametrize(("overrides", "error", "message"), REJECTED)
    def test_rejected_and_nothing_changes(
        self, ls: LightsailMock, existing: Any, name: str, overrides: dict[str, Any], error: str, message: str
    ) -> None:
        """The call fails with the error naming the rule, and the state is exactly as it was."""
        before = self.snapshot(ls, existing)
        with pytest.raises(getattr(existing.exceptions, error), match=message):
            put(existing, alarmName=name, **overrides)
        assert self.snapshot(ls, existing) == before

    def test_another_types_metric_names_the_ones_that_can_be_watched(self, ls: LightsailMock, existing: Any) -> None:
        """A load balancer's metric on an instance is refused, naming the instance metrics an
        alarm can watch (PutAlarm doc), in order, and not its MetadataNoToken (no alarm's)."""
        before = self.snapshot(ls, existing)
        with pytest.raises(existing.exceptions.InvalidInputException) as caught:
            put(existing, alarmName="hosts", metricName="HealthyHostCount")
        message = caught.value.response["Error"]["Message"]
        listed = message.partition("; alarms on a Instance can use: ")[2].split(", ")
        assert message.startswith("metricName: HealthyHostCount is not a metric of the Instance web-1;")
        assert listed[:8] == [
            "BurstCapacityPercentage",
            "BurstCapacityTime",
            "CPUUtilization",
            "NetworkIn",
            "NetworkOut",
            "StatusCheckFailed",
            "StatusCheckFailed_Instance",
            "StatusCheckFailed_System",
        ]
        assert "MetadataNoToken" not in listed
        assert caught.value.response.get("code") == "InvalidMetricName"
        assert self.snapshot(ls, existing) == before

    def test_a_bucket_is_not_watched(self, ls: LightsailMock, existing: Any) -> None:
        """A bucket has metrics but no alarm (PutAlarm doc): InvalidResourceType, nothing changed."""
        existing.create_bucket(bucketName="logs-bucket", bundleId="small_1_0")
        before = self.snapshot(ls, existing)
        with pytest.raises(existing.exceptions.InvalidInputException) as caught:
            put(existing, alarmName="bucket-watch", monitoredResourceName="logs-bucket")
        assert caught.value.response.get("code") == "InvalidResourceType"
        assert "logs-bucket is a Bucket" in caught.value.response["Error"]["Message"]
        assert self.snapshot(ls, existing) == before

    @pytest.mark.parametrize("alarm_name", ["a b", "a", "a.b!", "x" * 256])
    def test_alarm_name_pattern(self, ls: LightsailMock, existing: Any, alarm_name: str) -> None:
        """A name that breaks the model's pattern is an InvalidInputException naming alarmName."""
        before = self.snapshot(ls, existing)
        with pytest.raises(existing.exceptions.InvalidInputException, match="alarmName"):
            put(existing, alarmName=alarm_name)
        assert self.snapshot(ls, existing) == before

    def test_resource_names_read_as_the_service_reads_them(self, existing: Any) -> None:
        """Dots are allowed, as the service allows them; a bad name gets the service's words."""
        put(existing, alarmName="web.example.com-cpu")
        assert alarm(existing, "web.example.com-cpu")["name"] == "web.example.com-cpu"
        with pytest.raises(existing.exceptions.InvalidInputException) as caught:
            put(existing, alarmName="a b")
        assert caught.value.response["Error"]["Message"] == (
            "alarmName: a b is not a valid resource name. Resource names must be at least 2 characters "
            "long and contain only alphanumerics, -, _, and ."
        )

    def test_every_problem_is_reported_at_once(self, existing: Any) -> None:
        """Model validation lists every bad field in one message."""
        with pytest.raises(existing.exceptions.InvalidInputException) as caught:
            put(existing, metricName="Foo", comparisonOperator="Bigger", contactProtocols=["Pigeon"])
        message = caught.value.response["Error"]["Message"]
        for field in ("metricName", "comparisonOperator", "contactProtocols[0]"):
            assert field in message

    def test_third_alarm_on_a_metric(self, ls: LightsailMock, existing: Any) -> None:
        """At most two alarms per metric per resource: the third is refused."""
        put(existing, alarmName="second")
        before = self.snapshot(ls, existing)
        with pytest.raises(existing.exceptions.InvalidInputException, match="2 alarms per metric"):
            put(existing, alarmName="third")
        assert self.snapshot(ls, existing) == before

    def test_other_metric_or_resource_is_not_limited(self, existing: Any) -> None:
        """The limit counts per metric and per resource."""
        put(existing, alarmName="second")
        put(existing, alarmName="other-metric", metricName="NetworkIn")
        put(existing, alarmName="other-resource", monitoredResourceName="web-2")
        put(existing, alarmName="database-cpu", monitoredResourceName="db-1")
        assert len(existing.get_alarms()["alarms"]) == 5

    def test_deleting_frees_a_place(self, existing: Any) -> None:
        """After one of two alarms is deleted, a new one on that metric is accepted."""
        put(existing, alarmName="second")
        existing.delete_alarm(alarmName="second")
        put(existing, alarmName="third")
        assert names(existing.get_alarms()["alarms"]) == ["cpu-high", "third"]

    @pytest.mark.parametrize(("periods", "datapoints"), [(1, 1), (288, 1), (288, 288), (3, 1), (3, 3)])
    def test_limits_of_the_ranges_are_accepted(self, existing: Any, periods: int, datapoints: int) -> None:
        """evaluationPeriods 1..288 and datapointsToAlarm 1..N are accepted."""
        put(existing, alarmName="edge", evaluationPeriods=periods, datapointsToAlarm=datapoints)
        record = alarm(existing, "edge")
        assert (record["evaluationPeriods"], record["datapointsToAlarm"]) == (periods, datapoints)

    def test_the_stored_configuration_is_what_was_asked(self, ls: LightsailMock, existing: Any) -> None:
        """Every field of the configuration an update stores, by name (it is built from its
        fields in order), and the metric it watches."""
        put(
            existing,
            alarmName="full",
            metricName="NetworkOut",
            comparisonOperator="LessThanThreshold",
            threshold=12.5,
            evaluationPeriods=7,
            datapointsToAlarm=4,
            treatMissingData="breaching",
            contactProtocols=["SMS", "Email", "SMS"],
            notificationTriggers=["OK", "ALARM"],
            notificationEnabled=False,
        )
        state = ls.store.region(ls.account_id, "us-east-1")
        config = state.alarms["full"].config
        instance = state.resources[ResourceType.INSTANCE]["web-1"]
        assert config._asdict() == {
            "metric": METRICS_BY_RESOURCE_TYPE[ResourceType.INSTANCE]["NetworkOut"],
            "resource": instance,
            "comparison_operator": "LessThanThreshold",
            "threshold": 12.5,
            "evaluation_periods": 7,
            "datapoints_to_alarm": 4,
            "treat_missing_data": "breaching",
            "contact_protocols": ("SMS", "Email"),
            "notification_triggers": ("OK", "ALARM"),
            "notification_enabled": False,
            "metric_key": (ResourceType.INSTANCE, "web-1", "NetworkOut"),
        }
        assert "full" in state.watchers[config.metric_key]

    def test_duplicates_in_lists_are_collapsed(self, existing: Any) -> None:
        """A protocol or trigger named twice is kept once."""
        put(existing, alarmName="dup", contactProtocols=["SMS", "SMS"], notificationTriggers=["ALARM", "ALARM"])
        record = alarm(existing, "dup")
        assert record["contactProtocols"] == ["SMS"]
        assert record["notificationTriggers"] == ["ALARM"]


# --- GetAlarms ----------------------------------------------------------------------


class TestGetAlarms:
    @pytest.fixture
    def three(self, resources: Any) -> Any:
        """``a1`` and ``a2`` on web-1, ``b1`` on lb-1."""
        put(resources, alarmName="a1")
        put(resources, alarmName="a2", metricName="NetworkIn")
        put(resources, alarmName="b1", metricName="RequestCount", monitoredResourceName="lb-1")
        return resources

    def test_empty_region(self, client: Any) -> None:
        """No alarms: an empty list and no page token."""
        result = client.get_alarms()
        assert result["alarms"] == []
        assert "nextPageToken" not in result

    def test_all_alarms_of_the_region(self, three: Any) -> None:
        """Without filters GetAlarms lists every alarm of the region on one page."""
        result = three.get_alarms()
        assert names(result["alarms"]) == ["a1", "a2", "b1"]
        assert "nextPageToken" not in result

    def test_order_is_creation_time_then_name(self, ls: LightsailMock, resources: Any) -> None:
        """Alarms are listed oldest first; those created at the same instant by name."""
        put(resources, alarmName="zulu")
        ls.clock.advance(seconds=1)
        put(resources, alarmName="mike")
        put(resources, alarmName="bravo", metricName="NetworkIn")
        put(resources, alarmName="zulu", threshold=1.0)  # an update does not move it
        assert names(resources.get_alarms()["alarms"]) == ["zulu", "bravo", "mike"]

    def test_by_name(self, three: Any) -> None:
        """alarmName picks one alarm."""
        assert names(three.get_alarms(alarmName="a2")["alarms"]) == ["a2"]

    def test_unknown_name(self, three: Any) -> None:
        """An unknown alarmName is a NotFoundException."""
        with pytest.raises(three.exceptions.NotFoundException, match="nope"):
            three.get_alarms(alarmName="nope")

    def test_by_monitored_resource(self, three: Any) -> None:
        """monitoredResourceName picks the alarms on that resource."""
        assert names(three.get_alarms(monitoredResourceName="web-1")["alarms"]) == ["a1", "a2"]
        assert names(three.get_alarms(monitoredResourceName="lb-1")["alarms"]) == ["b1"]

    @pytest.mark.parametrize("resource", ["web-2", "ghost"])
    def test_resource_without_alarms(self, three: Any, resource: str) -> None:
        """A resource with no alarms (or none of that name) gives an empty list."""
        assert three.get_alarms(monitoredResourceName=resource)["alarms"] == []

    @pytest.mark.parametrize(
        ("name", "resource", "expected"),
        [("a1", "web-1", ["a1"]), ("a1", "lb-1", []), ("b1", "lb-1", ["b1"]), ("b1", "web-1", [])],
    )
    def test_both_filters_intersect(self, three: Any, name: str, resource: str, expected: list[str]) -> None:
        """alarmName and monitoredResourceName together: the alarms that match both."""
        assert names(three.get_alarms(alarmName=name, monitoredResourceName=resource)["alarms"]) == expected

    def test_regions_are_isolated(self, ls: LightsailMock, resources: Any) -> None:
        """Alarms belong to their region: same names allowed, each region lists its own."""
        west = shared_client("us-west-2")
        create_instances(west, "web-1")
        put(resources, alarmName="shared")
        put(west, alarmName="shared", threshold=10.0)
        put(west, alarmName="west-only", metricName="NetworkIn")
        assert names(resources.get_alarms()["alarms"]) == ["shared"]
        assert names(west.get_alarms()["alarms"]) == ["shared", "west-only"]
        assert alarm(resources, "shared")["threshold"] == 50.0
        assert alarm(west, "shared")["location"]["regionName"] == "us-west-2"
        with pytest.raises(resources.exceptions.NotFoundException):
            resources.get_alarms(alarmName="west-only")
        west.delete_alarm(alarmName="shared")
        assert names(resources.get_alarms()["alarms"]) == ["shared"]

    def test_resource_of_another_region_cannot_be_watched(self, resources: Any) -> None:
        """monitoredResourceName is looked up in the alarm's region only."""
        west = shared_client("us-west-2")
        with pytest.raises(west.exceptions.NotFoundException):
            put(west)


class TestGetAlarmsPages:
    @staticmethod
    def all_pages(client: Any, **filters: Any) -> list[dict[str, Any]]:
        pages = [client.get_alarms(**filters)]
        while "nextPageToken" in pages[-1]:
            assert len(pages) < 50, "paging does not end"
            pages.append(client.get_alarms(pageToken=pages[-1]["nextPageToken"], **filters))
        return pages

    def test_default_page_size_is_100(self, client: Any) -> None:
        """Without page_size, GetAlarms pages by 100: 101 alarms come as 100, then 1."""
        names_ = [f"web-{index}" for index in range(7)]  # 8 alarmable metrics x 2 alarms each
        create_instances(client, *names_)
        metrics = sorted(
            name
            for name, spec in METRICS_BY_RESOURCE_TYPE[ResourceType.INSTANCE].items()
            if spec.alarmable and name in _MODEL_METRIC_NAMES
        )
        assert len(metrics) * 2 * len(names_) >= 101
        for index in range(101):
            resource, slot = divmod(index, 2 * len(metrics))
            put(
                client,
                alarmName=f"alarm-{index:03d}",
                monitoredResourceName=names_[resource],
                metricName=metrics[slot // 2],
            )
        assert [len(page["alarms"]) for page in self.all_pages(client)] == [100, 1]

    @pytest.mark.parametrize(("count", "sizes"), [(1, [1]), (2, [2]), (3, [2, 1]), (4, [2, 2]), (5, [2, 2, 1])])
    def test_pages_of_two(self, count: int, sizes: list[int]) -> None:
        """page_size=2 splits the alarms in pages of two; the last page has no token."""
        with mock_lightsail(page_size=2):
            client = shared_client()
            create_instances(client, *(f"web-{i}" for i in range(count)))
            for i in range(count):
                put(client, alarmName=f"alarm-{i}", monitoredResourceName=f"web-{i}")
            pages = self.all_pages(client)
        assert [len(page["alarms"]) for page in pages] == sizes
        assert [a["name"] for page in pages for a in page["alarms"]] == [f"alarm-{i}" for i in range(count)]
        assert "nextPageToken" not in pages[-1]
        assert all(page["nextPageToken"] for page in pages[:-1])

    def test_pages_with_a_filter(self) -> None:
        """A filter pages over the matching alarms only."""
        with mock_lightsail(page_size=2):
            client = shared_client()
            create_instances(client, "web-1", "web-2")
            for i, metric in enumerate(["CPUUtilization", "NetworkIn", "NetworkOut"]):
                put(client, alarmName=f"on-1-{i}", metricName=metric)
                put(client, alarmName=f"on-2-{i}", metricName=metric, monitoredResourceName="web-2")
            pages = self.all_pages(client, monitoredResourceName="web-2")
        assert [a["name"] for page in pages for a in page["alarms"]] == ["on-2-0", "on-2-1", "on-2-2"]

    @pytest.mark.parametrize("token", ["bogus", "bGlnaHRtb2NrOmFsYXJtczp4", "lightmock:alarms:1", "==", "e30="])
    def test_bogus_token(self, client: Any, token: str) -> None:
        """A token the mock did not hand out is an InvalidInputException."""
        with pytest.raises(client.exceptions.InvalidInputException, match="page token"):
            client.get_alarms(pageToken=token)

    def test_empty_token_is_the_first_page(self) -> None:
        """An empty pageToken asks for the first page, as no token does."""
        with mock_lightsail(page_size=2):
            client = shared_client()
            create_instances(client, "web-1", "web-2")
            for i in range(3):
                put(client, alarmName=f"alarm-{i}", monitoredResourceName=f"web-{1 + i // 2}")
            first, empty = client.get_alarms(), client.get_alarms(pageToken="")
        assert names(empty["alarms"]) == names(first["alarms"]) == ["alarm-0", "alarm-1"]
        assert empty["nextPageToken"] == first["nextPageToken"]

    def test_token_of_another_operation(self) -> None:
        """A GetInstances page token is not a GetAlarms page token."""
        with mock_lightsail(page_size=2):
            client = shared_client()
            create_instances(client, "web-1", "web-2", "web-3")
            token = client.get_instances()["nextPageToken"]
            with pytest.raises(client.exceptions.InvalidInputException, match="page token"):
                client.get_alarms(pageToken=token)

    @settings(max_examples=30, deadline=None)
    @given(
        frozen=st.booleans(),
        initial=st.integers(0, 6),
        gaps=st.lists(
            st.lists(st.tuples(st.sampled_from(["add", "delete", "update"]), st.integers(0, 50)), max_size=3),
            max_size=5,
        ),
    )
    def test_changes_between_pages(self, frozen: bool, initial: int, gaps: list[list[tuple[str, int]]]) -> None:
        """Alarms added, updated or deleted between pages: none is seen twice, none that stays is missed."""
        with mock_lightsail(page_size=2) as ls:
            if frozen:  # every alarm created at the same instant: ordered by name alone
                ls.clock.freeze(T0)
            client = shared_client()
            create_instances(client, *(f"web-{i}" for i in range(12)))
            created = 0
            alive: list[str] = []
            arns: dict[str, str] = {}

            def add() -> None:
                nonlocal created
                name = f"alarm-{created}"
                put(client, alarmName=name, monitoredResourceName=f"web-{created // 2}")
                alive.append(name)
                arns[name] = alarm(client, name)["arn"]
                created += 1

            for _ in range(initial):
                add()
            throughout = set(alive)
            seen: list[str] = []
            page = client.get_alarms()
            seen += [a["arn"] for a in page["alarms"]]
            pages = 1
            while "nextPageToken" in page:
                for action, k in gaps[pages - 1] if pages <= len(gaps) else []:
                    if action == "add":
                        add()
                    elif alive:
                        name = alive[k % len(alive)]
                        if action == "delete":
                            client.delete_alarm(alarmName=name)
                            alive.remove(name)
                            throughout.discard(name)
                        else:
                            put(client, alarmName=name, monitoredResourceName=f"web-{int(name[6:]) // 2}", threshold=k)
                page = client.get_alarms(pageToken=page["nextPageToken"])
                seen += [a["arn"] for a in page["alarms"]]
                pages += 1
                assert pages < 50, "paging does not end"
        assert len(seen) == len(set(seen)), "an alarm was listed twice"
        assert {arns[name] for name in throughout} <= set(seen), "an alarm that stayed was missed"


# --- DeleteAlarm ----------------------------------------------------------------------


class TestDeleteAlarm:
    def test_returns_one_operation(self, resources: Any) -> None:
        """DeleteAlarm answers one terminal DeleteAlarm operation on the alarm."""
        put(resources)
        (operation,) = resources.delete_alarm(alarmName="cpu-high")["operations"]
        assert operation["operationType"] == "DeleteAlarm"
        assert operation["status"] == "Succeeded"
        assert operation["isTerminal"] is True
        assert (operation["resourceType"], operation["resourceName"]) == ("Alarm", "cpu-high")

    def test_gone_afterwards(self, ls: LightsailMock, resources: Any) -> None:
        """After deletion GetAlarms by name is NotFound and the listing no longer has it."""
        put(resources)
        put(resources, alarmName="other", metricName="NetworkIn")
        resources.delete_alarm(alarmName="cpu-high")
        with pytest.raises(resources.exceptions.NotFoundException):
            resources.get_alarms(alarmName="cpu-high")
        assert names(resources.get_alarms()["alarms"]) == ["other"]

    def test_unknown(self, client: Any) -> None:
        """Deleting an alarm that does not exist is a NotFoundException."""
        with pytest.raises(client.exceptions.NotFoundException, match="nope"):
            client.delete_alarm(alarmName="nope")

    def test_twice(self, resources: Any) -> None:
        """The second deletion of the same alarm is a NotFoundException."""
        put(resources)
        resources.delete_alarm(alarmName="cpu-high")
        with pytest.raises(resources.exceptions.NotFoundException):
            resources.delete_alarm(alarmName="cpu-high")

    def test_recreated_alarm_is_new(self, ls: LightsailMock, resources: Any) -> None:
        """A new alarm of a deleted alarm's name starts afresh: new ARN, INSUFFICIENT_DATA."""
        ls.put_metric_data("web-1", "CPUUtilization", [90, 90, 90])
        put(resources)
        old = alarm(resources)
        resources.delete_alarm(alarmName="cpu-high")
        ls.clock.advance(hours=1)
        put(resources)
        new = alarm(resources)
        assert new["arn"] != old["arn"]
        assert new["state"] == "INSUFFICIENT_DATA"
        assert ls.alarm_history("cpu-high") == []

    @pytest.mark.parametrize(
        ("resource", "metric", "delete"),
        [
            ("web-1", "CPUUtilization", lambda c: c.delete_instance(instanceName="web-1")),
            ("lb-1", "RequestCount", lambda c: c.delete_load_balancer(loadBalancerName="lb-1")),
            (
                "db-1",
                "DatabaseConnections",
                lambda c: c.delete_relational_database(relationalDatabaseName="db-1", skipFinalSnapshot=True),
            ),
        ],
        ids=["instance", "load-balancer", "database"],
    )
    def test_deleting_the_resource_deletes_its_alarms(
        self, resources: Any, resource: str, metric: str, delete: Any
    ) -> None:
        """The alarms of a deleted resource go with it; other alarms stay."""
        put(resources, alarmName="doomed-1", metricName=metric, monitoredResourceName=resource)
        put(resources, alarmName="doomed-2", metricName=metric, monitoredResourceName=resource)
        put(resources, alarmName="survivor", monitoredResourceName="web-2")
        delete(resources)
        assert names(resources.get_alarms()["alarms"]) == ["survivor"]
        with pytest.raises(resources.exceptions.NotFoundException):
            resources.get_alarms(alarmName="doomed-1")

    def test_new_resource_of_the_same_name_has_no_alarms(self, resources: Any) -> None:
        """A resource created again under the old name does not inherit the old alarms."""
        put(resources)
        resources.delete_instance(instanceName="web-1")
        create_instances(resources, "web-1")
        assert resources.get_alarms(monitoredResourceName="web-1")["alarms"] == []
        put(resources, alarmName="new-1")
        put(resources, alarmName="new-2")
        assert len(resources.get_alarms(monitoredResourceName="web-1")["alarms"]) == 2
