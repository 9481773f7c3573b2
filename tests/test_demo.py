"""The ``lightmock demo`` command: one alarm's story, told without AWS, in a few seconds."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lightmock import cli, demo
from lightmock.core.domain import AlarmState


@pytest.fixture
def narration(capsys: pytest.CaptureFixture[str]) -> str:
    assert cli.main(["demo"]) == 0
    return capsys.readouterr().out


class TestDemo:
    def test_narrates_each_step(self, narration: str) -> None:
        """The instance, the seeded data, the verified contact and the alarm are each narrated."""
        for expected in (
            "boto3 created the instance web-1",
            "Seeded CPUUtilization",
            "then verified (Valid)",
            "Alarm cpu-high: average CPU > 70 %",
            "evaluated at once: it is OK",
        ):
            assert expected in narration

    def test_clock_steps_show_the_alarm_going_in_and_out(self, narration: str) -> None:
        """Stepping the clock shows OK, then ALARM at 08:40, then OK again at 09:00."""
        steps = re.findall(r"^  (\d\d:\d\d)   (OK|ALARM|INSUFFICIENT_DATA) ", narration, re.MULTILINE)
        assert steps[0] == ("08:10", "OK")
        assert ("08:40", "ALARM") in steps
        assert ("09:00", "OK") in steps
        assert [state for _, state in steps].count("ALARM") == 2

    def test_timeline_comes_from_the_alarm_history(self, narration: str) -> None:
        """The timeline lists every state change with its time and CloudWatch-style reason."""
        assert re.findall(r"^  (\d\d:\d\d)  (\w+) -> (\w+)$", narration, re.MULTILINE) == [
            ("08:00", "INSUFFICIENT_DATA", "OK"),
            ("08:40", "OK", "ALARM"),
            ("09:00", "ALARM", "OK"),
        ]
        assert "were greater than the threshold (70.0)" in narration

    def test_notifications_are_printed(self, narration: str) -> None:
        """Each email sent on a change (OK, ALARM, OK) is printed with its endpoint."""
        assert "Notifications sent (ls.notifications): 3" in narration
        sent = re.findall(r"^  2026-11-28 (\d\d:\d\d):00  cpu-high  (\w+)\s+Email\s+ops@example.com", narration, re.M)
        assert sent == [("08:00", "OK"), ("08:40", "ALARM"), ("09:00", "OK")]

    def test_hourly_summary_from_get_instance_metric_data(self, narration: str) -> None:
        """Five hours of min/avg/max in time order; the spike's hour has a maximum over 80 %."""
        summary = narration.split("period 3600 s):\n", 1)[1]
        rows = re.findall(r"^  (\d\d:00)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)$", summary, re.MULTILINE)
        assert [hour for hour, *_ in rows] == ["05:00", "06:00", "07:00", "08:00", "09:00"]
        spike_hour = {hour: (float(lo), float(avg), float(hi)) for hour, lo, avg, hi in rows}["08:00"]
        assert spike_hour[0] <= spike_hour[1] <= spike_hour[2]
        assert spike_hour[2] > 80

    def test_the_handle_agrees_with_the_narration(self) -> None:
        """The returned (stopped) mock holds the same history and notifications."""
        import io

        ls = demo.run(io.StringIO())
        assert not ls.active
        assert [c.new_state for c in ls.alarm_history(demo.ALARM_NAME)] == [
            AlarmState.OK,
            AlarmState.ALARM,
            AlarmState.OK,
        ]
        assert [n.state for n in ls.notifications] == [AlarmState.OK, AlarmState.ALARM, AlarmState.OK]

    def test_plot_writes_a_png(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """``--plot FILE.png`` writes a real PNG of some size and says where."""
        target = tmp_path / "alarm.png"
        assert cli.main(["demo", "--plot", str(target)]) == 0
        data = target.read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        assert len(data) > 20_000
        assert f"Wrote the alarm's picture to {target}" in capsys.readouterr().out

    def test_finishes_in_a_few_seconds(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The whole demo, in process, takes well under five seconds."""
        started = time.perf_counter()
        assert cli.main(["demo"]) == 0
        assert time.perf_counter() - started < 5


class TestCommandLine:
    def test_needs_a_command(self, capsys: pytest.CaptureFixture[str]) -> None:
        """No command is a usage error (exit status 2) that names the choices."""
        with pytest.raises(SystemExit) as exit_info:
            cli.main([])
        assert exit_info.value.code == 2
        assert "demo" in capsys.readouterr().err

    def test_console_script_is_the_cli(self) -> None:
        """The installed ``lightmock`` command is ``lightmock.cli:main``."""
        from importlib.metadata import PackageNotFoundError, distribution, entry_points

        try:
            distribution("lightmock")
        except PackageNotFoundError:
            pytest.skip("lightmock is not installed (a checkout on PYTHONPATH): only an installed copy has the command")
        [script] = [e for e in entry_points(group="console_scripts") if e.name == "lightmock"]
        assert script.load() is cli.main

    def test_python_dash_m_runs_the_demo(self) -> None:
        """``python -m lightmock demo`` runs in a fresh interpreter and exits 0."""
        done = subprocess.run(
            [sys.executable, "-m", "lightmock", "demo"], capture_output=True, text=True, timeout=60, check=False
        )
        assert done.returncode == 0, done.stderr
        assert "OK -> ALARM" in done.stdout
