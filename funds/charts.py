"""Server-rendered SVG charts (pygal) for the public page: no script, nothing from another host."""

import re
from decimal import Decimal

import pygal
from django.utils.translation import gettext as _
from pygal.style import Style

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    font_family="'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', sans-serif",
    colors=("#2e7d32", "#c62828", "#1565c0", "#f9a825", "#6a1b9a", "#00838f"),
    title_font_size=16,
    legend_font_size=13,
    label_font_size=12,
    value_font_size=12,
    tooltip_font_size=12,
)


def _yuan(value: float) -> str:
    # Display only: the figure was a Decimal and is shown to the fen.
    return f"¥{value:,.2f}"


def _options(title: str, **extra) -> dict:
    return {
        "title": title,
        "style": STYLE,
        "js": [],  # pygal would load its tooltip script from another host
        "disable_xml_declaration": True,
        "width": 640,
        "height": 340,
        "legend_at_bottom": True,
        "value_formatter": _yuan,
        "print_values": False,
        **extra,
    }


_SCRIPT = re.compile(r"<script\b[^>]*?(?:/>|>.*?</script>)", re.DOTALL)


def _render(chart) -> str:
    # pygal always embeds its configuration as an inline script for its tooltips; the
    # charts are static, so every script goes.
    return _SCRIPT.sub("", chart.render(is_unicode=True))


def _draw(value: Decimal) -> float:
    # pygal draws with floats; the money itself stays Decimal in the tables.
    return float(value)


def chart_years(rows) -> str:
    """Bars of money in and out per year, with the year-end balance as a line."""
    chart = pygal.Bar(**_options(_("Money in and out by year")))
    chart.x_labels = [str(row.year) for row in rows]
    chart.add(_("In"), [_draw(row.income) for row in rows])
    chart.add(_("Out"), [_draw(row.expense) for row in rows])
    chart.add(_("Balance at year end"), [_draw(row.balance) for row in rows])
    return _render(chart)


def chart_income(rows) -> str:
    """Income by channel (charity sales, performances, donations)."""
    chart = pygal.Pie(**_options(_("Income by channel"), inner_radius=0.45))
    for account, amount in rows:
        chart.add(account.name, [_draw(amount)])
    return _render(chart)


def chart_grants(rows) -> str:
    """Grants by purpose."""
    # Whole amounts on the axis, slanted so that they fit (pygal cuts long labels to "¥1…").
    chart = pygal.HorizontalBar(
        **_options(_("Grants by purpose"), truncate_label=-1, x_label_rotation=30)
    )
    for label, _count, amount in rows:
        chart.add(label, [_draw(amount)])
    return _render(chart)
