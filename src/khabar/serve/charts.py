"""Small SVG charts drawn on the server: counts per day as bars, and a co-mention network.

Output is inline SVG markup with every label escaped; no script, no external assets, no inline
styles (the pages' Content-Security-Policy forbids them). Colours come from CSS classes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from markupsafe import Markup

from khabar.serve.markup import ENTITY_TYPES, entity_href

# The day chart's drawing box (SVG units; it is stretched to the page's width).
CHART_WIDTH = 720
CHART_HEIGHT = 140
# Narrowest bar (SVG units), so that a day stays visible on an axis of years.
MIN_BAR_WIDTH = 2.0
# Date labels under the day chart (evenly spaced in time).
TICKS = 5
# The network's drawing box: a square for the circle of nodes, with room at both sides for labels.
NETWORK_SIZE = 420
NETWORK_WIDTH = 580
# Co-mentioned entities drawn around the centre; more makes the labels collide at NETWORK_SIZE.
NETWORK_MAX_NODES = 14
LABEL_MAX_CHARS = 14


def _parse_day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _short(label: str) -> str:
    return label if len(label) <= LABEL_MAX_CHARS else label[: LABEL_MAX_CHARS - 1] + "…"


def _ticks(first: date, last: date, n: int = TICKS) -> list[date]:
    """`n` days evenly spaced from `first` to `last` (one when they are the same day)."""
    span = (last - first).days
    if span == 0:
        return [first]
    count = min(n, span + 1)
    return [first + timedelta(days=round(span * i / (count - 1))) for i in range(count)]


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def draw_day_chart(
    days: Sequence[Mapping[str, Any]], *, title: str = "mentions per day", by_month: bool = False
) -> Markup:
    """Counts per day `[{"day": "YYYY-MM-DD", "count": n}]` as bars on a time axis proportional to
    the calendar (a day's bar stands where its date falls between the first and the last day); the
    labels are HTML beside the SVG, so they stay readable when the chart shrinks. Empty markup when
    there is no dated count. `by_month` sums the counts per calendar month, one slot a month."""
    counts: dict[date, int] = {}
    for row in days:
        day = _parse_day(row.get("day"))
        if day is not None:
            day = day.replace(day=1) if by_month else day
            counts[day] = counts.get(day, 0) + int(row.get("count") or 0)
    if not counts:
        return Markup("")
    first, last = min(counts), max(counts)

    def slot(day: date) -> int:
        return _month_index(day) - _month_index(first) if by_month else (day - first).days

    slots = slot(last) + 1  # one slot per calendar day (or month)
    top = max(counts.values()) or 1
    step = CHART_WIDTH / slots
    bar_w = max(step * 0.8, MIN_BAR_WIDTH)
    parts = [
        Markup(
            '<figure class="daychart"><div class="plot"><div class="ymax" title="most in one day">{top}</div>'
            '<svg class="chart" role="img" viewBox="0 0 {w} {h}" preserveAspectRatio="none" '
            'xmlns="http://www.w3.org/2000/svg"><title>{t}</title>'
        ).format(top=top, w=CHART_WIDTH, h=CHART_HEIGHT, t=title),
        Markup('<line class="axis" x1="0" y1="{y}" x2="{w}" y2="{y}"/>').format(
            w=CHART_WIDTH, y=CHART_HEIGHT
        ),
    ]
    for day, n in sorted(counts.items()):
        height = (CHART_HEIGHT - 4) * n / top
        x = slot(day) * step + (step - bar_w) / 2
        parts.append(
            Markup(
                '<rect class="bar" x="{:.2f}" y="{:.2f}" width="{:.2f}" height="{:.2f}" data-day="{}">'
                "<title>{}: {}</title></rect>"
            ).format(
                max(x, 0.0),
                CHART_HEIGHT - height,
                bar_w,
                height,
                day.isoformat(),
                day.isoformat()[:7] if by_month else day.isoformat(),
                n,
            )
        )
    parts.append(Markup('</svg></div><div class="ticks">'))
    parts.extend(Markup("<span>{}</span>").format(t.isoformat()) for t in _ticks(first, last))
    parts.append(
        Markup("</div><figcaption>{} · {} to {}</figcaption></figure>").format(
            title, first.isoformat(), last.isoformat()
        )
    )
    return Markup("").join(parts)


def _type_class(value: Any) -> str:
    return str(value) if value in ENTITY_TYPES else "OTHER"


def draw_network(center: Mapping[str, Any], neighbours: Sequence[Mapping[str, Any]]) -> Markup:
    """A star graph: the entity in the middle, co-mentioned entities around it, edge width by count.

    `neighbours` are `[{"id", "name", "type", "count"}]`; each node links to its entity page.
    """
    nodes = sorted(neighbours, key=lambda n: -int(n.get("count") or 0))[:NETWORK_MAX_NODES]
    if not nodes:
        return Markup("")
    size = NETWORK_SIZE
    mid = size / 2
    mid_x = NETWORK_WIDTH / 2
    radius = size / 2 - 60
    top = max(int(n.get("count") or 0) for n in nodes) or 1
    edges: list[Markup] = []
    dots: list[Markup] = []
    for i, node in enumerate(nodes):
        angle = 2 * math.pi * i / len(nodes) - math.pi / 2
        x = mid_x + radius * math.cos(angle)
        y = mid + radius * math.sin(angle)
        count = int(node.get("count") or 0)
        edges.append(
            Markup(
                '<line class="edge" x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke-width="{:.1f}"/>'
            ).format(mid_x, mid, x, y, 1 + 5 * count / top)
        )
        anchor = "start" if math.cos(angle) > 0.2 else "end" if math.cos(angle) < -0.2 else "middle"
        dy = 4 if anchor != "middle" else (-16 if math.sin(angle) < 0 else 22)
        dx = 10 if anchor == "start" else -10 if anchor == "end" else 0
        name = str(node.get("name") or node.get("id") or "")
        name_en = str(node.get("name_en") or name)
        dots.append(
            Markup(
                '<a class="node" href="{href}"><title>{name} · {name_en} ({n})</title>'
                '<circle class="node-{t}" cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}"/>'
                '<text class="label l-hi" x="{lx:.1f}" y="{ly:.1f}" text-anchor="{a}">{short}</text>'
                '<text class="label l-en" x="{lx:.1f}" y="{ly:.1f}" text-anchor="{a}">{short_en}</text></a>'
            ).format(
                name_en=name_en,
                short_en=_short(name_en),
                href=entity_href(str(node.get("id") or "")),
                name=name,
                n=count,
                t=_type_class(node.get("type")),
                x=x,
                y=y,
                r=5 + 4 * count / top,
                lx=x + dx,
                ly=y + dy,
                a=anchor,
                short=_short(name),
            )
        )
    center_name = str(center.get("name") or "")
    head = Markup(
        '<svg class="network" role="img" viewBox="0 0 {w} {s}" width="{w}" height="{s}" '
        'xmlns="http://www.w3.org/2000/svg"><title>co-mentioned with {name}</title>'
    ).format(w=NETWORK_WIDTH, s=size, name=center_name)
    core = Markup(
        '<circle class="node-{t} centre" cx="{mx}" cy="{m}" r="14"/>'
        '<text class="label centre-label l-hi" x="{mx}" y="{y}" text-anchor="middle">{name}</text>'
        '<text class="label centre-label l-en" x="{mx}" y="{y}" text-anchor="middle">{name_en}</text>'
    ).format(
        t=_type_class(center.get("type")),
        mx=mid_x,
        m=mid,
        y=mid + 30,
        name=_short(center_name),
        name_en=_short(str(center.get("name_en") or center_name)),
    )
    return head + Markup("").join(edges) + core + Markup("").join(dots) + Markup("</svg>")
