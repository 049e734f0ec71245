"""The acknowledgement letter (感谢信) as a PDF: numbered, and plainly not a tax receipt."""

import io

from django.conf import settings
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from .models import AcknowledgementLetter
from .money import format_yuan

CJK_FONT = "STSong-Light"  # built into reportlab: no font file to ship
LATIN_FONT = "Helvetica"
NOT_A_RECEIPT_EN = (
    "This letter is not an official donation receipt and cannot be used for tax deduction."
)


def _register_fonts() -> None:
    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))


def _wrap(text: str, width: int) -> list[str]:
    """Split Chinese text into lines of ``width`` characters (no spaces to break at)."""
    return [text[i : i + width] for i in range(0, len(text), width)] or [""]


def letter_pdf(letter: AcknowledgementLetter) -> bytes:
    """Render ``letter``; the text is Chinese, the number and disclaimer also in Latin script."""
    _register_fonts()
    buffer = io.BytesIO()
    # Uncompressed: letters are small, and the number stays searchable in the file.
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=0, invariant=1)
    pdf.setTitle(f"感谢信 {letter.number}")
    pdf.setAuthor(str(settings.YILU_SITE_NAME))
    width, height = A4
    left = 25 * mm
    y = height - 30 * mm

    pdf.setFont(CJK_FONT, 22)
    pdf.drawCentredString(width / 2, y, "感 谢 信")
    y -= 10 * mm
    pdf.setFont(LATIN_FONT, 10)
    pdf.drawRightString(width - left, y, f"No. {letter.number}")
    y -= 14 * mm

    fund = letter.fund
    body = [
        f"尊敬的{letter.recipient_name}：",
        "",
        *_wrap(
            f"衷心感谢您于{letter.gift_on:%Y年%m月%d日}向{fund.name_zh}"
            f"捐赠{format_yuan(letter.amount)}（{letter.gift_description}）。"
            f"您的善款将用于支持静安区社会组织一线青年工作人员、志愿者的成长和公益项目的开展。"
            f"{fund.name_zh}设立于{fund.custodian or '慈善基金会'}，资金使用情况定期公开。",
            34,
        ),
        "",
        *_wrap("让春芽成长，让公益绽放。再次感谢您的爱心与支持！", 34),
    ]
    pdf.setFont(CJK_FONT, 13)
    for line in body:
        pdf.drawString(left, y, line)
        y -= 8 * mm

    y -= 10 * mm
    pdf.drawRightString(width - left, y, "上海市静安区社会组织联合会")
    y -= 8 * mm
    pdf.drawRightString(width - left, y, f"{fund.name_zh}")
    y -= 8 * mm
    pdf.drawRightString(width - left, y, f"{letter.issued_on:%Y年%m月%d日}")

    # The disclaimer, boxed at the foot of the page, in both languages.
    box_y = 30 * mm
    pdf.rect(left, box_y - 6 * mm, width - 2 * left, 20 * mm)
    pdf.setFont(CJK_FONT, 10)
    pdf.drawString(
        left + 4 * mm,
        box_y + 7 * mm,
        "本感谢信不是公益事业捐赠票据，不能作为税前扣除凭证。",
    )
    pdf.drawString(
        left + 4 * mm,
        box_y + 1 * mm,
        f"正式捐赠票据由{fund.custodian or '托管基金会'}依法开具。",
    )
    pdf.setFont(LATIN_FONT, 8)
    pdf.drawString(left + 4 * mm, box_y - 4 * mm, NOT_A_RECEIPT_EN)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
