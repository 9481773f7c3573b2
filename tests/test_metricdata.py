"""Seeding metric data through the handle, and reading it back with Get*MetricData.

Everything goes through real boto3 clients and the ``LightsailMock`` handle. The clock is
frozen at ``NOW`` (a whole hour, so every 60-s and 300-s boundary lines up with it) unless
a test moves it on.
"""

from __future__ import annotations

import gc
import math
import re
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import numpy as np
import pytest
from botocore.exceptions import ClientError
from hypothesis import given, settings
from hypothesis import strategies as st

from lightmock import LightmockUsageError, LightsailMock, mock_lightsail
from lightmock.notebook import signals
from tests.helpers import create_database, create_instances, create_load_balancer, shared_client

NOW = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)
T = NOW.timestamp()
ALL_STATISTICS = ["Minimum", "Maximum", "Sum", "Average", "SampleCount"]
WIRE_KEY = {
    "Minimum": "minimum",
    "Maximum": "maximum",
    "Sum": "sum",
    "Average": "average",
    "SampleCount": "sampleCount",
}

Client = Any
Datapoint = dict[str, Any]


# --- resources of the three kinds, and how to read their metrics ----------------------


@dataclass(frozen=True)
class Kind:
    """One monitored resource type: how to create and delete one, and its metric operation."""

    label: str
    create: Callable[[Client, str], object]
    delete: Callable[[Client, str], object]
    operation: str
    name_member: str
    metric: str
    unit: str
    resolution: int
    foreign_metric: str  # a metric name another resource type has, but this one does not








INSTANCE = Kind(
    label="instance",
    create=create_instances,
    delete=lambda client, name: client.delete_instance(instanceName=name),
    operation="get_instance_metric_data",
    name_member="instanceName",
    metric="CPUUtilization",
    unit="Percent",
    resolution=300,
    foreign_metric="RequestCount",
)
LOAD_BALANCER = Kind(
    label="load balancer",
    create=create_load_balancer,
    delete=lambda client, name: client.delete_load_balancer(loadBalancerName=name),
    operation="get_load_balancer_metric_data",
    name_member="loadBalancerName",
    metric="RequestCount",
    unit="Count",
    resolution=60,
    foreign_metric="CPUUtilization",
)
DATABASE = Kind(
    label="database",
    create=create_database,
    delete=lambda client, name: client.delete_relational_database(relationalDatabaseName=name),
    operation="get_relational_database_metric_data",
    name_member="relationalDatabaseName",
    metric="CPUUtilization",
    unit="Percent",
    resolution=60,
    foreign_metric="NetworkIn",
)
KINDS = [INSTANCE, LOAD_BALANCER, DATABASE]
by_kind = pytest.mark.parametrize("kind", KINDS, ids=[k.label for k in KINDS])


def read(
    client: Client,
    kind: Kind,
    name: str,
    *,
    start: float,
    end: float,
    period: int = 60,
    statistics: Sequence[str] = ALL_STATISTICS,
    metric: str | None = None,
    unit: str | None = None,
) -> list[Datapoint]:
    """The datapoints of one Get*MetricData call, in the order the mock returned them."""
    response = getattr(client, kind.operation)(
        **{kind.name_member: name},
        metricName=metric or kind.metric,
        period=period,
        startTime=datetime.fromtimestamp(start, UTC),
        endTime=datetime.fromtimestamp(end, UTC),
        unit=unit or kind.unit,
        statistics=list(statistics),
    )
    assert response["metricName"] == (metric or kind.metric)
    return list(response["metricData"])


def by_time(datapoints: list[Datapoint]) -> dict[float, Datapoint]:
    """Datapoints keyed by their timestamp in epoch seconds."""
    return {point["timestamp"].timestamp(): point for point in datapoints}


def stamps(datapoints: list[Datapoint]) -> list[float]:
    return [point["timestamp"].timestamp() for point in datapoints]


def error_of(raised: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = raised.value.response["Error"]
    return error["Code"], error["Message"]


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture
def ls(lightsail: LightsailMock) -> LightsailMock:
    """The active mock with its clock frozen at NOW."""
    lightsail.clock.freeze(NOW)
    return lightsail


# ``client`` is conftest's: a us-east-1 client of this module's ``ls``.


@pytest.fixture
def web(client: Client) -> str:
    """An instance named web-1."""
    create_instances(client, "web-1")
    return "web-1"


def read_cpu(client: Client, *, start: float, end: float, period: int = 60, **options: Any) -> list[Datapoint]:
    return read(client, INSTANCE, "web-1", start=start, end=end, period=period, **options)


# --- seeding ---------------------------------------------------------------------------------


class TestSeedingSpacing:
    """Without timestamps, values are spaced at the metric's native resolution up to now."""

    @pytest.mark.parametrize(
        ("kind", "metric", "unit", "resolution"),
        [
            (INSTANCE, "CPUUtilization", "Percent", 300),
            (INSTANCE, "NetworkIn", "Bytes", 300),
            (INSTANCE, "BurstCapacityPercentage", "Percent", 300),
            (INSTANCE, "MetadataNoToken", "Count", 300),
            (INSTANCE, "StatusCheckFailed", "Count", 60),
            (INSTANCE, "StatusCheckFailed_Instance", "Count", 60),
            (INSTANCE, "StatusCheckFailed_System", "Count", 60),
            (LOAD_BALANCER, "RequestCount", "Count", 60),
            (LOAD_BALANCER, "HealthyHostCount", "Count", 60),
            (DATABASE, "CPUUtilization", "Percent", 60),
            (DATABASE, "FreeStorageSpace", "Bytes", 60),
        ],
        ids=lambda value: value.label if isinstance(value, Kind) else str(value),
    )
    def test_native_resolution_with_last_one_step_before_now(
        self, ls: LightsailMock, client: Client, kind: Kind, metric: str, unit: str, resolution: int
    ) -> None:
        """Value i of n lies (n - i) resolution steps before now."""
        kind.create(client, "res")
        ls.put_metric_data("res", metric, [1.0, 2.0, 3.0])
        points = read(
            client,
            kind,
            "res",
            metric=metric,
            unit=unit,
            start=T - 3600,
            end=T + 3600,
            statistics=["Maximum"],
        )
        assert sorted((t, p["maximum"]) for t, p in by_time(points).items()) == [
            (T - 3 * resolution, 1.0),
            (T - 2 * resolution, 2.0),
            (T - resolution, 3.0),
        ]

    def test_spacing_counts_back_from_the_clock_of_the_call(self, ls: LightsailMock, client: Client, web: str) -> None:
        """A second seed after the clock moved lines up with the new now."""
        ls.put_metric_data(web, "CPUUtilization", [1.0])
        ls.clock.advance(minutes=10)
        ls.put_metric_data(web, "CPUUtilization", [2.0])
        points = read_cpu(client, start=T - 3600, end=T + 3600, statistics=["Sum"])
        assert sorted((t, p["sum"]) for t, p in by_time(points).items()) == [(T - 300, 1.0), (T + 300, 2.0)]

    def test_returns_the_number_of_samples_stored(self, ls: LightsailMock, web: str) -> None:
        """NaN values are not samples and are not counted."""
        assert ls.put_metric_data(web, "CPUUtilization", [1.0, math.nan, 3.0, math.nan]) == 2

    def test_nan_is_no_sample(self, ls: LightsailMock, client: Client, web: str) -> None:
        """A NaN leaves its period without a datapoint; its neighbours keep their places."""
        ls.put_metric_data(web, "CPUUtilization", np.array([1.0, np.nan, 3.0]))
        points = read_cpu(client, start=T - 3600, end=T, period=300, statistics=["Average"])
        assert sorted((t, p["average"]) for t, p in by_time(points).items()) == [(T - 900, 1.0), (T - 300, 3.0)]

    @pytest.mark.parametrize(
        "values",
        [
            pytest.param([4, 8, 15], id="list of ints"),
            pytest.param([4.0, 8.0, 15.0], id="list of floats"),
            pytest.param((4, 8, 15), id="tuple"),
            pytest.param(np.array([4, 8, 15], dtype=np.int32), id="int32 array"),
            pytest.param(np.array([4, 8, 15], dtype=np.float32), id="float32 array"),
            pytest.param(np.array([4, 8, 15], dtype=np.float64), id="float64 array"),
        ],
    )
    def test_values_as_list_or_array(self, ls: LightsailMock, client: Client, web: str, values: Any) -> None:
        """Lists, tuples and numpy arrays of any numeric dtype store the same samples."""
        ls.put_metric_data(web, "CPUUtilization", values)
        points = read_cpu(client, start=T - 3600, end=T, period=3600, statistics=["Sum", "SampleCount"])
        assert [(p["sum"], p["sampleCount"]) for p in points] == [(27.0, 3.0)]


TIMESTAMP_FORMS = [
    pytest.param(
        [NOW - timedelta(minutes=30), NOW - timedelta(minutes=20), NOW - timedelta(minutes=10)], id="utc datetimes"
    ),
    pytest.param(
        [(NOW - timedelta(minutes=m)).astimezone(timezone(timedelta(hours=-5, minutes=-30))) for m in (30, 20, 10)],
        id="datetimes in another zone",
    ),
    pytest.param([T - 1800, T - 1200, T - 600], id="epoch floats"),
    pytest.param([int(T) - 1800, int(T) - 1200, int(T) - 600], id="epoch ints"),
    pytest.param(np.array([T - 1800, T - 1200, T - 600]), id="epoch array"),
    pytest.param(
        np.array([int(T) - 1800, int(T) - 1200, int(T) - 600], dtype="datetime64[s]"), id="datetime64 seconds"
    ),
    pytest.param(
        np.array([int(T) - 1800, int(T) - 1200, int(T) - 600], dtype="datetime64[s]").astype("datetime64[ns]"),
        id="datetime64 nanoseconds",
    ),
    pytest.param(
        np.array(["2026-11-28T07:30", "2026-11-28T07:40", "2026-11-28T07:50"], dtype="datetime64[m]"),
        id="datetime64 minutes from strings (UTC)",
    ),
    pytest.param(
        list(np.array([int(T) - 1800, int(T) - 1200, int(T) - 600], dtype="datetime64[s]").astype("datetime64[us]")),
        id="list of datetime64 scalars",
    ),
    pytest.param(
        np.array([NOW - timedelta(minutes=30), NOW - timedelta(minutes=20), NOW - timedelta(minutes=10)], dtype=object),
        id="object array of aware datetimes",
    ),
]


class TestSeedingTimestamps:
    """Explicit timestamps: aware datetimes, epoch seconds or numpy datetime64."""

    @pytest.mark.parametrize("timestamps", TIMESTAMP_FORMS)
    def test_every_form_places_samples_at_the_same_instants(
        self, ls: LightsailMock, client: Client, web: str, timestamps: Any
    ) -> None:
        """07:30, 07:40 and 07:50 UTC, whichever way they are written."""
        ls.put_metric_data(web, "CPUUtilization", [1.0, 2.0, 3.0], timestamps=timestamps)
        points = read_cpu(client, start=T - 3600, end=T, statistics=["Minimum"])
        assert sorted((t, p["minimum"]) for t, p in by_time(points).items()) == [
            (T - 1800, 1.0),
            (T - 1200, 2.0),
            (T - 600, 3.0),
        ]

    def test_timestamps_in_any_order(self, ls: LightsailMock, client: Client, web: str) -> None:
        """Samples need not be given in time order; each keeps its own timestamp."""
        ls.put_metric_data(web, "CPUUtilization", [3.0, 1.0, 2.0], timestamps=[T - 60, T - 180, T - 120])
        points = read_cpu(client, start=T - 600, end=T, statistics=["Maximum"])
        assert sorted((t, p["maximum"]) for t, p in by_time(points).items()) == [
            (T - 180, 1.0),
            (T - 120, 2.0),
            (T - 60, 3.0),
        ]

    def test_late_samples_merge_with_earlier_ones(self, ls: LightsailMock, client: Client, web: str) -> None:
        """A second call that reaches back in time adds to the buckets it lands in."""
        ls.put_metric_data(web, "CPUUtilization", [10.0, 20.0], timestamps=[T - 240, T - 60])
        ls.put_metric_data(web, "CPUUtilization", [30.0], timestamps=[T - 200])
        points = read_cpu(client, start=T - 300, end=T, period=300, statistics=["Sum", "SampleCount"])
        assert [(p["sum"], p["sampleCount"]) for p in points] == [(60.0, 3.0)]

    def test_future_samples_are_invisible_until_the_clock_reaches_them(
        self, ls: LightsailMock, client: Client, web: str
    ) -> None:
        """A sample ahead of the clock is stored, and read only once its time has come."""
        ls.put_metric_data(web, "CPUUtilization", [1.0, 2.0, 3.0], timestamps=[T - 60, T + 1, T + 600])

        def visible() -> list[float]:
            points = read_cpu(client, start=T - 3600, end=T + 3600, statistics=["Maximum"])
            return sorted(p["maximum"] for p in points)

        assert visible() == [1.0]
        ls.clock.advance(seconds=1)
        assert visible() == [1.0, 2.0]
        ls.clock.advance(seconds=598)
        assert visible() == [1.0, 2.0]
        ls.clock.advance(seconds=1)
        assert visible() == [1.0, 2.0, 3.0]

    def test_a_sample_at_exactly_now_is_visible(self, ls: LightsailMock, client: Client, web: str) -> None:
        """Now itself is not in the future."""
        ls.put_metric_data(web, "CPUUtilization", [7.0], timestamps=[NOW])
        points = read_cpu(client, start=T - 60, end=T + 60, statistics=["Maximum"])
        assert [(p["timestamp"].timestamp(), p["maximum"]) for p in points] == [(T, 7.0)]

    def test_future_samples_stay_out_of_a_bucket_that_straddles_now(
        self, ls: LightsailMock, client: Client, web: str
    ) -> None:
        """The bucket holding now has only the samples up to now."""
        ls.put_metric_data(web, "CPUUtilization", [1.0, 5.0, 100.0], timestamps=[T - 120, T, T + 120])
        points = read_cpu(client, start=T - 300, end=T + 300, period=600, statistics=["Sum", "SampleCount"])
        assert [(p["sum"], p["sampleCount"]) for p in points] == [(6.0, 2.0)]

    def test_seeding_into_another_region(self, ls: LightsailMock) -> None:
        """``region=`` seeds the resource of that region; the default region has none."""
        west = shared_client("us-west-2")
        west.create_instances(
            instanceNames=["web-1"], availabilityZone="us-west-2a", blueprintId="ubuntu_22_04", bundleId="nano_3_0"
        )
        with pytest.raises(LightmockUsageError):
            ls.put_metric_data("web-1", "CPUUtilization", [1.0])
        ls.put_metric_data("web-1", "CPUUtilization", [42.0], region="us-west-2")
        points = read(west, INSTANCE, "web-1", start=T - 600, end=T, statistics=["Maximum"])
        assert [p["maximum"] for p in points] == [42.0]


class TestSeedingRejected:
    """Misuse of put_metric_data is a LightmockUsageError (an AssertionError) that stores nothing."""

    @pytest.mark.parametrize(
        ("resource", "metric", "values", "options", "message"),
        [
            pytest.param("web-9", "CPUUtilization", [1.0], {}, "web-9", id="unknown resource"),
            pytest.param("web-1", "RequestCount", [1.0], {}, "RequestCount", id="load balancer metric on instance"),
            pytest.param("web-1", "FreeStorageSpace", [1.0], {}, "FreeStorageSpace", id="database metric on instance"),
            pytest.param("web-1", "CpuUtilization", [1.0], {}, "CpuUtilization", id="metric name in the wrong case"),
            pytest.param(
                "web-1",
                "CPUUtilization",
                [1.0, 2.0, 3.0],
                {"timestamps": [T - 120, T - 60]},
                "values has 3",
                id="fewer timestamps",
            ),
            pytest.param(
                "web-1",
                "CPUUtilization",
                [1.0],
                {"timestamps": [T - 120, T - 60]},
                "values has 1",
                id="more timestamps",
            ),
            pytest.param("web-1", "CPUUtilization", ["high", "low"], {}, "number", id="words as values"),
            pytest.param("web-1", "CPUUtilization", ["10", "20"], {}, "number", id="numeric strings as values"),
            pytest.param("web-1", "CPUUtilization", [NOW, NOW], {}, "number", id="datetimes as values"),
            pytest.param("web-1", "CPUUtilization", [[1.0, 2.0], [3.0, 4.0]], {}, "dimensional", id="2-d values"),
            pytest.param("web-1", "CPUUtilization", [1 + 2j, 3 + 0j], {}, "number", id="complex values"),
            pytest.param("web-1", "CPUUtilization", [1.0, None], {}, "number", id="None as a value"),
            pytest.param("web-1", "CPUUtilization", [1.0, math.inf], {}, "2^360", id="infinite value"),
            pytest.param("web-1", "CPUUtilization", [-(2.0**361)], {}, "2^360", id="value beyond 2^360"),
            pytest.param(
                "web-1",
                "CPUUtilization",
                [1.0, 2.0, 3.0],
                {"timestamps": np.array([int(T) - 120, int(T) - 60], dtype="datetime64[s]")},
                "values has 3",
                id="fewer datetime64 timestamps",
            ),
            pytest.param(
                "web-1", "CPUUtilization", [1.0], {"timestamps": [datetime(2026, 11, 28, 7, 0)]}, "naive", id="naive"
            ),
            pytest.param(
                "web-1",
                "CPUUtilization",
                [1.0, 2.0],
                {"timestamps": [NOW - timedelta(minutes=5), datetime(2026, 11, 28, 7, 0)]},
                "naive",
                id="aware then naive",
            ),
            pytest.param(
                "web-1", "CPUUtilization", [1.0], {"timestamps": ["yesterday"]}, "timestamps", id="word as timestamp"
            ),
            pytest.param("web-1", "CPUUtilization", [1.0], {"timestamps": [math.nan]}, "finite", id="NaN timestamp"),
            pytest.param(
                "web-1",
                "CPUUtilization",
                [1.0],
                {"timestamps": np.array(["NaT"], dtype="datetime64[s]")},
                "timestamps",
                id="NaT timestamp",
            ),
        ],
    )
    def test_rejected_and_nothing_stored(
        self,
        ls: LightsailMock,
        client: Client,
        web: str,
        resource: str,
        metric: str,
        values: Any,
        options: dict[str, Any],
        message: str,
    ) -> None:
        """The error says what is wrong, and the instance's metrics stay empty."""
        with pytest.raises(LightmockUsageError, match=re.escape(message)) as raised:
            ls.put_metric_data(resource, metric, values, **options)
        assert isinstance(raised.value, AssertionError)
        assert len(ls.store.region(ls.account_id, "us-east-1").metrics) == 0

    def test_rejected_call_leaves_earlier_samples_alone(self, ls: LightsailMock, client: Client, web: str) -> None:
        """A bad second call neither adds to nor removes from what the first stored."""
        ls.put_metric_data(web, "CPUUtilization", [1.0, 2.0])
        with pytest.raises(LightmockUsageError):
            ls.put_metric_data(
                web,
                "CPUUtilization",
                [3.0, 4.0],
                timestamps=[NOW - timedelta(minutes=1), datetime(2026, 11, 28, 7, 59)],
            )
        points = read_cpu(client, start=T - 3600, end=T, period=3600, statistics=["Sum", "SampleCount"])
        assert [(p["sum"], p["sampleCount"]) for p in points] == [(3.0, 2.0)]

    def test_needs_an_active_mock(self) -> None:
        """Seeding through a handle that was never started is a usage error."""
        with pytest.raises(LightmockUsageError, match="start"):
            mock_lightsail().put_metric_data("web-1", "CPUUtilization", [1.0])


class TestSeedingAMillionSamples:
    """A million samples go in with one call and read back correctly."""

    def test_a_million_samples(self, ls: LightsailMock, client: Client) -> None:
        """The last day and the very first sample of ~694 days of minutely data read back right."""
        create_database(client, "db-1")
        n = 1_000_000
        values = np.arange(n, dtype=np.float64)
        assert ls.put_metric_data("db-1", "CPUUtilization", values) == n
        times = T - (n - np.arange(n)) * 60.0  # what the default spacing promises
        points = by_time(read(client, DATABASE, "db-1", start=T - 86400, end=T, period=3600))
        assert len(points) == 24
        for k in range(24):
            lo = T - 86400 + k * 3600
            inside = values[(times >= lo) & (times < lo + 3600)]
            assert points[lo] == {
                "timestamp": points[lo]["timestamp"],
                "minimum": inside.min(),
                "maximum": inside.max(),
                "sum": inside.sum(),
                "average": inside.sum() / inside.size,
                "sampleCount": float(inside.size),
                "unit": "Percent",
            }
        first = read(client, DATABASE, "db-1", start=T - n * 60, end=T - n * 60 + 600, period=600)
        assert [(p["sampleCount"], p["minimum"], p["maximum"]) for p in first] == [(10.0, 0.0, 9.0)]


# --- Get*MetricData: validation ----------------------------------------------------------------


class TestRequestRejected:
    """Requests that break a rule of docs/service-reference.md §5 are InvalidInputException."""

    @by_kind
    def test_metric_of_another_resource_type(self, client: Client, kind: Kind) -> None:
        """metricName must be in the resource type's enum; the message names metricName."""
        kind.create(client, "res")
        with pytest.raises(ClientError) as raised:
            read(client, kind, "res", metric=kind.foreign_metric, start=T - 600, end=T)
        code, message = error_of(raised)
        assert code == "InvalidInputException"
        assert "metricName" in message

    @pytest.mark.parametrize(
        ("period", "accepted"),
        [
            (60, True),
            (300, True),
            (3600, True),
            (86400, True),
            (86460, True),
            (2628000, True),
            (2678400, True),
            (2700000, True),
            (90, False),
            (61, False),
            (330, False),
            (2628030, False),
        ],
    )
    def test_period(self, client: Client, web: str, period: int, accepted: bool) -> None:
        """Periods are multiples of 60 from 60 up: the service does not enforce the model's 86,400."""
        call: dict[str, Any] = {"start": T - 86400, "end": T, "period": period}
        if accepted:
            assert read_cpu(client, **call) == []
        else:
            with pytest.raises(ClientError) as raised:
                read_cpu(client, **call)
            code, message = error_of(raised)
            assert code == "InvalidInputException"
            assert "period" in message

    @pytest.mark.parametrize(("start", "end"), [(T, T), (T, T - 60), (T - 60, T - 3600)])
    def test_start_must_be_before_end(self, client: Client, web: str, start: float, end: float) -> None:
        """An empty or inverted range is an error, not an empty answer."""
        with pytest.raises(ClientError) as raised:
            read_cpu(client, start=start, end=end)
        assert error_of(raised)[0] == "InvalidInputException"

    @pytest.mark.parametrize(
        ("start", "end", "period", "accepted"),
        [
            pytest.param(T - 1440 * 60, T, 60, True, id="1440 minutes"),
            pytest.param(T - 1441 * 60, T, 60, False, id="1441 minutes"),
            pytest.param(T - 1440 * 60, T + 1, 60, False, id="1440 minutes and a second"),
            pytest.param(T - 1440 * 60 + 30, T, 60, True, id="unaligned start, 1440 buckets from its minute"),
            pytest.param(T - 1440 * 60 + 30, T + 30, 60, False, id="1440 minutes long but 1441 from its minute"),
            pytest.param(T - 1440 * 300, T, 300, True, id="1440 five-minute buckets"),
            pytest.param(T - 1440 * 300 - 60, T, 300, False, id="1441 five-minute buckets, the last partial"),
            pytest.param(T - 1440 * 86400, T, 86400, True, id="1440 days"),
        ],
    )
    def test_at_most_1440_datapoints(
        self, client: Client, web: str, start: float, end: float, period: int, accepted: bool
    ) -> None:
        """Buckets counted from startTime floored to the minute up to endTime: 1,440 at most."""
        if accepted:
            assert read_cpu(client, start=start, end=end, period=period) == []
        else:
            with pytest.raises(ClientError) as raised:
                read_cpu(client, start=start, end=end, period=period)
            code, message = error_of(raised)
            assert code == "InvalidInputException"
            assert "1440" in message

    def test_statistics_must_not_be_empty(self, client: Client, web: str) -> None:
        """At least one statistic is required."""
        with pytest.raises(ClientError) as raised:
            read_cpu(client, start=T - 600, end=T, statistics=[])
        code, message = error_of(raised)
        assert code == "InvalidInputException"
        assert "statistics" in message

    @by_kind
    def test_unknown_resource(self, client: Client, kind: Kind) -> None:
        """A name no resource of that type has is NotFoundException naming it."""
        with pytest.raises(ClientError) as raised:
            read(client, kind, "ghost", start=T - 600, end=T)
        code, message = error_of(raised)
        assert code == "NotFoundException"
        assert "ghost" in message

    def test_a_resource_of_another_type_is_not_found(self, client: Client, web: str) -> None:
        """An instance's name does not name a load balancer."""
        with pytest.raises(ClientError) as raised:
            read(client, LOAD_BALANCER, web, start=T - 600, end=T)
        assert error_of(raised)[0] == "NotFoundException"


# --- Get*MetricData: what the datapoints hold ----------------------------------------------


class TestDatapointValues:
    """The five statistics over each period's samples."""

    def test_hand_computed(self, ls: LightsailMock, client: Client, web: str) -> None:
        """Two 5-minute buckets of samples, every statistic worked out by hand."""
        ls.put_metric_data(
            web,
            "CPUUtilization",
            [10.0, 30.0, 20.0, 5.0, 7.5],
            timestamps=[T - 600, T - 480, T - 301, T - 300, T - 1],
        )
        points = by_time(read_cpu(client, start=T - 600, end=T, period=300))
        assert points == {
            T - 600: {
                "timestamp": NOW - timedelta(minutes=10),
                "minimum": 10.0,
                "maximum": 30.0,
                "sum": 60.0,
                "average": 20.0,
                "sampleCount": 3.0,
                "unit": "Percent",
            },
            T - 300: {
                "timestamp": NOW - timedelta(minutes=5),
                "minimum": 5.0,
                "maximum": 7.5,
                "sum": 12.5,
                "average": 6.25,
                "sampleCount": 2.0,
                "unit": "Percent",
            },
        }

    def test_average_is_sum_over_sample_count(self, ls: LightsailMock, client: Client, web: str) -> None:
        """Average is Sum / SampleCount, not the mean of anything else."""
        ls.put_metric_data(web, "CPUUtilization", [1.0, 2.0, 4.0], timestamps=[T - 250, T - 200, T - 10])
        [point] = read_cpu(client, start=T - 300, end=T, period=300)
        assert point["average"] == point["sum"] / point["sampleCount"] == 7.0 / 3.0

    def test_samples_at_the_same_second_both_count(self, ls: LightsailMock, client: Client, web: str) -> None:
        """Two samples with one timestamp are two samples."""
        ls.put_metric_data(web, "CPUUtilization", [1.0, 3.0], timestamps=[T - 60, T - 60])
        [point] = read_cpu(client, start=T - 60, end=T, statistics=["SampleCount", "Sum"])
        assert (point["sampleCount"], point["sum"]) == (2.0, 4.0)

    @pytest.mark.parametrize(
        "statistics",
        [
            ["Minimum"],
            ["Maximum"],
            ["Sum"],
            ["Average"],
            ["SampleCount"],
            ["Average", "Maximum"],
            ["Sum", "SampleCount", "Minimum"],
            ALL_STATISTICS,
        ],
    )
    def test_only_the_requested_statistics(
        self, ls: LightsailMock, client: Client, web: str, statistics: list[str]
    ) -> None:
        """Each datapoint holds the requested statistics, timestamp and unit, nothing else."""
        ls.put_metric_data(web, "CPUUtilization", [1.0, 2.0, 3.0])
        points = read_cpu(client, start=T - 3600, end=T, period=300, statistics=statistics)
        assert len(points) == 3
        for point in points:
            assert set(point) == {"timestamp", "unit", *(WIRE_KEY[s] for s in statistics)}

    def test_duplicate_statistics_are_ignored(self, ls: LightsailMock, client: Client, web: str) -> None:
        """Asking twice for Average gives one average, the same as asking once."""
        ls.put_metric_data(web, "CPUUtilization", [1.0, 2.0, 3.0])
        twice = read_cpu(client, start=T - 3600, end=T, period=300, statistics=["Average", "Sum", "Average"])
        once = read_cpu(client, start=T - 3600, end=T, period=300, statistics=["Average", "Sum"])
        assert twice == once
        assert {frozenset(p) for p in twice} == {frozenset({"timestamp", "unit", "average", "sum"})}

    @by_kind
    def test_every_resource_type(self, ls: LightsailMock, client: Client, kind: Kind) -> None:
        """Each of the three operations reads its own resource type's samples in its unit."""
        kind.create(client, "res")
        ls.put_metric_data("res", kind.metric, [2.0, 4.0], timestamps=[T - 120, T - 60])
        points = read(client, kind, "res", start=T - 600, end=T, period=600)
        assert points == [
            {
                "timestamp": NOW - timedelta(minutes=10),
                "minimum": 2.0,
                "maximum": 4.0,
                "sum": 6.0,
                "average": 3.0,
                "sampleCount": 2.0,
                "unit": kind.unit,
            }
        ]

    def test_metrics_of_one_resource_are_apart(self, ls: LightsailMock, client: Client, web: str) -> None:
        """NetworkIn samples do not show up in CPUUtilization, nor another instance's."""
        create_instances(client, "web-2")
        ls.put_metric_data(web, "NetworkIn", [1000.0])
        ls.put_metric_data("web-2", "CPUUtilization", [50.0])
        assert read_cpu(client, start=T - 600, end=T) == []
        network = read(client, INSTANCE, web, metric="NetworkIn", unit="Bytes", start=T - 600, end=T)
        assert [p["sum"] for p in network] == [1000.0]

    def test_a_load_balancer_and_database_may_share_a_metric_name(self, ls: LightsailMock, client: Client) -> None:
        """CPUUtilization of a database is not the CPUUtilization of an instance of another name."""
        create_instances(client, "web-1")
        create_database(client, "db-1")
        ls.put_metric_data("db-1", "CPUUtilization", [80.0])
        assert read_cpu(client, start=T - 600, end=T) == []
        assert [p["maximum"] for p in read(client, DATABASE, "db-1", start=T - 600, end=T)] == [80.0]


class TestUnit:
    """A unit other than the metric's own returns no datapoints, and no error."""

    @pytest.mark.parametrize("unit", ["Count", "Seconds", "Bytes", "None", "Count/Second"])
    def test_other_unit_returns_nothing(self, ls: LightsailMock, client: Client, web: str, unit: str) -> None:
        """CloudWatch neither converts nor fails on a unit mismatch."""
        ls.put_metric_data(web, "CPUUtilization", [1.0, 2.0])
        assert read_cpu(client, start=T - 3600, end=T, unit=unit) == []
        assert len(read_cpu(client, start=T - 3600, end=T)) == 2

    @pytest.mark.parametrize(
        ("kind", "metric", "unit"),
        [
            (INSTANCE, "NetworkOut", "Bytes"),
            (INSTANCE, "BurstCapacityTime", "Seconds"),
            (INSTANCE, "StatusCheckFailed", "Count"),
            (LOAD_BALANCER, "InstanceResponseTime", "Seconds"),
            (DATABASE, "NetworkReceiveThroughput", "Bytes/Second"),
        ],
    )
    def test_datapoints_carry_the_metric_unit(
        self, ls: LightsailMock, client: Client, kind: Kind, metric: str, unit: str
    ) -> None:
        """The published unit of each metric comes back on its datapoints."""
        kind.create(client, "res")
        ls.put_metric_data("res", metric, [1.0])
        points = read(client, kind, "res", metric=metric, unit=unit, start=T - 3600, end=T, statistics=["Sum"])
        assert [p["unit"] for p in points] == [unit]


class TestBuckets:
    """Bucket k starts at startTime floored to the minute plus k periods; empty ones are omitted."""

    @pytest.mark.parametrize("offset", [0, 1, 17, 59])
    @pytest.mark.parametrize("period", [60, 300, 900])
    def test_bucket_starts(self, ls: LightsailMock, client: Client, web: str, offset: int, period: int) -> None:
        """With a sample every minute, the timestamps are floor(start) + k * period."""
        ls.put_metric_data(web, "CPUUtilization", np.ones(120), timestamps=T - 7200 + 60 * np.arange(120) + 30)
        start = T - 3600 + offset
        points = read_cpu(client, start=start, end=T, period=period, statistics=["SampleCount"])
        first = T - 3600
        assert sorted(stamps(points)) == [first + k * period for k in range(math.ceil(3600 / period))]

    def test_sample_between_floored_start_and_start_counts(self, ls: LightsailMock, client: Client, web: str) -> None:
        """The first bucket begins at the minute, so a sample in that minute before startTime is in it."""
        ls.put_metric_data(web, "CPUUtilization", [5.0], timestamps=[T - 3600 + 10])
        points = read_cpu(client, start=T - 3600 + 40, end=T, period=300, statistics=["Sum"])
        assert [(p["timestamp"].timestamp(), p["sum"]) for p in points] == [(T - 3600, 5.0)]

    def test_empty_buckets_yield_no_datapoint(self, ls: LightsailMock, client: Client, web: str) -> None:
        """Only the periods that hold a sample appear: no zeros for the rest."""
        ls.put_metric_data(web, "CPUUtilization", [1.0, 2.0], timestamps=[T - 3500, T - 100])
        points = read_cpu(client, start=T - 3600, end=T, period=300, statistics=["Sum", "SampleCount"])
        assert sorted((t, p["sum"], p["sampleCount"]) for t, p in by_time(points).items()) == [
            (T - 3600, 1.0, 1.0),
            (T - 300, 2.0, 1.0),
        ]

    def test_no_samples_at_all(self, client: Client, web: str) -> None:
        """A resource never seeded has no datapoints."""
        assert read_cpu(client, start=T - 3600, end=T, period=300) == []

    @pytest.mark.parametrize(
        ("at", "included"),
        [
            pytest.param(T - 3601, False, id="a second before startTime"),
            pytest.param(T - 3600, True, id="at startTime"),
            pytest.param(T - 1800, True, id="inside"),
            pytest.param(T - 0.001, True, id="a millisecond before endTime"),
            pytest.param(T, False, id="at endTime"),
        ],
    )
    def test_half_open_range(self, ls: LightsailMock, client: Client, web: str, at: float, included: bool) -> None:
        """[startTime, endTime): the start is in, the end is out."""
        ls.clock.advance(minutes=5)  # so that a sample at endTime is not merely in the future
        ls.put_metric_data(web, "CPUUtilization", [1.0], timestamps=[at])
        points = read_cpu(client, start=T - 3600, end=T, period=3600, statistics=["SampleCount"])
        assert [p["sampleCount"] for p in points] == ([1.0] if included else [])

    def test_last_bucket_runs_past_end_but_holds_only_samples_before_it(
        self, ls: LightsailMock, client: Client, web: str
    ) -> None:
        """A range that is not a whole number of periods ends with a short bucket."""
        ls.clock.advance(hours=1)
        ls.put_metric_data(web, "CPUUtilization", [1.0, 2.0, 4.0], timestamps=[T - 60, T + 60, T + 200])
        points = read_cpu(client, start=T - 300, end=T + 120, period=300, statistics=["Sum"])
        assert sorted((t, p["sum"]) for t, p in by_time(points).items()) == [(T - 300, 1.0), (T, 2.0)]

    def test_a_range_in_the_future_is_empty(self, ls: LightsailMock, client: Client, web: str) -> None:
        """Asking about tomorrow returns nothing (and no error), even with samples seeded for it."""
        ls.put_metric_data(web, "CPUUtilization", [1.0], timestamps=[T + 86400 + 60])
        assert read_cpu(client, start=T + 86400, end=T + 2 * 86400, period=3600) == []


def reference(
    samples: list[tuple[float, float]], *, start: float, end: float, now: float, period: int
) -> dict[float, dict[str, float]]:
    """The datapoints by definition, one sample at a time."""
    first = math.floor(start / 60) * 60
    buckets: dict[float, list[float]] = {}
    for t, v in samples:
        if first <= t < end and t <= now:
            k = 0
            while not first + (k + 1) * period > t:
                k += 1
            buckets.setdefault(first + k * period, []).append(v)
    return {
        stamp: {
            "minimum": min(values),
            "maximum": max(values),
            "sum": math.fsum(values),
            "average": math.fsum(values) / len(values),
            "sampleCount": float(len(values)),
        }
        for stamp, values in buckets.items()
    }


@st.composite
def queries(draw: st.DrawFn) -> tuple[list[tuple[float, float]], float, float, int]:
    """Samples in the two hours around now (some in the future) and a query over part of them."""
    period = 60 * draw(st.integers(1, 45))
    start = T + draw(st.integers(-7200, 3000))
    end = start + draw(st.integers(1, 7200))
    second = st.integers(-7200, 3600).map(lambda s: T + s)
    fraction = st.floats(-7200, 3600, allow_nan=False).map(lambda s: T + s)
    on_edge = st.integers(-3, 3).map(lambda k: math.floor(start / 60) * 60 + k * period)
    times = st.one_of(second, fraction, on_edge, st.sampled_from([start, end, end - 1, T, T + 1]))
    values = st.one_of(st.integers(-1000, 1000).map(float), st.floats(-1e6, 1e6, allow_nan=False))
    samples = draw(st.lists(st.tuples(times, values), max_size=40))
    return samples, start, end, period


class TestAgainstReference:
    """Random samples and queries agree with the one-sample-at-a-time reference."""

    @settings(max_examples=60, deadline=None)
    @given(case=queries())
    def test_agrees_with_reference(self, case: tuple[list[tuple[float, float]], float, float, int]) -> None:
        """Same buckets, same statistics (sums to rounding), nothing from after now or endTime."""
        samples, start, end, period = case
        with mock_lightsail() as ls:
            ls.clock.freeze(NOW)
            client = shared_client()
            create_instances(client, "web-1")
            if samples:
                times, values = zip(*samples, strict=True)
                ls.put_metric_data("web-1", "CPUUtilization", list(values), timestamps=list(times))
            got = by_time(read_cpu(client, start=start, end=end, period=period))
        expected = reference(samples, start=start, end=end, now=T, period=period)
        assert set(got) == set(expected)
        for stamp, point in got.items():
            want = expected[stamp]
            assert point["sampleCount"] == want["sampleCount"]
            assert point["minimum"] == want["minimum"]
            assert point["maximum"] == want["maximum"]
            assert point["sum"] == pytest.approx(want["sum"], rel=1e-9, abs=1e-6)
            assert point["average"] == pytest.approx(want["average"], rel=1e-9, abs=1e-6)
            assert point["unit"] == "Percent"


class TestOrder:
    """Datapoints come back in a fixed order that is not chronological, unless sorting is asked for."""

    @pytest.mark.parametrize("count", [2, 3, 4, 5, 12, 288])
    def test_default_order_is_not_chronological(self, ls: LightsailMock, client: Client, web: str, count: int) -> None:
        """With two or more datapoints the timestamps are out of order, and every one is there."""
        ls.put_metric_data(web, "CPUUtilization", np.arange(count, dtype=np.float64))
        points = read_cpu(client, start=T - count * 300, end=T, period=300, statistics=["Average"])
        times = stamps(points)
        assert times != sorted(times)
        assert sorted(times) == [T - (count - k) * 300 for k in range(count)]

    def test_same_call_same_order(self, ls: LightsailMock, client: Client, web: str) -> None:
        """The order is fixed: two identical calls agree exactly."""
        ls.put_metric_data(web, "CPUUtilization", signals.noise(50, mean=40, std=10, seed=3))
        first = read_cpu(client, start=T - 86400, end=T, period=300)
        second = read_cpu(client, start=T - 86400, end=T, period=300)
        assert first == second

    def test_a_single_datapoint(self, ls: LightsailMock, client: Client, web: str) -> None:
        """One datapoint is trivially in order."""
        ls.put_metric_data(web, "CPUUtilization", [1.0])
        assert len(read_cpu(client, start=T - 3600, end=T, period=300)) == 1

    @pytest.mark.lightsail(sorted_metric_data=True)
    @pytest.mark.parametrize("count", [2, 3, 12, 288])
    def test_sorted_mode(self, ls: LightsailMock, client: Client, web: str, count: int) -> None:
        """mock_lightsail(sorted_metric_data=True) returns them oldest first."""
        ls.put_metric_data(web, "CPUUtilization", np.arange(count, dtype=np.float64))
        points = read_cpu(client, start=T - count * 300, end=T, period=300, statistics=["Average"])
        assert stamps(points) == [T - (count - k) * 300 for k in range(count)]
        assert [p["average"] for p in points] == list(range(count))

    def test_sorted_mode_through_the_context_manager(self) -> None:
        """The option works on ``with mock_lightsail(...)`` too, and sorting keeps each value with its time."""
        with mock_lightsail(sorted_metric_data=True) as ls:
            ls.clock.freeze(NOW)
            client = shared_client()
            create_instances(client, "web-1")
            ls.put_metric_data("web-1", "CPUUtilization", [3.0, 1.0, 2.0, 5.0])
            points = read_cpu(client, start=T - 3600, end=T, period=300, statistics=["Maximum"])
        assert [(t, p["maximum"]) for t, p in zip(stamps(points), points, strict=True)] == [
            (T - 1200, 3.0),
            (T - 900, 1.0),
            (T - 600, 2.0),
            (T - 300, 5.0),
        ]


# --- the alarm engine reads what Get*MetricData returns ---------------------------------------

_REASON_POINT = re.compile(r"(-?[\d.e+-]+|inf|-inf) \((\d\d/\d\d/\d\d \d\d:\d\d:\d\d)\)")


def reason_points(reason: str) -> dict[float, float]:
    """The datapoints a state-change reason lists, by the start of their period."""
    found = {}
    for value, start in _REASON_POINT.findall(reason):
        moment = datetime.strptime(start, "%d/%m/%y %H:%M:%S").replace(tzinfo=UTC)
        found[moment.timestamp()] = float(value)
    return found


def averages(client: Client, *, start: float, end: float) -> dict[float, float]:
    return {t: p["average"] for t, p in by_time(read_cpu(client, start=start, end=end, period=300)).items()}


class TestAlarmsAgree:
    """An alarm evaluates exactly the datapoints of a 300-s query with its statistic."""

    @pytest.fixture
    def busy(self, ls: LightsailMock, web: str) -> np.ndarray:
        """Three hours of minutely CPU samples, the last hour still in the future."""
        values = signals.noise(180, mean=50, std=20, seed=11)
        ls.put_metric_data(web, "CPUUtilization", values, timestamps=T - 7200 + 60 * np.arange(180) + 7)
        return values

    def put_alarm(self, client: Client, operator: str, threshold: float, periods: int = 3) -> None:
        client.put_alarm(
            alarmName="cpu",
            metricName="CPUUtilization",
            monitoredResourceName="web-1",
            comparisonOperator=operator,
            threshold=threshold,
            evaluationPeriods=periods,
            notificationEnabled=False,
        )

    def test_reason_lists_the_query_datapoints(self, ls: LightsailMock, client: Client, busy: np.ndarray) -> None:
        """The three datapoints a new alarm names are the last three 5-minute averages, bit for bit."""
        self.put_alarm(client, "GreaterThanThreshold", -1.0)
        [change] = ls.alarm_history("cpu")
        assert change.new_state == "ALARM"
        listed = reason_points(change.reason)
        assert listed == averages(client, start=T - 900, end=T)
        assert len(listed) == 3

    def test_every_evaluation_as_the_clock_moves(self, ls: LightsailMock, client: Client, busy: np.ndarray) -> None:
        """A threshold put just beyond the query's datapoints flips the state, boundary after boundary."""
        for step in range(6):
            now = T + 300 * step
            ls.clock.freeze(datetime.fromtimestamp(now, UTC))
            window = averages(client, start=now - 900, end=now)
            assert len(window) == 3
            current = client.get_alarms()["alarms"][0]["state"] if step else "INSUFFICIENT_DATA"
            if current == "ALARM":  # just above the largest datapoint: all three are not breaching
                self.put_alarm(client, "GreaterThanThreshold", max(window.values()) + 1e-9)
                want = "OK"
            else:  # just below the smallest: all three are breaching
                self.put_alarm(client, "GreaterThanThreshold", min(window.values()) - 1e-9)
                want = "ALARM"
            change = ls.alarm_history("cpu")[-1]
            assert (change.timestamp, change.new_state) == (datetime.fromtimestamp(now, UTC), want)
            assert reason_points(change.reason) == window

    @pytest.mark.parametrize(
        ("operator", "state"),
        [("GreaterThanOrEqualToThreshold", "ALARM"), ("GreaterThanThreshold", "OK")],
    )
    def test_threshold_exactly_at_a_datapoint(
        self, ls: LightsailMock, client: Client, busy: np.ndarray, operator: str, state: str
    ) -> None:
        """A threshold equal to the queried average is met by >= and not by >: the values are identical."""
        [(_, latest)] = averages(client, start=T - 300, end=T).items()
        self.put_alarm(client, operator, latest, periods=1)
        assert client.get_alarms(alarmName="cpu")["alarms"][0]["state"] == state

    def test_evaluations_replayed_at_later_boundaries(
        self, ls: LightsailMock, client: Client, busy: np.ndarray
    ) -> None:
        """While the clock runs an hour, every recorded change names the query's datapoints at its boundary."""
        median = float(np.median(busy[120:]))
        self.put_alarm(client, "GreaterThanThreshold", median, periods=1)
        ls.clock.advance(hours=1)
        history = ls.alarm_history("cpu")
        later = [change for change in history if change.timestamp.timestamp() > T]
        assert len(later) >= 2  # random data around its median crosses it more than once
        for change in later:
            boundary = change.timestamp.timestamp()
            assert boundary % 300 == 0
            queried = averages(client, start=boundary - 300, end=boundary)
            assert reason_points(change.reason) == queried
            assert (queried[boundary - 300] > median) == (change.new_state == "ALARM")


# --- deleting resources, and generated signals --------------------------------------------------


class TestDeletion:
    """Deleting a resource drops its metric data."""

    @by_kind
    def test_new_resource_of_the_same_name_starts_empty(self, ls: LightsailMock, client: Client, kind: Kind) -> None:
        """Data seeded for the old resource is not the new one's."""
        kind.create(client, "res")
        ls.put_metric_data("res", kind.metric, [1.0, 2.0, 3.0])
        assert read(client, kind, "res", start=T - 3600, end=T)
        kind.delete(client, "res")
        kind.create(client, "res")
        assert read(client, kind, "res", start=T - 3600, end=T) == []

    def test_other_resources_keep_their_data(self, ls: LightsailMock, client: Client, web: str) -> None:
        """Only the deleted resource's series go."""
        create_instances(client, "web-2")
        ls.put_metric_data(web, "CPUUtilization", [1.0])
        ls.put_metric_data("web-2", "CPUUtilization", [2.0])
        client.delete_instance(instanceName=web)
        assert [p["maximum"] for p in read(client, INSTANCE, "web-2", start=T - 600, end=T)] == [2.0]

    def test_deleted_resource_cannot_be_seeded(self, ls: LightsailMock, client: Client, web: str) -> None:
        """Once deleted, the name is unknown to put_metric_data."""
        client.delete_instance(instanceName=web)
        with pytest.raises(LightmockUsageError, match="web-1"):
            ls.put_metric_data(web, "CPUUtilization", [1.0])


class TestSignals:
    """The generators of ``lightmock.notebook.signals`` feed put_metric_data directly."""

    def test_sine_with_noise_reads_back(self, ls: LightsailMock, client: Client, web: str) -> None:
        """A day of 5-minute samples: one per bucket, each average the very sample seeded."""
        values = signals.sine(288, mean=40, amplitude=20, period=288, noise=3, seed=5)
        assert ls.put_metric_data(web, "CPUUtilization", values) == 288
        points = by_time(read_cpu(client, start=T - 86400, end=T, period=300, statistics=["Average", "SampleCount"]))
        assert len(points) == 288
        for i, value in enumerate(values):
            point = points[T - (288 - i) * 300]
            assert (point["average"], point["sampleCount"]) == (value, 1.0)

    def test_hourly_view_of_a_sine(self, ls: LightsailMock, client: Client, web: str) -> None:
        """Hourly buckets hold twelve samples each, with the sine's extremes where they should be."""
        values = signals.sine(288, mean=40, amplitude=20, period=288, noise=0.5, seed=8)
        ls.put_metric_data(web, "CPUUtilization", values)
        points = by_time(read_cpu(client, start=T - 86400, end=T, period=3600))
        assert len(points) == 24
        assert {p["sampleCount"] for p in points.values()} == {12.0}
        hourly = [points[T - 86400 + h * 3600]["average"] for h in range(24)]
        assert hourly == pytest.approx([float(values[12 * h : 12 * h + 12].mean()) for h in range(24)], rel=1e-12)
        assert int(np.argmax(hourly)) in (5, 6)  # the crest, a quarter of the day in
        assert int(np.argmin(hourly)) in (17, 18)  # the trough, three quarters in

    def test_gaps_become_missing_datapoints(self, ls: LightsailMock, client: Client, web: str) -> None:
        """``with_gaps`` holes are NaN, so exactly that many periods have no datapoint."""
        values = signals.with_gaps(signals.cpu_like(288, seed=2), fraction=0.1, seed=4)
        stored = ls.put_metric_data(web, "CPUUtilization", values)
        assert stored == 288 - round(0.1 * 288)
        points = read_cpu(client, start=T - 86400, end=T, period=300, statistics=["SampleCount"])
        assert len(points) == stored


class TestSeededDataFootprint:
    """What seeded samples keep in memory: the raw columns (16 bytes a sample) and little
    more, whatever the resolution. The per-period statistic sets once cost 40 bytes a
    period on top, 56 bytes a sample for five-minute data (issue 18)."""

    SAMPLES = 100_000
    #: At most, per sample, counted by tracemalloc (numpy's buffers included).
    BUDGET = 40

    @pytest.mark.parametrize(
        ("spacing", "batches"),
        [
            (300.0, 1),  # five-minute data: a sample a period
            (60.0, 1),  # one-minute data: five a period
            (290.0, 1),  # a little faster than the periods: one, sometimes two
            (300.0, 40),  # seeded a piece at a time, so the columns grow
            (290.0, 40),
        ],
    )
    def test_retained_bytes_per_sample(self, ls: LightsailMock, spacing: float, batches: int) -> None:
        create_instances(shared_client(), "web-1")
        now = ls.clock.now().timestamp()
        times = now - spacing * np.arange(self.SAMPLES, 0, -1, dtype=np.float64)
        values = np.random.default_rng(18).uniform(0, 100, self.SAMPLES)
        gc.collect()
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            for part_times, part_values in zip(
                np.array_split(times, batches), np.array_split(values, batches), strict=True
            ):
                ls.put_metric_data("web-1", "CPUUtilization", part_values, timestamps=part_times)
            del part_times, part_values
            gc.collect()
            retained = tracemalloc.get_traced_memory()[0] - before
        finally:
            tracemalloc.stop()
        assert retained / self.SAMPLES <= self.BUDGET
        # And the data reads back: the last hour's 300-second averages, as the samples give them.
        hour = shared_client().get_instance_metric_data(
            instanceName="web-1",
            metricName="CPUUtilization",
            period=300,
            startTime=now - 3600,
            endTime=now,
            unit="Percent",
            statistics=["Average"],
        )["metricData"]
        inside = times >= now - 3600
        expected = {
            start: values[inside & (times >= start) & (times < start + 300)].mean()
            for start in np.arange(now - 3600, now, 300.0)
        }
        assert {p["timestamp"].timestamp(): p["average"] for p in hour} == pytest.approx(expected)
