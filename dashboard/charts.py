"""Server-rendered SVG for the dashboard: no script, nothing from another host.

Month series are drawn by pygal; categories (streets, alliances, purposes) as
hand-written horizontal bars with the label above each bar.

Every bar or point links to the filtered list behind it. The SVG scales to its
container (a phone's width); long category labels go on horizontal bars.
"""

import re
from decimal import Decimal
from html import escape

import pygal
from django.utils.translation import gettext as _
from pygal.style import Style

from core.cache import cached_by_content

from .registry import Chart

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    font_family="'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif",
    colors=("#1565c0", "#2e7d32", "#c62828", "#f9a825", "#6a1b9a", "#00838f"),
    legend_font_size=15,
    label_font_size=14,
    major_label_font_size=14,
    value_font_size=13,
    tooltip_font_size=13,
)
KINDS = {
    "bar": pygal.Bar,
    "stacked": pygal.StackedBar,
    "line": pygal.Line,
}
_SCRIPT = re.compile(r"<script\b[^>]*?(?:/>|>.*?</script>)", re.DOTALL)


def _number(value) -> float:
    # pygal draws with floats; the tables keep the Decimal.
    return float(value) if isinstance(value, Decimal) else value


def _compact(value: float) -> str:
    """Axis and bar labels: 13,251 stays, 1,300,000 becomes 130万 (short enough for a phone)."""
    if abs(value) >= 1000000:
        return _("%(amount)s×10k") % {"amount": f"{value / 10000:,.0f}"}
    if value == int(value):
        return f"{value:,.0f}"
    return f"{value:,.1f}"


BAR_WIDTH = 480
BAR_HEIGHT = 16
FONT = "'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"


def _hbar_svg(chart: Chart) -> str:
    """Categories as rows: the label on its own line, then one bar per series (hand-written).

    pygal measures labels as Latin text and cuts Chinese street names; here each
    label has the full width of a phone, and every bar links to its list.
    """
    colours = STYLE.colors
    top = max((v for series in chart.series for v in series.values), default=0) or 1
    room = BAR_WIDTH - 90  # what the longest bar may take; its value is written after it
    parts, y = [], 0
    if len(chart.series) > 1:
        for index, series in enumerate(chart.series):
            x = index * 160
            parts.append(
                f'<rect x="{x}" y="2" width="12" height="12" fill="{colours[index]}"/>'
                f'<text x="{x + 18}" y="13" font-size="14">{escape(str(series.name))}</text>'
            )
        y = 26
    for row, label in enumerate(chart.x_labels):
        parts.append(f'<text x="0" y="{y + 15}" font-size="14">{escape(str(label))}</text>')
        y += 20
        for index, series in enumerate(chart.series):
            value = series.values[row]
            width = max(round(room * float(value) / float(top)), 1 if value else 0)
            bar = (
                f'<rect x="0" y="{y}" width="{width}" height="{BAR_HEIGHT}" '
                f'fill="{colours[index % len(colours)]}"/>'
                f'<text x="{width + 6}" y="{y + 13}" font-size="13">{_compact(value)}</text>'
            )
            link = series.links[row] if row < len(series.links) else ""
            if link:
                label_text = escape(f"{label} · {series.name}: {_compact(value)}")
                bar = f'<a href="{escape(link)}" aria-label="{label_text}">{bar}</a>'
            parts.append(bar)
            y += BAR_HEIGHT + 3
        y += 8
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="yilu-hbar" viewBox="0 0 {BAR_WIDTH} {y}" '
        f'font-family="{FONT}" fill="#212529" role="group">{"".join(parts)}</svg>'
    )


def render_svg(chart: Chart, *, title: str = "") -> str:
    """The chart as inline SVG markup (no XML declaration, no script), drawn once for
    its content and then read from the cache (drawing is most of a panel's time)."""
    content = (
        chart.kind,
        [str(label) for label in chart.x_labels],
        [(str(series.name), list(series.values), list(series.links)) for series in chart.series],
        chart.money,
        str(chart.x_title),
        str(title),
    )
    return cached_by_content("dashboard-chart", content, lambda: _draw_svg(chart, title=title))


def _draw_svg(chart: Chart, *, title: str = "") -> str:
    if chart.kind == "hbar":
        return _hbar_svg(chart)
    pygal_chart = KINDS[chart.kind](
        style=STYLE,
        js=[],  # pygal would load its tooltip script from another host
        disable_xml_declaration=True,
        width=480,
        height=320,
        legend_at_bottom=True,
        legend_at_bottom_columns=2,
        show_legend=len(chart.series) > 1,
        truncate_label=-1,
        truncate_legend=-1,
        x_label_rotation=0,
        value_formatter=_compact,
        y_labels_major_count=5,
        show_minor_y_labels=False,
        print_values=False,
        print_zeroes=False,
        margin=6,
        margin_bottom=24,
        explicit_size=False,
        title=title or None,
        x_title=str(chart.x_title) or None,
    )
    pygal_chart.x_labels = chart.x_labels
    for series in chart.series:
        values = []
        for index, value in enumerate(series.values):
            point = {"value": _number(value)}
            if index < len(series.links) and series.links[index]:
                point["xlink"] = {"href": series.links[index], "target": "_top"}
            values.append(point)
        pygal_chart.add(str(series.name), values)
    return _SCRIPT.sub("", pygal_chart.render(is_unicode=True))
