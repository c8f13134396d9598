from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from parcours.organisations.access import OrgAccess, org_view
from parcours.organisations.services import audit_record

from . import selectors, services
from .forms import PublicProfileForm
from .readiness import readiness_context

LANGS = dict(settings.LANGUAGES)


def _language(request: HttpRequest) -> str:
    lang = request.GET.get("lang") or request.GET.get("language") or getattr(request, "LANGUAGE_CODE", "fr")
    return lang if lang in LANGS else settings.LANGUAGE_CODE


# --- label readiness ------------------------------------------------------------------


@org_view("view_organisation")
@require_safe
def label_readiness(request: HttpRequest, access: OrgAccess) -> HttpResponse:
    context = readiness_context(access.organisation)
    context.update({"access": access, "nav": "label_readiness", "languages": settings.LANGUAGES})
    return render(request, "profiles/label_readiness.html", context)


@org_view("view_organisation")
@require_safe
def label_readiness_pdf(request: HttpRequest, access: OrgAccess) -> HttpResponse:
    from parcours.reports.documents import html_to_pdf  # WeasyPrint loads only when a PDF is asked for

    org = access.organisation
    language = _language(request)
    with translation.override(language):
        context = readiness_context(org)
        context.update({"org": org, "language": language, "generated_at": timezone.now()})
        html = render_to_string("profiles/label_readiness_pdf.html", context)
    pdf = html_to_pdf(html)
    audit_record(
        actor=request.user,
        organisation=org,
        action="export.label_readiness_pdf",
        obj=org,
        changes={
            "language": language,
            "diagnosis": context["diagnosis"].pk if context["diagnosis"] else None,
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    name = (
        f"{slugify(org.name) or 'organisation'}-label-readiness-{language}-{timezone.localdate():%Y%m%d}.pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- public profile -------------------------------------------------------------------


def public_url(public_slug: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("public_profile", args=[public_slug])


@org_view("edit_profile")
def public_profile_manage(request: HttpRequest, access: OrgAccess) -> HttpResponse:
    org = access.organisation
    profile = selectors.profile_or_default(org)
    form = PublicProfileForm(initial=PublicProfileForm.initial_for(profile), organisation=org)
    status = 200
    if request.method == "POST":
        intent = request.POST.get("intent", "save")
        try:
            if intent == "publish":
                services.public_profile_publish(actor=request.user, organisation=org)
                messages.success(request, _("Your profile is published: anyone with the address can see it."))
                return redirect("public_profile_manage", org_slug=org.slug)
            if intent == "unpublish":
                services.public_profile_unpublish(actor=request.user, organisation=org)
                messages.success(
                    request, _("Your profile is no longer published: its address now shows nothing.")
                )
                return redirect("public_profile_manage", org_slug=org.slug)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("public_profile_manage", org_slug=org.slug)
        form = PublicProfileForm(request.POST, organisation=org)
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in services.FIELDS}
            try:
                services.public_profile_update(
                    actor=request.user,
                    organisation=org,
                    data=data,
                    actions=form.cleaned_data["actions"],
                    indicators=form.cleaned_data["indicators"],
                    vsme_figures=form.cleaned_data["vsme_figures"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Profile saved. The preview below shows what is public."))
                return redirect("public_profile_manage", org_slug=org.slug)
        status = 400
    return render(
        request,
        "profiles/manage.html",
        {
            "access": access,
            "nav": "public_profile",
            "form": form,
            "profile": profile,
            "content": selectors.public_content(profile),
            "public_url": public_url(profile.public_slug),
        },
        status=status,
    )


@require_safe
def public_profile(request: HttpRequest, public_slug: str) -> HttpResponse:
    """The published page: anyone, no sign-in; 404 unless published. An old address of a
    published profile redirects to its current one."""
    try:
        profile = selectors.published_profile(public_slug)
    except Http404:
        current = selectors.current_slug_for_old(public_slug)
        if current is None:
            raise
        return redirect("public_profile", public_slug=current, permanent=True)
    content = selectors.public_content(profile)
    name = content.organisation_name
    description = (
        Truncator(" ".join(content.commitments.split())).chars(160)
        if content.commitments
        else _("%(name)s's CSR profile: its commitments, actions and indicators, published with Parcours.")
        % {"name": name}
    )
    return render(
        request,
        "profiles/public.html",
        {
            "profile": profile,
            "content": content,
            "canonical_url": public_url(profile.public_slug),
            "page_title": _("%(name)s — CSR profile") % {"name": name},
            "description": description,
        },
    )
