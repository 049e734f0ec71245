"""A new organisation's person on a phone: sign up, verify the e-mail, log in, be asked to apply."""

import re

import pytest
from django.core import mail

from tests.browser.conftest import PASSWORD, goto
from tests.browser.journey import check_page, visit

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_new_user_signs_up_verifies_and_is_asked_to_apply(phone):
    visit(phone, "/accounts/signup/", "new-user-1-signup")
    phone.fill("input[name=name]", "林小雨（虚构）")
    phone.fill("input[name=email]", "new.member@example.com")
    phone.fill("input[name=password1]", PASSWORD)
    phone.fill("input[name=password2]", PASSWORD)
    with phone.expect_navigation():
        phone.locator("main form button[type=submit]").last.click()
    check_page(phone, "new-user-2-verification-sent")
    assert "Email" not in phone.locator("main").inner_text()

    message = mail.outbox[-1]
    # Greeted by name in Chinese, signed with the federation's name (not the server's host).
    assert message.body.startswith("林小雨（虚构），您好"), message.body[:80]
    assert "上海市静安区社会组织联合会" in message.body
    assert "Hello" not in message.body and "localhost" not in message.body.split("\n")[0]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    goto(phone, "/" + link.split("/", 3)[3])
    check_page(phone, "new-user-3-confirm")
    with phone.expect_navigation():
        phone.locator("main form button[type=submit]").last.click()

    if "/accounts/login/" in phone.url:
        phone.fill("input[name=login]", "new.member@example.com")
        phone.fill("input[name=password]", PASSWORD)
        with phone.expect_navigation():
            phone.locator("main form button[type=submit]").last.click()
    assert phone.url.endswith("/my/"), phone.url
    check_page(phone, "new-user-4-my")
    apply = phone.get_by_role("link", name="申请入会")
    assert apply.is_visible()
    with phone.expect_navigation():
        apply.click()
    assert phone.url.endswith("/my/apply/")
    check_page(phone, "new-user-5-apply")
    for control in phone.locator("main form select, main form input[type=text]").all():
        classes = control.get_attribute("class") or ""
        assert "form-control" in classes or "form-select" in classes, classes
