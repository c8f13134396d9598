"""Reads for VSME pages: the datapoint catalogue (pure, from the shipped data file) and a
reporting year's facts."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.db.models import QuerySet

from parcours.organisations.models import Organisation

from . import reference
from .models import Fact, ReportingYear

MODULES = ("basic", "comprehensive")


@dataclass(frozen=True)
class Member:
    qname: str
    label_en: str
    label_fr: str


@dataclass(frozen=True)
class Axis:
    """A dimension a datapoint is broken down by. A typed axis has no members: its values are
    identifiers the company chooses (one per site, subsidiary or material)."""

    qname: str
    label_en: str
    label_fr: str
    typed: bool
    members: tuple[Member, ...]
    default: str | None  # the member meaning "total": a fact without this axis


@dataclass(frozen=True)
class Datapoint:
    concept: str
    label_en: str
    label_fr: str
    data_type: str
    period_type: str  # "duration" or "instant"
    unit_kind: str | None  # mass, volume, area, energy, ghg, pure, monetary, ghg_per_monetary
    units: tuple[str, ...]  # allowed units, default first ("" currency-based for monetary)
    choices: tuple[Member, ...]  # allowed members of an enumeration
    multiple: bool  # several choices at once (enumeration set)
    axes: tuple[Axis, ...]
    section_en: str
    section_fr: str
    in_template: bool


@dataclass(frozen=True)
class Disclosure:
    code: str  # "B1" … "C9", or "other"
    module: str  # "basic" or "comprehensive"
    title_en: str
    title_fr: str
    datapoints: tuple[Datapoint, ...]


def _member(qname: str) -> Member:
    return Member(qname, reference.member_label(qname, "en"), reference.member_label(qname, "fr"))


@cache
def _axis(qname: str, members: tuple[str, ...]) -> Axis:
    info = reference.data()["axes"].get(qname, {})
    return Axis(
        qname=qname,
        label_en=reference.concept_label(qname, "en"),
        label_fr=reference.concept_label(qname, "fr"),
        typed=bool(info.get("typed")),
        members=tuple(_member(m) for m in members),
        default=info.get("default"),
    )


def _role_axes(role: str) -> tuple[Axis, ...]:
    axes: list[Axis] = []
    for table in reference.data()["tables"]:
        if table["role"] != role:
            continue
        for axis, members in table["explicit"].items():
            default = reference.data()["axes"][axis]["default"]
            if [m for m in members if m != default]:
                axes.append(_axis(axis, tuple(members)))
        for axis in table["typed"]:
            axes.append(_axis(axis, ()))
    return tuple(axes)


@cache
def _catalogue() -> tuple[Disclosure, ...]:
    d = reference.data()
    by_code: dict[str, list[Datapoint]] = {x["code"]: [] for x in d["disclosures"]}
    seen: set[tuple[str, str, tuple[str, ...]]] = set()
    for group in d["presentation"]:
        axes = _role_axes(group["role"])
        for _depth, qname in group["rows"]:
            c = reference.concept(qname)
            if c is None or c.get("kind") != "item":
                continue
            code = group["code"] or c.get("disclosure") or "other"
            key = (code, qname, tuple(a.qname for a in axes))
            if code not in by_code or key in seen:
                continue
            seen.add(key)
            by_code[code].append(
                Datapoint(
                    concept=qname,
                    label_en=c["label"]["en"] or qname,
                    label_fr=c["label"]["fr"] or c["label"]["en"] or qname,
                    data_type=c["data_type"],
                    period_type=c["period_type"],
                    unit_kind=c.get("unit_kind"),
                    units=tuple(c.get("units") or ()),
                    choices=tuple(_member(m) for m in c.get("members", ())),
                    multiple=c["data_type"] == "enum2:enumerationSetItemType",
                    axes=axes,
                    section_en=group["title"]["en"],
                    section_fr=group["title"]["fr"],
                    in_template=bool(c.get("in_template")),
                )
            )
    return tuple(
        Disclosure(x["code"], x["module"], x["title"]["en"], x["title"]["fr"], tuple(by_code[x["code"]]))
        for x in d["disclosures"]
    )


def catalogue(module: str) -> list[Disclosure]:
    """The VSME disclosures of a module with their datapoints, in the taxonomy's presentation
    order. "basic" gives B1–B11, "comprehensive" B1–B11 and C1–C9; both end with the
    entity-specific "other" information. Pure function over the shipped data file (cached)."""
    if module not in MODULES:
        raise ValueError(f"unknown VSME module {module!r} (expected one of {MODULES})")
    return [x for x in _catalogue() if module == "comprehensive" or x.module == "basic"]


def reporting_year_for(organisation: Organisation, year: int) -> ReportingYear | None:
    return ReportingYear.objects.filter(organisation=organisation, year=year).first()


def facts_of(reporting_year: ReportingYear) -> QuerySet[Fact]:
    return reporting_year.facts.order_by("concept", "period", "dimensions_key")
