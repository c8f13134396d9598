"""The benchmark rules as pure functions, with no database (docs/benchmarks.md).

``build_dataset`` turns the counted diagnoses into a score matrix and the members of each
group; ``decide`` applies the anonymity rules against what was published last time and
returns, for every group, what to publish now. Quantiles are computed with numpy, one
sort per group, so a full run over 10,000 organisations stays well under a second.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np

from .sectors import nace_section

K = 5  # the smallest number of organisations behind any published figure
QUANTILES = (0.25, 0.5, 0.75)
SECTIONS = ("overall", "core_subjects", "domains")

ALL = "all"


def group_keys(*, sector: str | None, size_band: str, programme_ids: Iterable[int]) -> list[str]:
    """Every group an organisation with this sector, size and enrolments belongs to."""
    scopes = [ALL, *(f"programme={pid}" for pid in sorted(programme_ids))]
    keys = []
    for scope in scopes:
        keys.append(scope)
        if sector:
            keys.append(f"{scope}|sector={sector}")
        if size_band:
            keys.append(f"{scope}|size={size_band}")
    return keys


def parse_key(key: str) -> dict[str, str]:
    """``"programme=3|sector=C"`` → ``{"programme": "3", "sector": "C"}``; ``"all"`` → ``{}``."""
    parts: dict[str, str] = {}
    for part in key.split("|"):
        if "=" in part:
            name, value = part.split("=", 1)
            parts[name] = value
    return parts


@dataclass
class Dataset:
    """The counted diagnoses (one per organisation) and who belongs to which group."""

    diagnosis_ids: np.ndarray  # (n,) int64
    values: np.ndarray  # (n, columns) float64, NaN where a score is missing
    columns: list[tuple[str, str]]  # ("overall", ""), ("core_subjects", key), ("domains", key)
    groups: dict[str, np.ndarray] = field(default_factory=dict)  # group key → row indices

    def members(self, key: str) -> frozenset[int]:
        rows = self.groups.get(key)
        return frozenset() if rows is None else frozenset(self.diagnosis_ids[rows].tolist())


def build_dataset(
    diagnoses: Iterable[tuple[int, int, Mapping[str, Any] | None, str, str]],
    enrolments: Iterable[tuple[int, int]],
) -> Dataset:
    """``diagnoses``: (diagnosis id, organisation id, results, NACE code, headcount band), one
    per organisation; ``enrolments``: (programme id, organisation id)."""
    programmes_of: dict[int, list[int]] = {}
    for programme_id, organisation_id in enrolments:
        programmes_of.setdefault(organisation_id, []).append(programme_id)

    rows = list(diagnoses)
    cs_set: set[str] = set()
    domain_set: set[str] = set()
    for _id, _org, results, _nace, _size in rows:
        if results:
            cs_set.update(results.get("core_subjects") or ())
            domain_set.update(results.get("domains") or ())
    cs_keys, domain_keys = sorted(cs_set), sorted(domain_set)
    columns = [
        ("overall", ""),
        *(("core_subjects", k) for k in cs_keys),
        *(("domains", k) for k in domain_keys),
    ]

    matrix: list[list[Any]] = []
    groups: dict[str, list[int]] = {}
    keys_of: dict[tuple[str, str, tuple[int, ...]], list[list[int]]] = {}
    no_scores: dict[str, Any] = {}
    for i, (_id, organisation_id, results, nace, size_band) in enumerate(rows):
        results = results or no_scores
        matrix.append(
            [
                results.get("overall"),
                *map((results.get("core_subjects") or no_scores).get, cs_keys),
                *map((results.get("domains") or no_scores).get, domain_keys),
            ]
        )
        profile = (nace or "", size_band or "", tuple(programmes_of.get(organisation_id, ())))
        member_lists = keys_of.get(profile)
        if member_lists is None:
            keys = group_keys(sector=nace_section(nace), size_band=size_band or "", programme_ids=profile[2])
            member_lists = keys_of[profile] = [groups.setdefault(key, []) for key in keys]
        for members in member_lists:
            members.append(i)

    return Dataset(
        diagnosis_ids=np.array([r[0] for r in rows], dtype=np.int64),
        values=np.array(matrix, dtype=np.float64).reshape(len(rows), len(columns)),
        columns=columns,
        groups={key: np.array(idx, dtype=np.intp) for key, idx in groups.items()},
    )


def round_half_up(values: np.ndarray) -> np.ndarray:
    return np.floor(values + 0.5)


def quartiles(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per column of ``values`` (rows × columns, NaN = missing): the number of scores and
    their Q1, median and Q3 (3 × columns), by linear interpolation between order statistics
    (numpy's default ``linear`` method, Hyndman & Fan type 7, Excel's PERCENTILE.INC,
    Python's ``statistics.quantiles(method="inclusive")``). Columns with no score give NaN."""
    ordered = np.sort(values, axis=0)  # NaN sorts last
    counts = np.count_nonzero(~np.isnan(values), axis=0)
    cols = np.arange(values.shape[1])
    last = np.maximum(counts - 1, 0)
    out = np.full((len(QUANTILES), values.shape[1]), np.nan)
    if values.shape[0] == 0:
        return counts, out
    for i, p in enumerate(QUANTILES):
        h = last * p
        lo = np.floor(h).astype(np.intp)
        hi = np.minimum(lo + 1, last)
        below, above = ordered[lo, cols], ordered[hi, cols]
        out[i] = below + (h - lo) * (above - below)
    out[:, counts == 0] = np.nan
    return counts, out


def group_stats(values: np.ndarray, columns: list[tuple[str, str]], k: int = K) -> dict[str, Any]:
    """The published figures of one group: a statistic appears only with ≥ k scores behind it."""
    counts, qs = quartiles(values)
    kept = np.flatnonzero(counts >= k)
    q1, median, q3 = round_half_up(qs[:, kept]).astype(np.int64).tolist()
    stats: dict[str, Any] = {"core_subjects": {}, "domains": {}}
    for j, n, a, b, c in zip(kept.tolist(), counts[kept].tolist(), q1, median, q3, strict=True):
        section, key = columns[j]
        figure = {"n": n, "q1": a, "median": b, "q3": c}
        if section == "overall":
            stats["overall"] = figure
        else:
            stats[section][key] = figure
    return stats


@dataclass(frozen=True)
class Previous:
    """What a group showed after the last run."""

    status: str
    stats: dict[str, Any]
    n: int
    published_ids: frozenset[int]
    published_at: datetime | None


@dataclass
class Decision:
    key: str
    status: str  # "published", "held" or "suppressed" (BenchmarkGroup.Status)
    reason: str  # "" or a BenchmarkGroup.Reason
    published_ids: frozenset[int]  # the set behind the figures shown, or the last one shown
    stats: dict[str, Any]
    new_figures: bool  # published from a set that differs from the previous publication

    @property
    def n(self) -> int:
        return len(self.published_ids) if self.status != "suppressed" else 0


def _priority(key: str, size: int) -> tuple[int, int, str]:
    """Sort order for rule 4: kept first = larger set, then fewer "|" parts, then smaller key."""
    return (-size, key.count("|"), key)


def decide(dataset: Dataset, previous: Mapping[str, Previous], k: int = K) -> dict[str, Decision]:
    """Apply rules 3 to 5 to every group that has members now or had a row before."""
    decisions: dict[str, Decision] = {}
    candidates: list[tuple[str, frozenset[int], bool]] = []  # (key, set shown, fresh figures?)
    for key in sorted(set(dataset.groups) | set(previous)):
        current = dataset.members(key)
        before = previous.get(key)
        last = before.published_ids if before else frozenset()
        if len(current) < k:  # rule 3: too few to publish anything
            decisions[key] = Decision(key, "suppressed", "too_few", last, {}, False)
        elif current == last or len(current ^ last) >= k:  # rule 5: identical, or changed by ≥ k
            candidates.append((key, current, True))
        elif before is not None and before.status in ("published", "held") and before.stats:
            candidates.append((key, last, False))  # rule 5: hold the previous figures
        else:  # withdrawn earlier, back now with fewer than k changes: nothing to hold
            decisions[key] = Decision(key, "suppressed", "since_last", last, {}, False)

    # Rule 4: accept groups from the largest down; a group whose set differs from an
    # accepted one by 1 to k-1 diagnoses is suppressed. |A Δ B| ≥ ||A| − |B||, so only
    # accepted groups whose size is within k of this one can conflict.
    accepted_by_size: dict[int, list[frozenset[int]]] = {}
    for key, ids, fresh in sorted(candidates, key=lambda c: _priority(c[0], len(c[1]))):
        size = len(ids)
        clash = any(
            0 < len(ids ^ other) < k
            for other_size in range(size - k + 1, size + k)
            for other in accepted_by_size.get(other_size, ())
        )
        before = previous.get(key)
        last = before.published_ids if before else frozenset()
        if clash:
            decisions[key] = Decision(key, "suppressed", "overlap", last, {}, False)
            continue
        accepted_by_size.setdefault(size, []).append(ids)
        if fresh:
            rows = dataset.groups[key]
            stats = group_stats(dataset.values[rows], dataset.columns, k)
            was_shown = before is not None and before.status in ("published", "held")
            decisions[key] = Decision(key, "published", "", ids, stats, not (was_shown and ids == last))
        else:
            assert before is not None
            decisions[key] = Decision(key, "held", "", ids, before.stats, False)
    return decisions
