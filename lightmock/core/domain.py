"""The vocabulary of the Lightsail alarm and metric API, as typed values.

Every value here is a ``StrEnum`` whose members *are* the wire strings, so a state read
from the handle compares equal to ``"ALARM"`` and goes onto the wire unchanged. The
per-metric facts (which resource type has which metric, its unit, the statistic an alarm
uses, its native resolution) live here once, so that validation, the alarm engine and the
metric-data operations can never disagree about them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class AlarmState(enum.StrEnum):
    OK = "OK"
    ALARM = "ALARM"
    INSUFFICIENT_DATA = "INSUFFICIENT_DATA"


class ComparisonOperator(enum.StrEnum):
    GREATER_THAN_OR_EQUAL = "GreaterThanOrEqualToThreshold"
    GREATER_THAN = "GreaterThanThreshold"
    LESS_THAN = "LessThanThreshold"
    LESS_THAN_OR_EQUAL = "LessThanOrEqualToThreshold"


class TreatMissingData(enum.StrEnum):
    BREACHING = "breaching"
    NOT_BREACHING = "notBreaching"
    IGNORE = "ignore"
    MISSING = "missing"


class MetricStatistic(enum.StrEnum):
    MINIMUM = "Minimum"
    MAXIMUM = "Maximum"
    SUM = "Sum"
    AVERAGE = "Average"
    SAMPLE_COUNT = "SampleCount"


class ContactProtocol(enum.StrEnum):
    EMAIL = "Email"
    SMS = "SMS"


class ResourceType(enum.StrEnum):
    INSTANCE = "Instance"
    LOAD_BALANCER = "LoadBalancer"
    RELATIONAL_DATABASE = "RelationalDatabase"
    ALARM = "Alarm"
    CONTACT_METHOD = "ContactMethod"
    STATIC_IP = "StaticIp"
    KEY_PAIR = "KeyPair"
    DISK = "Disk"
    DISK_SNAPSHOT = "DiskSnapshot"
    INSTANCE_SNAPSHOT = "InstanceSnapshot"
    EXPORT_SNAPSHOT_RECORD = "ExportSnapshotRecord"
    CLOUD_FORMATION_STACK_RECORD = "CloudFormationStackRecord"
    RELATIONAL_DATABASE_SNAPSHOT = "RelationalDatabaseSnapshot"
    DOMAIN = "Domain"
    CERTIFICATE = "Certificate"
    DISTRIBUTION = "Distribution"
    LOAD_BALANCER_TLS_CERTIFICATE = "LoadBalancerTlsCertificate"
    BUCKET = "Bucket"
    CONTAINER_SERVICE = "ContainerService"
    PEERED_VPC = "PeeredVpc"
    SUBDOMAIN = "Subdomain"


#: Every alarm period is five minutes (PutAlarm doc: "Each evaluation period is five
#: minutes long").
ALARM_PERIOD_SECONDS = 300


@dataclass(frozen=True, slots=True, kw_only=True)
class MetricSpec:
    """What Lightsail publishes about one metric of one resource type.

    ``statistic`` is the statistic an alarm on this metric evaluates (gauges Average,
    counters Sum: ``docs/alarm-evaluation.md``); ``resolution`` is the spacing of raw samples in
    seconds (model docs of the ``period`` members); ``alarmable`` is False for metrics that
    the ``MetricName`` enum of PutAlarm does not list.
    """

    name: str
    unit: str
    statistic: MetricStatistic
    resolution: int
    alarmable: bool = True


_AVG = MetricStatistic.AVERAGE
_SUM = MetricStatistic.SUM


def _specs(*specs: MetricSpec) -> dict[str, MetricSpec]:
    return {spec.name: spec for spec in specs}


INSTANCE_METRICS: dict[str, MetricSpec] = _specs(
    MetricSpec(name="BurstCapacityPercentage", unit="Percent", statistic=_AVG, resolution=300),
    MetricSpec(name="BurstCapacityTime", unit="Seconds", statistic=_AVG, resolution=300),
    MetricSpec(name="CPUUtilization", unit="Percent", statistic=_AVG, resolution=300),
    MetricSpec(name="NetworkIn", unit="Bytes", statistic=_SUM, resolution=300),
    MetricSpec(name="NetworkOut", unit="Bytes", statistic=_SUM, resolution=300),
    MetricSpec(name="StatusCheckFailed", unit="Count", statistic=_SUM, resolution=60),
    MetricSpec(name="StatusCheckFailed_Instance", unit="Count", statistic=_SUM, resolution=60),
    MetricSpec(name="StatusCheckFailed_System", unit="Count", statistic=_SUM, resolution=60),
    MetricSpec(name="MetadataNoToken", unit="Count", statistic=_SUM, resolution=300, alarmable=False),
    # System-disk metrics, added to the model in botocore 1.44 ("The most useful statistic
    # is Sum / Average", "The published unit is Count / Bytes / Seconds").
    MetricSpec(name="DiskReadOps", unit="Count", statistic=_SUM, resolution=300),
    MetricSpec(name="DiskWriteOps", unit="Count", statistic=_SUM, resolution=300),
    MetricSpec(name="DiskReadBytes", unit="Bytes", statistic=_SUM, resolution=300),
    MetricSpec(name="DiskWriteBytes", unit="Bytes", statistic=_SUM, resolution=300),
    MetricSpec(name="DiskTotalReadTime", unit="Seconds", statistic=_AVG, resolution=300),
    MetricSpec(name="DiskTotalWriteTime", unit="Seconds", statistic=_AVG, resolution=300),
    MetricSpec(name="DiskQueueLength", unit="Count", statistic=_AVG, resolution=300),
)

LOAD_BALANCER_METRICS: dict[str, MetricSpec] = _specs(
    MetricSpec(name="ClientTLSNegotiationErrorCount", unit="Count", statistic=_SUM, resolution=60),
    MetricSpec(name="HealthyHostCount", unit="Count", statistic=_AVG, resolution=60),
    MetricSpec(name="UnhealthyHostCount", unit="Count", statistic=_AVG, resolution=60),
    MetricSpec(name="HTTPCode_LB_4XX_Count", unit="Count", statistic=_SUM, resolution=60),
    MetricSpec(name="HTTPCode_LB_5XX_Count", unit="Count", statistic=_SUM, resolution=60),
    MetricSpec(name="HTTPCode_Instance_2XX_Count", unit="Count", statistic=_SUM, resolution=60),
    MetricSpec(name="HTTPCode_Instance_3XX_Count", unit="Count", statistic=_SUM, resolution=60),
    MetricSpec(name="HTTPCode_Instance_4XX_Count", unit="Count", statistic=_SUM, resolution=60),
    MetricSpec(name="HTTPCode_Instance_5XX_Count", unit="Count", statistic=_SUM, resolution=60),
    MetricSpec(name="InstanceResponseTime", unit="Seconds", statistic=_AVG, resolution=60),
    MetricSpec(name="RejectedConnectionCount", unit="Count", statistic=_SUM, resolution=60),
    MetricSpec(name="RequestCount", unit="Count", statistic=_SUM, resolution=60),
)

RELATIONAL_DATABASE_METRICS: dict[str, MetricSpec] = _specs(
    MetricSpec(name="CPUUtilization", unit="Percent", statistic=_AVG, resolution=60),
    MetricSpec(name="DatabaseConnections", unit="Count", statistic=_AVG, resolution=60),
    MetricSpec(name="DiskQueueDepth", unit="Count", statistic=_AVG, resolution=60),
    MetricSpec(name="FreeStorageSpace", unit="Bytes", statistic=_AVG, resolution=60),
    MetricSpec(name="NetworkReceiveThroughput", unit="Bytes/Second", statistic=_AVG, resolution=60),
    MetricSpec(name="NetworkTransmitThroughput", unit="Bytes/Second", statistic=_AVG, resolution=60),
    # In the model's MetricName enum since botocore 1.44; units as RDS publishes them.
    MetricSpec(name="FreeableMemory", unit="Bytes", statistic=_AVG, resolution=60),
    MetricSpec(name="SwapUsage", unit="Bytes", statistic=_AVG, resolution=60),
)

#: Bucket storage metrics, "reported once per day" (GetBucketMetricData doc: the most useful
#: statistic of BucketSizeBytes is Maximum, of NumberOfObjects Average). Not alarmable: the
#: PutAlarm reference says "Instances, load balancers, and relational databases are the only
#: Lightsail resources that can currently be monitored by alarms", and its MetricName enum
#: lists neither (docs/service-reference.md §18.6).
BUCKET_METRICS: dict[str, MetricSpec] = _specs(
    MetricSpec(
        name="BucketSizeBytes", unit="Bytes", statistic=MetricStatistic.MAXIMUM, resolution=86400, alarmable=False
    ),
    MetricSpec(name="NumberOfObjects", unit="Count", statistic=_AVG, resolution=86400, alarmable=False),
)

#: Container service metrics: "All container service metric data is available in 5-minute
#: (300 seconds) granularity", unit Percent (GetContainerServiceMetricData doc). Not
#: alarmable, as for buckets.
CONTAINER_SERVICE_METRICS: dict[str, MetricSpec] = _specs(
    MetricSpec(name="CPUUtilization", unit="Percent", statistic=_AVG, resolution=300, alarmable=False),
    MetricSpec(name="MemoryUtilization", unit="Percent", statistic=_AVG, resolution=300, alarmable=False),
)

#: A distribution's metrics (GetDistributionMetricData doc: "The most useful statistic is
#: Sum / Average", "The published unit is None / Percent"), at CloudFront's one-minute
#: resolution. None is alarmable: alarms watch only instances, load balancers and databases
#: (PutAlarm doc), so distributions stay out of ``METRICS_BY_RESOURCE_TYPE``.
DISTRIBUTION_METRICS: dict[str, MetricSpec] = _specs(
    MetricSpec(name="Requests", unit="None", statistic=_SUM, resolution=60, alarmable=False),
    MetricSpec(name="BytesDownloaded", unit="None", statistic=_SUM, resolution=60, alarmable=False),
    MetricSpec(name="BytesUploaded", unit="None", statistic=_SUM, resolution=60, alarmable=False),
    MetricSpec(name="TotalErrorRate", unit="Percent", statistic=_AVG, resolution=60, alarmable=False),
    MetricSpec(name="Http4xxErrorRate", unit="Percent", statistic=_AVG, resolution=60, alarmable=False),
    MetricSpec(name="Http5xxErrorRate", unit="Percent", statistic=_AVG, resolution=60, alarmable=False),
    MetricSpec(name="WafAllowedRequests", unit="None", statistic=_SUM, resolution=60, alarmable=False),
    MetricSpec(name="WafBlockedRequests", unit="None", statistic=_SUM, resolution=60, alarmable=False),
)

#: The metrics of each resource type that alarms and metric data can name. A metric of a
#: newer botocore model that is missing here is refused with a clear message rather than
#: answered with a guessed unit (``metric_spec``).
METRICS_BY_RESOURCE_TYPE: dict[ResourceType, dict[str, MetricSpec]] = {
    ResourceType.INSTANCE: INSTANCE_METRICS,
    ResourceType.LOAD_BALANCER: LOAD_BALANCER_METRICS,
    ResourceType.RELATIONAL_DATABASE: RELATIONAL_DATABASE_METRICS,
    ResourceType.BUCKET: BUCKET_METRICS,
    ResourceType.CONTAINER_SERVICE: CONTAINER_SERVICE_METRICS,
}


#: Every resource type with metric data (Get*MetricData, seeding): the alarmable ones and
#: the distributions, whose names are not in the alarmable namespace.
METRIC_DATA_BY_RESOURCE_TYPE: dict[ResourceType, dict[str, MetricSpec]] = {
    **METRICS_BY_RESOURCE_TYPE,
    ResourceType.DISTRIBUTION: DISTRIBUTION_METRICS,
}


def metric_spec(resource_type: ResourceType, metric_name: str) -> MetricSpec | None:
    """What lightmock knows of a metric of a resource type (None: not that type's metric)."""
    return METRIC_DATA_BY_RESOURCE_TYPE[resource_type].get(metric_name)
