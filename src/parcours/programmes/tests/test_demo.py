import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from parcours.diagnoses.models import Diagnosis
from parcours.organisations.models import ConsultantAssignment, Organisation
from parcours.programmes.models import Programme


@pytest.mark.django_db
def test_seed_demo_builds_the_cohort_and_is_idempotent(capsys):
    call_command("seed_demo")
    first = capsys.readouterr().out
    call_command("seed_demo")
    second = capsys.readouterr().out
    assert first == second
    lines = first.strip().splitlines()
    roles = [line.split()[1] for line in lines]
    assert all(line.startswith("demo: ") and len(line.split()) == 4 for line in lines)
    assert set(roles) == {"owner", "editor", "viewer", "consultant", "coordinator", "funder", "admin"}
    assert roles.count("consultant") == 3 and roles.count("coordinator") == 1

    programme = Programme.objects.get()
    assert programme.organisations.count() == 11 == Organisation.objects.count()
    assert ConsultantAssignment.objects.values("consultant").distinct().count() == 3
    completed = Diagnosis.objects.filter(status__in=Diagnosis.FINAL)
    validated = Diagnosis.objects.filter(status=Diagnosis.Status.VALIDATED)
    assert validated.count() == 16  # every diagnosis, validated by the company's consultant
    assert all(d.validated_by and d.validated_by.email.startswith("consultant") for d in validated)
    assert completed.values("organisation").distinct().count() == 11
    assert completed.count() == 16  # five companies have a follow-up diagnosis
    assert all(d.overall_score is not None for d in completed)


@pytest.mark.django_db
@override_settings(ALLOW_DEMO_SEED=False)
def test_production_settings_refuse_to_seed():
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo")
    assert not Organisation.objects.exists()


def test_production_environment_refuses_demo_seed_end_to_end(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[4]
    env = {
        **os.environ,
        "PARCOURS_ENV": "production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "parcours.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, str(root / "manage.py"), "seed_demo"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "never seeded with production settings" in result.stderr


@pytest.mark.django_db
def test_demo_programme_has_staff_calendar_attendance_and_true_stages():
    from parcours.benchmarks.models import BenchmarkGroup
    from parcours.programmes.models import Enrolment, ProgrammeStaff, Session, SharedPractice, Step
    from parcours.programmes.stages import STAGES, stage_of, staged

    call_command("seed_demo")
    programme = Programme.objects.get()
    roles = sorted(ProgrammeStaff.objects.filter(programme=programme).values_list("role", flat=True))
    assert roles == ["consultant"] * 3 + ["coordinator", "funder"]
    assert Step.objects.filter(programme=programme).count() == 6
    assert Session.objects.filter(programme=programme).count() == 4
    assert SharedPractice.objects.count() == 2
    stages = {
        e.organisation.slug: STAGES[stage_of(e)][0]
        for e in staged(Enrolment.objects.filter(programme=programme).select_related("organisation"))
    }
    assert stages["laiterie-des-gatines"] == "enrolled"  # 4 self-checks, missed the second training
    assert stages["cosmetiques-de-sologne"] != "enrolled"  # the second training completed its 7 subjects
    assert sorted(stages.values()).count("follow_up") == 5
    assert BenchmarkGroup.objects.filter(key=f"programme={programme.pk}").exists()
