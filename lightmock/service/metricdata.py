"""Metric data: seeding through the handle, and the three Get*MetricData operations.

The alarm engine and these operations read the same store through the same aggregation
(``aggregate.py``), so an alarm's datapoints and a 300-second Get*MetricData query with
the alarm's statistic can never disagree.

Rules (docs/service-reference.md §5): ``period`` a multiple of 60 from 60 up, with no upper
bound: the service does not enforce the model's 86,400 (the AWS CLI's own example queried a
2,628,000-second period; ``lightmock.schema.differences``); ``startTime`` before
``endTime``; at most 1,440 datapoints, counted from ``startTime`` floored to the minute;
``statistics`` not empty (duplicates ignored); a ``unit`` other than the metric's published
unit returns no datapoints, as CloudWatch does (aws-cli issue 3442). Datapoints come back
in no particular order, as the service documents; the mock's order is fixed and never
chronological unless ``sorted_metric_data=True``. No retention limit is applied: seeded data stays readable.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray

from lightmock.core.clock import to_epoch
from lightmock.core.domain import METRIC_DATA_BY_RESOURCE_TYPE, MetricStatistic, ResourceType, metric_spec
from lightmock.core.exceptions import InvalidInputException, LightmockUsageError
from lightmock.core.quoting import quoted
from lightmock.core.records import Resource
from lightmock.core.wire import Wire
from lightmock.engine import timeline
from lightmock.engine.aggregate import aggregate, bucket_count, floor_to_minute
from lightmock.engine.store import RegionState, Store
from lightmock.service import family, lifecycle
from lightmock.service.context import RequestContext
from lightmock.service.kinds import Family

MAX_DATAPOINTS = 1440
_DISTRIBUTION = ResourceType.DISTRIBUTION
#: CloudWatch accepts metric values "within the range of -2^360 to 2^360" (PutMetricData);
#: it also keeps every aggregate of a million samples finite.
MAX_ABS_VALUE = 2.0**360

_WIRE_STATISTIC = {
    MetricStatistic.AVERAGE: "average",
    MetricStatistic.MAXIMUM: "maximum",
    MetricStatistic.MINIMUM: "minimum",
    MetricStatistic.SAMPLE_COUNT: "sampleCount",
    MetricStatistic.SUM: "sum",
}


def _timestamps(timestamps: Any, count: int) -> NDArray[np.float64]:
    if not isinstance(timestamps, np.ndarray) or timestamps.dtype == object:
        # A list, or an object array (of aware datetimes, say): element by element.
        items = list(timestamps)
        if any(isinstance(item, datetime) for item in items):
            timestamps = np.array([to_epoch(item) for item in items], dtype=np.float64)
        else:
            timestamps = np.asarray(items)
    if np.issubdtype(timestamps.dtype, np.datetime64):
        # datetime64 carries its own unit: a list of datetime64[us] scalars is not epoch seconds.
        if np.isnat(timestamps).any():
            raise LightmockUsageError("timestamps must not be NaT")
        timestamps = timestamps.astype("datetime64[ns]").astype(np.int64) / 1e9
    if timestamps.dtype.kind not in "biuf":
        raise LightmockUsageError("timestamps must be aware datetimes or epoch seconds")
    result: NDArray[np.float64] = timestamps.astype(np.float64, copy=False)
    if result.shape != (count,):
        raise LightmockUsageError(f"timestamps has shape {result.shape}; values has {count} elements")
    if not np.isfinite(result).all():
        raise LightmockUsageError("timestamps must be finite")
    return result


def seed(
    store: Store,
    account_id: str,
    region: str,
    resource_name: str,
    metric_name: str,
    values: NDArray[Any],
    timestamps: Sequence[datetime] | Sequence[float] | Any | None,
) -> int:
    """Validate and append samples in one vectorised step; returns the samples stored."""
    if values.ndim != 1:
        raise LightmockUsageError(f"values must be one-dimensional, got shape {values.shape}")
    if values.dtype.kind not in "biuf":
        # Numbers only: no strings that happen to parse, no complex numbers losing a part.
        if values.dtype != object or not all(isinstance(v, numbers.Real) for v in values.tolist()):
            raise LightmockUsageError(f"values must be numbers (NaN for no sample), not {values.dtype}")
        values = values.astype(np.float64)
    samples = values.astype(np.float64, copy=False)
    real = samples[~np.isnan(samples)]
    if real.size and not (np.abs(real) <= MAX_ABS_VALUE).all():
        raise LightmockUsageError(
            "values must be finite numbers within ±2^360, as CloudWatch accepts them (NaN for no sample)"
        )
    # Evaluations that are due happened before this data arrived.
    with timeline.settled(store) as now:
        state = store.region(account_id, region)
        resource = _metered(state, resource_name, metric_name)
        if resource is None:
            raise LightmockUsageError(
                f"there is no instance, load balancer, database, bucket, container service or distribution "
                f"{resource_name!r} in {region}"
            )
        metrics = METRIC_DATA_BY_RESOURCE_TYPE[resource.resource_type]
        spec = metrics.get(metric_name)
        if spec is None:
            raise LightmockUsageError(
                f"a {resource.resource_type} has no metric {metric_name!r}; it has: {', '.join(metrics)}"
            )
        if timestamps is None:
            steps = np.arange(len(samples), 0, -1, dtype=np.float64)
            times = now - steps * spec.resolution
        else:
            times = _timestamps(timestamps, len(samples))
        if resource.stopped:
            # A stopped instance produces no data of its own (service/lifecycle.py).
            keep = lifecycle.running_samples(resource, times)
            times, samples = times[keep], samples[keep]
        state.metrics.append((resource.resource_type, resource.name, metric_name), times, samples)
        return int(np.count_nonzero(~np.isnan(samples)))


def _metered(state: RegionState, name: str, metric_name: str) -> Resource | None:
    """The resource of that name whose metrics include ``metric_name``: an alarmable one (their
    names are unique across kinds), or a distribution, whose names are not in that namespace
    and whose metrics no alarmable kind has (so the metric says which is meant)."""
    alarmable = state.find_resource(name)
    distribution = state.resources[ResourceType.DISTRIBUTION].get(name)
    if distribution is not None and (alarmable is None or metric_name in METRIC_DATA_BY_RESOURCE_TYPE[_DISTRIBUTION]):
        return distribution
    return alarmable


def _order(count: int, sort: bool) -> NDArray[np.intp]:
    """A fixed order that is never chronological for two or more datapoints."""
    positions = np.arange(count)
    if sort or count < 2:
        return positions
    return np.concatenate([positions[1::2], positions[0::2]])


def metric_data(context: RequestContext, params: dict[str, Any], resource_type: ResourceType, name_member: str) -> Wire:
    period = params["period"]
    if period % 60:
        raise InvalidInputException(f"period: {period} is not a multiple of 60 seconds", code="InvalidPeriod")
    start = float(params["startTime"])
    end = float(params["endTime"])
    if start >= end:
        raise InvalidInputException("startTime must be before endTime", code="InvalidTimeRange")
    buckets = bucket_count(start, end, period)
    if buckets > MAX_DATAPOINTS:
        raise InvalidInputException(
            f"The request asks for {buckets} datapoints; at most {MAX_DATAPOINTS} datapoints can be returned "
            "by one call. Use a longer period or a shorter time range",
            code="TooManyDatapoints",
        )
    statistics = [MetricStatistic(s) for s in dict.fromkeys(params["statistics"])]
    if not statistics:
        raise InvalidInputException("statistics: at least one statistic is required", code="MissingStatistics")
    name = family.find(context, resource_type, params[name_member]).name
    metric_name = params["metricName"]
    spec = metric_spec(resource_type, metric_name)
    if spec is None:  # in the installed model's enum, but newer than lightmock's catalogue
        raise InvalidInputException(
            f"metricName: lightmock does not know the {resource_type} metric {quoted(metric_name, bare=True)} yet",
            code="UnknownMetric",
        )
    result: Wire = {"metricName": metric_name, "metricData": []}
    if params.get("unit", spec.unit) != spec.unit:  # GetContainerServiceMetricData takes no unit
        return result
    series = context.state.metrics.get((resource_type, name, metric_name))
    if series is None:
        return result
    first = floor_to_minute(start)
    # Nothing later than now is visible, nor anything at or after endTime.
    times, values = series.window(first, min(end, np.nextafter(context.now, np.inf)))
    stats = aggregate(times, values, start=first, period=period, buckets=buckets)
    if len(stats) == 0:
        return result
    order = _order(len(stats), context.store.options.sorted_metric_data)
    stamps = (first + stats.index[order] * period).tolist()
    keys = [_WIRE_STATISTIC[statistic] for statistic in statistics]
    columns = [stats.statistic(statistic)[order].tolist() for statistic in statistics]
    result["metricData"] = _datapoints(stamps, keys, columns, spec.unit)
    return result


def _datapoints(stamps: list[float], keys: list[str], columns: list[list[float]], unit: str) -> list[Wire]:
    """The datapoint records. One literal dict display per number of statistics: building
    288 records this way costs a third of ``dict(zip(...))`` on a metric read's hot path."""
    if len(keys) == 1:
        (k0,), (c0,) = keys, columns
        return [{"timestamp": t, k0: a, "unit": unit} for t, a in zip(stamps, c0, strict=True)]
    if len(keys) == 2:
        (k0, k1), (c0, c1) = keys, columns
        return [{"timestamp": t, k0: a, k1: b, "unit": unit} for t, a, b in zip(stamps, c0, c1, strict=True)]
    if len(keys) == 3:
        (k0, k1, k2), (c0, c1, c2) = keys, columns
        return [
            {"timestamp": t, k0: a, k1: b, k2: c, "unit": unit} for t, a, b, c in zip(stamps, c0, c1, c2, strict=True)
        ]
    rows = zip(stamps, *columns, strict=True)
    return [{"timestamp": row[0], **dict(zip(keys, row[1:], strict=True)), "unit": unit} for row in rows]


def get_instance_metric_data(context: RequestContext, params: dict[str, Any]) -> Wire:
    return metric_data(context, params, ResourceType.INSTANCE, "instanceName")


def get_load_balancer_metric_data(context: RequestContext, params: dict[str, Any]) -> Wire:
    return metric_data(context, params, ResourceType.LOAD_BALANCER, "loadBalancerName")


def get_relational_database_metric_data(context: RequestContext, params: dict[str, Any]) -> Wire:
    return metric_data(context, params, ResourceType.RELATIONAL_DATABASE, "relationalDatabaseName")


FAMILY = Family(
    title="Metric data",
    operations={
        "GetInstanceMetricData": get_instance_metric_data,
        "GetLoadBalancerMetricData": get_load_balancer_metric_data,
        "GetRelationalDatabaseMetricData": get_relational_database_metric_data,
    },
)
