from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parcours.core.i18n import tr
from parcours.organisations.access import OrgAccess, org_view

from . import services
from .selectors import learning_overview, progress_for, subject_guidance


def _lang_list(value: dict | None, lang: str) -> list[str]:
    value = value or {}
    return list(value.get(lang) or value.get("fr") or [])


@org_view("view_organisation")
def learn_index(request: HttpRequest, access: OrgAccess) -> HttpResponse:
    return render(
        request,
        "learning/index.html",
        {"access": access, "nav": "learn", "subjects": learning_overview(request.user)},
    )


@org_view("view_organisation")
def learn_subject(request: HttpRequest, access: OrgAccess, core_subject_key: str) -> HttpResponse:
    node, content = subject_guidance(core_subject_key)
    progress = progress_for(request.user, core_subject_key)
    read = set(progress.domains_read) if progress else set()
    return render(
        request,
        "learning/subject.html",
        {
            "access": access,
            "nav": "learn",
            "node": node,
            "overview": tr(content.get("overview")),
            "domains": [(d, d.domain.key in read) for d in node.domains],
            "progress": progress,
        },
    )


@org_view("view_organisation")
def learn_domain(
    request: HttpRequest, access: OrgAccess, core_subject_key: str, domain_key: str
) -> HttpResponse:
    node, content = subject_guidance(core_subject_key)
    block = content["domains_by_key"].get(domain_key)
    domain_node = next((d for d in node.domains if d.domain.key == domain_key), None)
    if block is None or domain_node is None:
        raise Http404
    lang = getattr(request, "LANGUAGE_CODE", "fr")
    progress = progress_for(request.user, core_subject_key)
    keys = [d.domain.key for d in node.domains]
    i = keys.index(domain_key)
    return render(
        request,
        "learning/domain.html",
        {
            "access": access,
            "nav": "learn",
            "node": node,
            "domain": domain_node.domain,
            "questions": domain_node.questions,
            "meaning": tr(block.get("meaning")),
            "examples": _lang_list(block.get("examples"), lang),
            "pitfalls": _lang_list(block.get("pitfalls"), lang),
            "obligations": _lang_list(block.get("obligations"), lang),
            "read": bool(progress and domain_key in progress.domains_read),
            "next_domain": node.domains[i + 1].domain if i + 1 < len(keys) else None,
        },
    )


@org_view("view_organisation")
@require_POST
def learn_mark_read(
    request: HttpRequest, access: OrgAccess, core_subject_key: str, domain_key: str
) -> HttpResponse:
    node, content = subject_guidance(core_subject_key)
    if domain_key not in content["domains_by_key"]:
        raise Http404
    services.guide_mark_read(user=request.user, core_subject=core_subject_key, domain_key=domain_key)
    keys = [d.domain.key for d in node.domains]
    i = keys.index(domain_key)
    if i + 1 < len(keys):
        return redirect(
            "learn_domain",
            org_slug=access.organisation.slug,
            core_subject_key=core_subject_key,
            domain_key=keys[i + 1],
        )
    messages.success(request, _("Guide read. Check what you remember with the self-check."))
    return redirect("learn_self_check", org_slug=access.organisation.slug, core_subject_key=core_subject_key)


@org_view("view_organisation")
def learn_self_check(request: HttpRequest, access: OrgAccess, core_subject_key: str) -> HttpResponse:
    node, content = subject_guidance(core_subject_key)
    checks = content.get("self_check") or []
    results = None
    missing = []
    if request.method == "POST":
        answers = {q["key"]: request.POST.get(q["key"]) for q in checks}
        missing = [q["key"] for q in checks if answers[q["key"]] is None]
        if not missing:
            results = []
            for q in checks:
                chosen = answers[q["key"]]
                correct = next(i for i, o in enumerate(q["options"]) if o.get("correct"))
                results.append({"key": q["key"], "ok": chosen == str(correct), "chosen": chosen})
            score = sum(r["ok"] for r in results)
            services.self_check_record(
                user=request.user, core_subject=core_subject_key, score=score, total=len(checks)
            )
    items = []
    for q in checks:
        result = next((r for r in results or [] if r["key"] == q["key"]), None)
        items.append(
            {
                "key": q["key"],
                "question": tr(q["question"]),
                "options": [(str(i), tr(o), bool(o.get("correct"))) for i, o in enumerate(q["options"])],
                "explanation": tr(q["explanation"]),
                "result": result,
                "chosen": request.POST.get(q["key"]) if request.method == "POST" else None,
                "missing": q["key"] in missing,
            }
        )
    score = sum(1 for i in items if i["result"] and i["result"]["ok"]) if results else None
    return render(
        request,
        "learning/self_check.html",
        {
            "access": access,
            "nav": "learn",
            "node": node,
            "items": items,
            "score": score,
            "total": len(items),
            "missing": missing,
        },
        status=400 if missing else 200,
    )
