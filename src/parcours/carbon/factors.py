"""Emission factors: versioned project data read from ``data/factors-<version>.yaml``.

A factor set is read once per process (cached) and checked on load; nothing is stored in
the database but the version an estimate was made with. A published file is never edited:
a correction is a new version, and each estimate keeps computing with its own version
(docs/carbon.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from parcours.core.i18n import tr

DATA_DIR = Path(__file__).resolve().parent / "data"
CURRENT_VERSION = "2026.2"
CONFIDENCE_LEVELS = ("high", "medium", "low")
SCOPES = (1, 2, 3)
_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")


class FactorSetError(ValueError):
    """The factor file is missing or malformed."""


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    url: str


@dataclass(frozen=True)
class Factor:
    value: Decimal  # kg of CO2e (or CO2, see unit) per unit of activity
    unit: str
    name: str
    reference_key: str
    year: str
    confidence: str
    sources: tuple[Source, ...]
    note: dict[str, str]
    # packaging: the factor of fully recycled material, when the reference gives one
    recycled_value: Decimal | None = None

    @property
    def low_confidence(self) -> bool:
        return self.confidence == "low"

    @property
    def note_text(self) -> str:
        return tr(self.note)


@dataclass(frozen=True)
class Energy:
    kind: str  # "electricity" or "fuel"
    renewable: bool
    kwh_per_unit: Decimal
    confidence: str
    sources: tuple[Source, ...]
    note: dict[str, str]

    @property
    def note_text(self) -> str:
        return tr(self.note)


@dataclass(frozen=True)
class Group:
    key: str
    scope: int
    label: dict[str, str]

    @property
    def label_text(self) -> str:
        return tr(self.label)


@dataclass(frozen=True)
class Activity:
    key: str
    group: Group
    label: dict[str, str]
    unit: str
    unit_label: dict[str, str]
    help: dict[str, str]
    factor: Factor | None  # None: the reference has none, the company gives its own
    energy: Energy | None
    asks_recycled_share: bool = False
    own_factor_unit: str = ""  # the unit of the company's factor when there is no default
    own_factor_hint: dict[str, str] | None = None  # where to find one

    @property
    def factor_unit(self) -> str:
        return self.factor.unit if self.factor is not None else self.own_factor_unit

    @property
    def needs_own_factor(self) -> bool:
        return self.factor is None

    @property
    def own_factor_hint_text(self) -> str:
        return tr(self.own_factor_hint) if self.own_factor_hint else ""

    @property
    def scope(self) -> int:
        return self.group.scope

    @property
    def label_text(self) -> str:
        return tr(self.label)

    @property
    def unit_text(self) -> str:
        return tr(self.unit_label)

    @property
    def help_text(self) -> str:
        return tr(self.help)


@dataclass(frozen=True)
class FactorSet:
    version: str
    published: str
    note: dict[str, str]
    groups: tuple[Group, ...]
    activities: tuple[Activity, ...]

    def activity(self, key: str) -> Activity | None:
        return next((a for a in self.activities if a.key == key), None)

    def in_group(self, group: Group) -> list[Activity]:
        return [a for a in self.activities if a.group == group]

    @property
    def note_text(self) -> str:
        return tr(self.note)


def path_for(version: str) -> Path:
    return DATA_DIR / f"factors-{version}.yaml"


@cache
def factor_set(version: str = CURRENT_VERSION) -> FactorSet:
    """The factor set ``version``; FactorSetError when its file is missing or malformed."""
    path = path_for(version)
    if not path.is_file():
        raise FactorSetError(f"no factor file for version {version!r} ({path.name})")
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        fs = _parse(raw)
    except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
        raise FactorSetError(f"{path.name}: {exc!r}") from exc
    if fs.version != version:
        raise FactorSetError(f"{path.name} declares version {fs.version!r}")
    return fs


def _decimal(text: Any, what: str, positive: bool = True) -> Decimal:
    if not isinstance(text, str):
        raise ValueError(f"{what}: write numbers as quoted strings, got {text!r}")
    value = Decimal(text)
    if not value.is_finite() or (value <= 0 if positive else value < 0):
        raise ValueError(f"{what}: {text!r} is not a positive number")
    return value


def _text(value: Any, what: str) -> dict[str, str]:
    if not isinstance(value, dict) or not value.get("en") or not value.get("fr"):
        raise ValueError(f"{what}: an {{en, fr}} text is required")
    return {"en": str(value["en"]), "fr": str(value["fr"])}


def _sources(keys: list[str], known: dict[str, Source], what: str) -> tuple[Source, ...]:
    missing = [k for k in keys if k not in known]
    if missing:
        raise ValueError(f"{what}: unknown sources {missing}")
    return tuple(known[k] for k in keys)


def _confidence(value: Any, what: str) -> str:
    if value not in CONFIDENCE_LEVELS:
        raise ValueError(f"{what}: confidence must be one of {CONFIDENCE_LEVELS}")
    return str(value)


def _factor(f: dict[str, Any], key: str, sources: dict[str, Source]) -> Factor:
    recycled = f.get("recycled_value")
    return Factor(
        value=_decimal(f["value"], f"{key}.factor.value"),
        unit=str(f["unit"]),
        name=str(f.get("name") or ""),
        reference_key=str(f.get("reference_key") or ""),
        year=str(f.get("year") or ""),
        confidence=_confidence(f["confidence"], f"{key}.factor"),
        sources=_sources(f["sources"], sources, f"{key}.factor"),
        note=_text(f["note"], f"{key}.factor.note"),
        recycled_value=_decimal(recycled, f"{key}.factor.recycled_value") if recycled is not None else None,
    )


def _energy(e: dict[str, Any], key: str, sources: dict[str, Source]) -> Energy:
    if e["kind"] not in ("electricity", "fuel"):
        raise ValueError(f"{key}.energy.kind must be electricity or fuel")
    return Energy(
        kind=e["kind"],
        renewable=bool(e["renewable"]),
        kwh_per_unit=_decimal(e["kwh_per_unit"], f"{key}.energy.kwh_per_unit"),
        confidence=_confidence(e["confidence"], f"{key}.energy"),
        sources=_sources(e.get("sources") or [], sources, f"{key}.energy"),
        note=_text(e["note"], f"{key}.energy.note"),
    )


def _parse(raw: dict[str, Any]) -> FactorSet:
    sources = {k: Source(k, str(v["title"]), str(v.get("url") or "")) for k, v in raw["sources"].items()}
    groups: dict[str, Group] = {}
    for g in raw["groups"]:
        if g["scope"] not in SCOPES:
            raise ValueError(f"group {g['key']}: scope must be one of {SCOPES}")
        groups[g["key"]] = Group(g["key"], int(g["scope"]), _text(g["label"], f"group {g['key']}"))
    activities: list[Activity] = []
    for a in raw["activities"]:
        key = a["key"]
        if not isinstance(key, str) or not _KEY.fullmatch(key):
            raise ValueError(f"activity key {key!r}: lowercase letters, digits and _ only (≤ 40)")
        if any(x.key == key for x in activities):
            raise ValueError(f"activity {key} is listed twice")
        f = a["factor"]
        factor, energy = None, None
        own: dict[str, Any] = {}
        if f is None:  # the reference has none: the company gives its own, in this unit
            if a.get("energy"):
                raise ValueError(f"{key}: an energy activity needs a default factor")
            own = {
                "own_factor_unit": str(a["factor_unit"]),
                "own_factor_hint": _text(a["factor_hint"], f"{key}.factor_hint"),
            }
        else:
            factor = _factor(f, key, sources)
            energy = _energy(a["energy"], key, sources) if a.get("energy") else None
        activities.append(
            Activity(
                key=key,
                group=groups[a["group"]],
                label=_text(a["label"], f"{key}.label"),
                unit=str(a["unit"]),
                unit_label=_text(a["unit_label"], f"{key}.unit_label"),
                help=_text(a["help"], f"{key}.help"),
                factor=factor,
                energy=energy,
                asks_recycled_share=bool(a.get("asks_recycled_share")),
                **own,
            )
        )
    return FactorSet(
        version=str(raw["version"]),
        published=str(raw.get("published") or ""),
        note=_text(raw["note"], "note"),
        groups=tuple(groups.values()),
        activities=tuple(activities),
    )
