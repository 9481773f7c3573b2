"""``plot_alarm``: the datapoints an alarm evaluates, its threshold, states and notifications."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import boto3
import numpy as np
import pytest

from lightmock import LightmockUsageError, LightsailMock, mock_lightsail
from lightmock.core.domain import AlarmState
from lightmock.notebook.plot import PlotExtraMissing, alarm_picture, plot_alarm

START = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)
GREEN, RED = "#2ca02c", "#d62728"
#: One second in matplotlib's date units (days), the tolerance for x positions.
SECOND = 1 / 86400


def at(minutes: float) -> datetime:
    return START + timedelta(minutes=minutes)


@pytest.fixture(scope="module")
def mpl() -> SimpleNamespace:
    """matplotlib's modules the tests read, on the headless Agg backend. Imported here, not at
    the top: every pytest-xdist worker collects this module, and only one runs it (0.6 s each)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import colors, dates, pyplot
    from matplotlib.figure import Figure

    return SimpleNamespace(colors=colors, dates=dates, pyplot=pyplot, Figure=Figure)


@pytest.fixture
def ls() -> Iterator[LightsailMock]:
    """A mock at 08:00 with web-1, a verified email, an hour of 20 % CPU and a 15-minute spike ahead."""
    with mock_lightsail() as mock:
        mock.clock.freeze(START)
        client = boto3.client("lightsail", region_name="us-east-1")
        client.create_instances(
            instanceNames=["web-1"], availabilityZone="us-east-1a", blueprintId="ubuntu_22_04", bundleId="nano_3_0"
        )
        client.create_contact_method(protocol="Email", contactEndpoint="ops@example.com")
        mock.verify_contact_method("Email")
        mock.put_metric_data("web-1", "CPUUtilization", np.full(12, 20.0))
        ahead = np.full(12, 20.0)
        ahead[3:6] = 90.0  # samples at 08:15, 08:20, 08:25
        mock.put_metric_data("web-1", "CPUUtilization", ahead, timestamps=[at(5 * i) for i in range(12)])
        yield mock


def put_alarm(**overrides: Any) -> None:
    options: dict[str, Any] = {
        "alarmName": "cpu-high",
        "metricName": "CPUUtilization",
        "monitoredResourceName": "web-1",
        "comparisonOperator": "GreaterThanThreshold",
        "threshold": 50.0,
        "evaluationPeriods": 1,
        "contactProtocols": ["Email"],
        "notificationTriggers": ["ALARM", "OK"],
    }
    boto3.client("lightsail", region_name="us-east-1").put_alarm(**{**options, **overrides})


def artists(ax: Any, gid: str) -> list[Any]:
    return [a for a in [*ax.lines, *ax.patches, *ax.collections] if a.get_gid() == gid]


@pytest.fixture
def drawn(ls: LightsailMock, mpl: SimpleNamespace) -> Iterator[Any]:
    """The spiking alarm drawn at 09:00 on a bare Figure."""
    put_alarm()
    ls.clock.advance(hours=1)
    figure = mpl.Figure()
    return plot_alarm(ls, "cpu-high", ax=figure.subplots())


class TestAlarmPicture:
    def test_state_intervals_from_creation_to_now(self, ls: LightsailMock) -> None:
        """OK from creation (evaluated at once), ALARM 08:20-08:35, OK again until now."""
        put_alarm()
        ls.clock.advance(hours=1)
        picture = alarm_picture(ls, "cpu-high")
        assert [(i.start, i.end, i.state) for i in picture.intervals] == [
            (at(0), at(20), AlarmState.OK),
            (at(20), at(35), AlarmState.ALARM),
            (at(35), at(60), AlarmState.OK),
        ]

    def test_datapoints_start_before_creation(self, ls: LightsailMock) -> None:
        """Periods run from the evaluation range before creation (R = 3 for N = 1) to the last boundary."""
        put_alarm()
        ls.clock.advance(hours=1)
        picture = alarm_picture(ls, "cpu-high")
        assert picture.period_starts[0] == at(-15)
        assert picture.period_starts[-1] == at(55)
        assert picture.values.tolist()[:3] == [20.0, 20.0, 20.0]

    def test_a_new_alarm_without_data_is_one_grey_interval(self, ls: LightsailMock) -> None:
        """An alarm on a metric with no samples stays INSUFFICIENT_DATA from creation to now."""
        put_alarm(alarmName="net-quiet", metricName="NetworkIn", threshold=1e9)
        ls.clock.advance(minutes=12)
        picture = alarm_picture(ls, "net-quiet")
        assert [(i.start, i.end, i.state) for i in picture.intervals] == [(at(0), at(12), AlarmState.INSUFFICIENT_DATA)]
        assert np.isnan(picture.values).all()
        assert not picture.breaching.any()

    def test_unknown_alarm_is_a_usage_error(self, ls: LightsailMock) -> None:
        """Asking for an alarm that does not exist names it and the region."""
        with pytest.raises(LightmockUsageError, match="no alarm 'nope' in us-east-1"):
            alarm_picture(ls, "nope")


class TestPlotAlarm:
    def test_threshold_line_at_the_threshold(self, drawn: Any) -> None:
        """One dashed horizontal line at y = 50, labelled with the operator."""
        (line,) = artists(drawn, "threshold")
        assert list(line.get_ydata()) == [50.0, 50.0]
        assert line.get_label() == "threshold (> 50)"

    def test_one_band_per_state_interval(self, drawn: Any, mpl: SimpleNamespace) -> None:
        """Bands cover each interval exactly, in the colour of its state."""
        bands = artists(drawn, "state-band")
        expected = [(at(0), at(20), GREEN), (at(20), at(35), RED), (at(35), at(60), GREEN)]
        assert len(bands) == len(expected)
        for band, (start, end, colour) in zip(bands, expected, strict=True):
            assert band.get_x() == pytest.approx(mpl.dates.date2num(start), rel=0, abs=SECOND)
            assert band.get_x() + band.get_width() == pytest.approx(mpl.dates.date2num(end), rel=0, abs=SECOND)
            assert band.get_facecolor()[:3] == pytest.approx(mpl.colors.to_rgb(colour))

    def test_breaching_points_highlighted(self, drawn: Any, mpl: SimpleNamespace) -> None:
        """The three datapoints above 50 (08:15, 08:20, 08:25) are drawn in red."""
        (points,) = artists(drawn, "breaching")
        offsets = points.get_offsets()
        assert len(offsets) == 3
        expected = [mpl.dates.date2num(at(m)) for m in (15, 20, 25)]
        assert offsets[:, 0].tolist() == pytest.approx(expected, rel=0, abs=SECOND)
        assert offsets[:, 1].tolist() == [90.0, 90.0, 90.0]

    def test_notifications_marked(self, drawn: Any, mpl: SimpleNamespace) -> None:
        """A vertical line per notification (OK, ALARM, OK), in its state's colour."""
        lines = artists(drawn, "notification")
        assert [line.get_xdata()[0] for line in lines] == [at(0), at(20), at(35)]
        assert [mpl.colors.to_hex(line.get_color()) for line in lines] == [GREEN, RED, GREEN]

    def test_renders_headless_to_png(self, drawn: Any, tmp_path: Path) -> None:
        """The figure saves as a PNG with the Agg backend."""
        target = tmp_path / "alarm.png"
        drawn.figure.savefig(target)
        assert target.read_bytes().startswith(b"\x89PNG")

    def test_without_axes_makes_a_figure(self, ls: LightsailMock, mpl: SimpleNamespace) -> None:
        """``ax=None`` draws on a new pyplot figure; the handle's method does the same."""
        put_alarm()
        ls.clock.advance(minutes=30)
        try:
            ax = ls.plot_alarm("cpu-high")
            assert ax.figure in [mpl.pyplot.figure(n) for n in mpl.pyplot.get_fignums()]
            assert len(artists(ax, "state-band")) == 2
        finally:
            mpl.pyplot.close("all")


class TestWithoutMatplotlib:
    @pytest.mark.parametrize("via_handle", [False, True], ids=["function", "handle"])
    def test_names_the_extra(self, ls: LightsailMock, monkeypatch: pytest.MonkeyPatch, via_handle: bool) -> None:
        """Without matplotlib, plotting raises an ImportError that says to install lightmock[plot]."""
        put_alarm()
        monkeypatch.setitem(sys.modules, "matplotlib", None)
        with pytest.raises(PlotExtraMissing, match=r"pip install 'lightmock\[plot\]'") as error:
            ls.plot_alarm("cpu-high") if via_handle else plot_alarm(ls, "cpu-high")
        assert isinstance(error.value, ImportError)
        assert isinstance(error.value, LightmockUsageError)
