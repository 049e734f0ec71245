"""Each grant decision answers with what it did, not "已完成。" (issue 16)."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from funds import services
from funds.models import Grant
from tests.federation.factories import OrgAdminFactory
from tests.funds.factories import give, grant_under_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def org_admin(organisation):
    return OrgAdminFactory(organisation=organisation).user


def _said(response) -> list[str]:
    """The messages this request added (earlier, unread ones left aside)."""
    return [str(message) for message in get_messages(response.wsgi_request)._queued_messages]


def _grant_url(grant) -> str:
    return f"/fund/manage/SBF/grants/{grant.pk}/"


def test_review_and_both_approvals_say_what_happened(
    client, fund, manager, manager2, org_admin, organisation
):
    give(fund, manager, amount="1000.00")
    grant = services.grant_apply(
        fund=fund,
        organisation=organisation,
        kind=Grant.Kind.TALENT,
        purpose=Grant.Purpose.STAFF_DEVELOPMENT,
        title="一线社工专业进修",
        description="参加社会工作专业培训。",
        beneficiary_name="张三明（虚构）",
        amount_requested="400.00",
        project_starts_on=timezone.localdate(),
        project_ends_on=timezone.localdate() + datetime.timedelta(days=90),
        acting_user=org_admin,
    )
    client.force_login(manager)
    due = (grant.project_ends_on + datetime.timedelta(days=30)).isoformat()
    response = client.post(
        _grant_url(grant) + "review/", {"amount_approved": "400.00", "report_due_on": due}
    )
    assert _said(response) == [
        f"申请{grant.number}已进入审核：拟批准金额400.00，待两位非申请人的基金管理员审批。"
    ]
    response = client.post(_grant_url(grant) + "approve/")
    assert _said(response) == [
        f"您对申请{grant.number}的审批已记录；还需另一位基金管理员审批后才生效。"
    ]
    client.force_login(manager2)
    response = client.post(_grant_url(grant) + "approve/")
    assert _said(response) == [
        f"资助{grant.number}已获批准（第二位审批）：400.00已计入承诺，并已通知{organisation.name}。"
    ]
    response = client.post(
        _grant_url(grant) + "pay/", {"paid_on": timezone.localdate().isoformat()}
    )
    assert _said(response) == [f"已过账资助{grant.number}向{organisation.name}拨付的400.00。"]


def test_reject_and_cancel_say_what_happened(
    client, fund, manager, manager2, org_admin, organisation
):
    give(fund, manager, amount="1000.00")
    rejected = grant_under_review(fund, org_admin, organisation, manager, amount="100.00")
    client.force_login(manager)
    response = client.post(_grant_url(rejected) + "reject/", {"reason": "材料不全（虚构）"})
    assert _said(response) == [f"申请{rejected.number}已驳回，并已通知{organisation.name}。"]

    cancelled = grant_under_review(fund, org_admin, organisation, manager, amount="200.00")
    services.grant_approve(grant=cancelled, acting_user=manager)
    services.grant_approve(grant=cancelled, acting_user=manager2)
    response = client.post(_grant_url(cancelled) + "cancel/", {"reason": "项目取消（虚构）"})
    assert _said(response) == [f"资助{cancelled.number}已撤销，其200.00承诺已冲回。"]


def test_an_organisation_reads_what_its_grant_action_did(
    client, fund, manager, manager2, org_admin, organisation
):
    give(fund, manager, amount="1000.00")
    grant = grant_under_review(fund, org_admin, organisation, manager, amount="100.00")
    services.grant_approve(grant=grant, acting_user=manager)
    services.grant_approve(grant=grant, acting_user=manager2)
    services.grant_pay(grant=grant, paid_on=timezone.localdate(), acting_user=manager)
    client.force_login(org_admin)
    response = client.post(f"/my/grants/{grant.pk}/report/", {"text": "进修结业，附证书。"})
    assert _said(response) == [f"资助{grant.number}的结项报告已提交基金。"]


def test_no_success_message_is_vague():
    """Every messages.success in the code names what happened (no bare "Done."/"Saved.")."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2]
    vague = re.compile(r'messages\.success\([^)]*_\("(Done|Saved|OK)\.?"\)')
    offenders = [
        str(path.relative_to(root))
        for path in root.glob("*/**/*.py")
        if ".venv" not in path.parts
        and "tests" not in path.parts
        and vague.search(re.sub(r"\s+", " ", path.read_text(encoding="utf-8")))
    ]
    assert offenders == []
