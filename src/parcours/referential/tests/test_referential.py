import json
import shutil
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from parcours.diagnoses.selectors import diagnosis_state
from parcours.diagnoses.services import diagnosis_complete
from parcours.referential import bank
from parcours.referential.models import Domain, Question, ReferentialVersion
from parcours.referential.services import ReferentialError, referential_load
from parcours.testing import DiagnosisFactory, answer_all


def test_shipped_bank_is_sound():
    data = bank.read_bank(bank.latest_version_dir())
    assert bank.validate(data) == []
    assert len(data["principles"]) == 7
    assert len(data["fundamental_practices"]) == 2
    assert [cs["clause"] for cs in data["core_subjects"]] == ["6.2", "6.3", "6.4", "6.5", "6.6", "6.7", "6.8"]
    domains = [d for cs in data["core_subjects"] for d in cs["domains"]]
    assert len(domains) == 37
    assert sum(1 for d in domains if d["issue_no"]) == 36  # 36 numbered issues + 6.2 as its own domain
    assert all(len(d["questions"]) >= 3 for d in domains)
    assert sum(len(d["questions"]) for d in domains) >= 111


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda q: q["levels"][1].update(en="Mostly done, with some gaps in the records."), "bare degree"),
        (lambda q: q["text"].pop("fr"), "missing fr"),
        (lambda q: q["levels"].pop(), "exactly 5 levels"),
        (lambda q: q.update(size_bands=["huge"]), "size_bands"),
    ],
)
def test_validation_catches_bad_questions(change, message):
    data = bank.read_bank(bank.latest_version_dir())
    change(data["core_subjects"][0]["domains"][0]["questions"][0])
    assert any(message in e for e in bank.validate(data))


def test_validation_catches_duplicate_questions():
    data = bank.read_bank(bank.latest_version_dir())
    questions = data["core_subjects"][1]["domains"][0]["questions"]
    questions[1]["text"] = dict(questions[0]["text"])
    assert any("same text" in e for e in bank.validate(data))


@pytest.mark.django_db
def test_load_is_idempotent():
    counts = (ReferentialVersion.objects.count(), Domain.objects.count(), Question.objects.count())
    out = StringIO()
    call_command("load_referential", stdout=out)
    assert "unchanged" in out.getvalue()
    assert (ReferentialVersion.objects.count(), Domain.objects.count(), Question.objects.count()) == counts
    assert Domain.objects.filter(version__is_current=True).count() == 37


@pytest.mark.django_db
def test_export_referential_shape():
    out = StringIO()
    call_command("export_referential", stdout=out)
    data = json.loads(out.getvalue())
    assert data["version"] == "2026.1"
    assert len(data["principles"]) == 7
    assert len(data["core_subjects"]) == 7
    domains = [d for cs in data["core_subjects"] for d in cs["domains"]]
    assert len(domains) == 37
    for cs in data["core_subjects"]:
        assert set(cs) >= {"key", "clause", "title", "domains"}
        assert cs["title"]["fr"] and cs["title"]["en"]
    for d in domains:
        assert set(d) >= {"key", "clause", "title", "questions"}
        assert len(d["questions"]) >= 3
        for q in d["questions"]:
            assert q["text"]["fr"] and q["text"]["en"]
            assert [o["level"] for o in q["options"]] == [0, 1, 2, 3, 4]
            assert all(o["label"]["fr"] and o["label"]["en"] for o in q["options"])


def _copy_version(tmp_path: Path, version: str) -> Path:
    folder = tmp_path / version
    shutil.copytree(bank.latest_version_dir(), folder)
    structure = yaml.safe_load((folder / "structure.yaml").read_text())
    structure["version"] = version
    (folder / "structure.yaml").write_text(yaml.safe_dump(structure, allow_unicode=True))
    return folder


def _drop_one_question(folder: Path) -> str:
    path = folder / "questions" / "environment.yaml"
    data = yaml.safe_load(path.read_text())
    dropped = data["domains"][0]["questions"].pop()
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return dropped["key"]


@pytest.mark.django_db
def test_structure_change_under_the_same_version_is_refused(tmp_path):
    folder = _copy_version(tmp_path, "2026.1")
    _drop_one_question(folder)
    with pytest.raises(ReferentialError, match="new version number"):
        referential_load(folder=folder)


@pytest.mark.django_db
def test_wording_fix_under_the_same_version_updates_texts(tmp_path):
    folder = _copy_version(tmp_path, "2026.1")
    path = folder / "questions" / "environment.yaml"
    data = yaml.safe_load(path.read_text())
    data["domains"][0]["questions"][0]["why"]["en"] = "Reworded explanation."
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    result = referential_load(folder=folder)
    assert result.outcome == "updated texts"
    key = data["domains"][0]["questions"][0]["key"]
    assert Question.objects.get(version__version="2026.1", key=key).why["en"] == "Reworded explanation."


@pytest.mark.django_db
def test_scores_stay_reproducible_when_a_new_version_is_loaded(tmp_path, org):
    diagnosis = DiagnosisFactory(organisation=org)
    answer_all(diagnosis, level=3)
    diagnosis = diagnosis_complete(actor=None, diagnosis=diagnosis)
    stored = diagnosis.results

    folder = _copy_version(tmp_path, "2099.1")
    _drop_one_question(folder)
    assert referential_load(folder=folder).outcome == "created"
    assert ReferentialVersion.objects.get(is_current=True).version == "2099.1"

    diagnosis.refresh_from_db()
    assert diagnosis.referential_version.version == "2026.1"
    assert diagnosis_state(diagnosis).results.snapshot() == stored
