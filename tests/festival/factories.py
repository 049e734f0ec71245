import datetime
import shutil
import subprocess

import factory
import pytest

from festival.models import AwardType, Edition, HonourRound
from tests.events.factories import EventFactory, in_days

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="needs pdftotext and pdftoppm (poppler-utils)",
)


def pdf_text(pdf: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return done.stdout.decode("utf-8")


def first_page_ink(pdf: bytes, tmp_path) -> float:
    """Share of non-white pixels on the first page rendered by pdftoppm (0 = blank)."""
    from PIL import Image

    source = tmp_path / "doc.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", "-singlefile", str(source),
         str(tmp_path / "page")],
        check=True,
    )  # fmt: skip
    image = Image.open(tmp_path / "page.png").convert("L")
    pixels = image.tobytes()
    return sum(1 for value in pixels if value < 200) / len(pixels)


def festival_event(**kwargs):
    kwargs.setdefault("kind", "festival")
    kwargs.setdefault("capacity", None)
    return EventFactory(**kwargs)


def activity_of(festival, **kwargs):
    kwargs.setdefault("kind", "festival_activity")
    kwargs.setdefault("parent", festival)
    kwargs.setdefault("starts_at", in_days(10, 10))
    kwargs.setdefault("ends_at", kwargs["starts_at"] + datetime.timedelta(hours=2))
    return EventFactory(**kwargs)


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition

    number = factory.Sequence(lambda n: n + 1)
    year = factory.Sequence(lambda n: 2009 + n)
    theme = factory.Sequence(lambda n: f"公益节主题{n}")
    starts_on = factory.LazyAttribute(lambda o: datetime.date(o.year, 9, 5))
    ends_on = factory.LazyAttribute(lambda o: o.starts_on)


def award_type(code="BYXF", name="百益先锋", recipient=AwardType.Recipient.PERSON) -> AwardType:
    found, _made = AwardType.objects.get_or_create(
        code=code, defaults={"name": name, "recipient": recipient}
    )
    return found


def honour_round(award=None, year=2021, status=HonourRound.Status.OPEN) -> HonourRound:
    award = award or award_type()
    found, _made = HonourRound.objects.get_or_create(
        award_type=award, year=year, defaults={"title": f"{year}年度{award.name}", "status": status}
    )
    return found
