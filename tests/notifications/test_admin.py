"""Back office: the outbox with filters, resending failed messages, per-rule counts."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from notifications.models import Message, ReminderRule
from notifications.selectors import reminder_rule_list_with_counts
from notifications.services import message_resend
from tests.federation.factories import StaffFactory, UserFactory
from tests.notifications.factories import enqueue

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    admin = StaffFactory(is_superuser=True)
    client.force_login(admin)
    return client


def failed_message(**kwargs) -> Message:
    message = enqueue(email="v@example.com", **kwargs)
    Message.objects.filter(pk=message.pk).update(
        state=Message.State.FAILED, attempts=5, last_error="SMTPServerDisconnected: gone"
    )
    message.refresh_from_db()
    return message


def test_outbox_changelist_filters_by_state_kind_and_recipient(ordinary_day, staff_client):
    user = UserFactory(email="filtered.person@example.com")
    enqueue(recipient=user, dedupe_key="a", due_at=timezone.now() + datetime.timedelta(days=1))
    failed_message(dedupe_key="b")
    url = reverse("admin:notifications_message_changelist")
    assert staff_client.get(url).status_code == 200
    failed = staff_client.get(url, {"state__exact": "failed"})
    assert list(failed.context["cl"].result_list) == [Message.objects.get(dedupe_key="b")]
    by_kind = staff_client.get(url, {"kind__exact": "event_starts"})
    assert by_kind.context["cl"].result_count == 2
    by_recipient = staff_client.get(url, {"recipient__id__exact": user.pk})
    assert by_recipient.context["cl"].result_count == 1
    # The recipient's address in the list is the link to that filter.
    assert f'href="?recipient__id__exact={user.pk}"' in staff_client.get(url).content.decode()
    searched = staff_client.get(url, {"q": "filtered.person"})
    assert searched.context["cl"].result_count == 1
    detail = staff_client.get(
        reverse("admin:notifications_message_change", args=[Message.objects.get(dedupe_key="b").pk])
    )
    assert detail.status_code == 200


def test_resend_action_sends_a_failed_message_again(
    staff_client, django_capture_on_commit_callbacks
):
    message = failed_message(dedupe_key="f")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:notifications_message_changelist"),
            {"action": "resend_failed", "_selected_action": [message.pk]},
        )
    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.state, message.attempts, message.last_error) == (Message.State.SENT, 1, "")
    assert len(mail.outbox) == 1


def test_resend_refuses_a_message_that_did_not_fail():
    staff = StaffFactory()
    message = enqueue(email="v@example.com", dedupe_key="p")
    with pytest.raises(ValidationError) as error:
        message_resend(message=message, acting_user=staff)
    assert error.value.code == "not_failed"


def test_resend_refuses_a_reminder_past_its_moment(ordinary_day):
    staff = StaffFactory()
    message = failed_message(
        dedupe_key="late", expires_at=timezone.now() - datetime.timedelta(hours=1)
    )
    with pytest.raises(ValidationError) as error:
        message_resend(message=message, acting_user=staff)
    assert error.value.code == "too_late"


def _messages_for(rule: ReminderRule, count: int, state: str, *, days_ago: int = 1):
    for i in range(count):
        message = enqueue(
            email="v@example.com", dedupe_key=f"{rule.pk}:{state}:{days_ago}:{i}", rule=rule
        )
        Message.objects.filter(pk=message.pk).update(
            state=state, created_at=timezone.now() - datetime.timedelta(days=days_ago)
        )


def test_rule_list_counts_the_last_30_days_per_rule(ordinary_day, staff_client):
    three_days, one_day = ReminderRule.objects.filter(subject="event_starts").order_by(
        "-offset_days"
    )
    _messages_for(three_days, 3, Message.State.SENT)
    _messages_for(three_days, 1, Message.State.FAILED)
    _messages_for(three_days, 2, Message.State.SENT, days_ago=45)  # too old
    _messages_for(one_day, 2, Message.State.SKIPPED)
    rules = {
        rule.pk: rule
        for rule in reminder_rule_list_with_counts(
            since=timezone.now() - datetime.timedelta(days=30)
        )
    }
    assert (rules[three_days.pk].sent_count, rules[three_days.pk].failed_count) == (3, 1)
    assert (rules[one_day.pk].sent_count, rules[one_day.pk].skipped_count) == (0, 2)
    response = staff_client.get(reverse("admin:notifications_reminderrule_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("per_rule", [2, 20])
def test_rule_list_counts_in_one_query(ordinary_day, per_rule, django_assert_max_num_queries):
    for rule in ReminderRule.objects.all():
        _messages_for(rule, per_rule, Message.State.SENT)
    with django_assert_max_num_queries(1):
        rules = list(
            reminder_rule_list_with_counts(since=timezone.now() - datetime.timedelta(days=30))
        )
    assert {rule.sent_count for rule in rules} == {per_rule}


def test_rule_edit_refuses_a_missing_template(staff_client):
    rule = ReminderRule.objects.get(subject="event_starts", offset_days=3)
    url = reverse("admin:notifications_reminderrule_change", args=[rule.pk])
    response = staff_client.post(
        url,
        {
            "subject": "event_starts",
            "offset_days": 4,
            "time_of_day": "08:30",
            "is_active": "on",
            "template": "notifications/email/nope",
        },
    )
    assert response.status_code == 200
    assert "template" in response.context["adminform"].form.errors
    response = staff_client.post(
        url,
        {
            "subject": "event_starts",
            "offset_days": 4,
            "time_of_day": "08:30",
            "is_active": "on",
            "template": "events/email/event_starts",
        },
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.offset_days, rule.time_of_day) == (4, datetime.time(8, 30))


def test_rule_edit_offers_and_accepts_only_registered_subjects(staff_client):
    url = reverse("admin:notifications_reminderrule_add")
    page = staff_client.get(url)
    offered = {value for value, _label in page.context["adminform"].form.fields["subject"].choices}
    assert offered == {
        "event_starts",
        "registration_closes",
        "alliance_quarter_missing",
        "inspection_due",
        "pledge_overdue",
        "grant_report_due",
        "booth_open_slots",
        "booth_qualification_expiring",
        "service_records_missing",
        "hub_inspection_late",
    }
    response = staff_client.post(
        url,
        {
            "subject": "no_such_subject",
            "offset_days": 2,
            "time_of_day": "09:00",
            "is_active": "on",
            "template": "events/email/event_starts",
        },
    )
    assert response.status_code == 200
    assert "subject" in response.context["adminform"].form.errors
    assert not ReminderRule.objects.filter(subject="no_such_subject").exists()


def test_rule_clean_refuses_a_subject_no_app_registered():
    rule = ReminderRule(
        subject="no_such_subject",
        offset_days=1,
        time_of_day=datetime.time(9),
        template="events/email/event_starts",
    )
    with pytest.raises(ValidationError) as refused:
        rule.full_clean()
    assert refused.value.error_dict["subject"][0].code == "unknown_subject"


def test_every_default_rule_has_a_registered_subject_and_its_templates():
    # The migrations' rows, after the templates moved to their apps, still validate.
    rules = list(ReminderRule.objects.all())
    assert len(rules) == 13  # 8 of the foundation, 3 of the caravan, 2 of the street hubs
    for rule in rules:
        rule.full_clean()
        assert rule.template.split("/")[0] in {"caravan", "events", "federation", "funds"}


def test_outbox_list_labels_and_filters_kinds_from_the_registry(staff_client):
    failed_message(dedupe_key="label")
    url = reverse("admin:notifications_message_changelist")
    html = staff_client.get(url, {"kind": "event_starts"}).content.decode()
    assert "活动即将开始" in html  # "event starts soon", registered by the events app
    assert staff_client.get(url, {"kind": "grant_decided"}).context["cl"].result_count == 0


def test_staff_who_may_only_view_the_outbox_cannot_resend(client):
    from django.contrib.auth.models import Permission

    viewer = StaffFactory()
    viewer.user_permissions.add(Permission.objects.get(codename="view_message"))
    client.force_login(viewer)
    message = failed_message(dedupe_key="v")
    url = reverse("admin:notifications_message_changelist")
    page = client.get(url)
    assert page.status_code == 200
    assert b"resend_failed" not in page.content
    client.post(url, {"action": "resend_failed", "_selected_action": [message.pk]})
    message.refresh_from_db()
    assert message.state == Message.State.FAILED


def test_outbox_shows_the_error_in_the_list_and_a_preview_in_the_recipients_language(
    staff_client,
):
    message = failed_message(dedupe_key="p", language="en")
    changelist = staff_client.get(
        reverse("admin:notifications_message_changelist"), {"state__exact": "failed"}
    )
    assert "SMTPServerDisconnected: gone" in changelist.content.decode()
    detail = staff_client.get(reverse("admin:notifications_message_change", args=[message.pk]))
    html = detail.content.decode()
    assert "Reminder: “静安公益节” starts soon" in html
    assert "2030-03-01" in html


def test_outbox_preview_of_a_broken_template_does_not_break_the_page(staff_client):
    message = failed_message(dedupe_key="broken", template="notifications/email/no_such")
    detail = staff_client.get(reverse("admin:notifications_message_change", args=[message.pk]))
    assert detail.status_code == 200
    assert "TemplateDoesNotExist" in detail.content.decode()
