"""Recipes for allauth's forms: sign up, log in, reset and change the password, e-mail, re-authenticate.

The codes and links allauth mails are read from the test outbox, as a person
reads them from their mailbox.
"""

import re

from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from federation.models import User
from tests.browser.conftest import PASSWORD
from tests.browser.forms_kit import button_in, open_form, recipe, submit, success

ACCOUNT_RECIPES: dict = {}
MAIN = "main form[method=post]"
NEW_PASSWORD = "春风十里-2027"


def _last_mail_to(address: str) -> str:
    messages = [message for message in mail.outbox if address in message.to]
    assert messages, f"no mail to {address}"
    return messages[-1].body


@recipe(ACCOUNT_RECIPES, "account_signup", "anonymous", order=80)
def sign_up(page, world):
    open_form(page, world, "account_signup", reverse("account_signup"))
    page.fill(f"{MAIN} input[name=name]", "王小华")
    page.fill("input[name=email]", "wang.xiaohua@example.com")
    page.fill("input[name=password1]", NEW_PASSWORD)
    page.fill("input[name=password2]", NEW_PASSWORD)
    submit(page, button_in(page, MAIN), name="account_signup")
    assert User.objects.get(email="wang.xiaohua@example.com").name == "王小华"
    page.context.clear_cookies()  # as a visitor again for the next recipes


@recipe(ACCOUNT_RECIPES, "account_reset_password", "anonymous", order=85)
def reset_a_forgotten_password(page, world):
    email = world.users["member_a"].email
    open_form(page, world, "account_reset_password", reverse("account_reset_password"))
    page.fill("input[name=email]", email)
    submit(page, button_in(page, MAIN), name="account_reset_password")
    link = re.search(r"https?://\S+/password/reset/key/\S+", _last_mail_to(email)).group(0)
    page.goto(page.base_url + link[link.index("/accounts/") :])
    page.wait_for_load_state()
    page.fill("input[name=password1]", NEW_PASSWORD)
    page.fill("input[name=password2]", NEW_PASSWORD)
    submit(page, button_in(page, MAIN), name="account_reset_password_from_key")
    assert User.objects.get(email=email).check_password(NEW_PASSWORD)


@recipe(ACCOUNT_RECIPES, "account_login", "anonymous", order=95)
def log_in(page, world):
    open_form(page, world, "account_login", reverse("account_login"))
    page.fill("input[name=login]", world.users["admin_a"].email)
    page.fill("input[name=password]", PASSWORD)
    submit(page, button_in(page, MAIN), name="account_login")
    assert "/accounts/login/" not in page.url, page.url


@recipe(ACCOUNT_RECIPES, "account_email", "member_a")
def add_an_email_address(page, world):
    open_form(page, world, "account_email", reverse("account_email"))
    form = f"{MAIN}:has(button[name=action_add])"
    page.fill(f"{form} input[name=email]", "wang.work@example.com")
    submit(page, page.locator(f"{form} button[name=action_add]"), name="account_email")
    success(page)
    assert EmailAddress.objects.filter(email="wang.work@example.com").exists()


@recipe(ACCOUNT_RECIPES, "account_reauthenticate", "member_a")
def confirm_with_the_password(page, world):
    open_form(page, world, "account_reauthenticate", reverse("account_reauthenticate"))
    page.fill("input[name=password]", PASSWORD)
    submit(page, button_in(page, MAIN), name="account_reauthenticate")
    assert "/reauthenticate/" not in page.url, page.url


@recipe(ACCOUNT_RECIPES, "account_request_reauthentication_code", "member_a")
def confirm_with_a_mailed_code(page, world):
    path = reverse("account_request_reauthentication_code")
    open_form(page, world, "account_request_reauthentication_code", path)
    submit(page, button_in(page, MAIN), name="account_request_reauthentication_code")
    body = _last_mail_to(world.users["member_a"].email)
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", body, re.M)
    assert code, body
    page.fill(f"{MAIN} input[name=code]", code.group(1))
    submit(page, button_in(page, MAIN), name="account_confirm_reauthentication_code")
    assert "/reauthenticate/" not in page.url, page.url


@recipe(ACCOUNT_RECIPES, "account_change_password", "member_a", order=90)
def change_the_password(page, world):
    open_form(page, world, "account_change_password", reverse("account_change_password"))
    page.fill("input[name=oldpassword]", PASSWORD)
    page.fill("input[name=password1]", NEW_PASSWORD)
    page.fill("input[name=password2]", NEW_PASSWORD)
    submit(page, button_in(page, MAIN), name="account_change_password")
    success(page)
    assert User.objects.get(pk=world.users["member_a"].pk).check_password(NEW_PASSWORD)


@recipe(ACCOUNT_RECIPES, "federation:account-profile", "member_a")
def write_ones_name(page, world):
    open_form(page, world, "federation:account-profile")
    page.fill(f"{MAIN} input[name=name]", "王建华")
    submit(page, button_in(page, MAIN), name="federation:account-profile")
    assert "王建华" in success(page)
    assert User.objects.get(pk=world.users["member_a"].pk).name == "王建华"
