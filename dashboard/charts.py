"""Server-rendered SVG for the dashboard (pygal): no script, nothing from another host.

Every bar or point links to the filtered list behind it. The SVG scales to its
container (a phone's width); long category labels go on horizontal bars.
"""

import re
from decimal import Decimal

import pygal
from pygal.style import Style

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
    "hbar": pygal.HorizontalBar,
}
_SCRIPT = re.compile(r"<script\b[^>]*?(?:/>|>.*?</script>)", re.DOTALL)


def _number(value) -> float:
    # pygal draws with floats; the tables keep the Decimal.
    return float(value) if isinstance(value, Decimal) else value


def render_svg(chart: Chart, *, title: str = "") -> str:
    """The chart as inline SVG markup (no XML declaration, no script)."""
    rows = max(len(chart.x_labels), 1)
    horizontal = chart.kind == "hbar"
    pygal_chart = KINDS[chart.kind](
        style=STYLE,
        js=[],  # pygal would load its tooltip script from another host
        disable_xml_declaration=True,
        width=480,
        height=max(300, 34 * rows + 120) if horizontal else 320,
        legend_at_bottom=True,
        legend_at_bottom_columns=2,
        show_legend=len(chart.series) > 1,
        truncate_label=-1,
        truncate_legend=-1,
        x_label_rotation=0 if horizontal else 45,
        print_values=horizontal,
        print_zeroes=False,
        margin=6,
        explicit_size=False,
        title=title or None,
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
