import re
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db.utils import OperationalError
from django.urls import reverse


@pytest.mark.django_db
def test_healthz_ok(client):
    resp = client.get(reverse("healthz"))
    assert resp.status_code == 200
    assert resp.content == b"ok\n"


@pytest.mark.django_db
def test_healthz_503_when_the_database_does_not_answer(client):
    with mock.patch("parcours.core.views.connection.cursor", side_effect=OperationalError("down")):
        resp = client.get(reverse("healthz"))
    assert resp.status_code == 503


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client):
    resp = client.get(reverse("account_login"))
    csp = resp["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert resp["X-Content-Type-Options"] == "nosniff"


def test_templates_have_no_inline_script_style_or_handlers():
    offenders = []
    for path in Path(settings.BASE_DIR).rglob("templates/**/*.html"):
        source = path.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", source):
            offenders.append(f"{path.name}: inline <script>")
        if re.search(r"\sstyle=\"", source) or "<style" in source:
            offenders.append(f"{path.name}: inline style")
        if re.search(r"\son[a-z]+=\"", source) or "hx-on" in source:
            offenders.append(f"{path.name}: inline event handler")
    assert not offenders, offenders


def test_no_asset_from_the_internet():
    for path in Path(settings.BASE_DIR).rglob("templates/**/*.html"):
        assert not re.search(r"(src|href)=\"https?://", path.read_text(encoding="utf-8")), path


@pytest.mark.django_db
def test_french_by_default_whatever_the_browser_says(client):
    resp = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert resp["Content-Language"] == "fr"
    assert "Se connecter" in resp.content.decode()
