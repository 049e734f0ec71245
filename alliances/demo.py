"""Demo data for the alliances. Every person here is fictitious.

Runs after ``federation.demo``: it uses the active organisations that exist (any
number, none included), gives every one of them one to three alliances, each
alliance a lead organisation and a fictitious secretary, and leaves a couple of
applications pending. Idempotent: a second run changes nothing.
"""

from federation.models import Organisation, OrganisationMember, User
from federation.services import user_create_verified

from . import services
from .models import Alliance, AllianceMembership

DEMO_PASSWORD = "yilu-demo-2026"

# code -> (e-mail, name); names and addresses are invented.
SECRETARIES = {
    "elderly": ("secretary-elderly@yilu.example", "周慧芳（虚构）"),
    "community": ("secretary-community@yilu.example", "陈伟东（虚构）"),
    "youth": ("secretary-youth@yilu.example", "林晨曦（虚构）"),
    "new-strata": ("secretary-new-strata@yilu.example", "赵宇航（虚构）"),
    "mediation": ("secretary-mediation@yilu.example", "孙建平（虚构）"),
    "owners": ("secretary-owners@yilu.example", "吴晓敏（虚构）"),
    "philanthropy": ("secretary-philanthropy@yilu.example", "郑雅琳（虚构）"),
}
PENDING_APPLICATIONS = 2
PENDING_NOTE = "我们长期开展相关志愿服务，希望加入联盟参与季度培训与团队建设。（虚构）"


def _assignment(organisations: list[Organisation], alliances: list[Alliance]) -> dict:
    """Organisation -> its alliances: one to three, spread over all seven."""
    n = len(alliances)
    plan = {}
    for index, organisation in enumerate(organisations):
        count = 1 + index % 3
        plan[organisation] = [alliances[(index + step * 3) % n] for step in range(count)]
    return plan


def _secretary(code: str) -> User:
    email, name = SECRETARIES[code]
    user = User.objects.filter(email=email).first()
    if user is None:
        user = user_create_verified(email=email, password=DEMO_PASSWORD, name=name)
    return user


def seed(stdout) -> None:
    staff = (
        User.objects.filter(is_staff=True, is_active=True).order_by("-is_superuser", "pk").first()
    )
    alliances = list(Alliance.objects.order_by("position", "code"))
    organisations = list(Organisation.objects.active().order_by("pk"))
    plan = _assignment(organisations, alliances)

    # A couple of pending applications: organisations with an admin apply to one more alliance.
    pending: list[tuple[Organisation, Alliance, User]] = []
    admins = {
        m.organisation_id: m.user
        for m in OrganisationMember.objects.filter(
            role=OrganisationMember.Role.ADMIN, organisation__in=organisations
        )
        .select_related("user")
        .order_by("-pk")
    }
    for organisation in organisations:
        if len(pending) == PENDING_APPLICATIONS:
            break
        admin = admins.get(organisation.pk)
        if admin is None or len(plan[organisation]) == 3:
            continue
        extra = next(a for a in alliances if a not in plan[organisation])
        pending.append((organisation, extra, admin))

    if staff is None:
        stdout.write("alliances: no staff user to act for the demo; only secretaries created.")
    leads: dict[int, Organisation] = {}
    for organisation, joined in plan.items():
        for alliance in joined:
            leads.setdefault(alliance.pk, organisation)

    for alliance in alliances:
        secretary = _secretary(alliance.code)
        if staff is None:
            continue
        data = {"secretary": secretary}
        if alliance.pk in leads:
            data["lead_organisation"] = leads[alliance.pk]
        if any(getattr(alliance, f"{k}_id") != v.pk for k, v in data.items()):
            services.alliance_update(alliance=alliance, data=data, acting_user=staff)

    if staff is not None and plan:
        rows = [
            services.MembershipImportRow(
                number=number, organisation=organisation.name, alliance=alliance.code
            )
            for number, (organisation, alliance) in enumerate(
                ((o, a) for o, joined in plan.items() for a in joined), start=1
            )
        ]
        services.alliance_membership_import(rows=rows, acting_user=staff)

    for organisation, alliance, admin in pending:
        if AllianceMembership.objects.filter(organisation=organisation, alliance=alliance).exists():
            continue
        services.alliance_membership_apply(
            organisation=organisation, alliance=alliance, note=PENDING_NOTE, acting_user=admin
        )

    stdout.write(
        f"alliances: {AllianceMembership.objects.active().count()} memberships, "
        f"{AllianceMembership.objects.filter(status='pending').count()} pending applications; "
        f"secretaries log in as secretary-<code>@yilu.example / {DEMO_PASSWORD}"
    )
