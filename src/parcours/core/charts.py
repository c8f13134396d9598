"""Server-side SVG charts, the same markup for pages and (later) PDF reports.

Each chart is an <svg role="img"> with a <title>; pages put a data table next to it for
screen readers. Only inline SVG attributes are used (no <style>, no script) so the charts
pass a strict Content Security Policy and render in WeasyPrint.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

INK = "#1b1f24"
GRID = "#8a94a0"
CURRENT = "#1f5fa8"
PREVIOUS = "#b3541e"


@dataclass
class Series:
    name: str
    values: Sequence[float | None]  # 0–100, None when there is no score
    colour: str = CURRENT
    dashed: bool = False


def radar(labels: Sequence[str], series: Sequence[Series], title: str, size: int = 440) -> SafeString:
    n = len(labels)
    width = size + 160  # room for the labels left and right of the web
    cx, cy = width / 2, size / 2
    radius = size / 2 - 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {size}" width="100%" '
        f'role="img" aria-labelledby="radar-title" class="chart chart-radar">',
        f'<title id="radar-title">{escape(title)}</title>',
    ]

    def point(i: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * value / 100
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    for ring in (25, 50, 75, 100):
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, ring) for i in range(n)))
        parts.append(f'<polygon points="{pts}" fill="none" stroke="{GRID}" stroke-width="0.8"/>')
        x, y = point(0, ring)
        parts.append(
            f'<text x="{x + 4:.1f}" y="{y + 4:.1f}" font-size="10" fill="{INK}" font-family="sans-serif">{ring}</text>'
        )
    for i, label in enumerate(labels):
        x, y = point(i, 100)
        parts.append(
            f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="{GRID}" stroke-width="0.8"/>'
        )
        lx, ly = point(i, 118)
        anchor = "middle" if abs(lx - cx) < 10 else ("start" if lx > cx else "end")
        words = _wrap(label, 18)
        dy0 = -6 * (len(words) - 1)
        for j, word in enumerate(words):
            parts.append(
                f'<text x="{lx:.1f}" y="{ly + dy0 + 13 * j + 4:.1f}" text-anchor="{anchor}" font-size="12" '
                f'fill="{INK}" font-family="sans-serif">{escape(word)}</text>'
            )
    for s in series:
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, v or 0) for i, v in enumerate(s.values)))
        dash = ' stroke-dasharray="6 4"' if s.dashed else ""
        fill = "none" if s.dashed else s.colour
        parts.append(
            f'<polygon points="{pts}" fill="{fill}" fill-opacity="0.18" stroke="{s.colour}" stroke-width="2.5"{dash}>'
            f"<title>{escape(s.name)}</title></polygon>"
        )
        for i, v in enumerate(s.values):
            if v is not None:
                x, y = point(i, v)
                parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{s.colour}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


@dataclass
class Bar:
    label: str
    value: float | None
    note: str = ""  # shown instead of a bar, e.g. "not relevant"
    group: str = ""
    previous: float | None = None


def bars(rows: Sequence[Bar], title: str, width: int = 760) -> SafeString:
    label_w, row_h, top = 330, 24, 30
    bar_w = width - label_w - 60
    groups = sum(1 for i, r in enumerate(rows) if r.group and (i == 0 or rows[i - 1].group != r.group))
    height = top + len(rows) * row_h + groups * row_h + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-labelledby="bars-title" class="chart chart-bars">',
        f'<title id="bars-title">{escape(title)}</title>',
    ]
    for tick in (0, 25, 50, 75, 100):
        x = label_w + bar_w * tick / 100
        parts.append(f'<line x1="{x:.1f}" y1="{top - 8}" x2="{x:.1f}" y2="{height - 6}" stroke="#d0d5db"/>')
        parts.append(
            f'<text x="{x:.1f}" y="{top - 12}" text-anchor="middle" font-size="11" fill="{INK}" '
            f'font-family="sans-serif">{tick}</text>'
        )
    y = top
    last_group = None
    for r in rows:
        if r.group and r.group != last_group:
            parts.append(
                f'<text x="0" y="{y + 16}" font-size="13" font-weight="bold" fill="{INK}" '
                f'font-family="sans-serif">{escape(r.group)}</text>'
            )
            y += row_h
            last_group = r.group
        label = r.label if len(r.label) <= 48 else r.label[:46] + "…"
        parts.append(
            f'<text x="8" y="{y + 16}" font-size="12" fill="{INK}" font-family="sans-serif">'
            f"<title>{escape(r.label)}</title>{escape(label)}</text>"
        )
        if r.value is None:
            parts.append(
                f'<text x="{label_w + 4}" y="{y + 16}" font-size="12" font-style="italic" fill="{INK}" '
                f'font-family="sans-serif">{escape(r.note)}</text>'
            )
        else:
            w = max(bar_w * r.value / 100, 1.5)
            parts.append(
                f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" fill="{CURRENT}"/>'
            )
            parts.append(
                f'<text x="{label_w + w + 6:.1f}" y="{y + 16}" font-size="12" fill="{INK}" '
                f'font-family="sans-serif">{round(r.value)}</text>'
            )
            if r.previous is not None:
                px = label_w + bar_w * r.previous / 100
                parts.append(
                    f'<line x1="{px:.1f}" y1="{y + 1}" x2="{px:.1f}" y2="{y + row_h - 1}" stroke="{PREVIOUS}" '
                    f'stroke-width="3"/>'
                )
        y += row_h
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


@dataclass
class Point:
    label: str  # short, drawn next to the dot (e.g. a clause number)
    x: float  # 0–100
    y: float  # 1–4
    title: str = ""  # full name, as a tooltip


def matrix(
    points: Sequence[Point], title: str, x_label: str, y_label: str, width: int = 640, height: int = 440
) -> SafeString:
    """A materiality matrix: significance (1–4, up) against gap or impact (0–100, right)."""
    left, right, top, bottom = 70, 20, 20, 60
    pw, ph = width - left - right, height - top - bottom

    def px(x: float) -> float:
        return left + pw * x / 100

    def py(y: float) -> float:
        return top + ph * (4 - y) / 3

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="matrix-title" class="chart chart-matrix">',
        f'<title id="matrix-title">{escape(title)}</title>',
        f'<rect x="{px(50):.1f}" y="{py(4):.1f}" width="{pw / 2:.1f}" height="{ph / 2:.1f}" fill="#fdecec"/>',
        f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="{GRID}"/>',
    ]
    for y in (1, 2, 3, 4):
        parts.append(
            f'<line x1="{left}" y1="{py(y):.1f}" x2="{left + pw}" y2="{py(y):.1f}" stroke="#d0d5db"/>'
        )
        parts.append(
            f'<text x="{left - 8}" y="{py(y) + 4:.1f}" text-anchor="end" font-size="12" fill="{INK}" font-family="sans-serif">{y}</text>'
        )
    for x in (0, 25, 50, 75, 100):
        parts.append(
            f'<text x="{px(x):.1f}" y="{top + ph + 18}" text-anchor="middle" font-size="12" fill="{INK}" font-family="sans-serif">{x}</text>'
        )
    parts.append(
        f'<text x="{left + pw / 2}" y="{height - 12}" text-anchor="middle" font-size="13" fill="{INK}" font-family="sans-serif">{escape(x_label)}</text>'
    )
    parts.append(
        f'<text x="16" y="{top + ph / 2}" text-anchor="middle" font-size="13" fill="{INK}" font-family="sans-serif" '
        f'transform="rotate(-90 16 {top + ph / 2})">{escape(y_label)}</text>'
    )
    seen: dict[tuple[int, int], int] = {}
    for p in points:
        cell = (round(p.x / 4), round(p.y * 4))
        n = seen.get(cell, 0)
        seen[cell] = n + 1
        dot_x, dot_y = px(p.x), py(p.y) - 14.0 * n
        parts.append(
            f'<circle cx="{dot_x:.1f}" cy="{dot_y:.1f}" r="5" fill="{CURRENT}"><title>{escape(p.title or p.label)}</title></circle>'
        )
        parts.append(
            f'<text x="{dot_x + 8:.1f}" y="{dot_y + 4:.1f}" font-size="11" fill="{INK}" font-family="sans-serif">{escape(p.label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above
