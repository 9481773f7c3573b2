"""The alarm engine over time: evaluation at every 5-minute boundary the mock's clock reaches.

Driven end to end through real boto3 clients and the handle's clock (docs/alarm-evaluation.md,
"When evaluation happens" and "Notifications"): a clock that jumps many boundaries at once
still evaluates each in order, history records are stamped with their boundary, data that
arrives late counts from the next boundary, notifications follow the rules in time order
across regions, and freezegun and time-machine move the clock as well.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from freezegun import freeze_time
from hypothesis import given, settings
from hypothesis import strategies as st

from lightmock import LightmockUsageError, LightsailMock, Notification, StateChange, mock_lightsail
from lightmock.core.domain import AlarmState, ComparisonOperator, TreatMissingData
from lightmock.core.wire import wire_time
from lightmock.engine import timeline
from tests.helpers import REGION, T0, create_instances, shared_client
from tests.test_evaluator import Alarm as ReferenceAlarm
from tests.test_evaluator import reference as reference_rule

PERIOD = timedelta(minutes=5)
PHONE = "+12065550100"
EMAIL = "ops@example.com"
#: With threshold 50 and GreaterThanThreshold: a breaching and a non-breaching datapoint.
HIGH = 90.0
LOW = 10.0


def at(periods: float) -> datetime:
    """``periods`` five-minute periods after T0."""
    return T0 + periods * PERIOD


@pytest.fixture
def client(ls: LightsailMock) -> Any:
    client = shared_client()
    create_instances(client, "web-1")
    return client


def put_alarm(client: Any, name: str = "cpu-high", **options: Any) -> None:
    settings: dict[str, Any] = {
        "metricName": "CPUUtilization",
        "monitoredResourceName": "web-1",
        "comparisonOperator": "GreaterThanThreshold",
        "threshold": 50.0,
        "evaluationPeriods": 1,
        **options,
    }
    client.put_alarm(alarmName=name, **settings)


def seed(ls: LightsailMock, pattern: str, first: int = 0, region: str | None = None) -> None:
    """One sample a minute into each period from period ``first`` on: X breaches, 0 does not, - is no data."""
    values = [HIGH if c == "X" else LOW for c in pattern.split() if c != "-"]
    times = [at(first + i) + timedelta(minutes=1) for i, c in enumerate(pattern.split()) if c != "-"]
    ls.put_metric_data("web-1", "CPUUtilization", values, timestamps=times, region=region)


def state(client: Any, name: str = "cpu-high") -> str:
    return client.get_alarms(alarmName=name)["alarms"][0]["state"]  # type: ignore[no-any-return]


def changes(ls: LightsailMock, name: str = "cpu-high", region: str | None = None) -> list[tuple[datetime, str, str]]:
    return [(c.timestamp, c.old_state, c.new_state) for c in ls.alarm_history(name, region=region)]


def sent(ls: LightsailMock) -> list[tuple[datetime, str, str]]:
    return [(n.timestamp, n.state, n.protocol) for n in ls.notifications]


# --- catching up with the clock -------------------------------------------------------------


class TestEveryBoundary:
    def test_short_spike_inside_a_long_jump(self, ls: LightsailMock, client: Any) -> None:
        """One breaching period inside a one-hour jump still gives ALARM then OK, notified both."""
        client.create_contact_method(protocol="SMS", contactEndpoint=PHONE)
        put_alarm(client, contactProtocols=["SMS"], notificationTriggers=["ALARM", "OK"])
        seed(ls, "0 0 0 0 X 0 0 0 0 0 0 0")
        ls.clock.advance(hours=1)
        assert state(client) == "OK"
        assert changes(ls) == [
            (at(1), "INSUFFICIENT_DATA", "OK"),
            (at(5), "OK", "ALARM"),
            (at(6), "ALARM", "OK"),
        ]
        assert sent(ls) == [(at(1), "OK", "SMS"), (at(5), "ALARM", "SMS"), (at(6), "OK", "SMS")]

    def test_spike_after_more_than_a_week(self, ls: LightsailMock, client: Any) -> None:
        """A jump of ten days (more than one replay block) misses nothing either."""
        put_alarm(client)
        spike = 9 * 288 + 7  # nine days and 35 minutes in
        seed(ls, "0", first=0)
        seed(ls, "0 X 0", first=spike - 1)
        ls.clock.advance(days=10)
        assert changes(ls) == [
            (at(1), "INSUFFICIENT_DATA", "OK"),
            (at(4), "OK", "INSUFFICIENT_DATA"),
            (at(spike), "INSUFFICIENT_DATA", "OK"),
            (at(spike + 1), "OK", "ALARM"),
            (at(spike + 2), "ALARM", "OK"),
            (at(spike + 5), "OK", "INSUFFICIENT_DATA"),
        ]

    def test_evaluation_happens_when_the_clock_reaches_the_boundary(self, ls: LightsailMock, client: Any) -> None:
        """At one second before the boundary nothing is evaluated; at the boundary it is."""
        put_alarm(client)
        seed(ls, "X")
        ls.clock.advance(seconds=299)
        assert state(client) == "INSUFFICIENT_DATA"
        ls.clock.advance(seconds=1)
        assert state(client) == "ALARM"
        assert changes(ls) == [(at(1), "INSUFFICIENT_DATA", "ALARM")]

    def test_open_period_is_not_looked_at(self, ls: LightsailMock, client: Any) -> None:
        """Data in the period still open does not count until that period closes."""
        put_alarm(client)
        seed(ls, "0 X")
        ls.clock.advance(minutes=9)
        assert state(client) == "OK"
        ls.clock.advance(minutes=1)
        assert state(client) == "ALARM"

    def test_same_result_however_the_clock_is_moved(self, ls: LightsailMock, client: Any) -> None:
        """Looking at every boundary or only at the end gives the same history."""
        west = shared_client("us-west-2")
        create_instances(west, "web-1")
        pattern = "0 X X 0 - - X 0 - - - - 0 X"
        for c in (client, west):
            put_alarm(c, evaluationPeriods=3, datapointsToAlarm=2)
        seed(ls, pattern)
        seed(ls, pattern, region="us-west-2")
        for _ in range(20):  # us-east-1 is looked at after every step; us-west-2 only at the end
            ls.clock.advance(minutes=5)
            state(client)
        assert changes(ls) == changes(ls, region="us-west-2")
        assert len(changes(ls)) >= 3

    def test_future_data_is_invisible_until_the_clock_reaches_it(self, ls: LightsailMock, client: Any) -> None:
        """Data seeded ahead of the clock does not decide anything before its time."""
        put_alarm(client, treatMissingData="notBreaching")
        seed(ls, "X", first=6)
        ls.clock.advance(minutes=30)
        assert state(client) == "OK"
        ls.clock.advance(minutes=5)
        assert state(client) == "ALARM"
        assert changes(ls)[-1] == (at(7), "OK", "ALARM")


class TestHistory:
    def test_creation_that_stays_insufficient_adds_nothing(self, ls: LightsailMock, client: Any) -> None:
        """A new alarm with no data is INSUFFICIENT_DATA, which is no change."""
        put_alarm(client)
        assert ls.alarm_history("cpu-high") == []

    def test_creation_that_decides_is_recorded_at_creation_time(self, ls: LightsailMock, client: Any) -> None:
        """A new alarm evaluated into OK at once records the change at the time of PutAlarm."""
        seed(ls, "0", first=-1)
        ls.clock.advance(seconds=17)
        put_alarm(client)
        assert changes(ls) == [(T0 + timedelta(seconds=17), "INSUFFICIENT_DATA", "OK")]

    def test_steady_state_adds_nothing(self, ls: LightsailMock, client: Any) -> None:
        """Evaluations that keep the state record nothing, however many."""
        put_alarm(client)
        seed(ls, " ".join(["0"] * 24))
        ls.clock.advance(hours=2)
        assert changes(ls) == [(at(1), "INSUFFICIENT_DATA", "OK")]

    def test_records(self, ls: LightsailMock, client: Any) -> None:
        """Each record names the alarm, its old and new states and, in a sentence, why."""
        put_alarm(client)
        seed(ls, "X 0")
        ls.clock.advance(minutes=10)
        alarm, ok = ls.alarm_history("cpu-high")
        assert isinstance(alarm, StateChange)
        assert (alarm.alarm_name, alarm.timestamp, alarm.old_state, alarm.new_state) == (
            "cpu-high",
            at(1),
            "INSUFFICIENT_DATA",
            "ALARM",
        )
        assert alarm.reason.startswith("Threshold Crossed")
        assert "90.0" in alarm.reason
        assert "not" not in alarm.reason
        assert ok.reason.startswith("Threshold Crossed")
        assert "10.0" in ok.reason
        assert "not greater than" in ok.reason
        for record in (alarm, ok):
            assert record.reason.endswith(".")
            assert record.timestamp.tzinfo is not None

    def test_insufficient_data_reason(self, ls: LightsailMock, client: Any) -> None:
        """A fall back to INSUFFICIENT_DATA says the datapoints were unknown."""
        put_alarm(client)
        seed(ls, "0")
        ls.clock.advance(minutes=30)
        last = ls.alarm_history("cpu-high")[-1]
        assert (last.timestamp, last.new_state) == (at(4), "INSUFFICIENT_DATA")
        assert last.reason.startswith("Insufficient Data")

    def test_states_compare_equal_to_wire_strings(self, ls: LightsailMock, client: Any) -> None:
        """History states and notification states are the wire strings."""
        client.create_contact_method(protocol="SMS", contactEndpoint=PHONE)
        put_alarm(client, contactProtocols=["SMS"])
        seed(ls, "X")
        ls.clock.advance(minutes=5)
        (change,) = ls.alarm_history("cpu-high")
        (notification,) = ls.notifications
        assert change.new_state == "ALARM"
        assert change.old_state == "INSUFFICIENT_DATA"
        assert notification.state == "ALARM"
        assert notification.protocol == "SMS"
        assert f"{change.new_state}" == "ALARM"
        assert {change.new_state: 1} == {"ALARM": 1}

    def test_unknown_alarm_is_a_usage_error(self, ls: LightsailMock, client: Any) -> None:
        """Asking the history of an alarm that does not exist is the test's mistake."""
        with pytest.raises(LightmockUsageError, match="nope"):
            ls.alarm_history("nope")

    def test_deleted_alarm_history_is_gone(self, ls: LightsailMock, client: Any) -> None:
        """A deleted alarm has no history to ask for."""
        put_alarm(client)
        client.delete_alarm(alarmName="cpu-high")
        with pytest.raises(LightmockUsageError):
            ls.alarm_history("cpu-high")


# --- late data and updates -------------------------------------------------------------------


class TestLateData:
    def test_late_data_counts_from_the_next_boundary(self, ls: LightsailMock, client: Any) -> None:
        """Data for an evaluated period does not rewrite history; the next evaluation sees it."""
        put_alarm(client, threshold=40.0)
        seed(ls, "0")
        ls.clock.advance(minutes=5, seconds=1)
        assert changes(ls) == [(at(1), "INSUFFICIENT_DATA", "OK")]
        ls.put_metric_data("web-1", "CPUUtilization", [HIGH], timestamps=[T0 + timedelta(minutes=2)])
        assert state(client) == "OK"  # the period's average is now 50, but it was evaluated already
        ls.clock.advance(minutes=5)
        assert changes(ls) == [(at(1), "INSUFFICIENT_DATA", "OK"), (at(2), "OK", "ALARM")]

    def test_data_seeded_after_a_jump_does_not_reach_back(self, ls: LightsailMock, client: Any) -> None:
        """The clock moved past boundaries unobserved: seeding then evaluates them first, without the new data."""
        put_alarm(client, threshold=40.0)
        seed(ls, "0")
        ls.clock.advance(minutes=5, seconds=1)  # nobody looks
        ls.put_metric_data("web-1", "CPUUtilization", [HIGH], timestamps=[T0 + timedelta(minutes=2)])
        ls.clock.advance(minutes=5)
        assert changes(ls) == [(at(1), "INSUFFICIENT_DATA", "OK"), (at(2), "OK", "ALARM")]


class TestUpdate:
    def test_update_is_evaluated_at_once(self, ls: LightsailMock, client: Any) -> None:
        """A new threshold changes the state without the clock reaching a boundary, recorded at the update."""
        seed(ls, "0", first=-1)
        put_alarm(client)
        ls.clock.advance(seconds=10)
        put_alarm(client, threshold=5.0)
        assert state(client) == "ALARM"
        assert changes(ls)[-1] == (T0 + timedelta(seconds=10), "OK", "ALARM")

    def test_update_uses_the_new_configuration_from_then_on(self, ls: LightsailMock, client: Any) -> None:
        """Evaluations after an update use the updated alarm."""
        put_alarm(client)
        seed(ls, "0 0 0 0")
        ls.clock.advance(minutes=10)
        put_alarm(client, comparisonOperator="LessThanThreshold")
        ls.clock.advance(minutes=10)
        assert changes(ls) == [
            (at(1), "INSUFFICIENT_DATA", "OK"),
            (at(2), "OK", "ALARM"),
        ]

    def test_an_unchanged_update_that_changes_the_state_is_not_recorded_twice(
        self, ls: LightsailMock, client: Any
    ) -> None:
        """Re-putting the same configuration after late data decides at once; the
        evaluations after it start from that state."""
        put_alarm(client)
        ls.clock.advance(minutes=5)  # evaluated at 1: no data yet
        seed(ls, "X", first=0)  # late data for period 0
        put_alarm(client)  # the same configuration, evaluated at once
        ls.clock.advance(minutes=10)
        assert changes(ls) == [(at(1), "INSUFFICIENT_DATA", "ALARM")]
        assert state(client) == "ALARM"
        seed(ls, "- 0", first=1)  # late: counts from the boundary at 4
        ls.clock.advance(minutes=5)
        assert changes(ls)[1:] == [(at(4), "ALARM", "OK")]

    def test_an_alarm_moved_to_another_metric_frees_its_place(self, ls: LightsailMock, client: Any) -> None:
        """The two-alarms-per-metric limit follows updates, deletions and deleted resources."""
        put_alarm(client, "alarm-a")
        put_alarm(client, "alarm-b")
        put_alarm(client, "alarm-b", metricName="NetworkIn")  # b leaves CPUUtilization
        put_alarm(client, "alarm-c")
        with pytest.raises(client.exceptions.InvalidInputException, match="2 alarms per metric"):
            put_alarm(client, "alarm-d")
        client.delete_alarm(alarmName="alarm-a")
        put_alarm(client, "alarm-d")
        client.delete_instance(instanceName="web-1")
        create_instances(client, "web-1")
        put_alarm(client, "alarm-e")
        put_alarm(client, "alarm-f")
        assert sorted(a["name"] for a in client.get_alarms()["alarms"]) == ["alarm-e", "alarm-f"]


# --- notifications ------------------------------------------------------------------------

#: The series drives the alarm INSUFFICIENT_DATA -> ALARM (at 1) -> OK (at 2) -> INSUFFICIENT_DATA (at 5).
#: (options, contact methods, email verified) -> (period, state, protocol) notified.
NOTIFICATION_RULES: list[Any] = [
    pytest.param({"contactProtocols": ["SMS"]}, ["SMS"], False, [(1, "ALARM", "SMS")], id="default-triggers"),
    pytest.param(
        {"contactProtocols": ["SMS"], "notificationTriggers": ["ALARM", "OK"]},
        ["SMS"],
        False,
        [(1, "ALARM", "SMS"), (2, "OK", "SMS")],
        id="alarm-and-ok",
    ),
    pytest.param(
        {"contactProtocols": ["SMS"], "notificationTriggers": ["INSUFFICIENT_DATA", "ALARM", "OK"]},
        ["SMS"],
        False,
        [(1, "ALARM", "SMS"), (2, "OK", "SMS"), (5, "INSUFFICIENT_DATA", "SMS")],
        id="every-trigger",
    ),
    pytest.param(
        {"contactProtocols": ["SMS"], "notificationTriggers": ["ALARM", "OK"], "notificationEnabled": False},
        ["SMS"],
        False,
        [],
        id="disabled",
    ),
    pytest.param({"contactProtocols": []}, ["SMS", "Email"], True, [], id="no-protocol-listed"),
    pytest.param({"contactProtocols": ["Email", "SMS"]}, [], False, [], id="no-contact-method"),
    pytest.param({"contactProtocols": ["Email"]}, ["Email"], False, [], id="email-unverified"),
    pytest.param({"contactProtocols": ["Email"]}, ["Email"], True, [(1, "ALARM", "Email")], id="email-verified"),
    pytest.param(
        {"contactProtocols": ["Email", "SMS"]},
        ["Email", "SMS"],
        True,
        [(1, "ALARM", "Email"), (1, "ALARM", "SMS")],
        id="both",
    ),
    pytest.param({"contactProtocols": ["SMS"]}, ["Email", "SMS"], True, [(1, "ALARM", "SMS")], id="email-not-listed"),
]


class TestNotifications:
    @pytest.mark.parametrize(("options", "configured", "verified", "expected"), NOTIFICATION_RULES)
    def test_rules(
        self,
        ls: LightsailMock,
        client: Any,
        options: dict[str, Any],
        configured: list[str],
        verified: bool,
        expected: list[tuple[int, str, str]],
        add_contact_methods: Callable[[Any, list[str], bool], None],
    ) -> None:
        """A change notifies each listed protocol with a contact method (Email verified) if enabled and triggered."""
        add_contact_methods(client, configured, verified)
        put_alarm(client, **options)
        seed(ls, "X 0")
        ls.clock.advance(hours=1)
        assert changes(ls) == [
            (at(1), "INSUFFICIENT_DATA", "ALARM"),
            (at(2), "ALARM", "OK"),
            (at(5), "OK", "INSUFFICIENT_DATA"),
        ]
        assert sent(ls) == [(at(period), s, protocol) for period, s, protocol in expected]

    def test_no_change_no_notification(self, ls: LightsailMock, client: Any) -> None:
        """An alarm that stays in ALARM notifies once."""
        client.create_contact_method(protocol="SMS", contactEndpoint=PHONE)
        put_alarm(client, contactProtocols=["SMS"])
        seed(ls, " ".join(["X"] * 12))
        ls.clock.advance(hours=1)
        assert sent(ls) == [(at(1), "ALARM", "SMS")]

    def test_record(self, ls: LightsailMock, client: Any) -> None:
        """A notification says which alarm, which state, where to, when, from which region, and not a test."""
        client.create_contact_method(protocol="Email", contactEndpoint=EMAIL)
        ls.verify_contact_method("Email")
        put_alarm(client, contactProtocols=["Email"])
        seed(ls, "- - X")
        ls.clock.advance(minutes=30)
        (notification,) = ls.notifications
        assert isinstance(notification, Notification)
        assert notification.alarm_name == "cpu-high"
        assert notification.state == "ALARM"
        assert notification.protocol == "Email"
        assert notification.endpoint == EMAIL
        assert notification.timestamp == at(3)
        assert notification.region == REGION
        assert notification.test is False

    def test_time_order_across_regions(self, ls: LightsailMock, client: Any) -> None:
        """Notifications of two regions come in time order, not region by region."""
        west = shared_client("us-west-2")
        create_instances(west, "web-1")
        for c in (client, west):
            c.create_contact_method(protocol="SMS", contactEndpoint=PHONE)
            put_alarm(c, contactProtocols=["SMS"], notificationTriggers=["ALARM", "OK"])
        seed(ls, "- - X")  # us-east-1: ALARM at 3
        seed(ls, "- X 0 0 X", region="us-west-2")  # us-west-2: ALARM at 2, OK at 3, ALARM at 5
        ls.clock.advance(minutes=30)
        assert [(n.timestamp, n.region, n.state) for n in ls.notifications] == [
            (at(2), "us-west-2", "ALARM"),
            (at(3), "us-east-1", "ALARM"),
            (at(3), "us-west-2", "OK"),
            (at(5), "us-west-2", "ALARM"),
        ]

    def test_contact_created_mid_way_only_gets_later_changes(self, ls: LightsailMock, client: Any) -> None:
        """A contact method created after a change (the clock unobserved) does not receive that change."""
        put_alarm(client, contactProtocols=["SMS"], notificationTriggers=["ALARM", "OK"])
        seed(ls, "X 0")
        ls.clock.advance(minutes=7)  # ALARM at 1 is due, but nobody has looked
        client.create_contact_method(protocol="SMS", contactEndpoint=PHONE)
        ls.clock.advance(minutes=5)
        assert sent(ls) == [(at(2), "OK", "SMS")]

    def test_email_verified_mid_way_only_gets_later_changes(self, ls: LightsailMock, client: Any) -> None:
        """Verifying an email after a change does not deliver that change late."""
        client.create_contact_method(protocol="Email", contactEndpoint=EMAIL)
        put_alarm(client, contactProtocols=["Email"], notificationTriggers=["ALARM", "OK"])
        seed(ls, "X 0")
        ls.clock.advance(minutes=7)
        ls.verify_contact_method("Email")
        ls.clock.advance(minutes=5)
        assert sent(ls) == [(at(2), "OK", "Email")]

    def test_contact_deleted_mid_way(self, ls: LightsailMock, client: Any) -> None:
        """A contact method deleted after a change still got that change, and nothing after."""
        client.create_contact_method(protocol="SMS", contactEndpoint=PHONE)
        put_alarm(client, contactProtocols=["SMS"], notificationTriggers=["ALARM", "OK"])
        seed(ls, "X 0")
        ls.clock.advance(minutes=7)
        client.delete_contact_method(protocol="SMS")
        ls.clock.advance(minutes=5)
        assert sent(ls) == [(at(1), "ALARM", "SMS")]

    def test_notifications_survive_stop(self) -> None:
        """After the mock stops, its handle still shows what was sent."""
        with mock_lightsail() as ls:
            ls.clock.freeze(T0)
            c = shared_client()
            create_instances(c, "web-1")
            c.create_contact_method(protocol="SMS", contactEndpoint=PHONE)
            put_alarm(c, contactProtocols=["SMS"])
            seed(ls, "X")
            ls.clock.advance(minutes=5)
            ls.alarm_history("cpu-high")
        assert sent(ls) == [(at(1), "ALARM", "SMS")]


# --- treatMissingData, end to end --------------------------------------------------------------

#: AWS's published tables (docs/alarm-evaluation.md): N = 3, range of 5, oldest left; "keep" is
#: the state before. Columns: missing, ignore, breaching, notBreaching.
KEEP = "keep"
TREATMENTS = ["missing", "ignore", "breaching", "notBreaching"]
AWS_TABLES: list[tuple[int, str, tuple[str, str, str, str]]] = [
    (3, "0 - X - X", ("OK", "OK", "OK", "OK")),
    (3, "0 - - - -", ("OK", "OK", "OK", "OK")),
    (3, "- - - - -", ("INSUFFICIENT_DATA", KEEP, "ALARM", "OK")),
    (3, "0 X X - X", ("ALARM", "ALARM", "ALARM", "ALARM")),
    (3, "- - X - -", ("ALARM", KEEP, "ALARM", "OK")),
    (2, "0 - X - X", ("ALARM", "ALARM", "ALARM", "ALARM")),
    (2, "0 0 X 0 X", ("ALARM", "ALARM", "ALARM", "ALARM")),
    (2, "0 - X - -", ("OK", "OK", "ALARM", "OK")),
    (2, "- - - - 0", ("OK", "OK", "ALARM", "OK")),
    (2, "- - - X -", ("ALARM", KEEP, "ALARM", "OK")),
]
CELLS = [
    pytest.param(m, pattern, treatment, expected, id=f"{m}of3-{pattern.replace(' ', '')}-{treatment}")
    for m, pattern, row in AWS_TABLES
    for treatment, expected in zip(TREATMENTS, row, strict=True)
]


class TestTreatMissingData:
    @pytest.mark.parametrize(("m", "pattern", "treatment", "expected"), CELLS)
    def test_new_alarm_over_seeded_range(
        self, ls: LightsailMock, client: Any, m: int, pattern: str, treatment: str, expected: str
    ) -> None:
        """A new alarm over the five periods before now decides as AWS's table says (keep: INSUFFICIENT_DATA)."""
        seed(ls, pattern, first=-5)
        put_alarm(client, evaluationPeriods=3, datapointsToAlarm=m, treatMissingData=treatment)
        assert state(client) == ("INSUFFICIENT_DATA" if expected == KEEP else expected)

    @pytest.mark.parametrize(("m", "pattern", "treatment", "expected"), [c for c in CELLS if c.values[3] != KEEP])
    def test_existing_alarm_as_the_clock_reaches_the_range(
        self, ls: LightsailMock, client: Any, m: int, pattern: str, treatment: str, expected: str
    ) -> None:
        """An alarm evaluated boundary by boundary ends where AWS's table says, whatever came before."""
        put_alarm(client, evaluationPeriods=3, datapointsToAlarm=m, treatMissingData=treatment)
        seed(ls, pattern, first=0)
        ls.clock.advance(minutes=25)
        assert state(client) == expected

    @pytest.mark.parametrize("pattern", ["- - - - -", "- - X - -"])
    @pytest.mark.parametrize("before", ["ALARM", "OK"])
    def test_ignore_keeps_the_state_before(self, ls: LightsailMock, client: Any, pattern: str, before: str) -> None:
        """Under ignore the "keep" cells keep whatever state the alarm was in."""
        put_alarm(client, evaluationPeriods=3, treatMissingData="ignore")
        decided = "X X X" if before == "ALARM" else "0 0 0"
        seed(ls, decided, first=0)
        ls.clock.advance(minutes=15)
        assert state(client) == before
        seed(ls, "- - - - " + pattern, first=3)  # four empty periods first: the decided data ages out
        ls.clock.advance(minutes=45)
        assert state(client) == before
        assert [new for _, _, new in changes(ls)] == [before]

    def test_missing_falls_back_to_insufficient_data(self, ls: LightsailMock, client: Any) -> None:
        """Under missing, the same silence turns an ALARM into INSUFFICIENT_DATA."""
        put_alarm(client, evaluationPeriods=3)
        seed(ls, "X X X", first=0)
        ls.clock.advance(hours=1)
        assert state(client) == "INSUFFICIENT_DATA"

    def test_breaching_after_the_metric_stops(self, ls: LightsailMock, client: Any) -> None:
        """Under breaching, "0 - - - -" is OK and turns ALARM one evaluation later."""
        put_alarm(client, evaluationPeriods=3, treatMissingData="breaching")
        seed(ls, "0", first=0)
        ls.clock.advance(minutes=25)
        assert state(client) == "OK"
        ls.clock.advance(minutes=5)
        assert state(client) == "ALARM"
        assert changes(ls)[-1] == (at(6), "OK", "ALARM")


# --- the clock ---------------------------------------------------------------------------


class TestClock:
    def test_cannot_freeze_backwards(self, ls: LightsailMock) -> None:
        """Freezing before the clock's latest reading is a usage error, and the clock stays."""
        with pytest.raises(LightmockUsageError, match="backwards"):
            ls.clock.freeze(T0 - timedelta(seconds=1))
        assert ls.clock.now() == T0

    def test_cannot_advance_backwards(self, ls: LightsailMock) -> None:
        """A negative advance is a usage error."""
        with pytest.raises(LightmockUsageError, match="backwards"):
            ls.clock.advance(minutes=-5)
        assert ls.clock.now() == T0

    def test_freezegun_moves_the_clock(self) -> None:
        """With the mock's clock not frozen, freezegun's time is the mock's time."""
        with mock_lightsail() as ls, freeze_time("2030-01-01 12:00:00") as frozen:
            assert ls.clock.now() == datetime(2030, 1, 1, 12, tzinfo=UTC)
            frozen.tick(timedelta(minutes=7))
            assert ls.clock.now() == datetime(2030, 1, 1, 12, 7, tzinfo=UTC)

    def test_freezegun_moving_back_holds_the_clock(self) -> None:
        """freezegun moved backwards: the mock's clock holds at its latest reading."""
        with mock_lightsail() as ls:
            with freeze_time("2030-01-01 12:00:00"):
                assert ls.clock.now() == datetime(2030, 1, 1, 12, tzinfo=UTC)
            with freeze_time("2030-01-01 11:00:00"):
                assert ls.clock.now() == datetime(2030, 1, 1, 12, tzinfo=UTC)

    def test_alarm_under_freezegun(self) -> None:
        """An alarm is evaluated as freezegun's time crosses a boundary."""
        with mock_lightsail() as ls, freeze_time("2030-01-01 12:00:00") as frozen:
            client = shared_client()
            create_instances(client, "web-1")
            put_alarm(client)
            ls.put_metric_data("web-1", "CPUUtilization", [HIGH], timestamps=[datetime(2030, 1, 1, 12, 1, tzinfo=UTC)])
            assert state(client) == "INSUFFICIENT_DATA"
            frozen.tick(timedelta(minutes=5))
            assert state(client) == "ALARM"
            assert changes(ls) == [(datetime(2030, 1, 1, 12, 5, tzinfo=UTC), "INSUFFICIENT_DATA", "ALARM")]

    def test_alarm_under_time_machine(self) -> None:
        """An alarm is evaluated when time-machine's traveller shifts across a boundary."""
        start = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
        with time_machine.travel(start, tick=False) as traveller, mock_lightsail() as ls:
            client = shared_client()
            create_instances(client, "web-1")
            assert ls.clock.now() == start
            ls.put_metric_data("web-1", "CPUUtilization", [LOW, LOW])  # at 11:50 and 11:55
            put_alarm(client, evaluationPeriods=2)
            assert state(client) == "OK"
            ls.put_metric_data(
                "web-1", "CPUUtilization", [HIGH, HIGH], timestamps=[start.timestamp() + 60, start.timestamp() + 360]
            )
            traveller.shift(timedelta(minutes=10))
            assert state(client) == "ALARM"
            assert changes(ls) == [
                (start, "INSUFFICIENT_DATA", "OK"),
                (start + timedelta(minutes=10), "OK", "ALARM"),
            ]


class TestTimeArithmetic:
    @given(st.floats(min_value=0, max_value=4e9, allow_nan=False))
    def test_boundary_at_or_before(self, now: float) -> None:
        """The latest multiple of 300 s at or before ``now``, never one after it."""
        boundary = timeline.boundary_at_or_before(now)
        assert boundary <= now < boundary + 300
        assert boundary % 300 == 0

    @given(st.floats(min_value=0, max_value=4e9, allow_nan=False))
    def test_wire_time_is_the_nearest_millisecond(self, epoch: float) -> None:
        wired = wire_time(epoch)
        assert abs(wired - epoch) <= 0.0005 + 1e-6
        assert wired == round(wired * 1000) / 1000


# --- the engine against the rule, step by step ------------------------------------------


@st.composite
def timelines(draw: st.DrawFn) -> tuple[list[dict[str, Any]], list[tuple[int, list[tuple[int, int]]]]]:
    """Alarms on two metrics, and batches of samples seeded as the clock moves.

    Each batch is ``(minutes the clock moves first, [(minute of the sample from T0,
    value)])``: samples may land in the past (late), the present or the future. Values
    are small integers, so sums and averages are exact and the reference can add them
    in any order.
    """
    alarms = []
    # Two alarms per metric at most, as Lightsail allows.
    slots = draw(st.permutations(["CPUUtilization", "CPUUtilization", "NetworkIn", "NetworkIn"]))
    for index, metric in enumerate(slots[: draw(st.integers(0, 4))]):
        periods = draw(st.integers(1, 5))
        alarms.append(
            {
                "alarmName": f"alarm-{index}",
                "metricName": metric,
                "comparisonOperator": draw(st.sampled_from(list(OPERATOR_BY_WIRE))),
                "threshold": float(draw(st.integers(0, 6))),
                "evaluationPeriods": periods,
                "datapointsToAlarm": draw(st.integers(1, periods)),
                "treatMissingData": draw(st.sampled_from(list(TREATMENT_BY_WIRE))),
            }
        )
    # Often no data and one 5-minute step: the engine then reuses what it read before.
    samples = st.one_of(st.just([]), st.lists(st.tuples(st.integers(-40, 200), st.integers(0, 6)), max_size=6))
    minutes = st.one_of(st.just(5), st.integers(0, 60))
    batches = draw(st.lists(st.tuples(minutes, samples), max_size=16))
    return alarms, batches


OPERATOR_BY_WIRE = {op.value: op for op in ComparisonOperator}
TREATMENT_BY_WIRE = {t.value: t for t in TreatMissingData}


def seed_both(ls: LightsailMock, samples: list[tuple[int, int]]) -> None:
    """A batch of ``timelines``: each ``(minute from T0, value)`` as a sample of both
    CPUUtilization and NetworkIn on web-1."""
    for metric in ("CPUUtilization", "NetworkIn"):
        if samples:
            ls.put_metric_data(
                "web-1",
                metric,
                [float(v) for _, v in samples],
                timestamps=[T0.timestamp() + m * 60 for m, _ in samples],
            )


def expected_history(
    params: dict[str, Any], arrived: list[tuple[float, int, int]], end: float
) -> list[tuple[float, AlarmState, AlarmState]]:
    """The rule applied at creation (T0) and at every boundary up to ``end``, by the
    slow reference, to the samples that had arrived by then: (arrival, minute, value)."""
    periods = params["evaluationPeriods"]
    alarm = ReferenceAlarm(
        threshold=params["threshold"],
        operator=OPERATOR_BY_WIRE[params["comparisonOperator"]],
        periods=periods,
        datapoints=params["datapointsToAlarm"],
        treatment=TREATMENT_BY_WIRE[params["treatMissingData"]],
    )
    average = params["metricName"] == "CPUUtilization"  # NetworkIn is a Sum
    t0 = T0.timestamp()

    def window(boundary: float, seen: Callable[[float], bool]) -> list[float]:
        values = []
        for k in range(periods + 2, 0, -1):
            start = boundary - k * 300
            inside = [v for a, m, v in arrived if seen(a) and start <= t0 + m * 60 < start + 300]
            values.append(math.nan if not inside else sum(inside) / len(inside) if average else float(sum(inside)))
        return values

    state = AlarmState.INSUFFICIENT_DATA
    found = []
    new = reference_rule(window(t0, lambda a: a <= t0), alarm, state)
    if new is not state:
        found.append((t0, state, new))
        state = new
    boundary = t0 + 300
    while boundary <= end:
        new = reference_rule(window(boundary, lambda a, b=boundary: a < b), alarm, state)
        if new is not state:
            found.append((boundary, state, new))
            state = new
        boundary += 300
    return found


@settings(max_examples=60, deadline=None)
@given(timelines())
def test_the_engine_decides_as_the_rule_at_every_boundary(
    scenario: tuple[list[dict[str, Any]], list[tuple[int, list[tuple[int, int]]]]],
) -> None:
    """Whatever the alarms, the data and how the clock moves (small steps that reuse the
    engine's arrays, jumps, late and future data), every state change is the slow
    reference rule's, at its boundary."""
    alarms, batches = scenario
    with mock_lightsail() as ls:
        ls.clock.freeze(T0)
        client = shared_client()
        create_instances(client, "web-1")
        for params in alarms:
            client.put_alarm(monitoredResourceName="web-1", **params)
        arrived: list[tuple[float, int, int]] = []
        for minutes, samples in batches:
            ls.clock.advance(minutes=minutes)
            client.get_alarms()
            now = ls.clock.now().timestamp()
            seed_both(ls, samples)
            arrived += [(now, m, v) for m, v in samples]
        end = ls.clock.now().timestamp()
        for params in alarms:
            got = [(c.timestamp.timestamp(), c.old_state, c.new_state) for c in ls.alarm_history(params["alarmName"])]
            assert got == expected_history(params, arrived, end)


# --- stretches without data ------------------------------------------------------------------


def evaluation_steps(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that collects the number of boundaries each replay of the engine evaluates."""
    counted: list[int] = []
    evaluate_history = timeline.evaluate_history

    def counting(values: Any, params: Any, initial: Any, steps: int) -> Any:
        counted.append(steps)
        return evaluate_history(values, params, initial, steps)

    monkeypatch.setattr(timeline, "evaluate_history", counting)
    return counted


class TestQuietStretches:
    """A stretch of boundaries whose evaluations see no datapoint has a known outcome, so
    a clock moved far ahead costs the same however far (issue 18: a thousand years with
    one alarm replayed about 10^8 evaluations under the store's lock)."""

    @staticmethod
    def jump(
        monkeypatch: pytest.MonkeyPatch, days: int
    ) -> tuple[int, list[list[tuple[datetime, str, str]]], list[Any]]:
        """A day of data, alarms of every treatment, then the clock ``days`` ahead: the
        boundaries evaluated, the histories and the notifications."""
        with mock_lightsail() as ls:
            ls.clock.freeze(T0)
            client = shared_client()
            create_instances(client, "web-1")
            client.create_contact_method(protocol="SMS", contactEndpoint=PHONE)
            treatments = ["missing", "ignore", "breaching", "notBreaching"]
            for index, treatment in enumerate(treatments):
                put_alarm(
                    client,
                    f"alarm-{treatment}",
                    metricName="CPUUtilization" if index < 2 else "NetworkIn",
                    evaluationPeriods=3,
                    datapointsToAlarm=2,
                    treatMissingData=treatment,
                    contactProtocols=["SMS"],
                    notificationTriggers=["ALARM", "OK", "INSUFFICIENT_DATA"],
                )
            seed(ls, " ".join("X" if i % 7 < 3 else "0" for i in range(288)))
            ls.put_metric_data(
                "web-1",
                "NetworkIn",
                [HIGH if i % 5 == 0 else LOW for i in range(288)],
                timestamps=[at(i) + timedelta(minutes=2) for i in range(288)],
            )
            counted = evaluation_steps(monkeypatch)
            ls.clock.advance(days=days)
            client.get_alarms()
            monkeypatch.undo()
            histories = [changes(ls, f"alarm-{treatment}") for treatment in treatments]
            return sum(counted), histories, sent(ls)

    def test_the_work_does_not_grow_with_the_length(self, monkeypatch: pytest.MonkeyPatch) -> None:
        steps_10, histories_10, sent_10 = self.jump(monkeypatch, 10)
        steps_1000, histories_1000, sent_1000 = self.jump(monkeypatch, 1000)
        # The 292 boundaries that see the day of data (R = 5), and one evaluation of the
        # quiet stretch, whatever its length (10 days are 2,880 boundaries).
        assert steps_10 == steps_1000 == 288 + 4 + 1
        # After the data has aged out, nothing changes any more: the same histories.
        assert histories_10 == histories_1000
        assert sent_10 == sent_1000
        assert {h[-1][2] for h in histories_10} == {"INSUFFICIENT_DATA", "ALARM", "OK"}

    def test_ten_years(self, monkeypatch: pytest.MonkeyPatch, ls: LightsailMock, client: Any) -> None:
        """Ten years ahead (over a million boundaries) cost six evaluations. The issue's
        thousand years are timed in ``benchmarks/bench_quiet.py``."""
        put_alarm(client, treatMissingData="breaching")
        seed(ls, "0 0 0")
        counted = evaluation_steps(monkeypatch)
        ls.clock.advance(days=3650)
        assert state(client) == "ALARM"
        # Boundaries 1 to 5 see the three periods of data (R = 3), the sixth decides the rest.
        assert sum(counted) == 6
        assert changes(ls) == [
            (at(0), "INSUFFICIENT_DATA", "ALARM"),  # created with no data: missing data breaches
            (at(1), "ALARM", "OK"),
            (at(6), "OK", "ALARM"),  # the last datapoint has left the range
        ]

    def test_a_stretch_that_starts_inside_a_window(self, ls: LightsailMock, client: Any) -> None:
        """The clock stopped where the last datapoint is still the oldest a window sees: the
        next boundary still sees it, the one after decides the stretch."""
        put_alarm(client)  # N = 1, R = 3
        seed(ls, "X")
        ls.clock.advance(minutes=10)
        assert state(client) == "ALARM"  # boundaries 1 and 2 see period 0
        ls.clock.advance(days=10)
        assert changes(ls) == [(at(1), "INSUFFICIENT_DATA", "ALARM"), (at(4), "ALARM", "INSUFFICIENT_DATA")]

    def test_future_data_is_not_skipped(self, monkeypatch: pytest.MonkeyPatch, ls: LightsailMock, client: Any) -> None:
        """A sample seeded a year ahead lies in the stretch: it is evaluated when reached."""
        put_alarm(client)
        seed(ls, "0")
        seed(ls, "X", first=365 * 288)
        counted = evaluation_steps(monkeypatch)
        ls.clock.advance(days=400)
        assert state(client) == "INSUFFICIENT_DATA"
        assert changes(ls) == [
            (at(1), "INSUFFICIENT_DATA", "OK"),
            (at(4), "OK", "INSUFFICIENT_DATA"),
            (at(365 * 288 + 1), "INSUFFICIENT_DATA", "ALARM"),
            (at(365 * 288 + 4), "ALARM", "INSUFFICIENT_DATA"),
        ]
        assert sum(counted) < 2 * timeline.MAX_STEPS_PER_BLOCK


@st.composite
def sparse_timelines(draw: st.DrawFn) -> tuple[list[dict[str, Any]], list[tuple[int, list[tuple[int, int]]]]]:
    """Alarms as in ``timelines``, and samples in a few short bursts far apart (past,
    present and future), seeded as the clock jumps hours at a time."""
    alarms, _ = draw(timelines())
    burst = st.tuples(st.integers(-60, 1200), st.lists(st.tuples(st.integers(0, 20), st.integers(0, 6)), max_size=5))
    batches = []
    for _ in range(draw(st.integers(1, 3))):
        bursts = draw(st.lists(burst, max_size=3))
        samples = [(start + offset, value) for start, burst_samples in bursts for offset, value in burst_samples]
        batches.append((draw(st.integers(0, 400)), samples))
    return alarms, batches


def replay(
    alarms: list[dict[str, Any]], batches: list[tuple[int, list[tuple[int, int]]]], *, stepwise: bool
) -> tuple[list[list[StateChange]], list[Notification], list[str]]:
    """Run a sparse timeline, the clock moved at once or five minutes at a time with
    every step evaluated on its own (the slow path); the histories, notifications, states."""
    with mock_lightsail() as ls:
        ls.clock.freeze(T0)
        client = shared_client()
        create_instances(client, "web-1")
        client.create_contact_method(protocol="SMS", contactEndpoint=PHONE)
        for params in alarms:
            client.put_alarm(
                monitoredResourceName="web-1",
                contactProtocols=["SMS"],
                notificationTriggers=["ALARM", "OK", "INSUFFICIENT_DATA"],
                **params,
            )
        for minutes, samples in batches:
            if stepwise:
                for _ in range(minutes // 5):
                    ls.clock.advance(minutes=5)
                    ls.notifications  # noqa: B018 -- a read evaluates the boundary just reached
                ls.clock.advance(minutes=minutes % 5)
            else:
                ls.clock.advance(minutes=minutes)
            seed_both(ls, samples)
        states = [alarm["state"] for alarm in client.get_alarms()["alarms"]]
        return [ls.alarm_history(params["alarmName"]) for params in alarms], ls.notifications, states


@settings(max_examples=25, deadline=None)
@given(sparse_timelines())
def test_quiet_stretches_end_as_every_boundary_would(
    scenario: tuple[list[dict[str, Any]], list[tuple[int, list[tuple[int, int]]]]],
) -> None:
    """Crossing the stretches without data at once gives the histories (timestamps,
    states, reasons), notifications and states that evaluating every boundary gives."""
    alarms, batches = scenario
    assert replay(alarms, batches, stepwise=False) == replay(alarms, batches, stepwise=True)
