"""Reading the stored benchmarks for pages: pure reads, a fixed number of queries, no
quantile ever computed here and no other company's data ever read."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parcours.diagnoses.models import Diagnosis
from parcours.organisations.models import HeadcountBand
from parcours.programmes.models import Enrolment, Programme
from parcours.referential.models import ReferentialVersion
from parcours.referential.selectors import Tree, current_version, referential_tree

from .engine import ALL, K, parse_key
from .models import BenchmarkGroup
from .sectors import nace_section, section_name

POSITIONS: dict[str, Promise] = {
    "bottom": gettext_lazy("bottom quarter"),
    "below": gettext_lazy("below median"),
    "median": gettext_lazy("at the median"),
    "above": gettext_lazy("above median"),
    "top": gettext_lazy("top quarter"),
}
SIZE_ORDER = {band: i for i, band in enumerate(HeadcountBand.values)}


@dataclass(frozen=True)
class Figure:
    """Quartiles of one score in one group; all None when too few companies have that score."""

    key: str  # "overall", a core subject key or a domain key
    kind: str  # "overall", "core_subject" or "domain"
    label: str
    scale: int  # 1000 for the overall score, 100 otherwise
    n: int | None = None
    q1: int | None = None
    median: int | None = None
    q3: int | None = None
    score: int | None = None  # the company's own score (position_for only)
    position: str = ""  # a key of POSITIONS, "" when there is nothing to compare

    @property
    def published(self) -> bool:
        return self.median is not None

    @property
    def scale_label(self) -> str:
        return _("out of %(scale)s") % {"scale": self.scale}

    @property
    def position_label(self) -> str:
        return str(POSITIONS[self.position]) if self.position else ""


@dataclass
class GroupFigures:
    key: str
    label: str
    n: int
    held: bool  # figures kept from an earlier run (fewer than K diagnoses changed since)
    published_at: datetime | None
    rows: list[Figure] = field(default_factory=list)
    also: list[str] = field(default_factory=list)  # other groups made of exactly the same companies


def position_word(score: int | None, q1: int | None, median: int | None, q3: int | None) -> str:
    """Where a score falls against a group's quartiles (a key of POSITIONS)."""
    if score is None or q1 is None or median is None or q3 is None:
        return ""
    if score < q1:
        return "bottom"
    if score > q3:
        return "top"
    if score < median:
        return "below"
    if score > median:
        return "above"
    return "median"


def group_label(key: str, programme_name: str = "") -> str:
    parts = parse_key(key)
    base = (
        _("Programme “%(name)s”") % {"name": programme_name}
        if "programme" in parts
        else _("All Parcours companies")
    )
    if "sector" in parts:
        return _("%(group)s — sector %(section)s %(name)s") % {
            "group": base,
            "section": parts["sector"],
            "name": section_name(parts["sector"]),
        }
    if "size" in parts:
        size = parts["size"]
        label = HeadcountBand(size).label if size in HeadcountBand.values else size
        return _("%(group)s — %(size)s") % {"group": base, "size": label}
    return base


def _visible_groups() -> QuerySet[BenchmarkGroup]:
    return (
        BenchmarkGroup.objects.filter(status__in=BenchmarkGroup.VISIBLE)
        .select_related("programme")
        .only("key", "status", "n", "stats", "published_at", "programme__name")
    )


def _subjects(tree: Tree | None) -> list[tuple[str, str]]:
    if tree is None:
        return []
    return [
        (n.core_subject.key, f"{n.core_subject.clause} {n.core_subject.label}") for n in tree.core_subjects
    ]


def _figure(
    stats: dict[str, Any],
    kind: str,
    key: str,
    label: str,
    score: int | None = None,
    with_position: bool = False,
) -> Figure:
    if kind == "overall":
        figure = stats.get("overall") or {}
        scale = 1000
    else:
        figure = (stats.get("core_subjects" if kind == "core_subject" else "domains") or {}).get(key) or {}
        scale = 100
    q1, median, q3 = figure.get("q1"), figure.get("median"), figure.get("q3")
    return Figure(
        key=key,
        kind=kind,
        label=label,
        scale=scale,
        n=figure.get("n"),
        q1=q1,
        median=median,
        q3=q3,
        score=score,
        position=position_word(score, q1, median, q3) if with_position else "",
    )


def _group(row: BenchmarkGroup) -> GroupFigures:
    return GroupFigures(
        key=row.key,
        label=group_label(row.key, row.programme.name if row.programme else ""),
        n=row.n,
        held=row.status == BenchmarkGroup.Status.HELD,
        published_at=row.published_at,
    )


def _group_order(row: BenchmarkGroup) -> tuple[Any, ...]:
    parts = parse_key(row.key)
    return (
        "programme" in parts,
        row.programme.name if row.programme else "",
        row.programme_id or 0,
        "sector" in parts or "size" in parts,
        SIZE_ORDER.get(parts.get("size", ""), -1),
        parts.get("sector", ""),
    )


def position_for(diagnosis: Diagnosis) -> list[GroupFigures]:
    """For a company's diagnosis with results: each published group its organisation
    belongs to (all companies, its sector, its size, each of its programmes and their
    sector and size splits) with the quartiles of the overall score and of each core
    subject, the company's own score and where it falls. Three queries at most (with the
    referential tree already in memory); another company's score is never read."""
    results = diagnosis.results or {}
    if not results:
        return []
    organisation = diagnosis.organisation
    sector = nace_section(organisation.nace_code) or ""
    size = organisation.headcount_band or ""
    rows = list(
        _visible_groups()
        .filter(
            Q(programme__isnull=True)
            | Q(programme__in=Enrolment.objects.filter(organisation=organisation).values("programme_id"))
        )
        .filter(sector__in={"", sector}, size_band__in={"", size})
    )
    tree = referential_tree(diagnosis.referential_version)
    own_subjects = results.get("core_subjects") or {}
    groups = []
    for row in sorted(rows, key=_group_order):
        group = _group(row)
        stats = row.stats or {}
        group.rows = [
            _figure(stats, "overall", "overall", _("Overall score"), results.get("overall"), True),
            *(
                _figure(stats, "core_subject", key, label, own_subjects.get(key), True)
                for key, label in _subjects(tree)
            ),
        ]
        groups.append(group)
    return groups


def merge_twins(groups: list[GroupFigures]) -> list[GroupFigures]:
    """One table for groups showing the same figures (a programme that is the whole of
    Parcours, a cohort all of one size): the first keeps its place, the others' names are
    added to it."""
    merged: list[GroupFigures] = []
    for group in groups:
        signature = (group.n, [(f.n, f.q1, f.median, f.q3) for f in group.rows])
        twin = next(
            (g for g in merged if (g.n, [(f.n, f.q1, f.median, f.q3) for f in g.rows]) == signature), None
        )
        if twin is None:
            merged.append(group)
        else:
            twin.also.append(group.label)
    return merged


def _full_rows(stats: dict[str, Any], tree: Tree | None) -> list[Figure]:
    rows = [_figure(stats, "overall", "overall", _("Overall score"))]
    for node in tree.core_subjects if tree else []:
        cs = node.core_subject
        rows.append(_figure(stats, "core_subject", cs.key, f"{cs.clause} {cs.label}"))
        rows.extend(
            _figure(stats, "domain", d.domain.key, f"{d.domain.clause} {d.domain.label}")
            for d in node.domains
        )
    return rows


MAIN_REASONS: dict[str, Promise] = {
    BenchmarkGroup.Reason.TOO_FEW: gettext_lazy(
        "No figures yet: fewer than 5 validated diagnoses in this group."
    ),
    BenchmarkGroup.Reason.OVERLAP: gettext_lazy(
        "No figures: the companies of this programme differ from those of a larger group by fewer "
        "than 5, so comparing the two could reveal a company's scores."
    ),
    BenchmarkGroup.Reason.SINCE_LAST: gettext_lazy(
        "No figures: fewer than 5 diagnoses changed in this group since its figures were withdrawn."
    ),
}


def programme_benchmark(programme: Programme, version: ReferentialVersion | None = None) -> dict[str, Any]:
    """For the programme's coordinators and funders: the programme's published figures per
    core subject and domain (beside the median of all Parcours companies), its published
    size and sector splits, and all Parcours companies. Labels follow ``version`` (by
    default the current referential). Two queries, with the referential tree in memory."""
    main_key = f"programme={programme.pk}"
    rows = list(
        BenchmarkGroup.objects.filter(
            Q(programme=programme, status__in=BenchmarkGroup.VISIBLE) | Q(key__in=[ALL, main_key])
        )
        .select_related("programme")
        .only("key", "status", "reason", "n", "stats", "published_at", "programme__name")
    )
    version = version or current_version()
    tree = referential_tree(version) if version else None
    main = everyone = None
    reason = BenchmarkGroup.Reason.TOO_FEW.value
    splits = []
    for row in sorted(rows, key=_group_order):
        if not row.is_visible:
            if row.key == main_key:
                reason = row.reason or reason
            continue
        group = _group(row)
        group.rows = _full_rows(row.stats or {}, tree)
        if row.key == ALL:
            everyone = group
        elif row.key == main_key:
            main = group
        else:
            splits.append(group)
    medians = {(f.kind, f.key): f.median for f in everyone.rows} if everyone else {}
    return {
        "programme": programme,
        "label": group_label(main_key, programme.name),
        "main": main,
        # the programme's figures beside the median of all Parcours companies
        "main_rows": [(f, medians.get((f.kind, f.key))) for f in main.rows] if main else [],
        "main_reason": "" if main else str(MAIN_REASONS.get(reason, MAIN_REASONS["too_few"])),
        "splits": splits,
        "all": everyone,
        "k": K,
    }
