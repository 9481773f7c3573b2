"""``lightmock demo``: one alarm's life, told step by step, with no AWS account at all.

Everything goes through a real boto3 client, as a user's code would; only the clock, the
metric samples and the verification of the email address are driven through the mock's
handle, because those are the things a test cannot get from the API.

The story is fixed (a frozen clock, a seeded series), so the output is the same on every
machine and the test can check it: a quiet instance, a CPU spike that puts the alarm in
ALARM for twenty minutes, and the notifications that go out on the way in and out.
"""

from __future__ import annotations

import textwrap
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

import boto3
import numpy as np

from lightmock.core.domain import ALARM_PERIOD_SECONDS
from lightmock.mock import LightsailMock, mock_lightsail
from lightmock.notebook import signals
from lightmock.notebook.display import table

__all__ = ["ALARM_NAME", "INSTANCE_NAME", "START", "run"]

START = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)
REGION = "us-east-1"
INSTANCE_NAME = "web-1"
ALARM_NAME = "cpu-high"
EMAIL = "ops@example.com"
THRESHOLD = 70.0
STEP_MINUTES = 10
STEPS = 9
PERIOD = ALARM_PERIOD_SECONDS
#: Three hours of history before the frozen "now", and ninety minutes still to come.
PAST, AHEAD = 36, 18
#: The spike: four 5-minute samples from 08:30, about 60 points above the usual load.
SPIKE_START, SPIKE_WIDTH, SPIKE_HEIGHT = PAST + 6, 4, 60.0


def _cpu_series() -> np.ndarray[Any, np.dtype[np.float64]]:
    """Quiet load around 25 % with a little noise, and one spike well over the threshold."""
    cpu = signals.sine(PAST + AHEAD, mean=25.0, amplitude=5.0, period=72, noise=2.0, seed=7)
    cpu[SPIKE_START : SPIKE_START + SPIKE_WIDTH] += SPIKE_HEIGHT
    return np.clip(cpu, 0.0, 100.0)


def _hm(moment: datetime) -> str:
    return moment.strftime("%H:%M")


def _latest_datapoint(client: Any, now: datetime) -> str:
    """The last complete 5-minute average, asked for through GetInstanceMetricData."""
    end = int(now.timestamp()) // PERIOD * PERIOD
    data = client.get_instance_metric_data(
        instanceName=INSTANCE_NAME,
        metricName="CPUUtilization",
        period=PERIOD,
        startTime=end - PERIOD,
        endTime=end,
        unit="Percent",
        statistics=["Average"],
    )["metricData"]
    return f"{data[0]['average']:5.1f} %" if data else "  no data"


def _hourly_summary(client: Any, now: datetime) -> str:
    """Min / average / max per hour over everything seeded so far, oldest hour first."""
    data = client.get_instance_metric_data(
        instanceName=INSTANCE_NAME,
        metricName="CPUUtilization",
        period=3600,
        startTime=int(now.timestamp()) - (PAST * PERIOD + STEPS * STEP_MINUTES * 60),
        endTime=int(now.timestamp()),
        unit="Percent",
        statistics=["Minimum", "Average", "Maximum"],
    )["metricData"]
    # The service returns datapoints in no particular order: sort them before reading.
    lines = ["  hour (UTC)   min %   avg %   max %"]
    for point in sorted(data, key=lambda p: p["timestamp"]):
        low, mean, high = point["minimum"], point["average"], point["maximum"]
        lines.append(f"  {_hm(point['timestamp'])}       {low:5.1f}   {mean:5.1f}   {high:5.1f}")
    return "\n".join(lines)


def run(out: TextIO, *, plot: Path | None = None) -> LightsailMock:
    """Tell the story on ``out``; draw the alarm into ``plot`` (a PNG) if given.

    Returns the (stopped) mock, whose history and notifications stay readable.
    """

    def say(text: str = "") -> None:
        print(text, file=out)

    with mock_lightsail(default_region=REGION) as ls:
        ls.clock.freeze(START)
        client = boto3.client("lightsail", region_name=REGION)
        say("lightmock demo: a CPU alarm on a Lightsail instance, with no AWS account and no network.")
        say(f"The mock is active and its clock is frozen at {START:%Y-%m-%d %H:%M} UTC.")
        say()

        client.create_instances(
            instanceNames=[INSTANCE_NAME],
            availabilityZone=f"{REGION}a",
            blueprintId="ubuntu_22_04",
            bundleId="nano_3_0",
        )
        say(f"1. boto3 created the instance {INSTANCE_NAME} (ubuntu_22_04, nano_3_0) in {REGION}a.")

        cpu = _cpu_series()
        start = START.timestamp() - PAST * PERIOD
        ls.put_metric_data(INSTANCE_NAME, "CPUUtilization", cpu, timestamps=start + PERIOD * np.arange(cpu.size))
        spike_at = datetime.fromtimestamp(start + SPIKE_START * PERIOD, tz=UTC)
        say(
            f"2. Seeded CPUUtilization every 5 minutes: 3 hours of history around 25 %, and the next "
            f"90 minutes\n   with a spike to about {SPIKE_HEIGHT + 25:.0f} % from {_hm(spike_at)} for "
            f"{SPIKE_WIDTH * 5} minutes (samples ahead of the clock stay hidden until it gets there)."
        )

        client.create_contact_method(protocol="Email", contactEndpoint=EMAIL)
        status = client.get_contact_methods()["contactMethods"][0]["status"]
        ls.verify_contact_method("Email")
        verified = client.get_contact_methods()["contactMethods"][0]["status"]
        say(f"3. Email contact method {EMAIL}: created as {status}, then verified ({verified}).")

        client.put_alarm(
            alarmName=ALARM_NAME,
            metricName="CPUUtilization",
            monitoredResourceName=INSTANCE_NAME,
            comparisonOperator="GreaterThanThreshold",
            threshold=THRESHOLD,
            evaluationPeriods=3,
            datapointsToAlarm=2,
            contactProtocols=["Email"],
            notificationTriggers=["ALARM", "OK"],
        )
        state = client.get_alarms(alarmName=ALARM_NAME)["alarms"][0]["state"]
        say(
            f"4. Alarm {ALARM_NAME}: average CPU > {THRESHOLD:g} % in 2 of 3 periods of 5 minutes, email on "
            f"ALARM and OK.\n   A new alarm is evaluated at once: it is {state}."
        )
        say()

        say(f"Moving the clock on, {STEP_MINUTES} minutes at a time (alarms are evaluated every 5 minutes):")
        say("  time    state               last 5-min CPU")
        previous = state
        for _ in range(STEPS):
            now = ls.clock.advance(minutes=STEP_MINUTES)
            state = client.get_alarms(alarmName=ALARM_NAME)["alarms"][0]["state"]
            change = f"  <- was {previous}" if state != previous else ""
            say(f"  {_hm(now)}   {state:<18}  {_latest_datapoint(client, now)}{change}")
            previous = state
        say()

        say(f"The alarm's state timeline (ls.alarm_history({ALARM_NAME!r})):")
        for record in ls.alarm_history(ALARM_NAME):
            say(f"  {_hm(record.timestamp)}  {record.old_state} -> {record.new_state}")
            say(textwrap.fill(record.reason, width=100, initial_indent="         ", subsequent_indent="         "))
        say()
        notes = ls.notifications
        say(f"Notifications sent (ls.notifications): {len(notes)}")
        say(_indent(table(notes).text()))
        say()
        say("CPUUtilization per hour (GetInstanceMetricData, period 3600 s):")
        say(_hourly_summary(client, ls.clock.now()))

        if plot is not None:
            _save_plot(ls, plot)
            say()
            say(f"Wrote the alarm's picture to {plot}")
    return ls


def _indent(text: str) -> str:
    return "\n".join(f"  {line}" for line in text.splitlines())


def _save_plot(ls: LightsailMock, path: Path) -> None:
    # A bare Figure needs no GUI backend, so this works on a headless machine.
    from lightmock.notebook.plot import plot_alarm, require_matplotlib

    require_matplotlib()
    from matplotlib.figure import Figure

    figure = Figure(figsize=(10, 4.5), layout="constrained")
    plot_alarm(ls, ALARM_NAME, ax=figure.subplots())
    figure.savefig(path, dpi=100)
