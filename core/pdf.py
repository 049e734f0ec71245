"""Shared pieces of the portal's PDFs: a CJK font with a real text layer, QR codes.

reportlab's built-in CID font ``STSong-Light`` needs no font file: the PDF
names the font and the reader supplies glyphs (poppler maps it to Noto CJK),
while the text layer holds real Unicode Chinese that can be searched, copied
and extracted (``pdftotext``). The catalogue's handbook uses the same font.
"""

import io

import segno
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Image

CJK_FONT = "STSong-Light"


# Characters the CID font has no glyph for under their usual code point, and the
# code point its CMap does map to the same glyph (GB 2312 0xA1A4 is U+30FB there).
_GLYPH_SUBSTITUTES = str.maketrans({"\u00b7": "\u30fb"})


def cjk_text(text: str) -> str:
    """Text safe for the CID font: a middle dot (月月·大篷车) would print as a box."""
    return text.translate(_GLYPH_SUBSTITUTES)


def register_cjk_font() -> str:
    """Register the CID font once; returns its name."""
    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    return CJK_FONT


def cjk_style(name: str, size: float, **kwargs) -> ParagraphStyle:
    """A paragraph style in the CJK font, wrapping between Chinese characters."""
    return ParagraphStyle(
        name, fontName=CJK_FONT, fontSize=size, leading=size * 1.45, wordWrap="CJK", **kwargs
    )


def qr_image(url: str, *, size: float = 28 * mm) -> Image:
    """A QR code of ``url`` as a platypus image ``size`` wide."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=4, border=2)
    buffer.seek(0)
    return Image(buffer, width=size, height=size)
