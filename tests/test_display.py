"""Records as tables (HTML for notebooks, text for terminals) and the handle's notebook view."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import boto3
import pytest

from lightmock import LightmockUsageError, LightsailMock, Notification, StateChange, mock_lightsail
from lightmock.core.domain import AlarmState, ContactProtocol
from lightmock.notebook.display import Table, table

WHEN = datetime(2026, 11, 28, 8, 40, tzinfo=UTC)
CHANGE = StateChange(
    alarm_name="cpu-high",
    timestamp=WHEN,
    old_state=AlarmState.OK,
    new_state=AlarmState.ALARM,
    reason="2 datapoints > 70 & <b>",
)
SENT = Notification(
    alarm_name="cpu-high",
    state=AlarmState.ALARM,
    protocol=ContactProtocol.EMAIL,
    endpoint="ops@example.com",
    timestamp=WHEN,
    region="us-east-1",
    test=True,
)


class TestTable:
    @pytest.mark.parametrize(
        ("record", "header", "row"),
        [
            (
                CHANGE,
                ("time (UTC)", "alarm", "from", "to", "reason"),
                ("2026-11-28 08:40:00", "cpu-high", "OK", "ALARM"),
            ),
            (SENT, ("time (UTC)", "alarm", "state", "protocol"), ("2026-11-28 08:40:00", "cpu-high", "ALARM", "Email")),
        ],
        ids=["state-change", "notification"],
    )
    def test_columns(self, record: StateChange | Notification, header: tuple[str, ...], row: tuple[str, ...]) -> None:
        """Each kind of record has its columns, the time first."""
        shown = table([record])
        assert shown.header[: len(header)] == header
        assert shown.rows[0][: len(row)] == row

    def test_notification_marks_test_alarms(self) -> None:
        """A TestAlarm notification says so in the last column."""
        assert table([SENT]).rows[0][-1] == "yes"

    def test_html_escapes_and_colours_states(self) -> None:
        """HTML escapes the text and shows states in their colour."""
        markup = table([CHANGE], caption="history")._repr_html_()
        assert markup.startswith("<table><caption>history</caption>")
        assert "&lt;b&gt;" in markup
        assert "<b>" not in markup
        assert '<span style="color: #d62728; font-weight: bold">ALARM</span>' in markup

    def test_text_aligns_columns(self) -> None:
        """Plain text has a header, a rule and one line per record, columns aligned."""
        lines = str(table([CHANGE, CHANGE])).splitlines()
        assert len(lines) == 4
        assert set(lines[1]) == {"-", " "}
        assert lines[0].index("reason") == lines[2].index("2 datapoints")

    def test_text_cuts_long_cells(self) -> None:
        """``max_cell`` shortens long cells with an ellipsis."""
        assert "2 data..." in table([CHANGE]).text(max_cell=9)

    def test_empty(self) -> None:
        """No records is said in words, in both forms."""
        shown = table([])
        assert str(shown) == "(nothing recorded)"
        assert "(nothing recorded)" in shown._repr_html_()

    def test_mixed_kinds_are_a_usage_error(self) -> None:
        """One table shows one kind of record."""
        with pytest.raises(LightmockUsageError, match="one kind at a time"):
            table([CHANGE, SENT])

    def test_is_a_plain_value(self) -> None:
        """A table built by hand renders like any other."""
        assert "<th>a</th>" in Table(("a",), (("1",),))._repr_html_()


@pytest.fixture
def ls() -> Iterator[LightsailMock]:
    with mock_lightsail() as mock:
        mock.clock.freeze(WHEN)
        yield mock


class TestMockHtml:
    def test_not_started(self) -> None:
        """A handle that was never started says so."""
        assert "not started yet" in mock_lightsail()._repr_html_()

    def test_lists_regions_resources_and_alarms(self, ls: LightsailMock) -> None:
        """Regions with counts, each alarm with its condition and state, and the notification count."""
        client = boto3.client("lightsail", region_name="eu-west-1")
        client.create_instances(
            instanceNames=["web-1"], availabilityZone="eu-west-1a", blueprintId="ubuntu_22_04", bundleId="nano_3_0"
        )
        client.create_contact_method(protocol="SMS", contactEndpoint="+12065550100")
        ls.put_metric_data("web-1", "CPUUtilization", [90, 95, 99], region="eu-west-1")
        client.put_alarm(
            alarmName="cpu-high",
            metricName="CPUUtilization",
            monitoredResourceName="web-1",
            comparisonOperator="GreaterThanThreshold",
            threshold=70,
            evaluationPeriods=2,
            contactProtocols=["SMS"],
        )
        markup = ls._repr_html_()
        assert "LightsailMock</strong> active" in markup
        assert "2026-11-28 08:40:00 UTC (frozen)" in markup
        assert "1 notification sent" in markup
        assert "<td>eu-west-1</td><td>1</td><td>0</td><td>0</td><td>SMS (Valid)</td><td>1</td>" in markup
        assert "<td>Average &gt; 70, 2 of 2</td>" in markup
        assert 'font-weight: bold">ALARM</span>' in markup

    def test_empty_mock(self, ls: LightsailMock) -> None:
        """An active mock with nothing in it says there are no resources."""
        assert "no resources yet" in ls._repr_html_()
