import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from PIL import Image

from events.markup import render_markdown
from events.models import hours_between, mask_mobile
from events.selectors import star_level
from events.validators import (
    COVER_MAX_BYTES,
    normalize_mobile,
    validate_cover_image,
    validate_mobile,
)

from .factories import in_days


def _image(fmt: str = "PNG", size=(40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format=fmt)
    return SimpleUploadedFile(f"cover.{fmt.lower()}", buffer.getvalue())


def _code(file) -> str:
    with pytest.raises(ValidationError) as info:
        validate_cover_image(file)
    return info.value.code


def test_cover_image_accepts_jpeg_png_webp():
    for fmt in ("PNG", "JPEG", "WEBP"):
        validate_cover_image(_image(fmt))


def test_cover_image_refuses_non_images_other_formats_and_big_files():
    assert _code(SimpleUploadedFile("x.png", b"<?php echo 1; ?>")) == "image_invalid"
    assert _code(_image("GIF")) == "image_invalid"
    big = SimpleUploadedFile("big.png", b"\0" * (COVER_MAX_BYTES + 1))
    assert _code(big) == "image_too_large"
    assert _code(_image("PNG", size=(6001, 10))) == "image_too_big"


def test_mobile_normalisation_and_validation():
    assert normalize_mobile("+86 138-0013-8000") == "13800138000"
    assert normalize_mobile("0086 13800138000") == "13800138000"
    validate_mobile("13800138000")
    for bad in ("12800138000", "1380013800", "021-12345678"):
        with pytest.raises(ValidationError):
            validate_mobile(normalize_mobile(bad))
    assert mask_mobile("13812341234") == "138****1234"


def test_markdown_is_rendered_and_sanitised():
    html = render_markdown(
        "## 议程\n\n- 血压检测\n- 法律咨询\n\n<iframe src='x'></iframe>"
        "<a href='https://example.com' onclick='x()'>链接</a>"
    )
    assert "<h2>议程</h2>" in html and "<li>血压检测</li>" in html
    assert "iframe" not in html and "onclick" not in html
    assert 'href="https://example.com"' in html and 'rel="noopener noreferrer nofollow"' in html
    rendered = Template("{% load events_tags %}{{ text|markdown }}").render(
        Context({"text": "<script>x</script>**b**"})
    )
    assert "<script>" not in rendered and "<strong>b</strong>" in rendered


def test_star_levels_follow_shanghai_thresholds():
    assert [star_level(Decimal(h)) for h in ("0", "99.99", "100", "299", "300", "600")] == [
        0,
        0,
        1,
        1,
        2,
        3,
    ]
    assert star_level(None) == 0


def test_hours_between_rounds_to_two_places():
    start = in_days(1, 9)
    assert hours_between(start, in_days(1, 12)) == Decimal("3.00")
    assert hours_between(start, start + datetime.timedelta(minutes=100)) == Decimal("1.67")
