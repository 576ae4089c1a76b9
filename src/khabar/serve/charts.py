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

CHART_WIDTH = 720
CHART_HEIGHT = 180
CHART_MARGIN = 32
# Above this many days between first and last, bars are drawn per observed day instead of on a
# continuous calendar axis (a continuous axis over years makes one-pixel bars).
MAX_CALENDAR_DAYS = 400
NETWORK_SIZE = 420
# Co-mentioned entities drawn around the centre; more makes the labels collide at NETWORK_SIZE.
NETWORK_MAX_NODES = 14
LABEL_MAX_CHARS = 18


def _parse_day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _short(label: str) -> str:
    return label if len(label) <= LABEL_MAX_CHARS else label[: LABEL_MAX_CHARS - 1] + "…"


def draw_day_chart(days: Sequence[Mapping[str, Any]], *, title: str = "mentions per day") -> Markup:
    """A bar chart of `[{"day": "YYYY-MM-DD", "count": n}]`; empty markup when there is no dated count."""
    counts: dict[date, int] = {}
    for row in days:
        day = _parse_day(row.get("day"))
        if day is not None:
            counts[day] = counts.get(day, 0) + int(row.get("count") or 0)
    if not counts:
        return Markup("")
    first, last = min(counts), max(counts)
    span = (last - first).days + 1
    axis: list[date] = (
        [first + timedelta(days=i) for i in range(span)] if span <= MAX_CALENDAR_DAYS else sorted(counts)
    )
    top = max(counts.values())
    inner_w = CHART_WIDTH - 2 * CHART_MARGIN
    inner_h = CHART_HEIGHT - 2 * CHART_MARGIN
    step = inner_w / len(axis)
    bar_w = max(step * 0.8, 1.0)
    parts = [
        Markup(
            '<svg class="chart" role="img" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
            'xmlns="http://www.w3.org/2000/svg"><title>{t}</title>'
        ).format(w=CHART_WIDTH, h=CHART_HEIGHT, t=title),
        Markup('<line class="axis" x1="{x0}" y1="{y}" x2="{x1}" y2="{y}"/>').format(
            x0=CHART_MARGIN, x1=CHART_WIDTH - CHART_MARGIN, y=CHART_HEIGHT - CHART_MARGIN
        ),
    ]
    for i, day in enumerate(axis):
        n = counts.get(day, 0)
        if not n:
            continue
        height = inner_h * n / top
        x = CHART_MARGIN + i * step + (step - bar_w) / 2
        y = CHART_HEIGHT - CHART_MARGIN - height
        parts.append(
            Markup(
                '<rect class="bar" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}"><title>{}: {}</title></rect>'
            ).format(x, y, bar_w, height, day.isoformat(), n)
        )
    label_y = CHART_HEIGHT - CHART_MARGIN + 16
    parts.append(
        Markup('<text class="label" x="{}" y="{}">{}</text>').format(CHART_MARGIN, label_y, first.isoformat())
    )
    if last != first:
        parts.append(
            Markup('<text class="label" x="{}" y="{}" text-anchor="end">{}</text>').format(
                CHART_WIDTH - CHART_MARGIN, label_y, last.isoformat()
            )
        )
    parts.append(
        Markup('<text class="label" x="{}" y="{}" text-anchor="end">{}</text>').format(
            CHART_MARGIN - 4, CHART_MARGIN + 4, top
        )
    )
    parts.append(Markup("</svg>"))
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
    radius = size / 2 - 70
    top = max(int(n.get("count") or 0) for n in nodes) or 1
    edges: list[Markup] = []
    dots: list[Markup] = []
    for i, node in enumerate(nodes):
        angle = 2 * math.pi * i / len(nodes) - math.pi / 2
        x = mid + radius * math.cos(angle)
        y = mid + radius * math.sin(angle)
        count = int(node.get("count") or 0)
        edges.append(
            Markup(
                '<line class="edge" x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke-width="{:.1f}"/>'
            ).format(mid, mid, x, y, 1 + 5 * count / top)
        )
        anchor = "start" if math.cos(angle) > 0.2 else "end" if math.cos(angle) < -0.2 else "middle"
        dy = 4 if anchor != "middle" else (-16 if math.sin(angle) < 0 else 22)
        dx = 10 if anchor == "start" else -10 if anchor == "end" else 0
        name = str(node.get("name") or node.get("id") or "")
        dots.append(
            Markup(
                '<a class="node" href="{href}"><title>{name} ({n})</title>'
                '<circle class="node-{t}" cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}"/>'
                '<text class="label" x="{lx:.1f}" y="{ly:.1f}" text-anchor="{a}">{short}</text></a>'
            ).format(
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
        '<svg class="network" role="img" viewBox="0 0 {s} {s}" width="{s}" height="{s}" '
        'xmlns="http://www.w3.org/2000/svg"><title>co-mentioned with {name}</title>'
    ).format(s=size, name=center_name)
    core = Markup(
        '<circle class="node-{t} centre" cx="{m}" cy="{m}" r="14"/>'
        '<text class="label centre-label" x="{m}" y="{y}" text-anchor="middle">{name}</text>'
    ).format(t=_type_class(center.get("type")), m=mid, y=mid + 30, name=_short(center_name))
    return head + Markup("").join(edges) + core + Markup("").join(dots) + Markup("</svg>")
