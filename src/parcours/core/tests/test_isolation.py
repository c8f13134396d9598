"""Isolation, built from the URLconf: every route is classified, every tenant route is
requested by an outsider (404), by each role too weak for it (403), anonymously (login),
and with another organisation's object ids (404). A new route that this file cannot
classify or fill in makes the test fail."""

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from parcours.actions.models import Action, ActionTemplate
from parcours.diagnoses.models import Diagnosis
from parcours.evidence.models import Evidence
from parcours.materiality.models import Stakeholder, Survey
from parcours.organisations.access import CAPABILITIES, CONSULTANT
from parcours.organisations.models import Invitation, Role
from parcours.programmes.access import PROGRAMME_CAPABILITIES
from parcours.programmes.models import (
    Enrolment,
    Programme,
    ProgrammeInvitation,
    ProgrammeStaff,
    Session,
    SharedPractice,
    StaffRole,
    Step,
)
from parcours.reports.models import ReportJob
from parcours.testing import DiagnosisFactory, UserFactory, consultant_for, member

# Routes outside any organisation, with the reason they need no tenant check.
PUBLIC_OR_PERSONAL = {
    "home": "lists only the signed-in person's own organisations",
    "healthz": "reveals nothing but database health",
    "trivial": "benchmark yardstick, returns a constant",
    "set_language": "sets a cookie and the person's own preference",
    "invitation_accept": "guarded by an unguessable token, tested in organisations/tests",
    "survey_public": "anonymous survey guarded by an unguessable, expiring token, tested in materiality/tests",
    "programme_create": "needs the create_programme permission; the creator becomes coordinator of the new programme only",
    "programme_invitation": "guarded by an unguessable, expiring token, tested in programmes/tests",
    "portfolio": "lists only the consultant's own assigned organisations",
    "public_profile": "anonymous page, 404 unless its owner published it; tested in profiles/tests",
}
THIRD_PARTY_NAMESPACES = {"admin"}
# URL parameters naming an object that belongs to one organisation (the rest name shared
# referential or catalogue entries)
TENANT_OBJECT_PARAMS = {
    "evidence_id",
    "job_id",
    "diagnosis_id",
    "membership_id",
    "invitation_id",
    "action_id",
    "stakeholder_id",
    "survey_id",
    "enrolment_id",
    "practice_id",
}


@dataclass
class Route:
    name: str
    pattern: str
    callback: object
    params: list[str]


def all_routes() -> list[Route]:
    routes: list[Route] = []

    def walk(patterns, prefix="", namespace=None):  # type: ignore[no-untyped-def]
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace or namespace
                walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                full = prefix + str(p.pattern)
                name = f"{namespace}:{p.name}" if namespace else (p.name or full)
                routes.append(
                    Route(
                        name,
                        full,
                        p.callback,
                        list(p.pattern.converters) if hasattr(p.pattern, "converters") else [],
                    )
                )

    walk(get_resolver().url_patterns)
    for r in routes:
        r.params = _params(r.pattern)
    return routes


def _params(pattern: str) -> list[str]:
    import re

    return re.findall(r"<(?:\w+:)?(\w+)>", pattern)


def is_allauth(route: Route) -> bool:
    return getattr(route.callback, "__module__", "").startswith("allauth.")


def tenant_routes() -> list[Route]:
    return [r for r in all_routes() if "org_slug" in r.params]


def test_every_url_parameter_is_known():
    known = TENANT_OBJECT_PARAMS | {
        "org_slug",
        "domain_key",
        "question_key",
        "template_key",
        "core_subject_key",
        "year",  # a reporting year, always looked up within the organisation of the URL
        "code",  # a VSME disclosure code (B1…C9), shared reference data
        "fmt",  # a download format
    }
    unknown = {p for r in tenant_routes() for p in r.params} - known
    assert not unknown, f"classify these URL parameters as tenant objects or shared entries: {unknown}"


def test_every_route_is_classified():
    unclassified = []
    for r in all_routes():
        if "org_slug" in r.params or "programme_slug" in r.params:
            continue
        if r.name in PUBLIC_OR_PERSONAL or is_allauth(r):
            continue
        if r.name.split(":")[0] in THIRD_PARTY_NAMESPACES:
            continue
        unclassified.append(f"{r.name} ({r.pattern})")
    assert not unclassified, f"routes with no isolation rule: {unclassified}"


def test_every_tenant_route_declares_a_capability():
    missing = [
        r.name
        for r in tenant_routes()
        if getattr(r.callback, "required_capability", None) not in CAPABILITIES
    ]
    assert not missing, f"tenant routes not wrapped in org_view(capability): {missing}"


@pytest.fixture
def world(org, other_org, owner, outsider, settings, tmp_path):  # type: ignore[no-untyped-def]
    """One organisation with every kind of object, and another organisation with its own."""
    settings.PRIVATE_FILES_DIR = tmp_path
    users = {
        Role.OWNER: owner,
        Role.EDITOR: member(org, Role.EDITOR),
        Role.VIEWER: member(org, Role.VIEWER),
        CONSULTANT: consultant_for(org),
    }

    def objects(o, who):  # type: ignore[no-untyped-def]
        d = DiagnosisFactory(organisation=o)
        question = next(iter(d.referential_version.questions.filter(size_bands=[]).order_by("position")))
        action = Action.objects.create(organisation=o, title=f"Action of {o.slug}")
        action.domains.add(question.domain)
        programme = Programme.objects.create(name=f"Programme of {o.slug}", slug=f"p-{o.slug}")
        enrolment = Enrolment.objects.create(programme=programme, organisation=o)
        practice = SharedPractice.objects.create(
            action=action, organisation=o, title="Practice", what_was_done="Done"
        )
        from parcours.vsme.models import ReportingYear

        ReportingYear.objects.create(organisation=o, year=2025)
        return {
            "year": 2025,
            "code": "B3",
            "fmt": "xlsx",
            "enrolment_id": enrolment.pk,
            "practice_id": practice.pk,
            "org_slug": o.slug,
            "action_id": action.pk,
            "stakeholder_id": Stakeholder.objects.create(
                organisation=o, group="customers", name="Clients"
            ).pk,
            "job_id": _ready_report(o, tmp_path).pk,
            "evidence_id": _evidence(o, action, tmp_path).pk,
            "survey_id": Survey.objects.create(
                organisation=o, title="Enquête", domain_keys=[question.domain.key]
            ).pk,
            "template_key": ActionTemplate.objects.order_by("position").first().key,
            "core_subject_key": question.domain.core_subject.key,
            "diagnosis_id": d.pk,
            "domain_key": question.domain.key,
            "question_key": question.key,
            "membership_id": o.memberships.get(user=who).pk,
            "invitation_id": Invitation.objects.create(
                organisation=o, email=f"new@{o.slug}.test", role=Role.VIEWER
            ).pk,
        }

    return {
        "users": users,
        "mine": objects(org, owner),
        "theirs": objects(other_org, outsider),
        "outsider": outsider,
    }


def _ready_report(organisation, folder):  # type: ignore[no-untyped-def]
    name = ReportJob.new_file_name(".pdf")
    (folder / name).write_bytes(b"%PDF-1.7 test")
    return ReportJob.objects.create(
        organisation=organisation, kind="action_plan_pdf", language="fr", status="done", file_name=name
    )


def _evidence(organisation, action, folder):  # type: ignore[no-untyped-def]
    name = Evidence.new_stored_name()
    (folder / "evidence").mkdir(exist_ok=True)
    (folder / "evidence" / name).write_bytes(b"%PDF-1.7 test")
    return Evidence.objects.create(
        organisation=organisation,
        action=action,
        original_name="preuve.pdf",
        stored_name=name,
        content_type="application/pdf",
        size=13,
    )


def _request(client, method, url):  # type: ignore[no-untyped-def]
    """One request on a pristine world: whatever it changes (a deletion…) is rolled back."""
    with transaction.atomic():
        response = getattr(client, method)(url)
        transaction.set_rollback(True)
    return response


def _url(route: Route, values: dict) -> str:
    missing = [p for p in route.params if p not in values]
    assert not missing, f"{route.name}: the isolation test has no sample value for {missing}"
    return reverse(route.name, kwargs={p: values[p] for p in route.params})


@pytest.mark.django_db
def test_tenant_routes_as_outsider_weak_role_anonymous_and_foreign_ids(client, world):
    routes = tenant_routes()
    assert len(routes) >= 10
    failures = []
    for route in routes:
        url = _url(route, world["mine"])
        capability = route.callback.required_capability  # type: ignore[attr-defined]

        client.logout()
        for method in ("get", "post"):
            resp = _request(client, method, url)
            if resp.status_code != 302 or "/accounts/login/" not in resp["Location"]:
                failures.append(f"anonymous {method.upper()} {url}: {resp.status_code}")

        client.force_login(world["outsider"])
        for method in ("get", "post"):
            status = _request(client, method, url).status_code
            if status != 404:
                failures.append(f"outsider {method.upper()} {url}: {status}, expected 404")

        for role, user in world["users"].items():
            client.force_login(user)
            allowed = role in CAPABILITIES[capability]
            for method in ("get", "post"):
                status = _request(client, method, url).status_code
                if not allowed and status != 403:
                    failures.append(f"{role} {method.upper()} {url}: {status}, expected 403")
                if allowed and status in (403, 404, 500):
                    failures.append(f"{role} {method.upper()} {url}: {status}, expected access")
            # the same organisation in the URL, but another organisation's object ids
            foreign = {**world["theirs"], "org_slug": world["mine"]["org_slug"]}
            if allowed and TENANT_OBJECT_PARAMS & set(route.params):
                # 405 (wrong method) is answered before any lookup and reveals nothing
                statuses = {m: _request(client, m, _url(route, foreign)).status_code for m in ("get", "post")}
                if set(statuses.values()) - {404, 405} or 404 not in statuses.values():
                    failures.append(f"{role} {route.name} with foreign ids: {statuses}, expected 404")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_every_capability_is_refused_to_some_role_or_open_to_all_members():
    # a capability granted to nobody would be a dead route; one granted to all is fine (reading)
    for capability, roles in CAPABILITIES.items():
        assert roles, capability


def programme_routes() -> list[Route]:
    return [r for r in all_routes() if "programme_slug" in r.params]


PROGRAMME_OBJECT_PARAMS = {"step_id", "session_id", "enrolment_id", "invitation_id", "staff_id"}


def test_every_programme_route_declares_a_capability():
    missing = [
        r.name
        for r in programme_routes()
        if getattr(r.callback, "required_programme_capability", None) not in PROGRAMME_CAPABILITIES
    ]
    assert not missing, f"programme routes not wrapped in programme_view(capability): {missing}"
    unknown = (
        {p for r in programme_routes() for p in r.params}
        - PROGRAMME_OBJECT_PARAMS
        - {
            "programme_slug",
            "fmt",
        }
    )
    assert not unknown, f"classify these URL parameters: {unknown}"


@pytest.fixture
def programmes(org, other_org, owner):  # type: ignore[no-untyped-def]
    """Two programmes, each with staff of every role and one object of every kind."""

    def build(slug, organisation):  # type: ignore[no-untyped-def]
        programme = Programme.objects.create(name=f"Programme {slug}", slug=slug)
        staff = {role: UserFactory() for role in StaffRole.values}
        rows = {
            role: ProgrammeStaff.objects.create(programme=programme, user=user, role=role)
            for role, user in staff.items()
        }
        enrolment = Enrolment.objects.create(programme=programme, organisation=organisation)
        from django.utils import timezone

        values = {
            "programme_slug": slug,
            "fmt": "xlsx",
            "step_id": Step.objects.create(
                programme=programme, kind="review", title="Review", starts_on=timezone.localdate()
            ).pk,
            "session_id": Session.objects.create(
                programme=programme, title="Training", starts_at=timezone.now(), place="Orléans"
            ).pk,
            "enrolment_id": enrolment.pk,
            "invitation_id": ProgrammeInvitation.objects.create(
                programme=programme, email="x@example.org"
            ).pk,
            "staff_id": rows[StaffRole.OBSERVER].pk,
        }
        return staff, values

    mine_staff, mine = build("mine", org)
    theirs_staff, theirs = build("theirs", other_org)
    return {
        "staff": mine_staff,
        "mine": mine,
        "theirs": theirs,
        "other_coordinator": theirs_staff["coordinator"],
    }


@pytest.mark.django_db
def test_programme_routes_by_role_outsider_company_and_foreign_ids(client, programmes, owner):
    routes = programme_routes()
    assert len(routes) >= 10
    failures = []
    for route in routes:
        url = _url(route, programmes["mine"])
        capability = route.callback.required_programme_capability  # type: ignore[attr-defined]
        client.logout()
        for method in ("get", "post"):
            resp = _request(client, method, url)
            if resp.status_code != 302 or "/accounts/login/" not in resp["Location"]:
                failures.append(f"anonymous {method.upper()} {url}: {resp.status_code}")
        # another programme's coordinator, and the owner of an enrolled company
        for intruder in (programmes["other_coordinator"], owner):
            client.force_login(intruder)
            for method in ("get", "post"):
                status = _request(client, method, url).status_code
                if status != 404:
                    failures.append(f"{intruder} {method.upper()} {url}: {status}, expected 404")
        for role, user in programmes["staff"].items():
            client.force_login(user)
            allowed = role in PROGRAMME_CAPABILITIES[capability]
            for method in ("get", "post"):
                status = _request(client, method, url).status_code
                if not allowed and status != 403:
                    failures.append(f"{role} {method.upper()} {url}: {status}, expected 403")
                if allowed and status in (403, 404, 500):
                    failures.append(f"{role} {method.upper()} {url}: {status}, expected access")
            foreign = {**programmes["theirs"], "programme_slug": "mine"}
            if allowed and PROGRAMME_OBJECT_PARAMS & set(route.params):
                statuses = {m: _request(client, m, _url(route, foreign)).status_code for m in ("get", "post")}
                if set(statuses.values()) - {404, 405} or 404 not in statuses.values():
                    failures.append(f"{role} {route.name} with foreign ids: {statuses}, expected 404")
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_company_names_only_for_coordinators_of_the_programme(client, programmes, org):
    url = reverse("programme_detail", args=["mine"])
    for role, user in programmes["staff"].items():
        client.force_login(user)
        page = client.get(url).content.decode()
        assert (org.name in page) == (role == StaffRole.COORDINATOR), role
        synthesis = client.get(reverse("programme_synthesis", args=["mine"])).content.decode()
        assert org.name not in synthesis, role


@pytest.mark.django_db
def test_coordinator_does_not_reach_organisation_pages(client, org):
    programme = Programme.objects.create(name="P", slug="p")
    coordinator = UserFactory()
    ProgrammeStaff.objects.create(programme=programme, user=coordinator, role=StaffRole.COORDINATOR)
    Enrolment.objects.create(programme=programme, organisation=org)
    client.force_login(coordinator)
    assert client.get(reverse("org_home", args=[org.slug])).status_code == 404
    d = DiagnosisFactory(organisation=org, status=Diagnosis.Status.COMPLETED)
    assert client.get(reverse("diagnosis_results", args=[org.slug, d.pk])).status_code == 404


@pytest.mark.django_db
def test_consultant_reaches_only_assigned_companies(client, org, other_org):
    consultant = consultant_for(org)
    client.force_login(consultant)
    assert client.get(reverse("org_home", args=[org.slug])).status_code == 200
    assert client.get(reverse("org_home", args=[other_org.slug])).status_code == 404
    portfolio = client.get(reverse("portfolio")).content.decode()
    assert org.name in portfolio and other_org.name not in portfolio


@pytest.mark.django_db
def test_junk_on_programme_routes_never_gives_a_server_error(client, programmes):
    client.force_login(programmes["staff"][StaffRole.COORDINATOR])
    junk = {
        **{k: v[0] for k, v in JUNK.items()},
        "kind": "nonsense",
        "starts_on": "31/02/2026",
        "ends_on": "yesterday",
        "starts_at": "not a date",
        "duration_minutes": "-5",
        "link": "javascript:alert(1)",
        "materials": "not a link",
        "core_subjects": "unknown",
        "present": ["1:x", "999:999"],
        "consultant": "999999",
    }
    failures = []
    for route in programme_routes():
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
            resp = client.post(_url(route, programmes["mine"]), junk, **headers)
            if resp.status_code >= 500:
                failures.append(f"{route.name} -> {resp.status_code}")
    assert not failures, "\n".join(failures)


JUNK = {
    "level": ["9", "-3", "x", "", "1e9"],
    "not_applicable": ["maybe", "on"],
    "na_reason": ["", "\x00", "é" * 5000],
    "comment": ["<script>alert(1)</script>", "x" * 6000],
    "relevant": ["perhaps", ""],
    "reason": [""],
    "role": ["superuser", ""],
    "email": ["not-an-email", "a@b"],
    "name": ["", "x" * 500],
    "siren": ["12345678A", "000000000"],
    "nace_code": ["ABCD"],
    "headcount_band": ["huge"],
    "region": ["99"],
    "department": ["ZZ"],
}


@pytest.mark.django_db
def test_bad_input_on_every_tenant_route_never_gives_a_server_error(client, world):
    client.force_login(world["users"][Role.OWNER])
    failures = []
    for route in tenant_routes():
        for i in range(5):
            data = {field: values[i % len(values)] for field, values in JUNK.items()}
            for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
                resp = client.post(_url(route, world["mine"]), data, **headers)
                if resp.status_code >= 500:
                    failures.append(f"{route.name} {data} -> {resp.status_code}")
    assert not failures, "\n".join(failures[:10])
