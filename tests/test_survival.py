"""The review-time survival model (issue 22): Kaplan-Meier worked by hand, the
backlog example, and ``lifelines`` as the oracle on random histories."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lifelines import KaplanMeierFitter
from lifelines.utils import qth_survival_time

from export_licenses.domain.survival import EPSILON, Curve, fit
from helpers import examples

# (working days, decided): pending and withdrawn applications are not decided.
History = list[tuple[int, bool]]

# Worked by hand. Days 3 3 5 7 7 9, decided on 3, 5 and 7 only:
#   day  at risk  decided  S
#    3      6        1     5/6          (the one censored on day 3 is at risk on 3)
#    5      4        1     5/6 * 3/4 = 5/8
#    7      3        1     5/8 * 2/3 = 5/12
#    9      1        0     5/12         (censored: no step)
SMALL: History = [(3, True), (3, False), (5, True), (7, True), (7, False), (9, False)]


def test_small_history_by_hand() -> None:
    curve = fit(SMALL)
    assert (curve.decided, curve.censored, curve.n, curve.last) == (3, 3, 6, 9)
    expected = {0: 1, 2: 1, 3: 5 / 6, 4: 5 / 6, 5: 5 / 8, 6: 5 / 8, 7: 5 / 12}
    expected |= {9: 5 / 12, 50: 5 / 12}
    for t, s in expected.items():
        assert curve.survival(t) == pytest.approx(s, abs=1e-12), t
    assert curve.quantile(0.5) == 7  # 5/8 > 1/2 >= 5/12
    assert curve.quantile(0.3) == 5  # 1 - 5/8 = 3/8 >= 0.3
    assert curve.quantile(0.9) is None  # 5/12 still waiting at day 9: "over 9"
    assert curve.decided_by(5) == pytest.approx(3 / 8)
    # Beyond day 9 nothing was seen: the chance is what was seen by then.
    assert curve.decided_by(40) == pytest.approx(7 / 12)


def test_conditional_chance_given_the_wait_so_far() -> None:
    curve = fit(SMALL)
    # Waited 3 undecided: S(7)/S(3) = (5/12)/(5/6) = 1/2.
    assert curve.decided_by(7, waited=3) == pytest.approx(1 / 2)
    assert curve.decided_by(5, waited=4) == pytest.approx(1 - (5 / 8) / (5 / 6))
    # Exactly half by day 7 is a median, though the float product is not 1/2.
    assert curve.quantile(0.5, waited=3) == 7
    assert curve.quantile(0.6, waited=3) is None
    # Undecided after 5 days: no decision by day 5 or before, by definition.
    assert curve.decided_by(5, waited=5) == 0.0
    assert curve.decided_by(2, waited=5) == 0.0
    # Nobody was observed beyond day 9: no basis, not a 0 % chance.
    assert curve.decided_by(30, waited=9) is None
    assert curve.decided_by(30, waited=12) is None
    assert curve.quantile(0.5, waited=9) is None


def test_ties_decisions_before_censorings() -> None:
    # Day 4: 3 at risk (the one censored on day 4 included), 1 decided -> 2/3,
    # not 1/2. Day 6: 1 at risk, decided -> 0.
    curve = fit([(4, True), (4, False), (6, True)])
    assert curve.survival(4) == pytest.approx(2 / 3)
    assert curve.survival(6) == 0.0
    assert curve.quantile(1.0) == 6


def test_everyone_decided_leaves_no_basis_beyond() -> None:
    # 2 of 4 on day 2 (S = 1/2 exactly: the median), the rest on day 4 (S = 0).
    curve = fit([(2, True), (2, True), (4, True), (4, True)])
    assert curve.quantile(0.5) == 2
    assert curve.quantile(1.0) == 4
    assert curve.decided_by(3, waited=2) == 0.0
    assert curve.decided_by(9, waited=2) == 1.0
    # S(4) = 0: everyone observed was decided by then; nothing to condition on.
    assert curve.decided_by(9, waited=4) is None
    assert curve.quantile(0.5, waited=4) is None


def test_a_share_reached_exactly_is_reached() -> None:
    # 9 of 10 decided on day 5: S(5) = 1/10, so 90 % were decided by day 5,
    # although in floats 1 - 0.9 = 0.09999999999999998 < 0.1.
    curve = fit([(5, True)] * 9 + [(8, True)])
    assert curve.quantile(0.9) == 5
    assert curve.quantile(0.9, waited=2) == 5
    assert curve.quantile(0.95) == 8


def test_no_history() -> None:
    curve = fit([])
    assert (curve.n, curve.last) == (0, None)
    assert curve.survival(10) == 1.0
    assert curve.decided_by(10) is None
    assert curve.quantile(0.5) is None


def test_nothing_decided_yet() -> None:
    curve = fit([(30, False), (60, False)])
    assert curve.decided_by(100) == 0.0
    assert curve.quantile(0.5) is None
    assert curve.last == 60  # "over 60 working days"


def test_a_decision_on_day_zero() -> None:
    curve = fit([(0, True), (0, False), (5, True)])
    assert curve.survival(0) == pytest.approx(2 / 3)
    assert curve.decided_by(0) == pytest.approx(1 / 3)
    assert curve.decided_by(5, waited=0) == 1.0


def test_the_backlog_of_issue_22() -> None:
    """3 decided at 36 working days and 4 pending for 110-124: the decided
    ones alone say a median of 36; with the pending, 4 of 7 still wait at 124,
    so the median is "over 124 working days"."""
    history = [(36, True)] * 3 + [(110, False), (115, False), (120, False)]
    curve = fit([*history, (124, False)])
    assert fit([h for h in history if h[1]]).quantile(0.5) == 36  # the bias
    assert curve.quantile(0.5) is None
    assert curve.quantile(0.9) is None
    assert curve.last == 124
    assert (curve.decided, curve.censored) == (3, 4)
    # Within the statutory 45 working days, 3 of 7: not the 100 % of the decided.
    assert curve.decided_by(45) == pytest.approx(3 / 7)
    assert curve.survival(45) == pytest.approx(4 / 7)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="never negative"):
        fit([(-1, True)])
    curve = fit(SMALL)
    with pytest.raises(ValueError, match="never negative"):
        curve.decided_by(5, waited=-1)
    for q in (0.0, -0.1, 1.5, math.nan):
        with pytest.raises(ValueError, match="quantile"):
            curve.quantile(q)


# Random histories: any review time up to 300 working days, or few distinct
# days so that decisions and censorings tie on the same day.
histories = st.lists(
    st.tuples(
        st.one_of(st.integers(0, 300), st.integers(0, 6)),
        st.booleans(),
    ),
    min_size=1,
    max_size=60,
)
ORACLE = settings(
    max_examples=examples(300),
    deadline=None,  # lifelines' speed must not decide the verdict
    suppress_health_check=[HealthCheck.too_slow],
)
QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9, 1.0)


def oracle(history: History) -> KaplanMeierFitter:
    days, decided = zip(*history, strict=True)
    return KaplanMeierFitter().fit(list(days), list(decided))


def lifelines_survival(kmf: KaplanMeierFitter, times: list[int]) -> list[float]:
    return [float(s) for s in kmf.survival_function_at_times(times)]


def assert_same_quantile(
    mine: int | None, theirs: float, kmf: KaplanMeierFitter, level: float
) -> None:
    """Equal, except on a level the curve meets exactly, which lifelines (with
    exp of a sum of logs) may miss by a rounding: then ours is that day."""
    if mine == (None if math.isinf(theirs) else theirs):
        return
    assert mine is not None, (theirs, level)
    assert lifelines_survival(kmf, [mine])[0] <= level + EPSILON
    assert math.isinf(theirs) or theirs > mine


@ORACLE
@given(histories)
def test_kaplan_meier_matches_lifelines(history: History) -> None:
    curve = fit(history)
    kmf = oracle(history)
    times = list(range(max(d for d, _ in history) + 3))  # every day, and after
    theirs = lifelines_survival(kmf, times)
    for t, s in zip(times, theirs, strict=True):
        assert abs(curve.survival(t) - s) <= 1e-9, t
    assert_same_quantile(curve.quantile(0.5), kmf.median_survival_time_, kmf, 0.5)
    for q in QUANTILES:
        # A Series: a one-row frame would squeeze to a scalar lifelines refuses.
        ll = qth_survival_time(1 - q, kmf.survival_function_.iloc[:, 0])
        assert_same_quantile(curve.quantile(q), ll, kmf, 1 - q)
    assert curve.decided == sum(decided for _, decided in history)
    assert curve.n == len(history) == kmf.event_observed.size


@ORACLE
@given(histories, st.integers(0, 310), st.sampled_from(QUANTILES))
def test_conditional_chance_and_quantile(
    history: History, waited: int, q: float
) -> None:
    curve = fit(history)
    kmf = oracle(history)
    last = max(d for d, _ in history)
    days = list(range(last + 3))
    s = dict(zip(days, lifelines_survival(kmf, days), strict=True))
    if waited >= last:  # nobody observed beyond the wait
        assert curve.decided_by(waited + 1, waited) is None
        assert curve.quantile(q, waited) is None
        return
    assert s[waited] > 0
    for t in days:
        chance = curve.decided_by(t, waited)
        expected = 0.0 if t <= waited else 1 - s[t] / s[waited]
        assert chance is not None
        assert abs(chance - expected) <= 1e-9, t
    # The quantile is the first day the chance reaches q: the planning horizon.
    reached = [t for t in days if t > waited and 1 - s[t] / s[waited] >= q - EPSILON]
    found = curve.quantile(q, waited)
    assert found == (reached[0] if reached else None)


def test_a_curve_says_what_it_is() -> None:
    assert isinstance(fit(SMALL), Curve)
    assert repr(fit([(3, True), (5, False)])) == (
        "Curve(decided=1, censored=1, last=5, steps=[(3, 0.5)])"
    )
