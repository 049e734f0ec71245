"""The 志愿服务记录证明 PDF: frozen lines, issuer, person in charge, handler, QR.

Text in the CID font of :mod:`core.pdf`, so the text layer holds the
volunteer's name and the number (checked with ``pdftotext`` in the tests).
"""

import io
from xml.sax.saxutils import escape

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core.links import absolute_url
from core.pdf import cjk_style, cjk_text, qr_image, register_cjk_font

from .models import ServiceCertificate

STYLES = {
    "title": cjk_style("title", 22, alignment=TA_CENTER, spaceAfter=4 * mm),
    "number": cjk_style("number", 10, alignment=TA_CENTER, spaceAfter=6 * mm),
    "body": cjk_style("body", 11, spaceAfter=2 * mm),
    "cell": cjk_style("cell", 9.5),
    "small": cjk_style("small", 8.5, textColor=colors.HexColor("#444444")),
}


def verify_url(number: str) -> str:
    return absolute_url(reverse("volunteers:verify", kwargs={"number": number}))


def _p(text: str, style: str = "body") -> Paragraph:
    return Paragraph(escape(cjk_text(text)), STYLES[style])


def _lines_table(certificate: ServiceCertificate) -> Table:
    rows = [
        [
            _p(_("Date"), "cell"),
            _p(_("Activity"), "cell"),
            _p(_("Recorded by"), "cell"),
            _p(_("Hours"), "cell"),
        ]
    ]
    for line in certificate.lines:
        rows.append(
            [
                _p(line["date"], "cell"),
                _p(line["activity"], "cell"),
                _p(line["organisation"], "cell"),
                _p(line["hours"], "cell"),
            ]
        )
    rows.append(["", _p(_("Total"), "cell"), "", _p(str(certificate.total_hours), "cell")])
    table = Table(rows, colWidths=[24 * mm, 76 * mm, 50 * mm, 20 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _story(certificate: ServiceCertificate) -> list:
    intro = _(
        "This is to certify that volunteer %(name)s served %(hours)s hours in the activities "
        "below between %(start)s and %(end)s, as recorded by the issuer. Hours are time "
        "actually served, excluding travel."
    ) % {
        "name": certificate.volunteer_name,
        "hours": certificate.total_hours,
        "start": certificate.period_from.isoformat(),
        "end": certificate.period_to.isoformat(),
    }
    issuer = Table(
        [
            [
                [
                    _p(_("Issuer: %(name)s") % {"name": certificate.issuer_name}),
                    _p(_("Person in charge: %(name)s") % {"name": certificate.person_in_charge}),
                    _p(_("Handler: %(name)s") % {"name": certificate.handler}),
                    _p(_("Contact: %(contact)s") % {"contact": certificate.contact}),
                    _p(_("Issued on %(date)s") % {"date": certificate.issued_on.isoformat()}),
                ],
                [qr_image(verify_url(certificate.number)), _p(_("Scan to verify"), "small")],
            ]
        ],
        colWidths=[None, 34 * mm],
    )
    issuer.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [
        _p(_("Volunteer service record certificate"), "title"),
        _p(_("No. %(number)s") % {"number": certificate.number}, "number"),
        _p(intro),
        Spacer(1, 3 * mm),
        _lines_table(certificate),
        Spacer(1, 8 * mm),
        issuer,
        Spacer(1, 4 * mm),
        _p(
            _(
                "Issued free of charge under art. 19 of the Regulations on Volunteer Service. "
                "Verify at %(url)s"
            )
            % {"url": verify_url(certificate.number)},
            "small",
        ),
    ]


def service_certificate_pdf(certificate: ServiceCertificate) -> bytes:
    register_cjk_font()
    with translation.override("zh-hans"):
        buffer = io.BytesIO()
        document = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=20 * mm,
            rightMargin=20 * mm,
            topMargin=22 * mm,
            bottomMargin=20 * mm,
            title=_("Volunteer service record certificate") + " " + certificate.number,
            author=str(settings.YILU_SITE_NAME),
            invariant=1,
        )
        document.build(_story(certificate))
    return buffer.getvalue()
