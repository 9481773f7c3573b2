"""One alarm at one evaluation: its counts in plain Python, its decision, its reason.

PutAlarm evaluates exactly one alarm over a dozen periods, where numpy's per-call
overhead would dominate, so ``assess`` counts in plain Python what the vectorised
evaluator counts with prefix sums (the real datapoints in the range, the breaches among
the N most recent, the age of the oldest) and decides by the same rule,
``evaluator.decide``. ``explain`` words that decision from those counts the way
CloudWatch writes its state-change reason, so the words cannot drift from the rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import NamedTuple

from lightmock.core.domain import AlarmState, ComparisonOperator, TreatMissingData
from lightmock.core.records import built_in_order
from lightmock.engine.evaluator import (
    COMPARE,
    KEEP,
    MAX_PERIODS,
    SCALAR_CODES,
    STATES,
    TREATMENT_CODE,
    decide,
    evaluation_range,
)

__all__ = ["Assessment", "assess", "evaluate_one", "explain"]

_WORDS: dict[ComparisonOperator, str] = {
    ComparisonOperator.GREATER_THAN_OR_EQUAL: "greater than or equal to",
    ComparisonOperator.GREATER_THAN: "greater than",
    ComparisonOperator.LESS_THAN: "less than",
    ComparisonOperator.LESS_THAN_OR_EQUAL: "less than or equal to",
}
_FILLED = (TreatMissingData.BREACHING, TreatMissingData.NOT_BREACHING)


class Assessment(NamedTuple):
    """One evaluation of one alarm: the counts the rule reads, and its decision.

    ``used`` holds the columns (indexes into the window) of the real datapoints the rule
    counts, the N most recent or all of them when fewer, oldest first, and ``breaches``
    whether each breaches; ``oldest`` is the age in periods of the oldest real datapoint
    in the range (0 when there is none). ``state`` is what ``decide`` made of the counts.
    A ``NamedTuple``: PutAlarm makes one on every call, and a frozen dataclass costs
    several times as much to build.
    """

    real: int
    used: list[int]
    breaches: list[bool]
    oldest: int
    state: AlarmState


_assessment = built_in_order(Assessment)


def _asked(ask: bool) -> bool:
    """``decide``'s "is the oldest real datapoint at least M periods old?" where it is."""
    return ask


def _not_aged(ask: bool) -> bool:
    """The same question where the oldest real datapoint is younger than M periods."""
    return False


def assess(
    window: Sequence[float],
    *,
    threshold: float,
    operator: ComparisonOperator,
    periods: int,
    datapoints: int,
    treatment: TreatMissingData,
    current: AlarmState,
) -> Assessment:
    """Count one alarm's evaluation in plain Python and decide it by ``decide``.

    ``window`` is right-aligned: its last element is the newest period.
    """
    if not 1 <= datapoints <= periods <= MAX_PERIODS:
        raise ValueError(f"need 1 <= datapoints ({datapoints}) <= periods ({periods})")
    width = len(window)
    first = max(width - evaluation_range(periods), 0)
    # NaN, unequal to itself, is missing.
    reals = [i for i in range(first, width) if window[i] == window[i]]
    used = reals[-periods:]
    compare = COMPARE[operator]
    breaches = [bool(compare(window[i], threshold)) for i in used]
    hits = breaches.count(True)
    oldest = width - reals[0] if reals else 0
    code = decide(
        periods,
        datapoints,
        TREATMENT_CODE[treatment],
        len(reals),
        len(used),
        hits,
        _asked if oldest >= datapoints else _not_aged,
        SCALAR_CODES,
    )
    state = current if code == KEEP else STATES[code]
    return _assessment((len(reals), used, breaches, oldest, state))


def evaluate_one(
    window: Sequence[float],
    *,
    threshold: float,
    operator: ComparisonOperator,
    periods: int,
    datapoints: int,
    treatment: TreatMissingData,
    current: AlarmState,
) -> AlarmState:
    """The new state of one alarm (``assess``'s decision). ``window`` is right-aligned."""
    return assess(
        window,
        threshold=threshold,
        operator=operator,
        periods=periods,
        datapoints=datapoints,
        treatment=treatment,
        current=current,
    ).state


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _listed(points: Sequence[tuple[float, datetime]]) -> str:
    def stamp(start: datetime) -> str:
        utc = start.astimezone(UTC) if start.tzinfo is not None else start
        return utc.strftime("%d/%m/%y %H:%M:%S")

    return ", ".join(f"{float(value)!r} ({stamp(start)})" for value, start in points)


def explain(
    window: Sequence[float],
    period_starts: Sequence[datetime],
    *,
    threshold: float,
    operator: ComparisonOperator,
    periods: int,
    datapoints: int,
    treatment: TreatMissingData,
    old_state: AlarmState,
    new_state: AlarmState,
) -> str:
    """The state-change reason, worded as CloudWatch writes it.

    It names the datapoints that decided, newest first, with the start of their period:
    the counts ``assess`` made and decided on, so the words cannot drift from the rule.
    ``new_state`` must be what the rule decides from ``old_state``: a reason for a state
    the rule did not reach would be a lie, so that is a ``ValueError``. CloudWatch writes
    no reason when ``ignore`` keeps the state; should one be asked for, it starts with
    "Unchanged:" (or "Insufficient Data:" when the kept state is INSUFFICIENT_DATA).
    """
    if len(period_starts) != len(window):
        raise ValueError("window and period_starts differ in length")
    counted = assess(
        window,
        threshold=threshold,
        operator=operator,
        periods=periods,
        datapoints=datapoints,
        treatment=treatment,
        current=old_state,
    )
    if counted.state is not new_state:
        raise ValueError(f"the rule decides {counted.state}, not {new_state}")
    span = evaluation_range(periods)
    used = len(counted.used)
    newest_first = list(zip(reversed(counted.used), reversed(counted.breaches), strict=True))
    hits = [(float(window[i]), period_starts[i]) for i, breach in newest_first if breach]
    misses = [(float(window[i]), period_starts[i]) for i, breach in newest_first if not breach]
    words = _WORDS[operator]
    limit = f"({float(threshold)!r})"
    transition = f"{old_state.value} -> {new_state.value} transition"
    filled = treatment in _FILLED
    fillers = periods - used if filled else 0
    label = "Breaching" if treatment is TreatMissingData.BREACHING else "NonBreaching"

    def clause(points: list[tuple[float, datetime]], out_of: int, negate: bool) -> str:
        verb = "was" if len(points) == 1 else "were"
        return (
            f"{len(points)} out of the last {out_of} datapoints [{_listed(points)}] "
            f"{verb} {'not ' if negate else ''}{words} the threshold {limit}"
        )

    short = f"fewer than the minimum {_plural(datapoints, 'datapoint')} for ALARM"
    if not counted.real and not filled:
        if new_state is AlarmState.INSUFFICIENT_DATA:
            return f"Insufficient Data: {span} datapoints were unknown."
        return f"Unchanged: no datapoints were received for {span} periods and missing data is ignored."
    if not counted.real:
        treated = "was" if periods == 1 else "were"
        return (
            f"Threshold Crossed: no datapoints were received for "
            f"{_plural(periods, 'period')} and {_plural(periods, 'missing datapoint')} "
            f"{treated} treated as [{label}]."
        )
    undecided = not filled and used < periods and not misses
    if undecided and len(hits) < datapoints:
        seen = clause(hits, used, negate=False)
        if new_state is AlarmState.INSUFFICIENT_DATA:
            unknown = span - counted.real
            return f"Insufficient Data: {seen}, {short}, and {unknown} datapoints were unknown."
        if treatment is TreatMissingData.IGNORE:
            return f"Unchanged: {seen}, {short}, and missing data is ignored."
        oldest = _plural(counted.oldest, "period")
        return (
            f"Threshold Crossed: {seen} and the oldest is {oldest} old "
            f"(minimum {_plural(datapoints, 'period')} for {transition})."
        )
    out_of = periods if filled else used
    parts = []
    if new_state is AlarmState.ALARM:
        minimum = datapoints
        if hits:
            parts.append(clause(hits, out_of, negate=False))
    else:
        minimum = max(1, out_of - datapoints + 1)
        if misses:
            parts.append(clause(misses, out_of, negate=True))
    if fillers:
        treated = "was" if fillers == 1 else "were"
        parts.append(f"{_plural(fillers, 'missing datapoint')} {treated} treated as [{label}]")
    return f"Threshold Crossed: {' and '.join(parts)} (minimum {_plural(minimum, 'datapoint')} for {transition})."
