"""The alarm evaluator, checked against docs/alarm-evaluation.md.

``reference`` below is the rule written out the slow, obvious way, one line of the
requirement at a time, for one alarm at one evaluation. The published AWS tables pin
the reference down; hypothesis then checks that the vectorised evaluator, its history
replay and the one-alarm count all agree with it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lightmock.core.domain import AlarmState, ComparisonOperator, TreatMissingData
from lightmock.engine.evaluator import (
    OPERATOR_CODE,
    OPERATORS,
    STATE_CODE,
    STATES,
    TREATMENT_CODE,
    TREATMENTS,
    AlarmParams,
    evaluate,
    evaluate_history,
    evaluation_range,
)
from lightmock.engine.one_alarm import evaluate_one, explain

OK = AlarmState.OK
ALARM = AlarmState.ALARM
INSUFFICIENT = AlarmState.INSUFFICIENT_DATA
GE = ComparisonOperator.GREATER_THAN_OR_EQUAL
GT = ComparisonOperator.GREATER_THAN
LT = ComparisonOperator.LESS_THAN
LE = ComparisonOperator.LESS_THAN_OR_EQUAL
BREACHING = TreatMissingData.BREACHING
NOT_BREACHING = TreatMissingData.NOT_BREACHING
IGNORE = TreatMissingData.IGNORE
MISSING = TreatMissingData.MISSING
NAN = math.nan
INF = math.inf


@dataclass(frozen=True)
class Alarm:
    """One alarm's configuration, as the reference reads it."""

    threshold: float
    operator: ComparisonOperator
    periods: int
    datapoints: int
    treatment: TreatMissingData


# --- the reference ------------------------------------------------------------------


def breaches(value: float, alarm: Alarm) -> bool:
    """``value OP threshold``, value on the left, compared exactly."""
    if alarm.operator is GE:
        return value >= alarm.threshold
    if alarm.operator is GT:
        return value > alarm.threshold
    if alarm.operator is LT:
        return value < alarm.threshold
    return value <= alarm.threshold


def reference(window: list[float], alarm: Alarm, current: AlarmState) -> AlarmState:
    """One evaluation, following "The rule, at one evaluation" line by line."""
    n, m = alarm.periods, alarm.datapoints
    r = n + 2
    # The range is the R newest periods; periods before the window are missing.
    padded = [NAN] * max(0, r - len(window)) + list(window)
    in_range = padded[len(padded) - r :]
    # (age, value) of every real datapoint; age 1 is the newest period.
    real = [(r - i, v) for i, v in enumerate(in_range) if not math.isnan(v)]

    # 1. real >= N: the N most recent real datapoints decide; treatment plays no part.
    if len(real) >= n:
        most_recent = sorted(real)[:n]
        breaching = sum(1 for _, v in most_recent if breaches(v, alarm))
        return ALARM if breaching >= m else OK

    # 2. real = 0.
    if not real:
        if alarm.treatment is MISSING:
            return INSUFFICIENT
        if alarm.treatment is IGNORE:
            return current
        if alarm.treatment is BREACHING:
            return ALARM
        return OK

    # 3. 0 < real < N: every real datapoint plus N - real fillers.
    real_breaches = sum(1 for _, v in real if breaches(v, alarm))
    fillers = n - len(real)
    if alarm.treatment is BREACHING:
        return ALARM if real_breaches + fillers >= m else OK
    if alarm.treatment is NOT_BREACHING:
        return ALARM if real_breaches >= m else OK
    # missing and ignore
    if real_breaches >= m:
        return ALARM
    if any(not breaches(v, alarm) for _, v in real):
        return OK
    if alarm.treatment is IGNORE:
        return current
    oldest_age = max(age for age, _ in real)
    return ALARM if oldest_age >= m else INSUFFICIENT


def reference_history(row: list[float], alarm: Alarm, initial: AlarmState, steps: int) -> list[AlarmState]:
    """Evaluation after evaluation, each one handed the state the previous one left."""
    states = []
    state = initial
    for j in range(steps):
        newest = len(row) - steps + j
        state = reference(row[: max(newest + 1, 0)], alarm, state)
        states.append(state)
    return states


# --- helpers ------------------------------------------------------------------------


def params_of(alarms: list[Alarm]) -> AlarmParams:
    return AlarmParams.build(
        threshold=[a.threshold for a in alarms],
        operator=[a.operator for a in alarms],
        periods=[a.periods for a in alarms],
        datapoints=[a.datapoints for a in alarms],
        treatment=[a.treatment for a in alarms],
    )


def codes(states: list[AlarmState]) -> np.ndarray:
    return np.array([STATE_CODE[s] for s in states], dtype=np.int8)


def states_of(array: np.ndarray) -> list[AlarmState]:
    return [STATES[int(c)] for c in array]


def one(window: list[float], alarm: Alarm, current: AlarmState) -> AlarmState:
    """``evaluate_one`` with the alarm unpacked."""
    return evaluate_one(
        window,
        threshold=alarm.threshold,
        operator=alarm.operator,
        periods=alarm.periods,
        datapoints=alarm.datapoints,
        treatment=alarm.treatment,
        current=current,
    )


def vectorised(window: list[float], alarm: Alarm, current: AlarmState) -> AlarmState:
    """``evaluate`` on a single alarm."""
    values = np.array([window], dtype=np.float64).reshape(1, len(window))
    return STATES[int(evaluate(values, params_of([alarm]), codes([current]))[0])]


def all_three(window: list[float], alarm: Alarm, current: AlarmState) -> set[AlarmState]:
    """The answers of the reference, ``evaluate`` and ``evaluate_one`` (one when agreed)."""
    return {
        reference(window, alarm, current),
        vectorised(window, alarm, current),
        one(window, alarm, current),
    }


# --- strategies ---------------------------------------------------------------------

#: Mostly small N, where the rule's corners are dense, but sometimes up to 288.
periods_strategy = st.one_of(st.integers(1, 4), st.integers(1, 12), st.integers(1, 288))
thresholds = st.sampled_from([0.0, 1.0, -2.5, 80.0])


@st.composite
def alarms(draw: st.DrawFn) -> Alarm:
    periods = draw(periods_strategy)
    return Alarm(
        threshold=draw(thresholds),
        operator=draw(st.sampled_from(ComparisonOperator)),
        periods=periods,
        datapoints=draw(st.integers(1, periods)),
        treatment=draw(st.sampled_from(TreatMissingData)),
    )


@st.composite
def series(draw: st.DrawFn, threshold: float, length: int) -> list[float]:
    """Values at, just above and below the threshold, ±inf, NaN gaps, a silent tail."""
    seed = draw(st.integers(0, 2**32 - 1))
    gap = draw(st.sampled_from([0.0, 0.005, 0.05, 0.3, 0.7, 0.95, 1.0]))
    # A few gaps let a large N reach back past its last N periods (rule 1).
    holes = draw(st.integers(0, 3))
    tail = draw(st.one_of(st.just(0), st.integers(0, 4), st.integers(0, length)))
    rng = np.random.default_rng(seed)
    choices = np.array([threshold, threshold - 0.5, threshold + 0.5, INF, -INF])
    values = rng.choice(choices, size=length, p=[0.3, 0.3, 0.3, 0.05, 0.05])
    values[rng.random(length) < gap] = NAN
    values[rng.integers(0, max(length, 1), size=holes if length else 0)] = NAN
    values[length - min(tail, length) :] = NAN
    return [float(v) for v in values]


@st.composite
def fleets(draw: st.DrawFn, max_alarms: int = 6) -> tuple[list[Alarm], np.ndarray]:
    """K alarms and a (K, L) matrix of their datapoints."""
    fleet = draw(st.lists(alarms(), min_size=1, max_size=max_alarms))
    longest = max(evaluation_range(a.periods) for a in fleet)
    width = draw(st.one_of(st.integers(0, longest + 12), st.integers(longest, longest + 12)))
    rows = [draw(series(a.threshold, width)) for a in fleet]
    return fleet, np.array(rows, dtype=np.float64).reshape(len(fleet), width)


state_strategy = st.sampled_from(AlarmState)
examples = settings(max_examples=120, deadline=None)
few_examples = settings(max_examples=60, deadline=None)


# --- tests --------------------------------------------------------------------------


class TestCodeTables:
    def test_state_codes(self) -> None:
        """OK is 0, ALARM 1, INSUFFICIENT_DATA 2, and STATE_CODE inverts STATES."""
        assert STATES == (OK, ALARM, INSUFFICIENT)
        assert {s: STATE_CODE[s] for s in STATES} == {OK: 0, ALARM: 1, INSUFFICIENT: 2}

    def test_operator_and_treatment_codes_follow_the_enums(self) -> None:
        """Operators and treatments are numbered in the enums' order."""
        assert tuple(ComparisonOperator) == OPERATORS
        assert tuple(TreatMissingData) == TREATMENTS
        assert [OPERATOR_CODE[o] for o in OPERATORS] == list(range(4))
        assert [TREATMENT_CODE[t] for t in TREATMENTS] == list(range(4))

    def test_evaluation_range(self) -> None:
        """R = N + 2, so AWS's example N = 3 looks at 5 periods."""
        assert evaluation_range(3) == 5
        assert evaluation_range(288) == 290


class TestAlarmParams:
    def test_build_converts_enums_to_codes(self) -> None:
        """build turns enums into their codes and numbers into the declared dtypes."""
        params = AlarmParams.build(
            threshold=[1, 2.5],
            operator=[LT, GE],
            periods=[3, 288],
            datapoints=[2, 1],
            treatment=[IGNORE, BREACHING],
        )
        assert params.operator.tolist() == [OPERATOR_CODE[LT], OPERATOR_CODE[GE]]
        assert params.treatment.tolist() == [
            TREATMENT_CODE[IGNORE],
            TREATMENT_CODE[BREACHING],
        ]
        assert params.threshold.dtype == np.float64
        assert params.operator.dtype == np.int8
        assert params.periods.dtype == np.int64
        assert params.datapoints.dtype == np.int64
        assert len(params) == 2

    @pytest.mark.parametrize(("periods", "datapoints"), [(0, 1), (289, 1), (3, 0), (3, 4)])
    def test_rejects_out_of_range_periods(self, periods: int, datapoints: int) -> None:
        """N outside 1..288 or M outside 1..N is refused on construction."""
        with pytest.raises(ValueError, match="out of range"):
            AlarmParams.build(
                threshold=[0.0],
                operator=[GE],
                periods=[periods],
                datapoints=[datapoints],
                treatment=[MISSING],
            )

    def test_rejects_a_nan_threshold(self) -> None:
        """NaN is no threshold; ±inf are, since every comparison with them is defined."""
        with pytest.raises(ValueError, match="threshold out of range"):
            AlarmParams.build(threshold=[NAN], operator=[GE], periods=[1], datapoints=[1], treatment=[MISSING])
        infinite = AlarmParams.build(
            threshold=[INF, -INF], operator=[GT, LE], periods=[1, 1], datapoints=[1, 1], treatment=[MISSING] * 2
        )
        assert infinite.threshold.tolist() == [INF, -INF]

    def test_rejects_arrays_of_different_lengths(self) -> None:
        """Every field needs one element per alarm."""
        with pytest.raises(ValueError, match="differ in length"):
            AlarmParams(
                threshold=np.zeros(2),
                operator=np.zeros(1, dtype=np.int8),
                periods=np.ones(2, dtype=np.int64),
                datapoints=np.ones(2, dtype=np.int64),
                treatment=np.zeros(2, dtype=np.int8),
            )


# AWS's published tables: N = 3, R = 5, oldest left. "keep" is the current state.
KEEP = None
_SYMBOLS = {"0": 0.0, "X": 100.0, "-": NAN}
TREATMENT_ORDER = (MISSING, IGNORE, BREACHING, NOT_BREACHING)
THREE_OF_THREE = [
    ("0 - X - X", (OK, OK, OK, OK)),
    ("0 - - - -", (OK, OK, OK, OK)),
    ("- - - - -", (INSUFFICIENT, KEEP, ALARM, OK)),
    ("0 X X - X", (ALARM, ALARM, ALARM, ALARM)),
    ("- - X - -", (ALARM, KEEP, ALARM, OK)),
]
TWO_OF_THREE = [
    ("0 - X - X", (ALARM, ALARM, ALARM, ALARM)),
    ("0 0 X 0 X", (ALARM, ALARM, ALARM, ALARM)),
    ("0 - X - -", (OK, OK, ALARM, OK)),
    ("- - - - 0", (OK, OK, ALARM, OK)),
    ("- - - X -", (ALARM, KEEP, ALARM, OK)),
]
TABLE_CASES = [
    pytest.param(m, row, treatment, expected, id=f"{m}of3 [{row}] {treatment}")
    for m, table in ((3, THREE_OF_THREE), (2, TWO_OF_THREE))
    for row, outcomes in table
    for treatment, expected in zip(TREATMENT_ORDER, outcomes, strict=True)
]


class TestPublishedTables:
    @pytest.mark.parametrize(("m", "row", "treatment", "expected"), TABLE_CASES)
    @pytest.mark.parametrize("current", list(AlarmState))
    def test_row(
        self,
        m: int,
        row: str,
        treatment: TreatMissingData,
        expected: AlarmState | None,
        current: AlarmState,
    ) -> None:
        """Every row of AWS's tables, from every starting state, by every evaluator."""
        window = [_SYMBOLS[s] for s in row.split()]
        alarm = Alarm(50.0, GT, 3, m, treatment)
        want = current if expected is KEEP else expected
        assert all_three(window, alarm, current) == {want}

    @pytest.mark.parametrize("m", [2, 3])
    def test_rows_as_one_fleet(self, m: int) -> None:
        """All rows of a table at once, one alarm per row and treatment."""
        table = THREE_OF_THREE if m == 3 else TWO_OF_THREE
        rows, fleet, want = [], [], []
        for row, outcomes in table:
            for treatment, expected in zip(TREATMENT_ORDER, outcomes, strict=True):
                rows.append([_SYMBOLS[s] for s in row.split()])
                fleet.append(Alarm(50.0, GT, 3, m, treatment))
                want.append(ALARM if expected is KEEP else expected)
        current = codes([ALARM] * len(fleet))
        got = evaluate(np.array(rows), params_of(fleet), current)
        assert states_of(got) == want

    def test_stopped_metric_turns_alarm_once_its_last_datapoint_ages_out(self) -> None:
        """`0 - - - -` under breaching is OK, and ALARM one evaluation later."""
        row = [0.0, NAN, NAN, NAN, NAN, NAN]
        params = params_of([Alarm(50.0, GT, 3, 3, BREACHING)])
        got = evaluate_history(np.array([row]), params, codes([OK]), 2)
        assert states_of(got[0]) == [OK, ALARM]


class TestComparison:
    @pytest.mark.parametrize(
        ("operator", "at", "above", "below"),
        [
            (GE, True, True, False),
            (GT, False, True, False),
            (LT, False, False, True),
            (LE, True, False, True),
        ],
    )
    def test_value_at_threshold(self, operator: ComparisonOperator, at: bool, above: bool, below: bool) -> None:
        """A value equal to the threshold breaches only for the OrEqualTo operators."""
        alarm = Alarm(1.0, operator, 1, 1, MISSING)
        for value, breach in ((1.0, at), (1.5, above), (0.5, below)):
            assert all_three([value], alarm, OK) == {ALARM if breach else OK}

    @pytest.mark.parametrize("operator", list(ComparisonOperator))
    def test_infinities_are_real_datapoints(self, operator: ComparisonOperator) -> None:
        """±inf compare as numbers, while NaN is a missing datapoint."""
        alarm = Alarm(0.0, operator, 1, 1, MISSING)
        upward = operator in (GE, GT)
        assert all_three([INF], alarm, OK) == {ALARM if upward else OK}
        assert all_three([-INF], alarm, OK) == {OK if upward else ALARM}
        assert all_three([NAN], alarm, OK) == {INSUFFICIENT}


class TestEvaluate:
    @examples
    @given(fleets(), st.data())
    def test_agrees_with_the_reference(self, fleet: tuple[list[Alarm], np.ndarray], data: st.DataObject) -> None:
        """Every alarm's new state is the reference's, whatever the data and config."""
        alarms_, values = fleet
        current = data.draw(st.lists(state_strategy, min_size=len(alarms_), max_size=len(alarms_)))
        got = evaluate(values, params_of(alarms_), codes(current))
        want = [reference(row.tolist(), a, c) for row, a, c in zip(values, alarms_, current, strict=True)]
        assert states_of(got) == want

    def test_window_shorter_than_the_range(self) -> None:
        """Columns before the window count as missing."""
        alarm = Alarm(0.0, GT, 3, 2, MISSING)
        # `- - - X -` under missing: ALARM (the breach is old enough) ...
        assert all_three([1.0, NAN], alarm, OK) == {ALARM}
        # ... and with no column at all, every period is missing.
        assert all_three([], alarm, OK) == {INSUFFICIENT}

    def test_the_n_most_recent_real_datapoints_may_reach_past_n_periods(self) -> None:
        """Rule 1 takes the N newest real datapoints anywhere in the range."""
        alarm = Alarm(0.0, GT, 3, 3, MISSING)
        assert all_three([1.0, NAN, 1.0, NAN, 1.0], alarm, OK) == {ALARM}

    def test_datapoints_older_than_the_range_do_not_count(self) -> None:
        """Only the last R = N + 2 columns are looked at."""
        alarm = Alarm(0.0, GT, 3, 3, MISSING)
        window = [1.0, 1.0, 1.0, 1.0, NAN, NAN, NAN, NAN, NAN]
        assert all_three(window, alarm, OK) == {INSUFFICIENT}

    def test_no_alarms(self) -> None:
        """K = 0 gives an empty answer."""
        params = params_of([])
        got = evaluate(np.empty((0, 7)), params, np.empty(0, dtype=np.int8))
        assert got.shape == (0,)
        assert got.dtype == np.int8

    @pytest.mark.parametrize("operator", list(ComparisonOperator))
    @pytest.mark.parametrize("threshold", [INF, -INF, 0.0, 5e-324, -5e-324, 1.7976931348623157e308])
    def test_thresholds_at_the_ends_of_the_floats(self, operator: ComparisonOperator, threshold: float) -> None:
        """One ``>=`` serves all four operators (``>`` as ``>=`` the next float up), also at ±inf."""
        values = [INF, -INF, threshold, 0.0, 5e-324, -5e-324, 1.7976931348623157e308, NAN]
        for value in values:
            alarm = Alarm(threshold, operator, 1, 1, MISSING)
            assert all_three([value], alarm, OK) == {reference([value], alarm, OK)}

    @few_examples
    @given(fleets(max_alarms=12), st.data())
    def test_a_fleet_as_the_reference(self, fleet: tuple[list[Alarm], np.ndarray], data: st.DataObject) -> None:
        """One evaluation of a fleet is the reference's, alarm by alarm."""
        alarms_, values = fleet
        current = codes(data.draw(st.lists(state_strategy, min_size=len(alarms_), max_size=len(alarms_))))
        whole = evaluate(values, params_of(alarms_), current)
        want = [reference(row.tolist(), a, STATES[c]) for row, a, c in zip(values, alarms_, current, strict=True)]
        assert states_of(whole) == want

    def test_a_large_fleet_agrees_with_the_one_alarm_path(self) -> None:
        """3,000 alarms (many blocks), every N, operator and treatment, gaps and ties."""
        rng = np.random.default_rng(7)
        k, width = 3_000, evaluation_range(288) + 5
        alarms_ = []
        for _ in range(k):
            periods = int(rng.integers(1, 289))
            alarms_.append(
                Alarm(
                    threshold=float(rng.choice([0.0, 50.0, 80.0])),
                    operator=OPERATORS[int(rng.integers(0, 4))],
                    periods=periods,
                    datapoints=int(rng.integers(1, periods + 1)),
                    treatment=TREATMENTS[int(rng.integers(0, 4))],
                )
            )
        values = rng.choice([0.0, 50.0, 80.0, 100.0], size=(k, width))
        values[rng.random((k, width)) < rng.choice([0.0, 0.02, 0.5, 1.0], size=(k, 1))] = NAN
        current = rng.integers(0, 3, size=k).astype(np.int8)
        got = states_of(evaluate(values, params_of(alarms_), current))
        want = [one(row.tolist(), a, STATES[c]) for row, a, c in zip(values, alarms_, current, strict=True)]
        assert got == want
        assert {ALARM, OK, INSUFFICIENT} <= set(got)

    def test_rejects_mismatched_shapes(self) -> None:
        """values needs one row per alarm, current one code per alarm."""
        params = params_of([Alarm(0.0, GT, 1, 1, MISSING)])
        with pytest.raises(ValueError, match="one row per alarm"):
            evaluate(np.zeros((2, 3)), params, codes([OK]))
        with pytest.raises(ValueError, match="current"):
            evaluate(np.zeros((1, 3)), params, codes([OK, OK]))


class TestEvaluateHistory:
    @examples
    @given(fleets(max_alarms=4), st.data())
    def test_agrees_with_the_reference_loop(self, fleet: tuple[list[Alarm], np.ndarray], data: st.DataObject) -> None:
        """Each step equals the reference fed the state the previous step left."""
        alarms_, values = fleet
        k, width = values.shape
        steps = data.draw(st.integers(1, width + 3))
        initial = data.draw(st.lists(state_strategy, min_size=k, max_size=k))
        got = evaluate_history(values, params_of(alarms_), codes(initial), steps)
        assert got.shape == (k, steps)
        for row, alarm, start, states in zip(values, alarms_, initial, got, strict=True):
            want = reference_history(row.tolist(), alarm, start, steps)
            assert states_of(states) == want

    @few_examples
    @given(fleets(), st.data())
    def test_one_step_is_evaluate(self, fleet: tuple[list[Alarm], np.ndarray], data: st.DataObject) -> None:
        """steps = 1 is a single evaluation at the last column."""
        alarms_, values = fleet
        k = len(alarms_)
        current = codes(data.draw(st.lists(state_strategy, min_size=k, max_size=k)))
        params = params_of(alarms_)
        history = evaluate_history(values, params, current, 1)
        assert history[:, 0].tolist() == evaluate(values, params, current).tolist()

    def test_ignore_carries_the_state_across_silent_steps(self) -> None:
        """Under ignore, a silent evaluation keeps the previous evaluation's result."""
        row = [1.0, 1.0, NAN, NAN, NAN, NAN, NAN, NAN, 0.0]
        params = params_of([Alarm(0.0, GT, 1, 1, IGNORE)])
        got = evaluate_history(np.array([row]), params, codes([OK]), len(row))
        assert states_of(got[0]) == [ALARM] * 8 + [OK]

    def test_ignore_keeps_the_initial_state_until_data_decides(self) -> None:
        """Before any decisive evaluation the initial state is kept."""
        row = [NAN, NAN, 5.0]
        params = params_of([Alarm(0.0, GT, 1, 1, IGNORE)])
        got = evaluate_history(np.array([row]), params, codes([INSUFFICIENT]), 3)
        assert states_of(got[0]) == [INSUFFICIENT, INSUFFICIENT, ALARM]

    def test_steps_before_the_first_column(self) -> None:
        """Evaluations whose range lies before column 0 see only missing data."""
        params = params_of([Alarm(0.0, GT, 1, 1, MISSING)])
        got = evaluate_history(np.array([[1.0]]), params, codes([OK]), 4)
        assert states_of(got[0]) == [INSUFFICIENT] * 3 + [ALARM]

    def test_no_alarms_and_no_steps(self) -> None:
        """K = 0 and steps = 0 both give empty answers of the right shape."""
        empty = evaluate_history(np.empty((0, 5)), params_of([]), np.empty(0, dtype=np.int8), 3)
        assert empty.shape == (0, 3)
        params = params_of([Alarm(0.0, GT, 1, 1, MISSING)])
        none = evaluate_history(np.zeros((1, 5)), params, codes([OK]), 0)
        assert none.shape == (1, 0)


class TestEvaluateOne:
    @examples
    @given(alarms(), state_strategy, st.data())
    def test_agrees_with_the_reference(self, alarm: Alarm, current: AlarmState, data: st.DataObject) -> None:
        """The plain-Python path decides as the reference, for any window length."""
        r = evaluation_range(alarm.periods)
        window = data.draw(series(alarm.threshold, data.draw(st.integers(0, r + 5))))
        assert all_three(window, alarm, current) == {reference(window, alarm, current)}

    def test_accepts_numpy_arrays(self) -> None:
        """A numpy row works as a window."""
        alarm = Alarm(0.0, GT, 2, 2, MISSING)
        assert one(np.array([NAN, 1.0, 1.0]).tolist(), alarm, OK) is ALARM
        assert (
            evaluate_one(
                np.array([1.0, 1.0]),  # type: ignore[arg-type]
                threshold=0.0,
                operator=GT,
                periods=2,
                datapoints=2,
                treatment=MISSING,
                current=OK,
            )
            is ALARM
        )


def starts(count: int, newest: datetime) -> list[datetime]:
    """Period starts for a window of ``count`` columns ending with ``newest``."""
    return [newest - timedelta(minutes=5 * (count - 1 - i)) for i in range(count)]


def reason(
    window: list[float],
    newest: datetime,
    alarm: Alarm,
    old: AlarmState,
    new: AlarmState,
) -> str:
    return explain(
        window,
        starts(len(window), newest),
        threshold=alarm.threshold,
        operator=alarm.operator,
        periods=alarm.periods,
        datapoints=alarm.datapoints,
        treatment=alarm.treatment,
        old_state=old,
        new_state=new,
    )


START = datetime(2026, 11, 28, 7, 40, tzinfo=UTC)


class TestExplain:
    def test_threshold_crossed_to_alarm(self) -> None:
        """The breaching datapoints are listed newest first with their period start."""
        alarm = Alarm(80.0, GT, 3, 2, MISSING)
        window = [50.0, 88.0, 91.5]
        assert reason(window, START, alarm, OK, ALARM) == (
            "Threshold Crossed: 2 out of the last 3 datapoints "
            "[91.5 (28/11/26 07:40:00), 88.0 (28/11/26 07:35:00)] were greater than "
            "the threshold (80.0) (minimum 2 datapoints for OK -> ALARM transition)."
        )

    def test_threshold_crossed_to_ok_in_the_singular(self) -> None:
        """A move to OK lists the non-breaching datapoints, in the singular when one."""
        alarm = Alarm(1.0, GE, 1, 1, MISSING)
        newest = datetime(2020, 6, 2, 16, 1, tzinfo=UTC)
        assert reason([0.0], newest, alarm, ALARM, OK) == (
            "Threshold Crossed: 1 out of the last 1 datapoints [0.0 (02/06/20 16:01:00)] "
            "was not greater than or equal to the threshold (1.0) "
            "(minimum 1 datapoint for ALARM -> OK transition)."
        )

    def test_ok_needs_n_minus_m_plus_one_non_breaching(self) -> None:
        """The minimum for OK is the count that keeps breaches below M."""
        alarm = Alarm(10.0, LT, 3, 2, MISSING)
        window = [20.0, 5.0, 30.0]
        assert reason(window, START, alarm, ALARM, OK) == (
            "Threshold Crossed: 2 out of the last 3 datapoints "
            "[30.0 (28/11/26 07:40:00), 20.0 (28/11/26 07:30:00)] were not less than "
            "the threshold (10.0) (minimum 2 datapoints for ALARM -> OK transition)."
        )

    def test_no_datapoints_treated_as_breaching(self) -> None:
        """When fillers alone decide, the reason says so."""
        alarm = Alarm(80.0, GT, 3, 3, BREACHING)
        assert reason([NAN] * 5, START, alarm, OK, ALARM) == (
            "Threshold Crossed: no datapoints were received for 3 periods and "
            "3 missing datapoints were treated as [Breaching]."
        )

    def test_no_datapoint_treated_as_not_breaching(self) -> None:
        """The singular filler form, under notBreaching."""
        alarm = Alarm(80.0, GT, 1, 1, NOT_BREACHING)
        assert reason([], START, alarm, ALARM, OK) == (
            "Threshold Crossed: no datapoints were received for 1 period and "
            "1 missing datapoint was treated as [NonBreaching]."
        )

    def test_some_real_and_some_fillers(self) -> None:
        """Real datapoints and fillers that decided together are both named."""
        alarm = Alarm(80.0, GT, 3, 2, BREACHING)
        window = [NAN, NAN, 95.0, NAN, NAN]
        assert reason(window, START, alarm, OK, ALARM) == (
            "Threshold Crossed: 1 out of the last 3 datapoints [95.0 (28/11/26 07:30:00)] "
            "was greater than the threshold (80.0) and 2 missing datapoints were "
            "treated as [Breaching] (minimum 2 datapoints for OK -> ALARM transition)."
        )

    def test_fillers_alone_beside_a_non_breaching_datapoint(self) -> None:
        """Fillers that outvote a real, non-breaching datapoint are named alone."""
        alarm = Alarm(80.0, GT, 3, 2, BREACHING)
        window = [NAN, NAN, NAN, NAN, 10.0]
        assert reason(window, START, alarm, OK, ALARM) == (
            "Threshold Crossed: 2 missing datapoints were treated as [Breaching] "
            "(minimum 2 datapoints for OK -> ALARM transition)."
        )

    def test_old_enough_breach_under_missing(self) -> None:
        """Too few breaches, but old enough: the age is the reason."""
        alarm = Alarm(80.0, GT, 3, 3, MISSING)
        window = [NAN, NAN, 95.0, NAN, NAN]
        assert reason(window, START, alarm, INSUFFICIENT, ALARM) == (
            "Threshold Crossed: 1 out of the last 1 datapoints [95.0 (28/11/26 07:30:00)] "
            "was greater than the threshold (80.0) and the oldest is 3 periods old "
            "(minimum 3 periods for INSUFFICIENT_DATA -> ALARM transition)."
        )

    def test_insufficient_data_with_no_datapoints(self) -> None:
        """Every period of the range unknown."""
        alarm = Alarm(80.0, GT, 3, 3, MISSING)
        assert reason([NAN] * 5, START, alarm, OK, INSUFFICIENT) == ("Insufficient Data: 5 datapoints were unknown.")

    def test_insufficient_data_with_too_young_breaches(self) -> None:
        """Real datapoints that were not enough are named, with the unknown count."""
        alarm = Alarm(80.0, GT, 3, 2, MISSING)
        window = [NAN, NAN, NAN, NAN, 95.0]
        assert reason(window, START, alarm, OK, INSUFFICIENT) == (
            "Insufficient Data: 1 out of the last 1 datapoints [95.0 (28/11/26 07:40:00)] "
            "was greater than the threshold (80.0), fewer than the minimum "
            "2 datapoints for ALARM, and 4 datapoints were unknown."
        )

    def test_ignore_keeping_the_state(self) -> None:
        """A kept state under ignore is reported as unchanged."""
        alarm = Alarm(80.0, GT, 3, 3, IGNORE)
        assert reason([NAN] * 5, START, alarm, ALARM, ALARM) == (
            "Unchanged: no datapoints were received for 5 periods and missing data is ignored."
        )

    @few_examples
    @given(alarms(), state_strategy, st.data())
    def test_every_decision_can_be_explained(self, alarm: Alarm, old: AlarmState, data: st.DataObject) -> None:
        """Whatever the rule decides, explain words it as one sentence naming real data."""
        r = evaluation_range(alarm.periods)
        window = data.draw(series(alarm.threshold, data.draw(st.integers(0, r + 3))))
        new = one(window, alarm, old)
        text = reason(window, START, alarm, old, new)
        if new is INSUFFICIENT:
            assert text.startswith("Insufficient Data: ")
        elif text.startswith("Unchanged: "):
            assert alarm.treatment is IGNORE
            assert new is old
        else:
            assert text.startswith("Threshold Crossed: ")
        assert text.endswith(".")
        assert "[]" not in text

    def test_refuses_a_state_the_rule_did_not_reach(self) -> None:
        """Explaining a transition the data does not support is a caller's bug."""
        alarm = Alarm(80.0, GT, 1, 1, MISSING)
        with pytest.raises(ValueError, match="the rule decides"):
            reason([10.0], START, alarm, ALARM, ALARM)
