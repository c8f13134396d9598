"""The demo cohort: a programme inspired by the 2019–2021 regional CSR path, 11 fictional
companies from sectors typical of Centre-Val de Loire, 3 consultants, 1 coordinator and 1
funder, with the programme's calendar, two trainings and two workshops with attendance, and
two good practices shared in the cohort.

Every company has a diagnosis validated by its consultant; five have a second one, 14 months
later, also validated, to show progress. Answers are drawn from a seeded random generator, so every run gives the same
data. Demo passwords exist only here, and production settings refuse to seed.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from parcours.actions.models import Action, ActionReview, ActionTemplate
from parcours.diagnoses.models import Answer, Diagnosis, DomainAssessment
from parcours.diagnoses.services import diagnosis_submit, diagnosis_validate
from parcours.learning.models import LearningProgress
from parcours.materiality.models import MaterialityRating, Stakeholder
from parcours.organisations.models import ConsultantAssignment, Membership, Organisation, Role
from parcours.referential.selectors import current_version, referential_tree

from .models import (
    Attendance,
    Enrolment,
    Programme,
    ProgrammeStaff,
    Session,
    SharedPractice,
    StaffRole,
    Step,
)

DEMO_PASSWORD = "demo-parcours-2026"  # noqa: S105 - demo data only, refused in production
DEMO_DOMAIN = "demo.parcours.test"


class DemoRefused(Exception):
    pass


@dataclass(frozen=True)
class DemoCompany:
    slug: str
    name: str
    nace: str
    headcount: str
    department: str
    activity: str
    siren: str
    base: float  # typical maturity level, 0–4
    second: bool  # has a follow-up diagnosis


COMPANIES = [
    DemoCompany(
        "atelier-tissage-berry",
        "Atelier Tissage du Berry",
        "14.12Z",
        "small",
        "18",
        "Fabrication de vêtements de travail et d'EPI textiles pour l'industrie et les collectivités.",
        "000000372",
        1.6,
        True,
    ),
    DemoCompany(
        "pieces-auto-loiret",
        "Pièces Auto Loiret",
        "45.31Z",
        "small",
        "45",
        "Négoce de pièces détachées automobiles pour garages indépendants.",
        "000000745",
        1.3,
        True,
    ),
    DemoCompany(
        "objets-et-co-touraine",
        "Objets & Co Touraine",
        "73.11Z",
        "micro",
        "37",
        "Agence d'objets publicitaires et de textiles personnalisés.",
        "000001115",
        1.1,
        False,
    ),
    DemoCompany(
        "conserverie-du-val",
        "Conserverie du Val",
        "10.39A",
        "medium",
        "41",
        "Conserves de légumes et plats cuisinés à partir de productions locales.",
        "000001487",
        2.0,
        True,
    ),
    DemoCompany(
        "cosmetiques-de-sologne",
        "Cosmétiques de Sologne",
        "20.42Z",
        "medium",
        "45",
        "Fabrication à façon de produits cosmétiques pour des marques.",
        "000001859",
        2.4,
        False,
    ),
    DemoCompany(
        "transports-beauceron",
        "Transports Beaucerons",
        "49.41A",
        "medium",
        "28",
        "Transport routier de marchandises et logistique régionale.",
        "000002220",
        1.4,
        True,
    ),
    DemoCompany(
        "imprimerie-ligerienne",
        "Imprimerie Ligérienne",
        "18.12Z",
        "small",
        "37",
        "Impression offset et numérique, packaging carton.",
        "000002592",
        1.9,
        False,
    ),
    DemoCompany(
        "menuiserie-de-l-indre",
        "Menuiserie de l'Indre",
        "16.23Z",
        "small",
        "36",
        "Menuiserie bois sur mesure pour particuliers et collectivités.",
        "000002964",
        1.2,
        False,
    ),
    DemoCompany(
        "laiterie-des-gatines",
        "Laiterie des Gâtines",
        "10.51C",
        "small",
        "36",
        "Fromagerie au lait de chèvre, AOP Valençay et Sainte-Maure.",
        "000003335",
        1.7,
        False,
    ),
    DemoCompany(
        "electronique-chartraine",
        "Électronique Chartraine",
        "26.12Z",
        "medium",
        "28",
        "Sous-traitance électronique : assemblage de cartes pour l'industrie.",
        "000003707",
        2.2,
        True,
    ),
    DemoCompany(
        "paysages-du-cher",
        "Paysages du Cher",
        "81.30Z",
        "micro",
        "18",
        "Création et entretien d'espaces verts.",
        "000004077",
        0.9,
        False,
    ),
]

FIRST_DIAGNOSIS = datetime(2020, 3, 2, 10, 0)
SECOND_DIAGNOSIS = datetime(2021, 5, 17, 10, 0)
NOT_RELEVANT = {
    "d6-6-4": "Aucune activité de représentation ou de financement politique : l'entreprise n'adhère qu'à sa fédération professionnelle.",
    "d6-7-8": "Nos clients sont des entreprises ; notre offre ne touche pas à un service essentiel.",
}


@dataclass
class Account:
    role: str
    email: str


def _user(email: str, first: str, last: str, **extra: Any) -> Any:
    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=DEMO_PASSWORD, first_name=first, last_name=last, **extra
        )
    return user


@transaction.atomic
def seed_demo() -> list[Account]:
    if not settings.ALLOW_DEMO_SEED:
        raise DemoRefused("Demo data is never seeded with production settings.")
    version = current_version()
    if version is None:
        raise DemoRefused("Load the referential first: manage.py load_referential")

    accounts: list[Account] = []
    admin = _user(f"admin@{DEMO_DOMAIN}", "Alice", "Admin", is_staff=True, is_superuser=True)
    accounts.append(Account("admin", admin.email))
    coordinator = _user(f"coordinator@{DEMO_DOMAIN}", "Claire", "Coordinatrice")
    coordinator.user_permissions.add(Permission.objects.get(codename="create_programme"))
    accounts.append(Account("coordinator", coordinator.email))
    funder = _user(f"funder@{DEMO_DOMAIN}", "Fabien", "Financeur")
    accounts.append(Account("funder", funder.email))
    consultants = [
        _user(f"consultant{i}@{DEMO_DOMAIN}", first, last)
        for i, (first, last) in enumerate(
            [("Karim", "Benali"), ("Sophie", "Marchand"), ("Luc", "Perrin")], start=1
        )
    ]
    accounts += [Account("consultant", c.email) for c in consultants]

    programme, _created = Programme.objects.get_or_create(
        slug="parcours-rse-centre-val-de-loire",
        defaults={
            "name": "Parcours RSE Centre-Val de Loire (démo)",
            "description": "Parcours de 18 mois : formation RSE, diagnostic ISO 26000 par un consultant, "
            "ateliers collectifs et plan d'action autour des 7 questions centrales. Données fictives.",
            "operators": "Région (démo) et organisme de normalisation (démo)",
            "funder": "Région (démo)",
            "region": "24",
            "starts_on": date(2019, 10, 1),
            "ends_on": date(2021, 6, 30),
        },
    )
    ProgrammeStaff.objects.get_or_create(
        programme=programme, user=coordinator, defaults={"role": StaffRole.COORDINATOR}
    )
    ProgrammeStaff.objects.get_or_create(
        programme=programme, user=funder, defaults={"role": StaffRole.FUNDER}
    )
    for consultant in consultants:
        ProgrammeStaff.objects.get_or_create(
            programme=programme, user=consultant, defaults={"role": StaffRole.CONSULTANT}
        )

    tree = referential_tree(version)
    for i, company in enumerate(COMPANIES):
        org = Organisation.objects.filter(slug=company.slug).first()
        if org is None:
            org = Organisation.objects.create(
                slug=company.slug,
                name=company.name,
                siren=company.siren,
                nace_code=company.nace,
                headcount_band=company.headcount,
                turnover_band="lt10m",
                region="24",
                department=company.department,
                activity=company.activity,
            )
        Enrolment.objects.get_or_create(
            programme=programme, organisation=org, defaults={"consultant": consultants[i % 3]}
        )
        ConsultantAssignment.objects.get_or_create(organisation=org, consultant=consultants[i % 3])
        if i == 0:
            people = [
                ("owner", "owner", "Nadia", "Roux"),
                ("editor", "editor", "Paul", "Girard"),
                ("viewer", "viewer", "Inès", "Moreau"),
            ]
        else:
            people = [("owner", f"owner.{company.slug}", "Direction", company.name)]
        for role, local, first, last in people:
            user = _user(f"{local}@{DEMO_DOMAIN}", first, last)
            Membership.objects.get_or_create(organisation=org, user=user, defaults={"role": Role(role)})
            accounts.append(Account(role, user.email))
        if not Diagnosis.objects.filter(organisation=org).exists():
            owner = Membership.objects.filter(organisation=org, role=Role.OWNER).first()
            rng = random.Random(company.slug)
            _diagnosis(
                org, tree, company, rng, consultants[i % 3], FIRST_DIAGNOSIS + timedelta(days=7 * i), 0.0
            )
            if company.second:
                _diagnosis(
                    org,
                    tree,
                    company,
                    rng,
                    consultants[i % 3],
                    SECOND_DIAGNOSIS + timedelta(days=5 * i),
                    0.7,
                    submitter=owner.user if owner else None,
                )
        if not Stakeholder.objects.filter(organisation=org).exists():
            owner = Membership.objects.filter(organisation=org, role=Role.OWNER).first()
            _path(org, tree, random.Random(f"path-{company.slug}"), owner.user if owner else None)
            # the people of most companies took every self-check; a few are still learning
            _learning(owner.user if owner else None, tree, subjects=7 if company.second or i % 4 else 4)
    _calendar(programme, tree, consultants)
    _indicators(Organisation.objects.get(slug=COMPANIES[0].slug))
    order = {"owner": 0, "editor": 1, "viewer": 2, "consultant": 3, "coordinator": 4, "funder": 5, "admin": 6}
    return sorted(accounts, key=lambda a: order[a.role])


STEPS = [
    (Step.Kind.TRAINING, "Formation RSE et ISO 26000", date(2019, 10, 1), date(2019, 12, 15)),
    (Step.Kind.DIAGNOSIS, "Diagnostics ISO 26000 avec les consultants", date(2020, 1, 6), date(2020, 4, 30)),
    (Step.Kind.WORKSHOP, "Ateliers collectifs par question centrale", date(2020, 5, 1), date(2020, 12, 18)),
    (Step.Kind.PLAN, "Plans d'action adoptés", date(2020, 9, 30), None),
    (Step.Kind.DIAGNOSIS, "Diagnostics de suivi", date(2021, 4, 1), date(2021, 6, 15)),
    (Step.Kind.REVIEW, "Revue finale et restitution au financeur", date(2021, 6, 29), None),
]


# Two years of VSME figures for the first company: energy, emissions, workforce, waste.
INDICATORS = [
    ("vsme:TotalEnergyConsumption", {}, "utr:MWh", ("412", "386")),
    ("vsme:EnergyConsumptionFromElectricity", {}, "utr:MWh", ("298", "281")),
    (
        "vsme:EnergyConsumptionFromElectricity",
        {"vsme:BreakdownOfEnergyConsumptionAxis": "vsme:RenewableEnergyMember"},
        "utr:MWh",
        ("60", "92"),
    ),
    (
        "vsme:EnergyConsumptionFromElectricity",
        {"vsme:BreakdownOfEnergyConsumptionAxis": "vsme:NonRenewableEnergyMember"},
        "utr:MWh",
        ("238", "189"),
    ),
    ("vsme:GrossScope1GreenhouseGasEmissions", {}, "utr:tCO2e", ("31.4", "27.9")),
    ("vsme:GrossLocationBasedScope2GreenhouseGasEmissions", {}, "utr:tCO2e", ("15.5", "14.6")),
    ("vsme:TotalGrossLocationBasedScope1AndScope2GHGEmissions", {}, "utr:tCO2e", ("46.9", "42.5")),
    ("vsme:NumberOfMaleEmployees", {}, "xbrli:pure", ("14", "15")),
    ("vsme:NumberOfFemaleEmployees", {}, "xbrli:pure", ("19", "21")),
    ("vsme:EmployeeTurnoverRate", {}, "xbrli:pure", ("0.12", "0.09")),
]


# What the workshop's key-account customers ask beyond VSME, as carbon activity data:
# (activity, unit, (2024, 2025), recycled content % for packaging (2024, 2025)).
TRANSPORT_PACKAGING = [
    ("freight_road", "t.km", ("182000", "171500"), None),
    ("freight_sea", "t.km", ("96000", "64000"), None),
    ("packaging_paper", "t", ("14.2", "13.1"), ("62", "78")),
    ("packaging_plastic", "t", ("2.8", "1.9"), ("0", "30")),
]


def _indicators(org: Organisation) -> None:
    from parcours.carbon.factors import CURRENT_VERSION
    from parcours.carbon.models import ActivityEntry, CarbonEstimate
    from parcours.vsme.models import Fact, ReportingYear

    if ReportingYear.objects.filter(organisation=org).exists():
        return
    for i, year in enumerate((2024, 2025)):
        ry = ReportingYear.objects.create(organisation=org, year=year)
        for concept, dims, unit, values in INDICATORS:
            value = values[i]
            Fact.objects.create(
                reporting_year=ry,
                concept=concept,
                dimensions=dims,
                value=value,
                unit=unit,
                decimals=len(value.split(".")[1]) if "." in value else 0,
            )
        estimate = CarbonEstimate.objects.create(reporting_year=ry, factor_set_version=CURRENT_VERSION)
        for activity, unit, quantities, shares in TRANSPORT_PACKAGING:
            ActivityEntry.objects.create(
                estimate=estimate,
                activity=activity,
                quantity=Decimal(quantities[i]),
                unit=unit,
                recycled_share=Decimal(shares[i]) if shares else None,
            )


def _calendar(programme: Programme, tree: Any, consultants: list[Any]) -> None:
    """Steps, sessions with attendance and shared practices — once, on a fresh programme."""
    if programme.steps.exists():
        return
    for kind, title, starts, ends in STEPS:
        Step.objects.create(programme=programme, kind=kind, title=title, starts_on=starts, ends_on=ends)
    all_subjects = [cs.core_subject.key for cs in tree.core_subjects]
    sessions = [
        Session.objects.create(
            programme=programme,
            kind=kind,
            title=title,
            starts_at=timezone.make_aware(when),
            duration_minutes=minutes,
            place=place,
            link=link,
            agenda=agenda,
            materials=materials,
            core_subjects=subjects,
        )
        for kind, title, when, minutes, place, link, agenda, materials, subjects in [
            (
                Session.Kind.TRAINING,
                "Journée 1 — Comprendre la RSE et l'ISO 26000",
                datetime(2019, 10, 8, 9, 0),
                420,
                "CCI Centre-Val de Loire (démo), Orléans",
                "",
                "Les 7 principes et les 7 questions centrales\nParties prenantes et matérialité\n"
                "Exemples de PME de la région",
                "https://example.org/demo/formation-jour-1.pdf",
                all_subjects[:4],
            ),
            (
                Session.Kind.TRAINING,
                "Journée 2 — Du diagnostic au plan d'action",
                datetime(2019, 11, 19, 9, 0),
                420,
                "",
                "https://visio.example.org/demo-parcours-jour-2",
                "Lire ses résultats\nChoisir ses priorités\nConstruire un plan d'action suivi",
                "",
                all_subjects[4:],
            ),
            (
                Session.Kind.WORKSHOP,
                "Atelier — Achats responsables et relations fournisseurs",
                datetime(2020, 6, 11, 14, 0),
                180,
                "Tours (démo)",
                "",
                "Cartographie des achats\nCharte fournisseurs\nDélais de paiement",
                "",
                [],
            ),
            (
                Session.Kind.WORKSHOP,
                "Atelier — Énergie et transport de marchandises",
                datetime(2020, 10, 6, 14, 0),
                180,
                "Bourges (démo)",
                "",
                "Suivre ses consommations\nMutualiser les livraisons",
                "",
                [],
            ),
        ]
    ]
    owners = list(
        Membership.objects.filter(organisation__enrolments__programme=programme, role=Role.OWNER)
        .select_related("organisation")
        .order_by("organisation__slug")
    )
    # who missed which session: Cosmétiques de Sologne took 4 self-checks and attended the
    # second training (the other 3 subjects), so it counts as trained through attendance;
    # Laiterie des Gâtines missed it and is still "enrolled" on the board
    absent = [
        {"objets-et-co-touraine"},
        {"laiterie-des-gatines", "transports-beauceron"},
        {"laiterie-des-gatines", "paysages-du-cher", "pieces-auto-loiret", "menuiserie-de-l-indre"},
        {"atelier-tissage-berry", "cosmetiques-de-sologne", "electronique-chartraine"},
    ]
    for session, missing in zip(sessions, absent, strict=True):
        Attendance.objects.bulk_create(
            [
                Attendance(session=session, organisation=m.organisation, user=m.user)
                for m in owners
                if m.organisation.slug not in missing
            ]
        )
    for slug in ("conserverie-du-val", "imprimerie-ligerienne"):
        action = (
            Action.objects.filter(organisation__slug=slug, status=Action.Status.DONE).order_by("pk").first()
        )
        if action is not None:
            SharedPractice.objects.create(
                action=action,
                organisation=action.organisation,
                title=action.title,
                what_was_done=action.description or action.title,
                result="Résultat mesuré sur 12 mois (données de démonstration).",
                contact=f"Direction — owner.{slug}@{DEMO_DOMAIN}",
            )


def _diagnosis(
    org: Organisation,
    tree: Any,
    company: DemoCompany,
    rng: random.Random,
    actor: Any,
    when: datetime,
    uplift: float,
    submitter: Any = None,
) -> Diagnosis:
    diagnosis = Diagnosis.objects.create(
        organisation=org, referential_version=tree.version, size_band=org.headcount_band, started_by=actor
    )
    answers, assessments = [], []
    for cs_index, cs in enumerate(tree.core_subjects):
        subject_base = company.base + uplift + ((cs_index * 7 + len(company.slug)) % 5 - 2) * 0.3
        for node in cs.domains:
            if node.domain.key in NOT_RELEVANT and company.headcount != "medium":
                assessments.append(
                    DomainAssessment(
                        diagnosis=diagnosis,
                        domain=node.domain,
                        relevant=False,
                        reason=NOT_RELEVANT[node.domain.key],
                    )
                )
                continue
            for q in node.questions:
                if not q.applies_to(org.headcount_band):
                    continue
                if rng.random() < 0.03:
                    answers.append(
                        Answer(
                            diagnosis=diagnosis,
                            question=q,
                            not_applicable=True,
                            na_reason="Sans objet pour notre activité (précisé en entretien).",
                        )
                    )
                    continue
                level = max(0, min(4, round(subject_base + rng.gauss(0, 0.8))))
                answers.append(Answer(diagnosis=diagnosis, question=q, level=level, updated_by=actor))
    DomainAssessment.objects.bulk_create(assessments)
    Answer.objects.bulk_create(answers)
    started = timezone.make_aware(when)
    # run with the consultant (actor), submitted by the company, validated by the consultant
    diagnosis_submit(actor=submitter or actor, diagnosis=diagnosis)
    diagnosis_validate(actor=actor, diagnosis=diagnosis)
    Diagnosis.objects.filter(pk=diagnosis.pk).update(
        submitted_at=started - timedelta(days=3), validated_at=started
    )
    Diagnosis.objects.filter(pk=diagnosis.pk).update(
        created_at=started - timedelta(days=21), completed_at=started
    )
    return diagnosis


STAKEHOLDERS = [
    (
        "customers",
        "Clients grands comptes",
        "Bilan carbone des livraisons, emballages réduits, questionnaires RSE",
        4,
        3,
        "Revue fournisseur annuelle",
        "yearly",
    ),
    ("staff", "Salariés", "Sécurité, horaires prévisibles, formation", 3, 4, "Réunion d'équipe", "monthly"),
    (
        "suppliers",
        "Fournisseurs principaux",
        "Délais de paiement tenus, commandes prévisibles",
        2,
        3,
        "Rencontres commerciales",
        "occasional",
    ),
    (
        "community",
        "Riverains et commune",
        "Bruit, circulation des camions, emplois locaux",
        2,
        2,
        "",
        "never",
    ),
]
PROGRESS = {"done": 100, "in_progress": 40, "planned": 0, "idea": 0}


def _path(org: Organisation, tree: Any, rng: random.Random, actor: Any) -> None:
    """Stakeholders, materiality and an action plan built from the catalogue, with progress."""
    people = [
        Stakeholder.objects.create(
            organisation=org,
            group=g,
            name=n,
            expectations=e,
            influence=i,
            dependence=d,
            engagement=how,
            frequency=f,
        )
        for g, n, e, i, d, how, f in STAKEHOLDERS
    ]
    for key in tree.domains:
        MaterialityRating.objects.create(
            organisation=org,
            domain_key=key,
            significance=rng.choice([1, 2, 2, 3, 3, 4]),
            impact=rng.choice([1, 2, 3, 4]),
        ).raised_by.set(rng.sample(people, rng.randint(0, 2)))
    latest = (
        Diagnosis.objects.filter(organisation=org, status__in=Diagnosis.FINAL)
        .order_by("-completed_at")
        .first()
    )
    domain_scores = latest.results.get("domains", {}) if latest else {}
    weakest = sorted((v, k) for k, v in domain_scores.items() if v is not None)[:5]
    templates: dict[str, ActionTemplate] = {}
    for t in ActionTemplate.objects.order_by("position"):
        templates.setdefault(t.domain_keys[0], t)
    today = date.today()
    statuses = [
        Action.Status.DONE,
        Action.Status.IN_PROGRESS,
        Action.Status.IN_PROGRESS,
        Action.Status.PLANNED,
        Action.Status.IDEA,
    ]
    for n, (_score, key) in enumerate(weakest):
        template = templates.get(key)
        if template is None:
            continue
        start = today - timedelta(days=120 - 25 * n)
        action = Action.objects.create(
            organisation=org,
            template=template,
            title=template.title["fr"][:200],
            description=template.description["fr"],
            expected_effect=template.expected_effect["fr"],
            indicator=template.indicator["fr"][:300],
            owner=actor,
            status=statuses[n],
            start_date=start,
            due_date=start + timedelta(days=90 + 30 * n),
            budget=rng.choice([None, 500, 1500, 4000]),
            progress=PROGRESS[statuses[n]],
        )
        action.domains.set(list(tree.version.domains.filter(key__in=template.domain_keys)))
        if action.progress:
            ActionReview.objects.create(
                action=action,
                reviewed_on=start + timedelta(days=30),
                note="Premier point : lancement avec l'équipe.",
                progress=min(action.progress, 40),
                author=actor,
            )


def _learning(user: Any, tree: Any, subjects: int) -> None:
    if user is None:
        return
    for node in tree.core_subjects[:subjects]:
        LearningProgress.objects.get_or_create(
            user=user,
            core_subject=node.core_subject.key,
            defaults={
                "domains_read": [d.domain.key for d in node.domains],
                "self_check_score": 3,
                "self_check_total": 4,
                "self_check_at": timezone.now(),
            },
        )
