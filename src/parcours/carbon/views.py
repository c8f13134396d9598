from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from parcours.core import charts
from parcours.organisations.access import OrgAccess, org_view
from parcours.vsme.models import Fact

from . import services
from .factors import CURRENT_VERSION, FactorSet, factor_set
from .forms import ActivityForm, FillForm, OverrideForm, RemoveOverrideForm
from .models import CarbonEstimate
from .selectors import estimate_for, estimate_years

# Editing the estimate fills VSME indicators: the same capability as the indicator pages.
EDIT = "edit_indicators"
FIRST_YEAR, LAST_YEAR = 2000, 2100


def scope_labels() -> dict[int, str]:
    return {
        1: _("Scope 1 — direct emissions (fuels)"),
        2: _("Scope 2 — electricity (location-based)"),
        3: _("Scope 3 — other indirect emissions (freight, business travel, packaging)"),
    }


def _checked_year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return year


def _estimate_url(access: OrgAccess, year: int, anchor: str = "") -> str:
    url = reverse("carbon_estimate", kwargs={"org_slug": access.organisation.slug, "year": year})
    return f"{url}#{anchor}" if anchor else url


def _factors(estimate: CarbonEstimate | None) -> FactorSet:
    return factor_set(estimate.factor_set_version if estimate else CURRENT_VERSION)


@org_view("view_organisation")
def carbon_index(request: HttpRequest, access: OrgAccess) -> HttpResponse:
    """The latest estimate, or last year's (a footprint is made for a closed year)."""
    years = estimate_years(access.organisation)
    return redirect(_estimate_url(access, years[0] if years else timezone.localdate().year - 1))


@org_view("view_organisation")
@require_safe
def carbon_estimate(request: HttpRequest, access: OrgAccess, year: int) -> HttpResponse:
    year = _checked_year(year)
    return _page(request, access, year, estimate_for(access.organisation, year))


@org_view(EDIT)
@require_POST
def carbon_activities(request: HttpRequest, access: OrgAccess, year: int) -> HttpResponse:
    year = _checked_year(year)
    estimate = estimate_for(access.organisation, year)
    form = ActivityForm(request.POST, factors=_factors(estimate), estimate=estimate)
    if form.is_valid():
        try:
            saved, changes = services.activities_save(
                organisation=access.organisation, year=year, actor=request.user, data=form.inputs()
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if saved is None:
                messages.info(request, _("Nothing to save: enter at least one figure."))
            elif changes:
                messages.success(request, _("Activity data saved; the results below are up to date."))
            else:
                messages.info(request, _("Nothing changed."))
            return redirect(_estimate_url(access, year, "results"))
    return _page(request, access, year, estimate, activity_form=form, status=400)


@org_view(EDIT)
@require_POST
def carbon_override(request: HttpRequest, access: OrgAccess, year: int) -> HttpResponse:
    year = _checked_year(year)
    estimate = estimate_for(access.organisation, year)
    if estimate is None:
        messages.error(request, _("Save some activity data first: factors are replaced within an estimate."))
        return redirect(_estimate_url(access, year))
    form = OverrideForm(request.POST, factors=_factors(estimate))
    if form.is_valid():
        try:
            services.override_set(
                estimate=estimate,
                actor=request.user,
                factor_key=form.cleaned_data["factor_key"],
                value=form.cleaned_data["value"],
                justification=form.cleaned_data["justification"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your factor is saved; the results below use it."))
            return redirect(_estimate_url(access, year, "factors"))
    return _page(request, access, year, estimate, override_form=form, status=400)


@org_view(EDIT)
@require_POST
def carbon_override_remove(request: HttpRequest, access: OrgAccess, year: int) -> HttpResponse:
    year = _checked_year(year)
    estimate = estimate_for(access.organisation, year)
    form = RemoveOverrideForm(request.POST)
    if estimate is not None and form.is_valid():
        removed = services.override_remove(
            estimate=estimate, actor=request.user, factor_key=form.cleaned_data["factor_key"]
        )
        if removed:
            messages.success(request, _("Default factor restored."))
            return redirect(_estimate_url(access, year, "factors"))
    messages.error(request, _("There was no replaced factor to remove."))
    return redirect(_estimate_url(access, year, "factors"))


@org_view(EDIT)
@require_POST
def carbon_upgrade(request: HttpRequest, access: OrgAccess, year: int) -> HttpResponse:
    year = _checked_year(year)
    estimate = estimate_for(access.organisation, year)
    if estimate is not None and services.estimate_upgrade(estimate=estimate, actor=request.user):
        messages.success(
            request,
            _("The estimate now uses the factor set %(version)s; your figures and factors are kept.")
            % {"version": CURRENT_VERSION},
        )
    else:
        messages.info(request, _("The estimate already uses the current factors."))
    return redirect(_estimate_url(access, year, "factors"))


@org_view(EDIT)
@require_POST
def carbon_fill_vsme(request: HttpRequest, access: OrgAccess, year: int) -> HttpResponse:
    year = _checked_year(year)
    estimate = estimate_for(access.organisation, year)
    form = FillForm(request.POST)
    if estimate is None or not estimate.entries.all():
        messages.error(request, _("Nothing to fill: enter some activity data first."))
        return redirect(_estimate_url(access, year))
    overwrite = form.cleaned_data["overwrite"] if form.is_valid() else False
    result = services.fill_vsme(estimate=estimate, actor=request.user, overwrite=overwrite)
    _fill_messages(request, result)
    return redirect(_estimate_url(access, year, "vsme"))


def _labels(facts: list[services.PlannedFact]) -> str:
    lang = (get_language() or "fr")[:2]
    return "; ".join(services.datapoint_label(p.concept, p.dimensions, lang) for p in facts)


def _fill_messages(request: HttpRequest, result: services.FillResult) -> None:
    done = len(result.created) + len(result.updated) + len(result.unchanged)
    if done:
        messages.success(
            request,
            ngettext(
                "VSME B3 filled from the estimate: %(count)d datapoint (%(written)d written, %(unchanged)d already up to date).",
                "VSME B3 filled from the estimate: %(count)d datapoints (%(written)d written, %(unchanged)d already up to date).",
                done,
            )
            % {"count": done, "written": result.written, "unchanged": len(result.unchanged)},
        )
    if result.overwritten:
        messages.warning(
            request,
            _("Replaced by the estimate's figures: %(list)s.") % {"list": _labels(result.overwritten)},
        )
    if result.skipped:
        messages.warning(
            request,
            _(
                "Not filled, because a figure entered by hand or imported is already there: %(list)s. "
                "Tick “Also replace the figures entered by hand or imported” to replace them."
            )
            % {"list": _labels([p for p, _fact in result.skipped])},
        )
    if result.removed:
        lang = (get_language() or "fr")[:2]
        names = "; ".join(services.datapoint_label(f.concept, f.dimensions, lang) for f in result.removed)
        messages.info(
            request, _("Removed, as the estimate no longer gives them: %(list)s.") % {"list": names}
        )
    if not (done or result.skipped or result.removed):
        messages.info(request, _("Nothing to fill."))


def _page(
    request: HttpRequest,
    access: OrgAccess,
    year: int,
    estimate: CarbonEstimate | None,
    *,
    activity_form: ActivityForm | None = None,
    override_form: OverrideForm | None = None,
    status: int = 200,
) -> HttpResponse:
    fs = _factors(estimate)
    result = services.compute(estimate) if estimate is not None else None
    overrides = {o.factor_key: o for o in estimate.overrides.all()} if estimate else {}
    labels = scope_labels()
    context: dict[str, Any] = {
        "access": access,
        "nav": "carbon",
        "year": year,
        "previous_year": year - 1 if year > FIRST_YEAR else None,
        "next_year": year + 1 if year < min(LAST_YEAR, timezone.localdate().year + 1) else None,
        "years": estimate_years(access.organisation),
        "estimate": estimate,
        "factors": fs,
        "result": result,
        "can_edit": access.can(EDIT),
        "activity_form": activity_form or ActivityForm(factors=fs, estimate=estimate),
        "override_form": override_form or OverrideForm(factors=fs),
        "fill_form": FillForm(),
        "scope_labels": labels,
        "factor_rows": [{"activity": a, "override": overrides.get(a.key)} for a in fs.activities],
        "has_overrides": bool(overrides),
        "current_version": CURRENT_VERSION,
        "new_activities": _new_activities(fs),
    }
    if result is not None:
        context.update(_results_context(result, estimate, labels))
    return render(request, "carbon/estimate.html", context, status=status)


def _new_activities(fs: FactorSet) -> list[str]:
    """Labels of the activities the current factor set adds to an older estimate's."""
    if fs.version == CURRENT_VERSION:
        return []
    known = {a.key for a in fs.activities}
    return [a.label_text for a in factor_set(CURRENT_VERSION).activities if a.key not in known]


def _results_context(
    result: services.Result, estimate: CarbonEstimate | None, labels: dict[int, str]
) -> dict[str, Any]:
    lang = (get_language() or "fr")[:2]
    scopes = [
        {"scope": s, "label": labels[s], "tonnes": t, "share": result.scope_share(s)}
        for s, t in result.by_scope.items()
    ]
    lines = [
        {"line": line, "share": result.share(line), "scope_label": labels[line.scope]}
        for line in result.lines
    ]
    chart = None
    if result.total > 0:
        chart = charts.bars(
            [
                charts.Bar(
                    label=line.activity.label_text,
                    value=float(result.share(line) or 0),
                    group=labels[line.scope],
                )
                for line in result.lines
            ],
            _("Share of each source in the estimated emissions (%); the table below gives the figures."),
        )
    current: dict[tuple[str, str, str], Fact] = {}
    if estimate is not None:
        current = {
            f.key: f
            for f in estimate.reporting_year.facts.filter(
                concept__in={c for c, _d, _u in services.B3_DATAPOINTS}, period=Fact.Period.CURRENT
            )
        }
    vsme_rows = [
        {
            "label": services.datapoint_label(p.concept, p.dimensions, lang),
            "planned": p,
            "fact": current.get(p.key),
        }
        for p in services.planned_facts(result)
    ]
    return {"scopes": scopes, "lines": lines, "chart": chart, "vsme_rows": vsme_rows}
