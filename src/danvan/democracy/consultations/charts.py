"""A server-side SVG scatter of the participants by opinion group (no JavaScript needed).

Participants are anonymous dots; the axes are the two principal components, which carry no
meaning of their own, so only the grouping is drawn. The page repeats the figures as tables.
"""

from __future__ import annotations

from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Colour-blind-safe palette (Okabe–Ito), one per group (at most 5 groups).
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00")
WIDTH, HEIGHT, PAD = 640, 420, 24


def group_names(result: dict[str, Any]) -> list[str]:
    return [_("Nhóm %(letter)s") % {"letter": chr(ord("A") + g)} for g in range(int(result.get("k", 0)))]


def scatter_svg(result: dict[str, Any]) -> SafeString:
    points = result.get("points") or []
    if not points:
        return mark_safe("")
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    x0, x1 = min(xs), max(xs)
    y0, y1 = min(ys), max(ys)
    sx = (WIDTH - 2 * PAD) / ((x1 - x0) or 1.0)
    sy = (HEIGHT - 2 * PAD - 30) / ((y1 - y0) or 1.0)
    names = group_names(result)
    title = escape(_("Bản đồ nhóm ý kiến: mỗi chấm là một người tham gia, màu là nhóm"))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-labelledby="nhom-svg-title" class="opinion-map" style="max-width:100%;height:auto">',
             f'<title id="nhom-svg-title">{title}</title>',
             f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#fff" stroke="#ccc"/>']
    for x, y, label in points:
        cx = PAD + (x - x0) * sx
        cy = HEIGHT - PAD - (y - y0) * sy
        colour = COLOURS[int(label) % len(COLOURS)]
        parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="2.6" fill="{colour}" fill-opacity="0.7"/>')
    for g, name in enumerate(names):
        lx = PAD + g * 120
        size = result["groups"][g]["size"] if g < len(result.get("groups", [])) else 0
        parts.append(f'<rect x="{lx}" y="6" width="12" height="12" fill="{COLOURS[g % len(COLOURS)]}"/>')
        parts.append(f'<text x="{lx + 16}" y="16" font-size="12" font-family="sans-serif">'
                     f'{escape(name)} ({size})</text>')
    parts.append("</svg>")
    # Every interpolated value is a number, a constant colour or escaped text.
    return mark_safe("".join(parts))  # noqa: S308
