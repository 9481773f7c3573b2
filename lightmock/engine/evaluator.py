"""The alarm rule of ``docs/alarm-evaluation.md``, for every alarm at once.

The alarm engine must be able to replay many evaluations for many alarms: a clock that
jumps a day ahead owes every alarm 288 evaluations, and each one may notify. Doing that
one alarm and one period at a time in Python costs K x T x N steps, so this module asks
every question of the rule with prefix sums instead, which makes the cost linear in the
data (K x (T + N)) whatever the evaluation periods are:

* how many real datapoints a range holds is a difference of a per-row cumulative count;
* the breaches among "the N most recent real datapoints" are a difference of a single
  cumulative count over the real datapoints alone, all rows laid end to end: within that
  sequence the last N real datapoints before any column are a contiguous stretch, so no
  search is needed;
* "the oldest real datapoint has age >= M" is "some real datapoint lies at or before
  the column of age M", one more difference of the per-row count;
* ``ignore``'s "keep the current state" is a forward fill of the last decisive
  evaluation (``maximum.accumulate`` over column numbers).

The rule itself is written once, in ``decide``: a function of those counts, in plain
arithmetic, so that it runs element-wise on numpy arrays (every alarm, every step) and
on Python numbers alike. ``assess`` counts for one alarm in plain Python (PutAlarm
evaluates exactly one, where numpy's per-call overhead would dominate) and hands its
counts to the same ``decide``; ``explain`` words the decision from those counts the way
CloudWatch writes its state-change reason.

The module is pure: arrays in, arrays out, no clock, store or boto3. States, operators
and treatments travel as small integer codes (the tables below) so that whole fleets fit
in ``int8`` arrays.
"""

from __future__ import annotations

import operator as _op
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NamedTuple, TypeVar

import numpy as np
from numpy.typing import NDArray

from lightmock.core.domain import AlarmState, ComparisonOperator, TreatMissingData

__all__ = [
    "COMPARE",
    "MAX_PERIODS",
    "OPERATORS",
    "OPERATOR_CODE",
    "STATES",
    "STATE_CODE",
    "TREATMENTS",
    "TREATMENT_CODE",
    "AlarmParams",
    "Assessment",
    "assess",
    "decide",
    "evaluate",
    "evaluate_history",
    "evaluate_one",
    "evaluation_range",
    "explain",
]

STATES: tuple[AlarmState, ...] = (
    AlarmState.OK,
    AlarmState.ALARM,
    AlarmState.INSUFFICIENT_DATA,
)
STATE_CODE: dict[AlarmState, int] = {state: i for i, state in enumerate(STATES)}
OPERATORS: tuple[ComparisonOperator, ...] = tuple(ComparisonOperator)
OPERATOR_CODE: dict[ComparisonOperator, int] = {op: i for i, op in enumerate(OPERATORS)}
TREATMENTS: tuple[TreatMissingData, ...] = tuple(TreatMissingData)
TREATMENT_CODE: dict[TreatMissingData, int] = {t: i for i, t in enumerate(TREATMENTS)}

#: The largest ``evaluationPeriods`` PutAlarm accepts.
MAX_PERIODS = 288

_OK = STATE_CODE[AlarmState.OK]
_ALARM = STATE_CODE[AlarmState.ALARM]
_INSUFFICIENT = STATE_CODE[AlarmState.INSUFFICIENT_DATA]
#: Not a state: "keep the current one", resolved by the forward fill.
_KEEP = -1
# The codes as int8 scalars, so that ``decide``'s arithmetic on boolean arrays stays int8.
_OK8, _ALARM8, _INSUFFICIENT8, _KEEP8 = np.int8(_OK), np.int8(_ALARM), np.int8(_INSUFFICIENT), np.int8(_KEEP)
_GT = OPERATOR_CODE[ComparisonOperator.GREATER_THAN]
_LT = OPERATOR_CODE[ComparisonOperator.LESS_THAN]
_LE = OPERATOR_CODE[ComparisonOperator.LESS_THAN_OR_EQUAL]
_BREACHING = TREATMENT_CODE[TreatMissingData.BREACHING]
_NOT_BREACHING = TREATMENT_CODE[TreatMissingData.NOT_BREACHING]
_IGNORE = TREATMENT_CODE[TreatMissingData.IGNORE]
_MISSING = TREATMENT_CODE[TreatMissingData.MISSING]

#: Each operator as a function ``(value, threshold) -> breaches``; numpy arrays work too.
COMPARE: dict[ComparisonOperator, Callable[[Any, float], Any]] = {
    ComparisonOperator.GREATER_THAN_OR_EQUAL: _op.ge,
    ComparisonOperator.GREATER_THAN: _op.gt,
    ComparisonOperator.LESS_THAN: _op.lt,
    ComparisonOperator.LESS_THAN_OR_EQUAL: _op.le,
}
_WORDS: dict[ComparisonOperator, str] = {
    ComparisonOperator.GREATER_THAN_OR_EQUAL: "greater than or equal to",
    ComparisonOperator.GREATER_THAN: "greater than",
    ComparisonOperator.LESS_THAN: "less than",
    ComparisonOperator.LESS_THAN_OR_EQUAL: "less than or equal to",
}

Floats = NDArray[np.float64]
Codes = NDArray[np.int8]
_FILLED = (TreatMissingData.BREACHING, TreatMissingData.NOT_BREACHING)
#: A count: a Python int for one alarm, an integer array for many.
Count = Any


_Periods = TypeVar("_Periods", int, NDArray[Any])


def evaluation_range(periods: _Periods) -> _Periods:
    """R = N + 2: AWS's one example is N = 3 -> R = 5 and it publishes no formula.

    For one N or, element-wise, an array of them: every path of the evaluator asks here.
    """
    return periods + 2


def _vector(name: str, value: object, dtype: type[np.generic]) -> NDArray[np.generic]:
    array = np.asarray(value, dtype=dtype)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, not of shape {array.shape}")
    return array


@dataclass(frozen=True, slots=True, kw_only=True)
class AlarmParams:
    """The configuration of K alarms, one array element per alarm.

    Arrays rather than records because the evaluator broadcasts them against the K rows
    of datapoints. Fields are coerced to their dtypes and checked on construction, so a
    bad configuration fails here and not as a wrong state later.
    """

    threshold: NDArray[np.float64]
    operator: NDArray[np.int8]
    periods: NDArray[np.int64]
    datapoints: NDArray[np.int64]
    treatment: NDArray[np.int8]

    def __post_init__(self) -> None:
        fields: dict[str, type[np.generic]] = {
            "threshold": np.float64,
            "operator": np.int8,
            "periods": np.int64,
            "datapoints": np.int64,
            "treatment": np.int8,
        }
        for name, dtype in fields.items():
            object.__setattr__(self, name, _vector(name, getattr(self, name), dtype))
        sizes = {getattr(self, name).size for name in fields}
        if len(sizes) != 1:
            raise ValueError(f"AlarmParams arrays differ in length: {sorted(sizes)}")
        problems = {
            "operator": (self.operator < 0) | (self.operator >= len(OPERATORS)),
            "treatment": (self.treatment < 0) | (self.treatment >= len(TREATMENTS)),
            "periods": (self.periods < 1) | (self.periods > MAX_PERIODS),
            "datapoints": (self.datapoints < 1) | (self.datapoints > self.periods),
            # A NaN threshold is no threshold: PutAlarm's JSON cannot carry one, and every
            # comparison with it would be false, which no operator's rule describes.
            "threshold": np.isnan(self.threshold),
        }
        for name, bad in problems.items():
            if bad.any():
                where = int(np.flatnonzero(bad)[0])
                raise ValueError(f"{name} out of range at alarm {where}")

    def __len__(self) -> int:
        return int(self.periods.size)

    @classmethod
    def build(
        cls,
        *,
        threshold: Sequence[float],
        operator: Sequence[ComparisonOperator],
        periods: Sequence[int],
        datapoints: Sequence[int],
        treatment: Sequence[TreatMissingData],
    ) -> AlarmParams:
        """Params from plain values and enums, as the alarm store holds them."""
        return cls(
            threshold=np.asarray(threshold, dtype=np.float64),
            operator=np.array([OPERATOR_CODE[op] for op in operator], dtype=np.int8),
            periods=np.asarray(periods, dtype=np.int64),
            datapoints=np.asarray(datapoints, dtype=np.int64),
            treatment=np.array([TREATMENT_CODE[t] for t in treatment], dtype=np.int8),
        )


def decide(
    n: Count, m: Count, treatment: Count, real: Count, used: Count, hits: Count, aged: Callable[[Any], Any]
) -> Any:
    """The rule of docs/alarm-evaluation.md, from the counts of one evaluation.

    ``n`` and ``m`` are N and M, ``treatment`` a treatment code, ``real`` the real
    datapoints in the range, ``used`` min(real, N) and ``hits`` the breaches among the
    ``used`` newest real datapoints. ``aged(ask)`` answers "is the oldest real datapoint
    at least M periods old?" wherever ``ask`` is true (elsewhere its answer is not
    read): only ``missing`` alarms whose every real datapoint breaches ask it, so a
    caller need not find the oldest datapoint of every alarm.

    Written in arithmetic (``x ^ True`` for not, a product for a choice), never
    ``if`` or ``np.where``, so that the one rule serves Python numbers (one alarm) and
    arrays of any shape (every alarm, every step) alike. Returns a state code, or
    ``_KEEP`` where ``ignore`` keeps the current state.
    """
    breaching = treatment == _BREACHING
    # Rule 1 counts the N newest real datapoints, rules 2 and 3 add N - real fillers
    # that breach under ``breaching``; real = 0 under ``breaching`` is N fillers >= M.
    alarm = hits + (n - used) * breaching >= m
    ok = (used > hits) | (real >= n) | breaching | (treatment == _NOT_BREACHING)
    # What is left: ``ignore``/``missing`` with every real datapoint breaching (rule 3.3)
    # or no real datapoint at all (rule 2).
    ask = (treatment == _MISSING) & (real > 0) & ((alarm | ok) ^ True)
    undecided = _INSUFFICIENT8 + (ask & aged(ask)) * (_ALARM8 - _INSUFFICIENT8)
    ignore = treatment == _IGNORE
    undecided = ignore * _KEEP8 + (ignore ^ True) * undecided
    return alarm * _ALARM8 + (alarm ^ True) * (ok * _OK8 + (ok ^ True) * undecided)


def _check(values: Floats, params: AlarmParams, states: Codes, name: str) -> None:
    if values.ndim != 2 or values.shape[0] != len(params):
        raise ValueError(f"values must have one row per alarm ({len(params)}), not shape {values.shape}")
    if states.shape != (len(params),):
        raise ValueError(f"{name} must have shape ({len(params)},), not {states.shape}")
    if ((states < 0) | (states >= len(STATES))).any():
        raise ValueError(f"{name} holds a code that is no state")


def evaluate(values: Floats, params: AlarmParams, current: Codes) -> Codes:
    """The state of every alarm after one evaluation whose newest period is the last column."""
    values = np.asarray(values, dtype=np.float64)
    current = np.asarray(current, dtype=np.int8)
    _check(values, params, current, "current")
    return _carry(_decisions(values, params, 1), current)[:, 0]


def evaluate_history(values: Floats, params: AlarmParams, initial: Codes, steps: int) -> Codes:
    """The state of every alarm after each of ``steps`` consecutive evaluations.

    Evaluation j has column ``L - steps + j`` as its newest period; columns before 0 are
    missing. Column j of the result is the state after evaluation j.
    """
    values = np.asarray(values, dtype=np.float64)
    initial = np.asarray(initial, dtype=np.int8)
    _check(values, params, initial, "initial")
    if steps < 0:
        raise ValueError(f"steps must not be negative, not {steps}")
    decisions = _decisions(values, params, steps)
    return _carry(decisions, initial)


def _as_at_or_above(params: AlarmParams) -> tuple[Floats, NDArray[np.bool_]]:
    """Every operator as ``value >= limit``, negated for the downward ones.

    For a real value, ``v > t`` is ``v >= nextafter(t, inf)``, ``v < t`` is
    ``not v >= t`` and ``v <= t`` is ``not v > t``. One comparison per datapoint then
    serves all four operators. Nothing is above +inf: a NaN limit makes ``v >= limit``
    false for every v.
    """
    operator = params.operator
    strict = (operator == _GT) | (operator == _LE)
    with np.errstate(over="ignore"):  # above the largest float is +inf, as wanted
        limit = np.where(strict, np.nextafter(params.threshold, np.inf), params.threshold)
    limit[strict & (params.threshold == np.inf)] = np.nan
    downward = (operator == _LT) | (operator == _LE)
    return limit, downward


def _decisions(values: Floats, params: AlarmParams, steps: int) -> Codes:
    """The rule's verdict at each evaluation, ``_KEEP`` where ``ignore`` keeps the state."""
    alarms, width = values.shape
    # int32 halves the memory of every index array; int64 only when the offsets need it.
    idx: type[np.signedinteger[Any]] = np.int32 if alarms * (width + 1) < 2**31 else np.int64

    real = ~np.isnan(values)
    # counts[k, c]: real datapoints of alarm k in columns < c.
    counts = np.zeros((alarms, width + 1), dtype=idx)
    np.cumsum(real, axis=1, dtype=idx, out=counts[:, 1:])

    # Breach flags, right for real datapoints only (NaN ones are dropped just below).
    limit, downward = _as_at_or_above(params)
    breach = values >= limit[:, None]
    breach ^= downward[:, None]
    # ranked[g]: breaches among the first g real datapoints, rows end to end.
    ranked = np.zeros(int(counts[:, -1].sum()) + 1, dtype=idx)
    flags = breach.ravel()[real.ravel()].view(np.int8)  # a bool cumsum is slow
    np.cumsum(flags, dtype=idx, out=ranked[1:])
    offset = (np.cumsum(counts[:, -1], dtype=idx) - counts[:, -1])[:, None]
    del real, breach, flags

    newest = np.arange(width - steps, width, dtype=idx)[None, :]
    n = params.periods.astype(idx)[:, None]
    m = params.datapoints.astype(idx)[:, None]
    # Every (K, T) array below is a full pass over memory, so buffers are reused in place.
    # When no range ends before column 0, the range ends are a plain view.
    ends = slice(width - steps + 1, None) if steps <= width else np.clip(newest[0] + 1, 0, width)
    at_end = counts[:, ends]
    position = newest + 1 - evaluation_range(n)
    np.clip(position, 0, width, out=position)
    at_start = np.take_along_axis(counts, position, axis=1)
    # "Oldest real datapoint has age >= M": a real one at or before column newest-M+1.
    np.subtract(newest + 2, m, out=position)
    np.clip(position, 0, width, out=position)
    aged = np.take_along_axis(counts, position, axis=1) > at_start
    real_n = np.subtract(at_end, at_start, out=at_start)
    del position, at_start
    # Rule 1 uses the N most recent real datapoints; rule 3 all of them (fewer than N).
    used = np.minimum(real_n, n)
    rank = offset + at_end
    hits = ranked[rank]
    rank -= used
    np.subtract(hits, ranked[rank], out=hits)
    del rank, ranked, counts

    decided: Codes = decide(n, m, params.treatment[:, None], real_n, used, hits, lambda _: aged)
    return decided


def _carry(decisions: Codes, initial: Codes) -> Codes:
    """Resolve ``_KEEP`` to the state of the last decisive evaluation (or ``initial``)."""
    steps = decisions.shape[1]
    keep = decisions == _KEEP
    rows = np.flatnonzero(keep.any(axis=1))  # only ``ignore`` alarms can keep
    if rows.size == 0:
        return decisions
    # source[k, j]: 1 + the last decisive step <= j, 0 when there is none (the initial).
    column = np.arange(1, steps + 1, dtype=np.int32)
    source = np.where(keep[rows], np.int32(0), column)
    np.maximum.accumulate(source, axis=1, out=source)
    table = np.concatenate([initial[rows, None], decisions[rows]], axis=1)
    decisions[rows] = np.take_along_axis(table, source, axis=1)
    return decisions


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
    hits: int
    oldest: int
    state: AlarmState


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
        lambda ask: ask and oldest >= datapoints,
    )
    state = current if code == _KEEP else STATES[code]
    return Assessment(real=len(reals), used=used, breaches=breaches, hits=hits, oldest=oldest, state=state)


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
