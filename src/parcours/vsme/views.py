"""Yearly indicators (VSME): years, one form per disclosure, import and export."""

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from parcours.diagnoses.models import Diagnosis
from parcours.evidence import services as evidence_services
from parcours.evidence.models import Evidence
from parcours.organisations.access import OrgAccess, org_view
from parcours.referential import crosswalks
from parcours.referential.selectors import current_version, referential_tree

from . import services
from .display import figure
from .forms import (
    EMPTY_ROWS,
    MORE_ROWS,
    DisclosureForm,
    DisclosureRows,
    EntityIdentifierForm,
    ImportForm,
    NewYearForm,
    editable,
    tabular,
)
from .models import Fact, ReportingYear
from .selectors import Disclosure, catalogue


def _context(access: OrgAccess, **extra: Any) -> dict[str, Any]:
    return {"access": access, "nav": "indicators", "can_edit": access.can("edit_indicators"), **extra}


def _year(access: OrgAccess, year: int) -> ReportingYear:
    ry = ReportingYear.objects.filter(organisation=access.organisation, year=year).first()
    if ry is None:
        raise Http404
    return ry


def _title(d: Disclosure) -> str:
    return d.title_fr if (get_language() or "fr").startswith("fr") else d.title_en


def _disclosures(ry: ReportingYear) -> list[Disclosure]:
    return catalogue(ry.module)  # B1… then C1… when opted in, the entity-specific "other" last


def _facts(ry: ReportingYear | None) -> dict[tuple[str, str], Fact]:
    if ry is None:
        return {}
    return {(f.concept, f.dimensions_key): f for f in ry.facts.filter(period=Fact.Period.CURRENT)}


def _previous(ry: ReportingYear) -> ReportingYear | None:
    return (
        ReportingYear.objects.filter(organisation=ry.organisation, year__lt=ry.year).order_by("-year").first()
    )


@org_view("view_organisation")
def indicators_home(request: HttpRequest, access: OrgAccess) -> HttpResponse:
    years = list(ReportingYear.objects.filter(organisation=access.organisation).order_by("-year"))
    counts = {
        row["reporting_year"]: row["n"]
        for row in Fact.objects.filter(reporting_year__in=years)
        .values("reporting_year")
        .order_by()
        .annotate(n=Count("pk"))
    }
    for ry in years:
        ry.n_facts = counts.get(ry.pk, 0)  # type: ignore[attr-defined]
    return render(
        request,
        "vsme/home.html",
        _context(
            access,
            years=years,
            new_form=NewYearForm(auto_id="new_%s"),
            import_form=ImportForm(auto_id="import_%s"),
        ),
    )


@org_view("edit_indicators")
@require_POST
def indicator_year_new(request: HttpRequest, access: OrgAccess) -> HttpResponse:
    form = NewYearForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("indicators_home", org_slug=access.organisation.slug)
    try:
        ry, copied = services.reporting_year_start(
            actor=request.user,
            organisation=access.organisation,
            year=form.cleaned_data["year"],
            carry_over=form.cleaned_data["carry_over"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("indicators_home", org_slug=access.organisation.slug)
    if copied:
        messages.success(
            request,
            _("%(n)s figures carried over from the previous year: confirm or update them.") % {"n": copied},
        )
    return redirect("indicator_year", org_slug=access.organisation.slug, year=ry.year)


@org_view("edit_indicators")
@require_POST
def indicator_import(request: HttpRequest, access: OrgAccess) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("indicators_home", org_slug=access.organisation.slug)
    try:
        result = services.import_template(
            form.cleaned_data["file"],
            organisation=access.organisation,
            year=form.cleaned_data["year"],
            actor=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("indicators_home", org_slug=access.organisation.slug)
    return render(
        request,
        "vsme/import_result.html",
        _context(access, result=result, year=form.cleaned_data["year"]),
    )


def _comparison(ry: ReportingYear, before: ReportingYear | None) -> list[dict[str, Any]]:
    """Numeric figures of the year beside the previous year's, with the change, labelled and
    in the units people read (percentages as %, t CO₂e, MWh)."""
    if before is None:
        return []
    now, then = _facts(ry), _facts(before)
    rows = []
    for key, fact in sorted(now.items()):
        old = then.get(key)
        b = figure(fact, ry.year)
        a = figure(old, before.year) if old is not None else None
        if a is None or b is None:
            continue
        change = None if a.value == 0 else round((b.value - a.value) / a.value * 100, 1)
        rows.append(
            {
                "label": b.label,
                "before": format(a.value, "f"),
                "now": format(b.value, "f"),
                "unit": b.unit,
                "change": change,
            }
        )
    return rows


@org_view("view_organisation")
def indicator_year(request: HttpRequest, access: OrgAccess, year: int) -> HttpResponse:
    ry = _year(access, year)
    facts = _facts(ry)
    filled = {concept for concept, _k in facts}
    rows = []
    for d in _disclosures(ry):
        concepts = {dp.concept for dp in d.datapoints}
        rows.append(
            {
                "disclosure": d,
                "title": _title(d),
                "filled": len(concepts & filled),
                "total": len(concepts),
                "form": any(editable(dp) or tabular(dp) for dp in d.datapoints),
            }
        )
    before = _previous(ry)
    return render(
        request,
        "vsme/year.html",
        _context(
            access,
            ry=ry,
            rows=rows,
            before=before,
            comparison=_comparison(ry, before),
            modules=ReportingYear.Module.choices,
            entity_form=EntityIdentifierForm(
                initial={
                    "entity_scheme": services.entity_scheme_key(ry.entity_scheme),
                    "entity_identifier": ry.entity_identifier,
                }
            ),
            siren=access.organisation.siren,
        ),
    )


@org_view("edit_indicators")
@require_POST
def indicator_year_settings(request: HttpRequest, access: OrgAccess, year: int) -> HttpResponse:
    ry = _year(access, year)
    module = request.POST.get("module", "")
    currency = request.POST.get("currency", ry.currency).strip().upper()
    entity = EntityIdentifierForm(request.POST)
    errors: list[str] = []
    if module not in ReportingYear.Module.values or len(currency) != 3 or not currency.isalpha():
        errors.append(_("Choose the basic or comprehensive module and a 3-letter currency code (EUR)."))
    if "entity_scheme" in request.POST and not entity.is_valid():
        errors += [str(e) for errs in entity.errors.values() for e in errs]
    if errors:  # nothing saved: the options go together
        messages.error(request, " ".join(errors))
    else:
        ry.module, ry.currency = module, currency
        ry.save(update_fields=["module", "currency", "updated_at"])
        if "entity_scheme" in request.POST:
            services.entity_identifier_set(
                actor=request.user,
                reporting_year=ry,
                scheme_key=entity.cleaned_data["entity_scheme"],
                identifier=entity.cleaned_data["entity_identifier"],
            )
        messages.success(request, _("Reporting options saved."))
    return redirect("indicator_year", org_slug=access.organisation.slug, year=ry.year)


def _b2_prefill(access: OrgAccess, form: DisclosureForm) -> dict[str, Any]:
    """Tick the B2 sustainability matters the latest final diagnosis shows practices for.
    Only the form is filled: nothing is saved until the person checks it and saves."""
    diagnosis = (
        Diagnosis.objects.filter(organisation=access.organisation, status__in=Diagnosis.FINAL)
        .order_by("-completed_at")
        .first()
    )
    if diagnosis is None:
        return {"diagnosis": None, "matters": []}
    tree = referential_tree(diagnosis.referential_version)
    clause_of = {key: node.domain.clause for key, node in tree.domains.items()}
    found = crosswalks.b2_suggestions(diagnosis.results.get("domains") or {}, clause_of)
    slot = next((s for s in form.slots if s.datapoint.concept == crosswalks.B2_MATTERS), None)
    if slot is None:
        return {"diagnosis": diagnosis, "matters": []}
    current = set(form.initial.get(slot.name) or [])
    form.initial[slot.name] = sorted(current | set(found))
    labels = dict(form.fields[slot.name].choices)  # type: ignore[attr-defined]
    return {
        "diagnosis": diagnosis,
        "matters": [(labels.get(member, member), ", ".join(clauses)) for member, clauses in found.items()],
    }


def _related_domains(code: str) -> list[str]:
    """ISO 26000 clauses related to a disclosure, with their titles when they are domains."""
    clauses = crosswalks.domains_for_disclosure(code)
    version = current_version()
    titles = {}
    if version is not None:
        tree = referential_tree(version)
        titles = {n.domain.clause: n.domain.label for n in tree.domains.values()}
        titles |= {n.core_subject.clause: n.core_subject.label for n in tree.core_subjects}
    return [f"{c} {titles[c]}" if c in titles else c for c in clauses]


def _disclosure(ry: ReportingYear, code: str) -> Disclosure:
    found = next((d for d in _disclosures(ry) if d.code == code), None)
    if found is None:
        raise Http404
    return found


def _disclosure_page(request: HttpRequest, access: OrgAccess, ry: ReportingYear, code: str) -> HttpResponse:
    disclosure = _disclosure(ry, code)
    before = _previous(ry)
    kwargs: dict[str, Any] = {
        "disclosure": disclosure,
        "currency": ry.currency,
        "current": _facts(ry),
        "previous": _facts(before),
    }
    can_edit = access.can("edit_indicators")
    status = 200
    if request.method == "POST":
        # "Add empty rows" shows the page again with what was typed and more rows, unsaved.
        more = "add_rows" in request.POST
        form = DisclosureForm(request.POST, **kwargs)
        rows = DisclosureRows(request.POST, more_rows=MORE_ROWS if more else 0, **kwargs)
        valid = form.is_valid()
        valid = rows.is_valid() and valid
        if valid and not more:
            n = services.facts_save(
                actor=request.user, reporting_year=ry, values=form.values() + rows.values()
            )
            messages.success(request, _("Saved: %(n)s figures changed.") % {"n": n})
            return redirect(
                "indicator_disclosure", org_slug=access.organisation.slug, year=ry.year, code=code
            )
        status = 200 if valid else 400
    else:
        form = DisclosureForm(**kwargs)
        rows = DisclosureRows(None, empty_rows=EMPTY_ROWS if can_edit else 0, **kwargs)
    suggestions = (
        _b2_prefill(access, form) if code == "B2" and request.GET.get("prefill") == "diagnosis" else None
    )
    others = [dp for dp in disclosure.datapoints if not editable(dp) and dp.concept not in rows.concepts]
    stored: dict[str, list[Fact]] = {}
    for fact in ry.facts.filter(concept__in=[dp.concept for dp in others]):
        stored.setdefault(fact.concept, []).append(fact)
    french = (get_language() or "fr").startswith("fr")
    entered_elsewhere = [
        {"label": dp.label_fr if french else dp.label_en, "facts": stored.get(dp.concept, [])}
        for dp in others
    ]
    return render(
        request,
        "vsme/disclosure.html",
        _context(
            access,
            ry=ry,
            disclosure=disclosure,
            title=_title(disclosure),
            form=form,
            fields=[(slot, form[slot.name]) for slot in form.slots],
            tables=rows.tables,
            row_errors=rows.errors(),
            before=before,
            elsewhere=[e for e in entered_elsewhere if e["facts"]]
            + [e for e in entered_elsewhere if not e["facts"]],
            files=list(Evidence.objects.filter(reporting_year=ry, disclosure=code)),
            related_iso=_related_domains(disclosure.code),
            suggestions=suggestions,
            related_sdgs=crosswalks.sdgs_for_disclosure(disclosure.code),
            crosswalk_note=crosswalks.note(),
        ),
        status=status,
    )


@org_view("view_organisation")
@require_safe  # saving goes through indicator_disclosure_save
def indicator_disclosure(request: HttpRequest, access: OrgAccess, year: int, code: str) -> HttpResponse:
    return _disclosure_page(request, access, _year(access, year), code)


@org_view("edit_indicators")
@require_POST
def indicator_disclosure_save(request: HttpRequest, access: OrgAccess, year: int, code: str) -> HttpResponse:
    return _disclosure_page(request, access, _year(access, year), code)


@org_view("edit_indicators")
@require_POST
def indicator_evidence_add(request: HttpRequest, access: OrgAccess, year: int, code: str) -> HttpResponse:
    ry = _year(access, year)
    disclosure = _disclosure(ry, code)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ValidationError(_("Choose a file to attach."))
        evidence_services.evidence_add(
            actor=request.user,
            organisation=access.organisation,
            upload=upload,
            reporting_year=ry,
            disclosure=disclosure.code,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("File attached."))
    return redirect("indicator_disclosure", org_slug=access.organisation.slug, year=ry.year, code=code)


@org_view("view_organisation")
def indicator_export(request: HttpRequest, access: OrgAccess, year: int, fmt: str) -> HttpResponse:
    ry = _year(access, year)
    name = f"{slugify(access.organisation.name)}-vsme-{ry.year}"
    if fmt == "xlsx":
        response = HttpResponse(
            services.export_xlsx(ry),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    if fmt == "json":
        response = HttpResponse(
            json.dumps(services.export_xbrl_json(ry), ensure_ascii=False, indent=1),
            content_type="application/json",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return response
    raise Http404
