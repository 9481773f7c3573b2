"""Records shown as tables: HTML in a notebook, aligned text in a terminal.

A notebook shows any object with a ``_repr_html_`` method as HTML, so ``table(records)``
returns a small ``Table`` that has one; ``str()`` of the same object is the plain-text
table the ``lightmock demo`` command prints. ``LightsailMock._repr_html_`` delegates to
``mock_summary_html`` here, so that the handle itself stays free of presentation code.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from lightmock.core.domain import METRICS_BY_RESOURCE_TYPE, AlarmState, ComparisonOperator
from lightmock.core.exceptions import LightmockUsageError
from lightmock.core.records import Notification, StateChange
from lightmock.engine import timeline
from lightmock.notebook.view import MockView
from lightmock.service import paging
from lightmock.service.families import TABLE
from lightmock.service.kinds import Kind

__all__ = ["OPERATOR_SYMBOL", "STATE_COLOURS", "Table", "mock_summary_html", "table"]

#: The colour of each alarm state, shared by the tables and the plots.
STATE_COLOURS: dict[AlarmState, str] = {
    AlarmState.OK: "#2ca02c",
    AlarmState.ALARM: "#d62728",
    AlarmState.INSUFFICIENT_DATA: "#7f7f7f",
}

OPERATOR_SYMBOL: dict[ComparisonOperator, str] = {
    ComparisonOperator.GREATER_THAN_OR_EQUAL: ">=",
    ComparisonOperator.GREATER_THAN: ">",
    ComparisonOperator.LESS_THAN: "<",
    ComparisonOperator.LESS_THAN_OR_EQUAL: "<=",
}


def _time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _clip(text: str, width: int | None) -> str:
    if width is None or len(text) <= width:
        return text
    return text[: max(width - 3, 0)] + "..."


@dataclass(frozen=True, slots=True)
class Table:
    """A header and rows of text; HTML in a notebook, aligned columns in ``str()``."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""

    def text(self, *, max_cell: int | None = None) -> str:
        """Aligned plain-text columns; cells longer than ``max_cell`` are cut short."""
        if not self.rows:
            return self.caption or "(nothing recorded)"
        cells = [[_clip(cell, max_cell) for cell in row] for row in (self.header, *self.rows)]
        widths = [max(len(row[i]) for row in cells) for i in range(len(self.header))]
        lines = [
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in cells
        ]
        lines.insert(1, "  ".join("-" * width for width in widths))
        if self.caption:
            lines.insert(0, self.caption)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        caption = f"<caption>{html.escape(self.caption)}</caption>" if self.caption else ""
        if not self.rows:
            return f"<table>{caption}<tr><td><em>(nothing recorded)</em></td></tr></table>"
        head = "".join(f"<th>{html.escape(cell)}</th>" for cell in self.header)
        body = "".join("<tr>" + "".join(f"<td>{_html_cell(cell)}</td>" for cell in row) + "</tr>" for row in self.rows)
        return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _html_cell(cell: str) -> str:
    """A cell's HTML; alarm states get their colour so a timeline reads at a glance."""
    try:
        state = AlarmState(cell)
    except ValueError:
        return html.escape(cell)
    return f'<span style="color: {STATE_COLOURS[state]}; font-weight: bold">{state}</span>'


_HISTORY_HEADER = ("time (UTC)", "alarm", "from", "to", "reason")
_NOTIFICATION_HEADER = ("time (UTC)", "alarm", "state", "protocol", "endpoint", "region", "test")


def table(records: Iterable[StateChange | Notification], *, caption: str = "") -> Table:
    """``ls.alarm_history(...)`` or ``ls.notifications`` as a table (one kind per table)."""
    items = list(records)
    if all(isinstance(item, StateChange) for item in items):
        changes = [item for item in items if isinstance(item, StateChange)]
        history = tuple(
            (_time(c.timestamp), c.alarm_name, str(c.old_state), str(c.new_state), c.reason) for c in changes
        )
        return Table(_HISTORY_HEADER, history, caption)
    if all(isinstance(item, Notification) for item in items):
        sent = [item for item in items if isinstance(item, Notification)]
        notes = tuple(
            (
                _time(n.timestamp),
                n.alarm_name,
                str(n.state),
                str(n.protocol),
                n.endpoint,
                n.region,
                "yes" if n.test else "",
            )
            for n in sent
        )
        return Table(_NOTIFICATION_HEADER, notes, caption)
    kinds = sorted({type(item).__name__ for item in items})
    raise LightmockUsageError(f"table() shows StateChange or Notification records, one kind at a time; got {kinds}")


#: The kinds alarms can watch, each a column of the summary; the other kinds share one (those
#: with metric data but no alarmable metric, buckets and container services, among them).
_WATCHED = tuple(
    kind.resource_type
    for kind in TABLE.kinds.values()
    if kind.alarmable and any(spec.alarmable for spec in METRICS_BY_RESOURCE_TYPE[kind.resource_type].values())
)


def _heading(kind: Kind) -> str:
    """A kind's name in a heading: its list member in words (``loadBalancers``: load balancers)."""
    member = kind.listing[1] if kind.listing is not None else f"{kind.resource_type}s"
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", member).lower()


def _summary_tables(mock: MockView) -> tuple[Table, Table, int]:
    """The regions and alarms tables, and how many notifications were sent: one snapshot."""
    store = mock.store
    with timeline.settled(store):
        regions: list[tuple[str, ...]] = []
        alarms: list[tuple[str, ...]] = []
        for (account_id, region), state in sorted(store.regions.items()):
            if account_id != mock.account_id:
                continue
            contacts = ", ".join(
                f"{protocol} ({contact.status})" for protocol, contact in state.contact_methods.items()
            )
            watched = tuple(str(len(state.resources.get(kind, ()))) for kind in _WATCHED)
            others = ", ".join(
                f"{len(records)} {_heading(TABLE.kinds[kind])}"
                for kind, records in state.resources.items()
                if kind not in _WATCHED and len(records)
            )
            regions.append((region, *watched, contacts or "-", str(len(state.alarms)), others or "-"))
            for alarm in sorted(state.alarms.values(), key=paging.sort_key):
                config = alarm.config
                condition = (
                    f"{config.metric.statistic} {OPERATOR_SYMBOL[config.comparison_operator]} {config.threshold:g}, "
                    f"{config.datapoints_to_alarm} of {config.evaluation_periods}"
                )
                alarms.append(
                    (region, alarm.name, config.resource.name, config.metric.name, condition, str(alarm.state))
                )
        sent = len(store.notifications)
    return (
        Table(
            (
                "region",
                *(_heading(TABLE.kinds[kind]) for kind in _WATCHED),
                "contact methods",
                "alarms",
                "other resources",
            ),
            tuple(regions),
        ),
        Table(("region", "alarm", "resource", "metric", "condition", "state"), tuple(alarms)),
        sent,
    )


def mock_summary_html(mock: MockView) -> str:
    """The handle in a notebook: status, clock, regions, alarms with states, notifications."""
    status = "active" if mock.active else "inactive"
    head = f"<strong>LightsailMock</strong> {status}, account {html.escape(mock.account_id)}"
    try:
        mock.store  # noqa: B018 -- raises until the first start()
    except LightmockUsageError:
        return f"<div>{head}; not started yet</div>"
    clock = mock.clock
    regions, alarms, sent = _summary_tables(mock)
    return (
        f"<div>{head}; clock {html.escape(_time(clock.now()))} UTC ({'frozen' if clock.frozen else 'running'}); "
        f"{sent} notification{'s' if sent != 1 else ''} sent"
        f"{regions._repr_html_() if regions.rows else '<p><em>no resources yet</em></p>'}"
        f"{alarms._repr_html_() if alarms.rows else ''}</div>"
    )
