import datetime
import io
from decimal import Decimal
from functools import partial

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from PIL import Image

from events.markup import render_markdown
from events.models import hours_between
from events.selectors import star_level
from events.validators import (
    COVER_MAX_BYTES,
    normalize_mobile,
    validate_cover_image,
    validate_mobile,
)
from federation.validators import mask_phone

from .factories import in_days, resolved


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
    assert mask_phone("13812341234") == "138****1234"


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


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"ends_at": partial(in_days, 10, 8)}, "ends_at", "ends_before_start"),
        ({"capacity": 0}, "capacity", "capacity_zero"),
        ({"per_organisation_limit": 0}, "per_organisation_limit", "organisation_limit_zero"),
        (
            {
                "registration_opens_at": partial(in_days, 5),
                "registration_closes_at": partial(in_days, 4),
            },
            "registration_closes_at",
            "window_order",
        ),
    ],
)
def test_event_create_refuses_what_the_constraints_forbid_on_the_field(change, field, code):
    from events import services
    from events.models import Event
    from tests.federation.factories import FederationStaffFactory

    fields = {
        "kind": Event.Kind.CARAVAN,
        "title": "月月·大篷车（测试）",
        "starts_at": in_days(10, 9),
        "ends_at": in_days(10, 12),
        **resolved(change),
    }
    with pytest.raises(ValidationError) as info:
        services.event_create(acting_user=FederationStaffFactory(), **fields)
    assert [e.code for e in info.value.error_dict[field]] == [code]
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_secretary_form_shows_an_end_before_the_start_on_the_end_field(client):
    from django.urls import reverse

    from events.models import Event
    from tests.alliances.factories import alliance, secretary_of

    client.force_login(secretary_of("owners"))
    response = client.post(
        reverse("events:secretary-event-create"),
        {
            "kind": "training",
            "alliance": alliance("owners").pk,
            "title": "业委会骨干培训",
            "starts_at": "2027-03-10T14:00",
            "ends_at": "2027-03-10T10:00",
            "audience": "members",
        },
    )
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["ends_at"]] == [
        "ends_before_start"
    ]
    assert not response.context["form"].non_field_errors()
    assert not Event.objects.exists()
