"""The annual report's summary and the evidence pack as PDF, in Chinese.

reportlab's built-in CID font ``STSong-Light`` (as the catalogue's handbook):
no font file to ship, and the text layer holds real Chinese characters that a
reader can search and copy (the tests read it back with ``pdftotext``). Charts
are drawn with reportlab's own graphics from the same figures as the web page.
"""

import io
from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .registry import Chart, PanelData

CJK_FONT = "STSong-Light"
COLOURS = [colors.HexColor(c) for c in ("#1565c0", "#2e7d32", "#c62828", "#f9a825", "#6a1b9a")]
WIDTH = A4[0] - 36 * mm


def _register_fonts() -> None:
    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))


def _style(name: str, size: float, **kwargs) -> ParagraphStyle:
    return ParagraphStyle(
        name, fontName=CJK_FONT, fontSize=size, leading=size * 1.45, wordWrap="CJK", **kwargs
    )


STYLES = {
    "title": _style("title", 22, spaceAfter=4 * mm),
    "meta": _style("meta", 10, textColor=colors.HexColor("#444444")),
    "heading": _style(
        "heading", 15, spaceBefore=6 * mm, spaceAfter=2 * mm, textColor=colors.HexColor("#0b5394")
    ),
    "body": _style("body", 9.5),
    "cell": _style("cell", 8.5),
}


# STSong-Light draws U+00B7 (the middle dot of 月月·大篷车) without a text mapping:
# readers lose it and split the words. Its katakana twin U+30FB looks the same and is
# read back as U+00B7, so the text layer says exactly what the page shows.
_PDF_SAFE = str.maketrans({"\u00b7": "\u30fb"})


def _escape(value) -> str:
    return escape(str(value)).translate(_PDF_SAFE)


def _text(value) -> str:
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return str(value)


def _chart_drawing(chart: Chart) -> Drawing | None:
    if not chart.series or not chart.x_labels:
        return None
    data = [[float(value) for value in series.values] for series in chart.series]
    labels = [str(label).translate(_PDF_SAFE) for label in chart.x_labels]
    count = len(labels)
    if chart.kind == "hbar":
        # reportlab stacks categories bottom-up: reversed, the first one is on top as on the web.
        data, labels = [row[::-1] for row in data], labels[::-1]
    if chart.kind == "hbar":
        height = max(60, 16 * count * len(data)) + 30
        plot = HorizontalBarChart()
        plot.x, plot.y, plot.width, plot.height = 95, 25, WIDTH - 110, height - 35
    else:
        height = 170
        plot = HorizontalLineChart() if chart.kind == "line" else VerticalBarChart()
        plot.x, plot.y, plot.width, plot.height = 45, 40, WIDTH - 60, height - 55
    drawing = Drawing(WIDTH, height)
    plot.data = data
    plot.categoryAxis.categoryNames = labels
    plot.categoryAxis.labels.fontName = CJK_FONT
    plot.categoryAxis.labels.fontSize = 7
    plot.valueAxis.labels.fontName = CJK_FONT
    plot.valueAxis.labels.fontSize = 7
    plot.valueAxis.valueMin = 0
    if chart.kind == "stacked":
        plot.categoryAxis.style = "stacked"
    if chart.kind in ("bar", "stacked"):
        plot.categoryAxis.labels.angle = 30
        plot.categoryAxis.labels.boxAnchor = "ne"
    for index in range(len(data)):
        colour = COLOURS[index % len(COLOURS)]
        if chart.kind == "line":
            plot.lines[index].strokeColor = colour
            plot.lines[index].strokeWidth = 1.5
        else:
            plot.bars[index].fillColor = colour
    drawing.add(plot)
    if len(chart.series) > 1:
        legend = Legend()
        legend.x, legend.y = WIDTH - 150, height - 4
        legend.fontName, legend.fontSize = CJK_FONT, 8
        legend.alignment = "right"
        legend.columnMaximum = 1
        legend.colorNamePairs = [
            (COLOURS[i % len(COLOURS)], str(series.name).translate(_PDF_SAFE))
            for i, series in enumerate(chart.series)
        ]
        drawing.add(legend)
    return drawing


def _table(data: PanelData) -> Table:
    header = [Paragraph(_escape(str(column)), STYLES["cell"]) for column in data.columns]
    body = [
        [Paragraph(_escape(_text(cell.value)), STYLES["cell"]) for cell in row] for row in data.rows
    ]
    table = Table([header, *body], repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#999999")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _section(title: str, data: PanelData, *, with_chart: bool) -> list:
    flowables = [Paragraph(_escape(str(title)), STYLES["heading"])]
    if data.figures:
        line = "；".join(f"{figure.label}：{_text(figure.value)}" for figure in data.figures)
        flowables.append(Paragraph(_escape(line), STYLES["body"]))
    if data.note:
        flowables.append(Paragraph(_escape(str(data.note)), STYLES["meta"]))
    drawing = _chart_drawing(data.chart) if with_chart and data.chart else None
    if drawing is not None:
        flowables += [Spacer(1, 2 * mm), drawing]
    if data.rows:
        flowables += [Spacer(1, 2 * mm), _table(data)]
    return [KeepTogether(flowables[:3]), *flowables[3:]]


def pdf_bytes(*, title: str, meta: list[tuple[str, str]], sections, with_charts: bool = True):
    """A4 PDF: the title, ``meta`` lines, then each ``(title, PanelData)`` section."""
    _register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=title,
        author="益路 Yilu",
    )
    story = [Paragraph(_escape(title), STYLES["title"])]
    for label, value in meta:
        story.append(Paragraph(_escape(f"{label}：{value}"), STYLES["meta"]))
    for section_title, data in sections:
        story += _section(section_title, data, with_chart=with_charts)
    document.build(story)
    return buffer.getvalue()
