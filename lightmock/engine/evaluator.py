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
on Python numbers alike. ``one_alarm.assess`` counts for one alarm in plain Python
(PutAlarm evaluates exactly one, where numpy's per-call overhead would dominate) and
hands its counts to the same ``decide``; ``one_alarm.explain`` words the decision from
those counts the way CloudWatch writes its state-change reason.

The module is pure: arrays in, arrays out, no clock, store or boto3. States, operators
and treatments travel as small integer codes (the tables below) so that whole fleets fit
in ``int8`` arrays.
"""

from __future__ import annotations

import operator as _op
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from lightmock.core.domain import AlarmState, ComparisonOperator, TreatMissingData

__all__ = [
    "COMPARE",
    "KEEP",
    "MAX_PERIODS",
    "OPERATORS",
    "OPERATOR_CODE",
    "STATES",
    "STATE_CODE",
    "TREATMENTS",
    "TREATMENT_CODE",
    "AlarmParams",
    "decide",
    "evaluate",
    "evaluate_history",
    "evaluation_range",
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
KEEP = -1
# The codes as int8 scalars, so that ``decide``'s arithmetic on boolean arrays stays int8.
_OK8, _ALARM8, _INSUFFICIENT8, _KEEP8 = np.int8(_OK), np.int8(_ALARM), np.int8(_INSUFFICIENT), np.int8(KEEP)
#: The state codes ``decide`` answers in: int8 for arrays (the engine's columns stay int8),
#: Python ints for one alarm (numpy scalars' arithmetic costs several times as much).
ARRAY_CODES = (_OK8, _ALARM8, _INSUFFICIENT8, _KEEP8)
SCALAR_CODES = (_OK, _ALARM, _INSUFFICIENT, KEEP)
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

Floats = NDArray[np.float64]
Codes = NDArray[np.int8]
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
    n: Count,
    m: Count,
    treatment: Count,
    real: Count,
    used: Count,
    hits: Count,
    aged: Callable[[Any], Any],
    codes: tuple[Any, Any, Any, Any] = ARRAY_CODES,
) -> Any:
    """The rule of docs/alarm-evaluation.md, from the counts of one evaluation.

    ``n`` and ``m`` are N and M, ``treatment`` a treatment code, ``real`` the real
    datapoints in the range, ``used`` min(real, N) and ``hits`` the breaches among the
    ``used`` newest real datapoints. ``aged(ask)`` answers "is the oldest real datapoint
    at least M periods old?" wherever ``ask`` is true (elsewhere its answer is not
    read): only ``missing`` alarms whose every real datapoint breaches ask it, so a
    caller need not find the oldest datapoint of every alarm. ``codes`` are the (OK, ALARM,
    INSUFFICIENT_DATA, KEEP) codes to answer in: ``ARRAY_CODES`` keep arrays int8,
    ``SCALAR_CODES`` keep one alarm's arithmetic in Python ints.

    Written in arithmetic (``x ^ True`` for not, a product for a choice), never
    ``if`` or ``np.where``, so that the one rule serves Python numbers (one alarm) and
    arrays of any shape (every alarm, every step) alike. Returns a state code, or
    ``KEEP`` where ``ignore`` keeps the current state.
    """
    breaching = treatment == _BREACHING
    # Rule 1 counts the N newest real datapoints, rules 2 and 3 add N - real fillers
    # that breach under ``breaching``; real = 0 under ``breaching`` is N fillers >= M.
    alarm = hits + (n - used) * breaching >= m
    ok = (used > hits) | (real >= n) | breaching | (treatment == _NOT_BREACHING)
    # What is left: ``ignore``/``missing`` with every real datapoint breaching (rule 3.3)
    # or no real datapoint at all (rule 2).
    ask = (treatment == _MISSING) & (real > 0) & ((alarm | ok) ^ True)
    ok_code, alarm_code, insufficient_code, keep_code = codes
    undecided = insufficient_code + (ask & aged(ask)) * (alarm_code - insufficient_code)
    ignore = treatment == _IGNORE
    undecided = ignore * keep_code + (ignore ^ True) * undecided
    return alarm * alarm_code + (alarm ^ True) * (ok * ok_code + (ok ^ True) * undecided)


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
    """The rule's verdict at each evaluation, ``KEEP`` where ``ignore`` keeps the state."""
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
    """Resolve ``KEEP`` to the state of the last decisive evaluation (or ``initial``)."""
    steps = decisions.shape[1]
    keep = decisions == KEEP
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
