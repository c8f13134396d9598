"""Browser tests: a real server (gunicorn) on a fresh database seeded like `make run`,
driven by Playwright in Debian's Chromium. In CI a missing browser is a failure, not a skip."""

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from parcours import localserver
from parcours.programmes.demo import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[3]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / ".venv" / "npm" / "axe.min.js"

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"browser tests cannot run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = localserver.environment(
        localserver.throwaway_database_url("parcours_e2e", tmp_path_factory.mktemp("e2e"))
    )
    for command in localserver.SEED_COMMANDS:
        localserver.manage(env, *command)
    proc, base = localserver.start(env)
    yield base
    localserver.stop(proc)
    localserver.drop_database(env["DATABASE_URL"])


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


class CSPWatcher:
    def __init__(self) -> None:
        self.violations: list[str] = []

    def __call__(self, message: Any) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            self.violations.append(message.text)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="fr-FR", viewport={"width": 1024, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    watcher = CSPWatcher()
    page.on("console", watcher)
    yield page
    context.close()
    assert not watcher.violations, f"Content Security Policy violations: {watcher.violations}"


def login(page: Any, server: str, email: str) -> None:
    page.goto(f"{server}/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def axe_violations(page: Any) -> list[dict[str, Any]]:
    if not AXE.exists():
        _unavailable(f"axe-core not installed at {AXE} (run tools/fetch_assets.py)")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
        }"""
    )
    return list(result)


def format_violations(violations: list[dict[str, Any]]) -> str:
    return json.dumps(violations, indent=2, ensure_ascii=False)
