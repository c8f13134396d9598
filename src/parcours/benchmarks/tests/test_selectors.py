"""What pages read: a company's position and a programme's benchmark, in a fixed number of
queries, and the two include templates."""

import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from parcours.benchmarks.models import BenchmarkGroup
from parcours.benchmarks.selectors import position_for, position_word, programme_benchmark
from parcours.benchmarks.services import recompute_benchmarks
from parcours.diagnoses.models import Diagnosis
from parcours.referential.selectors import current_version, referential_tree
from parcours.testing import DiagnosisFactory

from .helpers import companies, programme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def tree():
    """The referential tree in memory, as in a running server."""
    version = current_version()
    assert version is not None
    return referential_tree(version)


@pytest.fixture
def cohort():
    """Six manufacturers (small) in a programme, overall 400–450, and ten IT micro companies outside."""
    p = programme("Cohorte Loire")
    p.diagnoses = companies(6, programmes=[p])
    companies(10, nace="62.01Z", size="micro", overall=lambda i: 500 + 10 * i)
    recompute_benchmarks()
    return p


def fresh(diagnosis: Diagnosis) -> Diagnosis:
    return Diagnosis.objects.get(pk=diagnosis.pk)


@pytest.mark.parametrize(
    ("score", "word"),
    [(10, "bottom"), (20, "below"), (24, "below"), (25, "median"), (26, "above"), (30, "above"), (31, "top")],
)
def test_position_word_against_quartiles(score, word):
    assert position_word(score, 20, 25, 30) == word
    assert position_word(None, 20, 25, 30) == ""


def test_position_for_a_company_in_a_programme(cohort, tree, django_assert_num_queries):
    diagnosis = fresh(cohort.diagnoses[2])  # overall 420, every core subject 42
    with django_assert_num_queries(3):  # organisation, groups, referential version
        groups = position_for(diagnosis)
    assert [g.label for g in groups] == [
        "All Parcours companies",
        "All Parcours companies — sector C Manufacturing",
        "All Parcours companies — 10 to 49 people",
        "Programme “Cohorte Loire”",
        "Programme “Cohorte Loire” — sector C Manufacturing",
        "Programme “Cohorte Loire” — 10 to 49 people",
    ]
    everyone, programme_group = groups[0], groups[3]
    assert everyone.n == 16 and programme_group.n == 6 and not programme_group.held
    overall = programme_group.rows[0]
    assert (overall.label, overall.score, overall.q1, overall.median, overall.q3) == (
        "Overall score",
        420,
        413,
        425,
        438,
    )
    assert overall.position == "below" and overall.position_label == "below median"
    assert everyone.rows[0].position == "bottom"  # 420 against 400–450 and 500–590
    subjects = programme_group.rows[1:]
    assert len(subjects) == len(tree.core_subjects) == 7
    assert subjects[0].label.startswith("6.2") and subjects[0].score == 42 and subjects[0].median == 43


def test_queries_do_not_grow_with_programmes(cohort, tree, django_assert_num_queries):
    others = [programme(f"Autre {i}") for i in range(3)]
    (diagnosis,) = companies(1)
    for p in others:
        companies(7, programmes=[p])
        p.enrolments.create(organisation=diagnosis.organisation)
    recompute_benchmarks()
    diagnosis = fresh(diagnosis)
    with django_assert_num_queries(3):
        groups = position_for(diagnosis)
    assert sum(g.label.startswith("Programme") for g in groups) >= 3


def test_only_published_groups_of_the_company_are_shown(cohort, tree):
    alone = programme("Trop petite")
    (diagnosis,) = companies(1, nace="47.11B", size="medium", programmes=[alone])
    recompute_benchmarks()
    assert BenchmarkGroup.objects.get(key=f"programme={alone.pk}").status == BenchmarkGroup.Status.SUPPRESSED
    groups = position_for(fresh(diagnosis))
    assert [g.key for g in groups] == ["all"]  # not its 1-company sector, size or programme
    assert not any(g.key.startswith(f"programme={cohort.pk}") for g in groups)


def test_no_results_no_position(django_assert_num_queries):
    diagnosis = DiagnosisFactory()
    with django_assert_num_queries(0):
        assert position_for(diagnosis) == []


def test_held_groups_are_flagged(cohort, tree):
    companies(1, programmes=[cohort])
    recompute_benchmarks()
    groups = {g.key: g for g in position_for(fresh(cohort.diagnoses[0]))}
    assert groups[f"programme={cohort.pk}"].held and groups[f"programme={cohort.pk}"].n == 6


def test_programme_benchmark_has_main_splits_and_all(cohort, tree, django_assert_num_queries):
    with django_assert_num_queries(2):  # groups, current referential version
        bench = programme_benchmark(cohort)
    assert bench["main"].label == "Programme “Cohorte Loire”" and bench["main"].n == 6
    assert bench["all"].n == 16 and bench["main_reason"] == ""
    assert [g.label for g in bench["splits"]] == [
        "Programme “Cohorte Loire” — sector C Manufacturing",
        "Programme “Cohorte Loire” — 10 to 49 people",
    ]
    rows = bench["main_rows"]
    assert len(rows) == 1 + 7 + 37
    (overall, all_median), (subject, _m) = rows[0], rows[1]
    assert (overall.n, overall.median, all_median) == (6, 425, 515)
    assert subject.kind == "core_subject" and rows[2][0].kind == "domain"


def test_programme_benchmark_says_why_there_is_none(cohort, tree):
    tiny = programme("Petite")
    companies(3, programmes=[tiny])
    recompute_benchmarks()
    bench = programme_benchmark(tiny)
    assert bench["main"] is None and bench["splits"] == []
    assert "fewer than 5 validated diagnoses" in bench["main_reason"]
    near = programme("Presque la même")
    for d in cohort.diagnoses[:5]:  # 1 company short of the cohort
        near.enrolments.create(organisation=d.organisation)
    recompute_benchmarks()
    bench = programme_benchmark(near)
    assert bench["main"] is None and "differ from those of a larger group" in bench["main_reason"]


def test_position_include_renders_accessible_tables(cohort, tree):
    html = render_to_string(
        "benchmarks/_position.html", {"benchmark_positions": position_for(fresh(cohort.diagnoses[2]))}
    )
    assert html.count("<table") == 6 and html.count("<caption>") == 6
    assert "below median" in html and 'scope="row"' in html and 'scope="col"' in html
    assert not re.search(r"\sstyle=|<script|<style", html)
    empty = render_to_string("benchmarks/_position.html", {"benchmark_positions": []})
    assert "fewer than 5 validated diagnoses" in empty and "<table" not in empty


def test_programme_include_renders_tables_and_reasons(cohort, tree):
    html = render_to_string(
        "benchmarks/_programme.html", {"programme_benchmark": programme_benchmark(cohort)}
    )
    assert html.count("<caption>") == 3 and "Median of all Parcours companies" in html
    assert not re.search(r"\sstyle=|<script|<style", html)
    tiny = programme("Petite")
    html = render_to_string("benchmarks/_programme.html", {"programme_benchmark": programme_benchmark(tiny)})
    assert "fewer than 5 validated diagnoses" in html and "<table" not in html


def test_groups_with_the_same_figures_share_one_table(cohort, tree):
    from parcours.benchmarks.selectors import merge_twins

    diagnosis = fresh(cohort.diagnoses[2])
    groups = position_for(diagnosis)
    merged = merge_twins(position_for(diagnosis))
    assert len(merged) <= len(groups)
    assert sum(1 + len(g.also) for g in merged) == len(groups)  # no group lost, each named once
    for g in merged:
        for name in g.also:
            twin = next(x for x in groups if x.label == name)
            assert [(f.q1, f.median, f.q3) for f in twin.rows] == [(f.q1, f.median, f.q3) for f in g.rows]
