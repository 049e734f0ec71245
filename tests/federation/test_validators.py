import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from federation.pinyin import pinyin_full, pinyin_initials, pinyin_search_text, search_key
from federation.validators import mask_phone, normalise_phone, validate_logo, validate_phone


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("13812345678", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        ("0086 13812345678", "13812345678"),
        ("021-62345678", "021-62345678"),
        ("021 6234 5678", "021-62345678"),
        ("(021)62345678", "021-62345678"),
        ("+86 21 6234 5678", "021-62345678"),
    ],
)
def test_phones_are_normalised_and_valid(raw, normalised):
    assert normalise_phone(raw) == normalised
    validate_phone(raw)


@pytest.mark.parametrize("raw", ["12812345678", "1381234567", "010-62345678", "62345678", "abc"])
def test_other_numbers_are_refused(raw):
    with pytest.raises(ValidationError) as excinfo:
        validate_phone(raw)
    assert excinfo.value.code == "phone_invalid"


def test_phones_are_masked():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("021-62345678") == "021-****5678"
    assert mask_phone("") == ""


def _image(fmt="PNG", size=(10, 10)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format=fmt)
    return buffer.getvalue()


def test_a_small_png_logo_is_accepted():
    validate_logo(SimpleUploadedFile("logo.png", _image(), content_type="image/png"))


def test_a_non_image_logo_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        validate_logo(
            SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png")
        )
    assert excinfo.value.code == "logo_not_image"


def test_a_too_large_logo_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        validate_logo(SimpleUploadedFile("logo.png", b"0" * (1024 * 1024 + 1)))
    assert excinfo.value.code == "logo_too_large"
    with pytest.raises(ValidationError) as excinfo:
        validate_logo(SimpleUploadedFile("logo.png", _image(size=(2100, 10))))
    assert excinfo.value.code == "logo_too_large"


def test_pinyin_keys():
    assert pinyin_initials("静安社联") == "jasl"
    assert pinyin_full("静安社联") == "jinganshelian"
    assert pinyin_initials("SWS户外（虚构）") == "swshwxg"
    assert pinyin_search_text("上海市静安区社会组织联合会", "静安社联").split() == [
        "shsjaqshzzlhh",
        "shanghaishijinganqushehuizuzhilianhehui",
        "jasl",
        "jinganshelian",
    ]
    assert search_key(" JA SL ") == "jasl"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("１３９１２３４５６７８", "13912345678"),
        ("139１２３４５６７８", "13912345678"),  # mixed: never stored with full-width digits
        ("０２１－６２３４５６７８", "021-62345678"),
        ("＋８６\u3000１３９ １２３４ ５６７８", "13912345678"),
    ],
)
def test_full_width_phone_numbers_are_folded_before_validating(typed, stored):
    """Issue 11: \\d matched full-width digits, so mixed numbers were stored unfolded."""
    assert normalise_phone(typed) == stored
    validate_phone(typed)


def test_other_scripts_digits_are_still_refused():
    with pytest.raises(ValidationError):
        validate_phone("١٣٩١٢٣٤٥٦٧٨")  # Arabic-Indic digits: \d matched these too
