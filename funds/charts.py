"""Server-rendered SVG charts (pygal) for the public page: no script, nothing from another host.

Drawing is half the page's time (issue 17), and the figures change only when the ledger
does, so each SVG is kept in the cache under a digest of what it draws (kind, language,
figures): new figures make a new key, nothing is ever stale.
"""

import re
from decimal import Decimal

import pygal
from django.utils.translation import gettext as _
from pygal.style import Style

from core.cache import cached_by_content

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
    figures = [(row.year, row.income, row.expense, row.balance) for row in rows]

    def draw() -> str:
        chart = pygal.Bar(**_options(_("Money in and out by year")))
        chart.x_labels = [str(year) for year, *_money in figures]
        chart.add(_("In"), [_draw(income) for _year, income, _out, _balance in figures])
        chart.add(_("Out"), [_draw(out) for _year, _in, out, _balance in figures])
        chart.add(_("Balance at year end"), [_draw(balance) for *_flows, balance in figures])
        return _render(chart)

    return cached_by_content("funds-chart-years", figures, draw)


def chart_income(rows) -> str:
    """Income by channel (charity sales, performances, donations)."""
    figures = [(account.name, amount) for account, amount in rows]

    def draw() -> str:
        chart = pygal.Pie(**_options(_("Income by channel"), inner_radius=0.45))
        for name, amount in figures:
            chart.add(name, [_draw(amount)])
        return _render(chart)

    return cached_by_content("funds-chart-income", figures, draw)


def chart_grants(rows) -> str:
    """Grants by purpose."""
    figures = [(label, amount) for label, _count, amount in rows]

    def draw() -> str:
        # Whole amounts on the axis, slanted so that they fit (pygal cuts long labels).
        chart = pygal.HorizontalBar(
            **_options(_("Grants by purpose"), truncate_label=-1, x_label_rotation=30)
        )
        for label, amount in figures:
            chart.add(label, [_draw(amount)])
        return _render(chart)

    return cached_by_content("funds-chart-grants", figures, draw)
