import pytest
from django.core.exceptions import ValidationError

from federation.creditcode import (
    check_credit_code,
    credit_code_category_matches,
    credit_code_check_character,
    credit_code_has_warning,
    make_credit_code,
    normalise_credit_code,
    organisation_code_check_character,
    validate_credit_code,
)

# DOMAIN.md §6: checked real examples and the fictitious demo codes.
VALID = [
    "53100000500019795A",
    "91350100M000100Y43",
    "51310106MJ00000189",
    "52310106MJ00000261",
    "52310106MJ0000034U",
    "51310108MJ0000042N",
    "53310000MJ0000050J",
]


@pytest.mark.parametrize("code", VALID)
def test_domain_examples_pass_both_checks(code):
    result = check_credit_code(code)
    assert result.is_valid
    assert result.warnings == []
    validate_credit_code(code)


def test_worked_example_weighted_sum_is_1640():
    from federation.creditcode import VALUES, WEIGHTS

    code = "91350100M000100Y43"
    assert WEIGHTS == [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    assert sum(VALUES[c] * w for c, w in zip(code[:17], WEIGHTS, strict=True)) == 1640
    assert credit_code_check_character(code[:17]) == "3"


def test_the_standards_misprint_fails_with_a_checksum_error():
    result = check_credit_code("91350100M000100Y4Z")
    assert [error.code for error in result.errors] == ["credit_code_checksum"]
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code("91350100M000100Y4Z")
    assert excinfo.value.code == "credit_code_checksum"


def test_a_wrong_last_character_is_an_error():
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code("51310106MJ00000188")
    assert excinfo.value.code == "credit_code_checksum"


def test_lower_case_is_normalised_and_valid():
    assert normalise_credit_code("91350100m000100y43") == "91350100M000100Y43"
    assert check_credit_code("52310106mj0000034u").is_valid


def test_spaces_hyphens_and_full_width_characters_are_removed():
    assert normalise_credit_code(" 5131 0106-MJ00 000189 ") == "51310106MJ00000189"
    assert normalise_credit_code("５１３１０１０６ＭＪ０００００１８９") == "51310106MJ00000189"
    assert normalise_credit_code("5131\u30000106MJ00000189") == "51310106MJ00000189"
    assert check_credit_code("5131 0106 MJ00 0001 89").is_valid


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z"])
def test_letters_outside_the_alphabet_are_refused(letter):
    code = "51310106M" + letter + "00000189"
    result = check_credit_code(code)
    assert [error.code for error in result.errors] == ["credit_code_characters"]


@pytest.mark.parametrize("value", ["5131010600000189", "51310106MJ000001890", "abc"])
def test_wrong_length_is_refused(value):
    assert [e.code for e in check_credit_code(value).errors] == ["credit_code_length"]


def test_empty_code_is_allowed_by_the_validator():
    validate_credit_code("")


def test_position_17_failure_is_only_a_warning():
    # Same organisation-code body as 51310106MJ00000189 with a wrong 17th
    # character (7 instead of 8) and a recomputed, correct 18th character.
    first17 = "51310106MJ0000017"
    code = first17 + credit_code_check_character(first17)
    assert organisation_code_check_character("MJ000001") == "8"
    result = check_credit_code(code)
    assert result.is_valid
    assert [warning.code for warning in result.warnings] == ["credit_code_check_warning"]
    validate_credit_code(code)  # the field validator lets it through
    assert credit_code_has_warning(code)
    assert not credit_code_has_warning("51310106MJ00000189")


def test_organisation_code_check_gives_x_and_zero():
    # r = 11 - sum mod 11; 10 -> X, 11 -> 0
    for body in ["MJ000003", "MJ000010", "00000000"]:
        check = organisation_code_check_character(body)
        assert check in "0123456789X"
    assert organisation_code_check_character("00000000") == "0"


def test_make_credit_code_builds_codes_that_pass_both_checks():
    for serial in range(1, 60):
        code = make_credit_code(f"52310106MJ{serial:06d}")
        result = check_credit_code(code)
        assert result.is_valid and not result.warnings, code
    assert make_credit_code("51310106MJ000001") == "51310106MJ00000189"


def test_category_must_match_the_legal_form():
    assert credit_code_category_matches("51310106MJ00000189", "social_group")
    assert not credit_code_category_matches("51310106MJ00000189", "foundation")
    assert credit_code_category_matches("91350100M000100Y43", "foundation")  # not civil affairs
    assert credit_code_category_matches("51310106MJ00000189", "other")
