"""The honour certificate (光荣证) PDF: name, award, year, number and a QR to verify.

One landscape A4 page in the CID font of :mod:`core.pdf`, so the text layer
holds the recipient's name and the number (checked with ``pdftotext``).
"""

import io
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core.links import absolute_url
from core.pdf import cjk_style, cjk_text, qr_image, register_cjk_font

from .models import Award

RED = colors.HexColor("#b22222")
GOLD = colors.HexColor("#c9a227")
STYLES = {
    "heading": cjk_style("heading", 40, alignment=TA_CENTER, textColor=RED, spaceAfter=10 * mm),
    "name": cjk_style("name", 30, alignment=TA_CENTER, spaceAfter=6 * mm),
    "body": cjk_style("body", 16, alignment=TA_CENTER, spaceAfter=4 * mm),
    "issuer": cjk_style("issuer", 14, alignment=TA_CENTER),
    "small": cjk_style("small", 9, alignment=TA_CENTER, textColor=colors.HexColor("#444444")),
}


def _frame(canvas, document) -> None:
    canvas.saveState()
    width, height = landscape(A4)
    canvas.setStrokeColor(RED)
    canvas.setLineWidth(3)
    canvas.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(1)
    canvas.rect(14 * mm, 14 * mm, width - 28 * mm, height - 28 * mm)
    canvas.restoreState()


def _p(text: str, style: str) -> Paragraph:
    return Paragraph(escape(cjk_text(text)), STYLES[style])


def _story(award: Award, url: str) -> list:
    footer = Table(
        [
            [
                [
                    _p(str(settings.YILU_SITE_NAME), "issuer"),
                    _p(award.awarded_on.isoformat(), "issuer"),
                ],
                [qr_image(url, size=26 * mm), _p(_("Scan to verify"), "small")],
            ]
        ],
        colWidths=[None, 34 * mm],
    )
    footer.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return [
        _p(_("Certificate of Honour"), "heading"),
        _p(award.recipient_name, "name"),
        _p(
            _("was named %(award)s of %(year)s at the Jing'an annual charity festival.")
            % {"award": award.award_type.name, "year": award.year},
            "body",
        ),
        _p(_("In recognition of outstanding public-welfare service."), "body"),
        Spacer(1, 8 * mm),
        footer,
        Spacer(1, 4 * mm),
        _p(_("No. %(number)s · verify at %(url)s") % {"number": award.number, "url": url}, "small"),
    ]


def honour_certificate_pdf(award: Award) -> bytes:
    register_cjk_font()
    url = absolute_url(award.get_verify_url())
    with translation.override("zh-hans"):
        buffer = io.BytesIO()
        document = SimpleDocTemplate(
            buffer,
            pagesize=landscape(A4),
            leftMargin=24 * mm,
            rightMargin=24 * mm,
            topMargin=26 * mm,
            bottomMargin=18 * mm,
            title=_("Certificate of Honour") + " " + award.number,
            author=str(settings.YILU_SITE_NAME),
            invariant=1,
        )
        document.build(_story(award, url), onFirstPage=_frame)
    return buffer.getvalue()
