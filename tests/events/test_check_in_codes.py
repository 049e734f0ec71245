"""Short check-in codes (events.check_in_codes) and their generation in the registration service."""

import pytest
from django.db import IntegrityError, transaction

from events.check_in_codes import (
    CHECK_IN_CODE_ALPHABET,
    CHECK_IN_CODE_LENGTH,
    check_in_code_display,
    check_in_code_new,
    check_in_code_normalise,
)
from events.models import Registration
from events.services import registrations as registration_services

from .factories import EventFactory, RegistrationFactory, register


def test_new_codes_use_the_unambiguous_alphabet():
    assert not set("0O1I") & set(CHECK_IN_CODE_ALPHABET)
    for _ in range(200):
        code = check_in_code_new()
        assert len(code) == CHECK_IN_CODE_LENGTH and set(code) <= set(CHECK_IN_CODE_ALPHABET)


@pytest.mark.parametrize(
    "typed",
    [
        "K7PM3Q",
        "k7pm3q",
        "K7P-M3Q",
        " k7p m3q ",
        "k7p–m3q",
        "Ｋ７Ｐ－Ｍ３Ｑ",
        "ｋ７ｐ　ｍ３ｑ",
        "K7P_M3Q",
    ],
)
def test_typing_ignores_case_separators_and_full_width(typed):
    assert check_in_code_normalise(typed) == "K7PM3Q"


@pytest.mark.parametrize(
    "typed", ["", "K7PM3", "K7PM3QX", "K0PM3Q", "KIPM3Q", "周*（虚构）", "4321"]
)
def test_what_cannot_be_a_code_normalises_to_nothing(typed):
    assert check_in_code_normalise(typed) == ""


def test_display_in_two_groups():
    assert check_in_code_display("K7PM3Q") == "K7P-M3Q"


@pytest.mark.django_db
def test_every_registration_gets_a_code_unique_per_event(org_user):
    event = EventFactory()
    first, second = register(event, org_user), register(event, org_user)
    assert first.check_in_code and second.check_in_code != first.check_in_code
    assert check_in_code_normalise(first.check_in_code) == first.check_in_code
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(event=event, check_in_code=first.check_in_code)
    # Another event may hold the same code.
    assert RegistrationFactory(check_in_code=first.check_in_code).pk


@pytest.mark.django_db
def test_a_code_collision_runs_the_transaction_again_with_a_fresh_draw(org_user, monkeypatch):
    # No savepoint around the INSERT (the event lock is held): a clash rolls the whole
    # transaction back and the service runs again, until a draw is free.
    event = EventFactory()
    RegistrationFactory(event=event, check_in_code="AAAAAA")
    draws = iter(["AAAAAA", "AAAAAA", "BBBBBB"])
    monkeypatch.setattr(registration_services, "check_in_code_new", lambda: next(draws))
    registration = register(event, org_user)
    registration.refresh_from_db()
    assert registration.check_in_code == "BBBBBB"
    assert registration.status == "confirmed" and registration.seat == 2
    assert Registration.objects.filter(event=event).count() == 2


@pytest.mark.django_db
def test_endless_collisions_give_up_rather_than_loop(org_user, monkeypatch):
    event = EventFactory()
    RegistrationFactory(event=event, check_in_code="AAAAAA")
    monkeypatch.setattr(registration_services, "check_in_code_new", lambda: "AAAAAA")
    with pytest.raises(IntegrityError):
        register(event, org_user)
