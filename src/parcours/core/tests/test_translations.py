"""French first: every translatable string in the code and templates has a French
translation. Extraction is done here in Python (no GNU gettext needed), the same way
Django's makemessages sees the strings."""

import ast
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils.translation.template import templatize

SRC = Path(settings.BASE_DIR)
PO = SRC / "locale" / "fr" / "LC_MESSAGES" / "django.po"
GETTEXT_FUNCS = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
}
CALL = re.compile(r"\b(gettext|ngettext|pgettext|npgettext)\((u'(?:[^'\\]|\\.)*'(?:, u'(?:[^'\\]|\\.)*')*)")


def _key(func: str, args: list[str]) -> tuple[str | None, str]:
    if func.startswith("np") or func.startswith("pgettext"):
        return args[0], args[1]
    return None, args[0]


def python_messages() -> set[tuple[str | None, str]]:
    found = set()
    for path in SRC.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts or path.name == "testing.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if (
                    name in GETTEXT_FUNCS
                    and node.args
                    and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args[:2])
                ):
                    args = [
                        a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)
                    ]
                    found.add(_key(name.replace("_lazy", ""), args))
    return found


def template_messages() -> set[tuple[str | None, str]]:
    found = set()
    for path in SRC.rglob("templates/**/*"):
        if path.suffix not in {".html", ".txt"}:
            continue
        code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
        for func, args in CALL.findall(code):
            found.add(_key(func, list(ast.literal_eval(f"({args},)"))))
    return found


def catalogue() -> dict[tuple[str | None, str], polib.POEntry]:
    return {(e.msgctxt, e.msgid): e for e in polib.pofile(str(PO)) if not e.obsolete}


def test_extraction_finds_the_strings():
    # guards the extractor itself: a known string from a template and one from Python
    assert (None, "Start a new diagnosis") in template_messages()
    assert (None, "A SIREN number has exactly 9 digits.") in python_messages()


@pytest.mark.parametrize("source", ["python", "templates"])
def test_every_string_has_a_french_translation(source):
    messages = python_messages() if source == "python" else template_messages()
    entries = catalogue()
    missing = sorted(m for m in messages if m not in entries)
    assert not missing, f"not in django.po (run `make messages`, then translate): {missing[:20]}"
    untranslated = sorted(m for m in messages if not entries[m].translated() or "fuzzy" in entries[m].flags)
    assert not untranslated, f"French translation missing or fuzzy: {untranslated[:20]}"


def test_catalogue_is_clean():
    po = polib.pofile(str(PO))
    assert po.percent_translated() == 100
    assert not po.fuzzy_entries()
    for entry in po.translated_entries():
        for placeholder in re.findall(r"%\(\w+\)s", entry.msgid):
            texts = [entry.msgstr] if entry.msgstr else list(entry.msgstr_plural.values())
            assert all(placeholder in t for t in texts) or entry.msgid_plural, (entry.msgid, placeholder)
