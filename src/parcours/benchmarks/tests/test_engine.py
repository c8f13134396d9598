"""The benchmark rules on hand-built groups, without a database (docs/benchmarks.md)."""

import random
import statistics
from datetime import UTC, datetime

import numpy as np
import pytest

from parcours.benchmarks.engine import (
    Dataset,
    Decision,
    K,
    Previous,
    build_dataset,
    decide,
    group_keys,
    group_stats,
    parse_key,
    quartiles,
)
from parcours.benchmarks.sectors import DIVISION_SECTION, nace_section

EARLIER = datetime(2026, 1, 5, tzinfo=UTC)


def dataset(groups: dict[str, list[int]], scores: dict[int, float | None] | None = None) -> Dataset:
    """Groups given by diagnosis ids; each diagnosis' overall score defaults to 10 × its id."""
    ids = sorted({i for members in groups.values() for i in members})
    scores = scores or {}
    values = np.array([[scores.get(i, 10.0 * i)] for i in ids], dtype=np.float64).reshape(len(ids), 1)
    row = {i: r for r, i in enumerate(ids)}
    return Dataset(
        diagnosis_ids=np.array(ids, dtype=np.int64),
        values=values,
        columns=[("overall", "")],
        groups={key: np.array([row[i] for i in members], dtype=np.intp) for key, members in groups.items()},
    )


def shown(decision: Decision) -> Previous:
    """What the next run reads back from a decision."""
    return Previous(decision.status, decision.stats, decision.n, decision.published_ids, EARLIER)


def ids(a: int, b: int) -> list[int]:
    return list(range(a, b + 1))


# --- sectors and group keys ---------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "section"),
    [
        ("13.20Z", "C"),
        ("01.11Z", "A"),
        ("03.22Z", "A"),
        ("05.10Z", "B"),
        ("33.20A", "C"),
        ("35.11Z", "D"),
        ("36.00Z", "E"),
        ("41.20A", "F"),
        ("47.11B", "G"),
        ("49.41A", "H"),
        ("56.10A", "I"),
        ("62.01Z", "J"),
        ("64.19Z", "K"),
        ("68.20B", "L"),
        ("70.22Z", "M"),
        ("82.99Z", "N"),
        ("84.11Z", "O"),
        ("85.59A", "P"),
        ("86.23Z", "Q"),
        ("90.01Z", "R"),
        ("96.02A", "S"),
        ("97.00Z", "T"),
        ("99.00Z", "U"),
        ("62.01z ", "J"),
        ("14.12", "C"),
        ("", None),
        (None, None),
        ("04.00Z", None),  # no such division
        ("48.00Z", None),
        ("AB.12", None),
    ],
)
def test_nace_division_gives_its_section(code, section):
    assert nace_section(code) == section


def test_every_nace_division_has_one_section():
    assert len(DIVISION_SECTION) == 88  # the 88 divisions of NACE Rev. 2
    assert sorted(set(DIVISION_SECTION.values())) == [chr(c) for c in range(ord("A"), ord("U") + 1)]


def test_group_keys_cross_each_scope_with_sector_and_size():
    assert group_keys(sector="C", size_band="small", programme_ids=[7, 3]) == [
        "all",
        "all|sector=C",
        "all|size=small",
        "programme=3",
        "programme=3|sector=C",
        "programme=3|size=small",
        "programme=7",
        "programme=7|sector=C",
        "programme=7|size=small",
    ]
    assert group_keys(sector=None, size_band="micro", programme_ids=[]) == ["all", "all|size=micro"]
    assert parse_key("programme=3|sector=C") == {"programme": "3", "sector": "C"}
    assert parse_key("all") == {}


def test_build_dataset_takes_scores_and_groups_from_results():
    data = build_dataset(
        [
            (
                11,
                1,
                {"overall": 400, "core_subjects": {"env": 40}, "domains": {"d1": 30, "d2": None}},
                "13.20Z",
                "small",
            ),
            (12, 2, {"overall": 600, "core_subjects": {"env": 60}, "domains": {"d1": 50}}, "", "micro"),
            (13, 3, {}, "47.11B", "small"),
        ],
        [(5, 1), (5, 2), (6, 2)],
    )
    assert data.columns == [("overall", ""), ("core_subjects", "env"), ("domains", "d1"), ("domains", "d2")]
    assert data.values[0, :3].tolist() == [400, 40, 30] and np.isnan(data.values[0, 3])
    assert np.isnan(data.values[2]).all()
    assert data.members("all") == {11, 12, 13}
    assert data.members("all|size=small") == {11, 13}
    assert data.members("all|sector=C") == {11}
    assert data.members("programme=5") == {11, 12}
    assert data.members("programme=6|size=micro") == {12}
    assert "programme=6|sector=C" not in data.groups  # no NACE code, no sector group


# --- rule 6: quartiles -------------------------------------------------------------


@pytest.mark.parametrize("seed", range(8))
def test_quartiles_are_the_inclusive_method(seed):
    rng = random.Random(seed)
    n = rng.randint(5, 60)
    values = [rng.randint(0, 100) for _ in range(n)]
    counts, qs = quartiles(np.array(values, dtype=np.float64).reshape(n, 1))
    assert counts.tolist() == [n]
    assert qs[:, 0].tolist() == pytest.approx(statistics.quantiles(values, n=4, method="inclusive"))


def test_quartiles_interpolate_and_round_half_up():
    stats = group_stats(np.array([[10.0], [11.0], [20.0], [30.0], [41.0], [50.0]]), [("overall", "")])
    # positions (n - 1) × p = 1.25, 2.5, 3.75: Q1 = 11 + .25 × 9 = 13.25, median = 25,
    # Q3 = 30 + .75 × 11 = 38.25
    assert stats["overall"] == {"n": 6, "q1": 13, "median": 25, "q3": 38}
    # halves round up, as in the scoring: 2.25, 3.5, 4.75
    half = group_stats(np.array([[1.0], [2.0], [3.0], [4.0], [5.0], [6.0]]), [("overall", "")])
    assert half["overall"] == {"n": 6, "q1": 2, "median": 4, "q3": 5}


def test_missing_scores_are_left_out_per_column():
    column = np.array([[1.0], [np.nan], [3.0], [np.nan], [5.0], [7.0], [9.0]])
    counts, qs = quartiles(column)
    assert counts.tolist() == [5]
    assert qs[:, 0].tolist() == [3.0, 5.0, 7.0]


# --- rule 3: k-anonymity -----------------------------------------------------------


def test_a_group_of_fewer_than_k_gets_no_figure():
    result = decide(dataset({"all": ids(1, 4)}), {})
    assert result["all"].status == "suppressed" and result["all"].reason == "too_few"
    assert result["all"].stats == {} and result["all"].n == 0
    result = decide(dataset({"all": ids(1, K)}), {})
    assert result["all"].status == "published" and result["all"].n == K
    assert result["all"].stats["overall"]["median"] == 30


def test_each_statistic_needs_k_scores_of_its_own():
    values = np.array(
        [
            [500, 50, 40, 30],
            [600, 60, 41, np.nan],
            [550, np.nan, 42, np.nan],
            [450, 45, 43, 31],
            [700, 70, 44, 32],
        ],
        dtype=np.float64,
    )
    columns = [("overall", ""), ("core_subjects", "env"), ("domains", "d1"), ("domains", "d2")]
    data = Dataset(np.arange(1, 6, dtype=np.int64), values, columns, {"all": np.arange(5, dtype=np.intp)})
    stats = decide(data, {})["all"].stats
    assert stats["overall"]["n"] == 5
    assert stats["domains"] == {"d1": {"n": 5, "q1": 41, "median": 42, "q3": 43}}
    assert "env" not in stats["core_subjects"]  # 4 scores only
    assert "d2" not in stats["domains"]  # 3 scores only


# --- rule 4: no differencing between groups of the same run -----------------------


def test_programme_differing_from_all_by_one_is_suppressed():
    result = decide(dataset({"all": ids(1, 11), "programme=1": ids(1, 10)}), {})
    assert result["all"].status == "published"
    assert result["programme=1"].status == "suppressed" and result["programme=1"].reason == "overlap"


def test_groups_differing_by_k_or_identical_are_both_published():
    result = decide(
        dataset({"all": ids(1, 15), "programme=1": ids(1, 10), "all|sector=C": ids(1, 15)}),
        {},
    )
    assert {key: d.status for key, d in result.items()} == dict.fromkeys(result, "published")


def test_overlap_between_groups_of_the_same_size_suppresses_the_more_specific():
    # same size, 2 ids apart: the size split goes, the programme stays
    groups = {"all": ids(1, 30), "programme=2": ids(1, 10), "all|size=small": [*ids(1, 8), 40, 41]}
    result = decide(dataset(groups), {})
    assert result["programme=2"].status == "published"
    assert result["all|size=small"].reason == "overlap"
    # same size, same specificity: the lexicographically larger key goes
    groups = {"programme=2": ids(1, 10), "programme=3": [*ids(1, 8), 40, 41]}
    result = decide(dataset(groups), {})
    assert result["programme=2"].status == "published" and result["programme=3"].reason == "overlap"


def test_a_suppressed_group_no_longer_blocks_others():
    # A ⊃ B ⊃ C, each one apart from the next but C five apart from A: B goes, C stays
    groups = {"all": ids(1, 20), "all|size=small": ids(1, 19), "all|size=small|x=1": ids(1, 15)}
    result = decide(dataset(groups), {})
    assert [result[k].status for k in groups] == ["published", "suppressed", "published"]


def test_only_sizes_within_k_are_compared_and_result_has_no_close_pair():
    rng = random.Random(4)
    universe = ids(1, 80)
    groups = {f"programme={i}": sorted(rng.sample(universe, rng.randint(3, 40))) for i in range(40)}
    groups["all"] = universe
    result = decide(dataset(groups), {})
    visible = [d for d in result.values() if d.status != "suppressed"]
    assert len(visible) > 5
    for a in visible:
        assert a.n >= K
        for b in visible:
            difference = len(a.published_ids ^ b.published_ids)
            assert difference == 0 or difference >= K


# --- rule 5: no differencing over time ---------------------------------------------


def test_late_entrant_is_held_until_k_new_diagnoses():
    first = decide(dataset({"programme=1": ids(1, 10)}), {})["programme=1"]
    assert first.status == "published" and first.new_figures
    # one company more: figures of the 10 kept, flagged as held
    second = decide(dataset({"programme=1": ids(1, 11)}), {"programme=1": shown(first)})["programme=1"]
    assert second.status == "held" and not second.new_figures
    assert second.published_ids == first.published_ids and second.stats == first.stats and second.n == 10
    # four more (15): 5 apart from the published 10 → new figures
    third = decide(dataset({"programme=1": ids(1, 15)}), {"programme=1": shown(second)})["programme=1"]
    assert third.status == "published" and third.new_figures and third.n == 15
    assert third.stats["overall"]["median"] == 80


def test_an_identical_set_is_republished_without_new_figures():
    first = decide(dataset({"all": ids(1, 6)}), {})["all"]
    again = decide(dataset({"all": ids(1, 6)}), {"all": shown(first)})["all"]
    assert again.status == "published" and not again.new_figures and again.stats == first.stats


def test_a_newer_diagnosis_of_the_same_company_counts_as_a_change():
    first = decide(dataset({"all": ids(1, 8)}), {})["all"]
    replaced = decide(dataset({"all": [*ids(1, 7), 30]}), {"all": shown(first)})["all"]
    assert replaced.status == "held" and replaced.published_ids == first.published_ids


def test_held_figures_are_checked_against_other_groups_with_their_own_set():
    before = {"programme=1": shown(decide(dataset({"programme=1": ids(1, 10)}), {})["programme=1"])}
    # programme now 11 (held at 1–10); "all" has exactly 1–11: 1 apart from the held set
    result = decide(dataset({"all": ids(1, 11), "programme=1": ids(1, 11)}), before)
    assert result["all"].status == "published"
    assert result["programme=1"].status == "suppressed" and result["programme=1"].reason == "overlap"
    assert result["programme=1"].published_ids == frozenset(ids(1, 10))  # still remembered


def test_below_k_the_last_published_set_is_remembered():
    first = decide(dataset({"programme=1": ids(1, 6)}), {})["programme=1"]
    shrunk = decide(dataset({"programme=1": ids(1, 4)}), {"programme=1": shown(first)})["programme=1"]
    assert shrunk.status == "suppressed" and shrunk.reason == "too_few" and shrunk.stats == {}
    assert shrunk.published_ids == frozenset(ids(1, 6))
    # back to 6 with two newcomers: 4 apart from the last publication, nothing to hold
    back = decide(dataset({"programme=1": [*ids(1, 4), 20, 21]}), {"programme=1": shown(shrunk)})
    assert back["programme=1"].status == "suppressed" and back["programme=1"].reason == "since_last"
    # the same six as last published: figures again
    same = decide(dataset({"programme=1": ids(1, 6)}), {"programme=1": shown(shrunk)})["programme=1"]
    assert same.status == "published" and same.stats == first.stats
    # or five changes away
    moved = decide(dataset({"programme=1": [1, *ids(20, 25)]}), {"programme=1": shown(shrunk)})
    assert moved["programme=1"].status == "published" and moved["programme=1"].new_figures


def test_a_group_that_disappears_keeps_its_memory():
    first = decide(dataset({"all": ids(1, 9), "programme=4": ids(1, 9)}), {})
    gone = decide(dataset({"all": ids(1, 9)}), {k: shown(d) for k, d in first.items()})
    assert gone["programme=4"].status == "suppressed" and gone["programme=4"].reason == "too_few"
    assert gone["programme=4"].published_ids == frozenset(ids(1, 9))
