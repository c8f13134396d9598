import os

import pytest
from django.core.cache import cache
from django.utils import translation

from parcours.actions.services import catalogue_load
from parcours.organisations.models import Organisation, Role
from parcours.referential.selectors import clear_tree_cache
from parcours.referential.services import referential_load
from parcours.testing import OrganisationFactory, consultant_for, member


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The shipped referential, loaded once into the test database; tests roll back around it."""
    with django_db_blocker.unblock():
        referential_load()
        catalogue_load()


@pytest.fixture(autouse=True)
def _clear_cache():  # type: ignore[no-untyped-def]
    cache.clear()  # login throttling counters live in the cache
    clear_tree_cache()  # ids are reused between rolled-back tests


@pytest.fixture(autouse=True)
def _default_language():  # type: ignore[no-untyped-def]
    """Each test starts in the default language (French): a request served in English by an
    earlier test leaves its language active in the thread."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def org(db) -> Organisation:  # type: ignore[no-untyped-def]
    return OrganisationFactory(name="Atelier Test", slug="atelier-test")


@pytest.fixture
def other_org(db) -> Organisation:  # type: ignore[no-untyped-def]
    return OrganisationFactory(name="Other Company", slug="other-company")


@pytest.fixture
def owner(org):  # type: ignore[no-untyped-def]
    return member(org, Role.OWNER)


@pytest.fixture
def editor(org):  # type: ignore[no-untyped-def]
    return member(org, Role.EDITOR)


@pytest.fixture
def viewer(org):  # type: ignore[no-untyped-def]
    return member(org, Role.VIEWER)


@pytest.fixture
def consultant(org):  # type: ignore[no-untyped-def]
    return consultant_for(org)


@pytest.fixture
def outsider(other_org):  # type: ignore[no-untyped-def]
    return member(other_org, Role.OWNER)


_skipped: list[str] = []


def pytest_runtest_logreport(report):  # type: ignore[no-untyped-def]
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):  # type: ignore[no-untyped-def]
    """In CI a skipped test is a failure: a skip must never hide a missing browser or feature."""
    if os.environ.get("CI") and _skipped:
        print(f"\nCI: {len(_skipped)} test(s) skipped, which counts as failure: {_skipped[:10]}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_report_header(config):  # type: ignore[no-untyped-def]
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"
