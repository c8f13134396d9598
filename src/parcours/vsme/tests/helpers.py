"""EFRAG's reference material for the conformance tests (../shared/reference beside the clone)."""

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from parcours.vsme.models import dimensions_key

REFERENCE = Path(__file__).resolve().parents[4].parent / "shared" / "reference" / "efrag-vsme"
SAMPLE = "VSME-Digital-Template-Sample-1.2.0.xlsx"
SAMPLE_FACTS = "VSME-Digital-Template-Sample-1.2.0.facts.json"
BLANK = "VSME-Digital-Template-1.3.0.xlsx"


def reference_file(name: str) -> Path:
    path = REFERENCE / name
    if not path.exists():
        pytest.fail(
            f"EFRAG reference file missing: {path}. The VSME conformance tests need the shared "
            "reference folder beside the clone (../shared/reference/efrag-vsme/)."
        )
    return path


def _unquote(text: str) -> str:
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text


def local_names(value: str) -> str:
    """Enumeration values compared by member name: EFRAG's sample was converted on the
    2026-02-01 taxonomy (other namespace URI), Parcours writes 2026-05-01 QNames."""
    return " ".join(sorted(re.split(r"[#:]", part)[-1] for part in value.split()))


def expected_facts() -> dict[tuple[str, str, str], dict[str, Any]]:
    """The converter's facts for the sample, keyed by (concept, dimensions, period).

    The aspects are normalised as the JSON encodes them: ``"decimals": "\\"2\\""`` is 2,
    ``numeric-scale`` -2 turns the displayed 28.4 % into 0.284, ``transform`` fixed-true /
    fixed-false are the booleans, ``hidden-value`` holds the enumeration members, and
    ``typed <axis>`` values are ``<vsme:TYP>1</vsme:TYP>``."""
    facts = json.loads(reference_file(SAMPLE_FACTS).read_text())["facts"]
    out = {}
    for f in facts:
        a = f["aspects"]
        dims: dict[str, str] = {}
        for k, v in a.items():
            if k.startswith("typed "):
                dims[k.removeprefix("typed ")] = re.sub(r"</?vsme:TYP>", "", _unquote(v))
            elif ":" in k:
                dims[k] = v
        value = f["value"]
        kind = "text"
        if "hidden-value" in a:
            value, kind = local_names(_unquote(a["hidden-value"])), "enum"
        elif a.get("transform") in ("fixed-true", "fixed-false"):
            value, kind = ("true" if a["transform"] == "fixed-true" else "false"), "bool"
        elif "decimals" in a:
            number = Decimal(value)
            if "numeric-scale" in a:
                number = number.scaleb(int(_unquote(a["numeric-scale"])))
            value, kind = number, "number"
        m = re.fullmatch(r"(.*)…\[(\d+) chars\]", value, re.S) if kind == "text" else None
        if m:  # the JSON shortens long texts: "<start>…[3485 chars]"
            value, kind = (m.group(1), int(m.group(2))), "truncated"
        key = (f["concept"], dimensions_key(dims), a.get("period", "cur"))
        out[key] = {
            "value": value,
            "kind": kind,
            "unit": a.get("units") or (_unquote(a["complex-units"]) if "complex-units" in a else None),
            "decimals": int(_unquote(a["decimals"])) if "decimals" in a else None,
            "period_type": a["period-type"],
        }
    return out


def assert_same_value(expected: dict[str, Any], value: str, where: Any) -> None:
    kind = expected["kind"]
    if kind == "number":
        assert Decimal(value) == pytest.approx(expected["value"], rel=Decimal("1e-12")), where
    elif kind == "enum":
        assert local_names(value) == expected["value"], where
    elif kind == "truncated":
        start, length = expected["value"]
        assert value.startswith(start) and len(value) == length, where
    else:
        assert value == expected["value"], where
