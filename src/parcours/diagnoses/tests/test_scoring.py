"""The scoring method: hand-computed cases and properties that must always hold."""

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from parcours.diagnoses.scoring import DomainInput, maturity_level, round_half_up, score

CS = ["gov", "hr", "lab"]


def test_hand_computed_example_from_the_docs():
    # the worked example of docs/scoring.md
    domains = [
        DomainInput("g1", "gov", True, [3, 2, 4]),  # (75 + 50 + 100) / 3 = 75
        DomainInput("h1", "hr", True, [1, "na", 2]),  # N/A left out: (25 + 50) / 2 = 37.5
        DomainInput("h2", "hr", False, [0, 0, 0]),  # not relevant: left out entirely
        DomainInput("l1", "lab", True, [4, 4, None]),  # unanswered left out: 100
        DomainInput("l2", "lab", True, [0, 1, 0]),  # 25 / 3 = 8.33
    ]
    r = score(domains, CS)
    assert r.domains["g1"].display == 75
    assert r.domains["h1"].score == Fraction(75, 2)
    assert r.domains["h1"].display == 38  # 37.5 rounds half up
    assert r.domains["h2"].score is None
    assert r.domains["l2"].display == 8
    assert r.core_subjects["gov"].display == 75
    assert r.core_subjects["hr"].score == Fraction(75, 2)
    # labour: (100 + 25/3) / 2 = 54.1666…
    assert r.core_subjects["lab"].display == 54
    # overall: (75 + 37.5 + 54.1666…) / 3 × 10 = 555.55… → 556
    assert r.overall == 556
    assert r.maturity_level == 3
    # completeness counts relevant domains only: 11 answered (N/A included) of 12
    assert (r.answered, r.applicable) == (11, 12)
    assert r.completeness == 92


def test_nothing_answered_gives_no_score_not_zero():
    r = score([DomainInput("g1", "gov", True, [None, None])], CS)
    assert r.overall is None
    assert r.maturity_level is None
    assert r.core_subjects["gov"].score is None


def test_maturity_bands_edges():
    assert [maturity_level(s) for s in (0, 300, 301, 500, 501, 700, 701, 1000)] == [1, 1, 2, 2, 3, 3, 4, 4]


def test_round_half_up():
    assert [round_half_up(Fraction(x, 2)) for x in (1, 3, 5)] == [1, 2, 3]


def test_strengths_and_priorities_do_not_overlap():
    domains = [DomainInput(f"d{i}", CS[i % 3], True, [i % 5]) for i in range(12)]
    r = score(domains, CS)
    assert len(r.strengths) == 5 and len(r.priorities) == 5
    assert not {d.key for d in r.strengths} & {d.key for d in r.priorities}
    assert min(d.score for d in r.strengths) >= max(d.score for d in r.priorities)  # type: ignore[type-var]


answer = st.one_of(st.integers(0, 4), st.just("na"), st.none())
domain_st = st.builds(
    DomainInput,
    key=st.just(""),
    core_subject=st.sampled_from(CS),
    relevant=st.booleans(),
    answers=st.lists(answer, min_size=1, max_size=5),
)


def _keyed(domains):
    return [DomainInput(f"d{i}", d.core_subject, d.relevant, d.answers) for i, d in enumerate(domains)]


@given(st.lists(domain_st, min_size=1, max_size=12), st.data())
def test_raising_an_answer_never_lowers_any_score(domains, data):
    domains = _keyed(domains)
    candidates = [
        (i, j) for i, d in enumerate(domains) for j, a in enumerate(d.answers) if isinstance(a, int) and a < 4
    ]
    if not candidates:
        return
    i, j = data.draw(st.sampled_from(candidates))
    answers = list(domains[i].answers)
    answers[j] = data.draw(st.integers(answers[j] + 1, 4))
    raised = [
        *domains[:i],
        DomainInput(domains[i].key, domains[i].core_subject, domains[i].relevant, answers),
        *domains[i + 1 :],
    ]
    before, after = score(domains, CS), score(raised, CS)
    for key in before.domains:
        if before.domains[key].score is not None:
            assert after.domains[key].score >= before.domains[key].score  # type: ignore[operator]
    for key in before.core_subjects:
        if before.core_subjects[key].score is not None:
            assert after.core_subjects[key].score >= before.core_subjects[key].score  # type: ignore[operator]
    if before.overall is not None:
        assert after.overall >= before.overall  # type: ignore[operator]


@given(
    st.lists(domain_st, min_size=1, max_size=12),
    st.lists(answer, min_size=1, max_size=5),
    st.sampled_from(CS),
)
def test_excluded_domains_never_act_as_zeros(domains, extra_answers, cs):
    domains = _keyed(domains)
    base = score(domains, CS)
    # a not-relevant domain, whatever its answers, changes nothing
    with_excluded = score([*domains, DomainInput("x", cs, False, extra_answers)], CS)
    assert with_excluded.overall == base.overall
    assert {k: v.score for k, v in with_excluded.core_subjects.items()} == {
        k: v.score for k, v in base.core_subjects.items()
    }
    # nor does a relevant domain answered only "not applicable"
    with_na = score([*domains, DomainInput("y", cs, True, ["na"] * len(extra_answers))], CS)
    assert with_na.overall == base.overall
