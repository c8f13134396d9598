"""A server-side SVG timeline (Gantt-like) of dated actions, month by month."""

from collections.abc import Sequence
from datetime import date

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from parcours.core.charts import INK

from .models import Action

STATUS_COLOURS = {
    Action.Status.IDEA: "#6b7680",
    Action.Status.PLANNED: "#1f5fa8",
    Action.Status.IN_PROGRESS: "#8a5a00",
    Action.Status.DONE: "#1e6b34",
    Action.Status.DROPPED: "#9aa3ad",
}


def _month_start(d: date) -> date:
    return d.replace(day=1)


def _add_month(d: date) -> date:
    return d.replace(year=d.year + (d.month == 12), month=1 if d.month == 12 else d.month + 1)


def timeline(actions: Sequence[Action], title: str, today: date, width: int = 900) -> SafeString:
    dated = [a for a in actions if a.start_date or a.due_date]
    if not dated:
        return mark_safe("")
    first = min(min(d for d in (a.start_date, a.due_date) if d) for a in dated)
    last = max(max(d for d in (a.start_date, a.due_date) if d) for a in dated)
    start, months = _month_start(min(first, today)), []
    m = start
    while m <= max(last, today):
        months.append(m)
        m = _add_month(m)
    end = _add_month(months[-1])
    label_w, row_h, top = 300, 26, 34
    span = (end - start).days or 1
    plot_w = width - label_w - 10

    def x(d: date) -> float:
        return label_w + plot_w * (d - start).days / span

    height = top + row_h * len(dated) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="timeline-title" class="chart chart-timeline">',
        f'<title id="timeline-title">{escape(title)}</title>',
    ]
    for m in months:
        parts.append(f'<line x1="{x(m):.1f}" y1="{top - 6}" x2="{x(m):.1f}" y2="{height}" stroke="#d0d5db"/>')
        label = formats.date_format(m, "M y")
        parts.append(
            f'<text x="{x(m) + 3:.1f}" y="{top - 12}" font-size="11" fill="{INK}" font-family="sans-serif">{escape(label)}</text>'
        )
    tx = x(today)
    parts.append(
        f'<line x1="{tx:.1f}" y1="{top - 20}" x2="{tx:.1f}" y2="{height}" stroke="#a4161a" stroke-width="2"/>'
    )
    for i, a in enumerate(dated):
        y = top + i * row_h
        begin = a.start_date or a.due_date
        finish = a.due_date or a.start_date
        assert begin is not None and finish is not None
        label = a.title if len(a.title) <= 42 else a.title[:40] + "…"
        parts.append(
            f'<text x="4" y="{y + 17}" font-size="12" fill="{INK}" font-family="sans-serif">'
            f"<title>{escape(a.title)}</title>{escape(label)}</text>"
        )
        w = max(x(finish) - x(begin), 6)
        colour = STATUS_COLOURS[Action.Status(a.status)]
        stroke = ' stroke="#a4161a" stroke-width="3"' if a.is_overdue else ""
        parts.append(
            f'<rect x="{x(begin):.1f}" y="{y + 5}" width="{w:.1f}" height="{row_h - 10}" rx="3" fill="{colour}"{stroke}>'
            f"<title>{escape(a.get_status_display())}</title></rect>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above
