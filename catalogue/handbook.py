"""The year's 《百益宝藏》 handbook: a PDF grouped by field, and the same list as ``.xlsx``.

The PDF uses reportlab's built-in CID font ``STSong-Light`` (no font file to
ship), so its text layer holds real Chinese characters a reader can search
and copy. Headings of the twelve fields feed a table of contents with page
numbers (``multiBuild`` lays the document out until the numbers settle).
Each offering carries its provider, its contact line as the organisation
allows it to be shown, and a QR code to its page on the portal.
"""

import io
from xml.sax.saxutils import escape

import segno
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from core.links import absolute_url
from core.spreadsheets import xlsx_table
from federation.models import ServiceField

from .models import ServiceOffering
from .selectors import offering_list_for_handbook

CJK_FONT = "STSong-Light"  # built into reportlab: correct text layer, no font file
QR_SIZE = 24 * mm


def _register_fonts() -> None:
    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))


def _style(name: str, size: float, **kwargs) -> ParagraphStyle:
    return ParagraphStyle(
        name, fontName=CJK_FONT, fontSize=size, leading=size * 1.45, wordWrap="CJK", **kwargs
    )


STYLES = {
    "cover": _style("cover", 30, alignment=TA_CENTER, spaceAfter=12 * mm),
    "subtitle": _style("subtitle", 14, alignment=TA_CENTER, spaceAfter=4 * mm),
    "toc_title": _style("toc_title", 20, spaceAfter=6 * mm),
    "field": _style("field", 20, spaceAfter=5 * mm, textColor=colors.HexColor("#0b5394")),
    "title": _style("title", 13, spaceAfter=1 * mm),
    "body": _style("body", 9.5),
    "meta": _style("meta", 9, textColor=colors.HexColor("#444444")),
}
TOC_STYLES = [_style("toc0", 12, leftIndent=0, firstLineIndent=0)]


class FieldHeading(Paragraph):
    """A field's heading: an entry in the table of contents and a PDF bookmark."""

    def __init__(self, text: str, key: str):
        super().__init__(escape(text), STYLES["field"])
        self.bookmark_key = key


class _HandbookDocument(SimpleDocTemplate):
    def afterFlowable(self, flowable):
        if isinstance(flowable, FieldHeading):
            text = flowable.getPlainText()
            self.canv.bookmarkPage(flowable.bookmark_key)
            self.canv.addOutlineEntry(text, flowable.bookmark_key, level=0)
            self.notify("TOCEntry", (0, text, self.page, flowable.bookmark_key))


def _page_number(canvas, document) -> None:
    canvas.saveState()
    canvas.setFont(CJK_FONT, 9)
    canvas.drawCentredString(A4[0] / 2, 12 * mm, f"— {document.page} —")
    canvas.restoreState()


def _qr_image(url: str) -> Image:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=4, border=2)
    buffer.seek(0)
    return Image(buffer, width=QR_SIZE, height=QR_SIZE)


def contact_line(offering: ServiceOffering) -> str:
    """Provider and contact as the organisation allows them to be shown."""
    contact = offering.public_contact()
    parts = [part for part in (contact["person"], contact["phone"], contact["email"]) if part]
    return "　".join(parts)


def _meta(label: str, value: str) -> Paragraph | None:
    if not value:
        return None
    return Paragraph(f"{escape(label)}：{escape(value)}", STYLES["meta"])


def _offering_block(offering: ServiceOffering) -> KeepTogether:
    url = absolute_url(offering.get_absolute_url())
    capacity = (
        _("%(count)s people per session") % {"count": offering.capacity}
        if offering.capacity
        else ""
    )
    lines = [
        Paragraph(escape(offering.title), STYLES["title"]),
        Paragraph(escape(offering.summary), STYLES["body"]),
        _meta(_("Provider"), offering.organisation.name),
        _meta(_("Audience"), offering.audience),
        _meta(_("Where"), offering.location),
        _meta(_("When"), offering.availability),
        _meta(_("Capacity"), capacity),
        _meta(_("How to book"), offering.booking),
        _meta(_("Contact"), contact_line(offering)),
    ]
    text = [line for line in lines if line is not None]
    table = Table([[text, _qr_image(url)]], colWidths=[None, QR_SIZE + 4 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#cccccc")),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4 * mm),
                ("TOPPADDING", (0, 0), (-1, -1), 3 * mm),
                ("LEFTPADDING", (0, 0), (0, -1), 0),
            ]
        )
    )
    return KeepTogether([table])


def _story(offerings: list[ServiceOffering], fields: list[ServiceField], year: int) -> list:
    story = [
        Spacer(1, 60 * mm),
        Paragraph(escape(_("%(year)s handbook 《百益宝藏》") % {"year": year}), STYLES["cover"]),
        Paragraph(
            escape(_("Public-welfare experience services of our members")), STYLES["subtitle"]
        ),
        Paragraph(escape(str(settings.YILU_SITE_NAME)), STYLES["subtitle"]),
        Paragraph(
            escape(
                _("%(count)s services in %(fields)s fields")
                % {"count": len(offerings), "fields": len(fields)}
            ),
            STYLES["subtitle"],
        ),
        PageBreak(),
        Paragraph(escape(_("Contents")), STYLES["toc_title"]),
    ]
    toc = TableOfContents()
    toc.levelStyles = TOC_STYLES
    story.append(toc)
    by_field: dict[int, list[ServiceOffering]] = {}
    for offering in offerings:
        by_field.setdefault(offering.field_id, []).append(offering)
    for service_field in fields:
        story.append(PageBreak())
        story.append(FieldHeading(service_field.name_zh, f"field-{service_field.code}"))
        found = by_field.get(service_field.pk, [])
        if not found:
            story.append(Paragraph(escape(_("No service in this field yet.")), STYLES["body"]))
        story.extend(_offering_block(offering) for offering in found)
    return story


def handbook_pdf(*, year: int | None = None) -> bytes:
    """The handbook of today's public catalogue, in Chinese."""
    _register_fonts()
    year = year or timezone.localdate().year
    with translation.override("zh-hans"):
        offerings = offering_list_for_handbook()
        fields = list(ServiceField.objects.order_by("position", "code"))
        buffer = io.BytesIO()
        document = _HandbookDocument(
            buffer,
            pagesize=A4,
            leftMargin=18 * mm,
            rightMargin=18 * mm,
            topMargin=18 * mm,
            bottomMargin=20 * mm,
            title=_("%(year)s handbook 《百益宝藏》") % {"year": year},
            author=str(settings.YILU_SITE_NAME),
            invariant=1,
        )
        document.multiBuild(
            _story(offerings, fields, year), onFirstPage=_page_number, onLaterPages=_page_number
        )
    return buffer.getvalue()


HANDBOOK_COLUMNS = [
    # header (translated), value
    (lambda: _("Service field"), lambda o: o.field.name),
    (lambda: _("Title"), lambda o: o.title),
    (lambda: _("Provider"), lambda o: o.organisation.name),
    (lambda: _("Summary"), lambda o: o.summary),
    (lambda: _("Audience"), lambda o: o.audience),
    (lambda: _("Where"), lambda o: o.location),
    (lambda: _("When"), lambda o: o.availability),
    (lambda: _("Capacity"), lambda o: o.capacity),
    (lambda: _("How to book"), lambda o: o.booking),
    (lambda: _("Contact"), contact_line),
    (lambda: _("Link"), lambda o: absolute_url(o.get_absolute_url())),
]


def handbook_xlsx() -> bytes:
    """The handbook's list as a spreadsheet; text cells formula-escaped."""
    return xlsx_table(
        title=_("Handbook"),
        header=[header() for header, _value in HANDBOOK_COLUMNS],
        rows=(
            [value(offering) for _header, value in HANDBOOK_COLUMNS]
            for offering in offering_list_for_handbook()
        ),
    )
