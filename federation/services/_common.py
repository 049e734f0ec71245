"""Private helpers shared by the kernel's services. Each runs inside a caller's transaction."""

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from core.links import absolute_url

from ..creditcode import check_credit_code, credit_code_category_matches, normalise_credit_code
from ..models import MembershipEvent, Organisation, OrganisationMember, ServiceField, User
from ..pinyin import pinyin_full, pinyin_name_keys
from ..rules import user_is_federation_staff
from ..validators import normalise_phone

# The registry fields a form, an import row or the demo may set (never status).
DETAIL_FIELDS = (
    "name",
    "short_name",
    "name_en",
    "legal_form",
    "credit_code",
    "registration_status",
    "registration_authority",
    "supervising_unit",
    "legal_representative",
    "established_on",
    "certificate_valid_from",
    "certificate_valid_to",
    "domicile",
    "street",
    "business_scope",
    "is_charity",
    "has_public_fundraising",
    "rating",
    "rating_year",
    "party_organisation",
    "party_member_count",
    "description",
    "contact_person",
    "contact_phone",
    "contact_email",
    "website",
    "show_contact_publicly",
    "logo",
    "joined_on",
)
# Org admins change these only with staff approval once the organisation is a member.
REVIEWED_FIELDS = ("credit_code", "legal_form")
# Only staff set these.
STAFF_ONLY_FIELDS = ("joined_on",)
_STRIPPED = {
    "name",
    "short_name",
    "name_en",
    "registration_authority",
    "supervising_unit",
    "legal_representative",
    "domicile",
    "contact_person",
    "website",
}


def assert_in_transaction() -> None:
    assert transaction.get_connection().in_atomic_block, "call this inside a service transaction"


def require_staff(acting_user: User | None) -> None:
    if not user_is_federation_staff(acting_user):
        raise ValidationError(_("Only federation staff may do this."), code="not_staff")


def is_org_admin(organisation: Organisation, user: User | None) -> bool:
    if not (user and user.is_authenticated):
        return False
    return OrganisationMember.objects.filter(
        organisation=organisation, user=user, role=OrganisationMember.Role.ADMIN
    ).exists()


def require_org_admin_or_staff(organisation: Organisation, acting_user: User | None) -> None:
    if user_is_federation_staff(acting_user):
        return
    if not is_org_admin(organisation, acting_user):
        raise ValidationError(
            _("Only an admin of this organisation may do this."), code="not_org_admin"
        )


def require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason."), code="reason_required")
    return reason


def lock_organisation(organisation: Organisation) -> Organisation:
    """Reload ``organisation`` with its row locked: its membership rules queue here."""
    assert_in_transaction()
    return Organisation.objects.select_for_update(no_key=True).get(pk=organisation.pk)


def user_has_verified_email(user: User, email: str) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def apply_details(organisation: Organisation, details: Mapping[str, Any]) -> None:
    """Copy ``details`` onto ``organisation``, normalised; unknown keys are a programming error."""
    unknown = set(details) - set(DETAIL_FIELDS)
    if unknown:
        raise ValueError(f"not registry fields: {sorted(unknown)}")
    for key, value in details.items():
        if key == "credit_code":
            value = normalise_credit_code(value)
        elif key == "contact_phone":
            value = normalise_phone(value)
        elif key == "contact_email":
            value = (value or "").strip().lower()
        elif key in _STRIPPED:
            value = (value or "").strip()
        elif key == "logo":
            if value is None:
                continue  # a form without a new upload: keep the logo
            value = value or ""  # False: the form's "clear" box
        setattr(organisation, key, value)


def snapshot(organisation: Organisation) -> dict[str, Any]:
    """The registry values of ``organisation``, to tell whether a write changes anything."""
    values = {}
    for key in DETAIL_FIELDS:
        if key == "street":
            values[key] = organisation.street_id
        elif key == "logo":
            values[key] = organisation.logo.name if organisation.logo else ""
        else:
            values[key] = getattr(organisation, key)
    values["credit_code_warning_accepted"] = organisation.credit_code_warning_accepted
    values["status"] = organisation.status
    return values


def check_credit_code_rules(
    organisation: Organisation,
    *,
    previous_code: str | None,
    accept_warning: bool,
    confirmed_by_applicant: bool,
    acting_user: User | None,
) -> None:
    """Apply the credit-code rules that need more than the field validator.

    A position-17 failure blocks the write unless staff accept it now, staff
    accepted this very code before, or an applicant confirms the code is as
    printed (then staff still have to accept it before approval).
    """
    code = organisation.credit_code
    if code != previous_code:
        organisation.credit_code_warning_accepted = False
    if not code:
        return
    result = check_credit_code(code)
    if not result.is_valid:
        raise ValidationError({"credit_code": result.errors})
    if not credit_code_category_matches(code, organisation.legal_form):
        raise ValidationError(
            {
                "credit_code": ValidationError(
                    _(
                        "The second character of the credit code names another legal form "
                        "(1 social group, 2 social service agency, 3 foundation)."
                    ),
                    code="credit_code_legal_form_mismatch",
                )
            }
        )
    if not result.warnings or organisation.credit_code_warning_accepted:
        return
    if accept_warning:
        require_staff(acting_user)
        organisation.credit_code_warning_accepted = True
        return
    if confirmed_by_applicant:
        return
    raise ValidationError({"credit_code": result.warnings})


def slug_base(name_pinyin: str) -> str:
    """The slug an organisation gets from its name's pinyin, unless another has it."""
    return slugify(name_pinyin)[:70].strip("-") or "organisation"


def _unique_slug(organisation: Organisation) -> str:
    base = slug_base(pinyin_full(organisation.name))
    candidate, number = base, 2
    others = Organisation.objects.exclude(pk=organisation.pk)
    while others.filter(slug=candidate).exists():
        candidate = f"{base}-{number}"
        number += 1
    return candidate


def credit_code_taken_error() -> ValidationError:
    return ValidationError(
        {
            "credit_code": ValidationError(
                _("An organisation with this credit code already exists."),
                code="credit_code_taken",
            )
        }
    )


def save_organisation(
    organisation: Organisation, *, service_fields: Iterable[ServiceField] | None = None
) -> None:
    """Validate and save ``organisation`` with fresh pinyin keys (and its service fields)."""
    assert_in_transaction()
    organisation.name_pinyin, organisation.pinyin_search = pinyin_name_keys(
        organisation.name, organisation.short_name
    )
    if not organisation.slug:
        organisation.slug = _unique_slug(organisation)
    if organisation.credit_code and (
        Organisation.objects.exclude(pk=organisation.pk)
        .filter(credit_code=organisation.credit_code)
        .exists()
    ):
        raise credit_code_taken_error()
    organisation.full_clean()
    organisation.save()
    if service_fields is not None:
        organisation.service_fields.set(service_fields)


def service_fields_differ(
    organisation: Organisation, service_fields: Iterable[ServiceField] | None
) -> bool:
    if service_fields is None:
        return False
    wanted = {field.pk for field in service_fields}
    if organisation.pk is None:
        return bool(wanted)
    # .all(): a prefetched organisation (an import's) answers without a query.
    return wanted != {field.pk for field in organisation.service_fields.all()}


def record_membership_event(
    *,
    organisation: Organisation,
    from_status: str,
    to_status: str,
    reason: str,
    acting_user: User | None,
) -> MembershipEvent:
    assert_in_transaction()
    return MembershipEvent.objects.create(
        organisation=organisation,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        acting_user=acting_user if acting_user and acting_user.is_authenticated else None,
    )


def record_membership_events(
    *,
    organisations: Iterable[Organisation],
    from_status: str,
    reason: str,
    acting_user: User | None,
) -> list[MembershipEvent]:
    """``record_membership_event`` for many saved organisations, in one INSERT per 1,000."""
    assert_in_transaction()
    actor = acting_user if acting_user and acting_user.is_authenticated else None
    return MembershipEvent.objects.bulk_create(
        [
            MembershipEvent(
                organisation=organisation,
                from_status=from_status,
                to_status=organisation.status,
                reason=reason,
                acting_user=actor,
            )
            for organisation in organisations
        ],
        batch_size=1000,
    )


def update_details(
    organisation: Organisation,
    *,
    details: Mapping[str, Any],
    service_fields: list[ServiceField] | None,
    accept_credit_code_warning: bool,
    confirmed_by_applicant: bool,
    acting_user: User,
    save: Callable[..., None] | None = None,
) -> bool:
    """Write ``details`` to a locked organisation; False (and no write) when nothing changes.

    ``save`` replaces ``save_organisation`` (an import's ``OrganisationBatch.add``).
    """
    assert_in_transaction()
    before = snapshot(organisation)
    apply_details(organisation, details)
    check_credit_code_rules(
        organisation,
        previous_code=before["credit_code"],
        accept_warning=accept_credit_code_warning,
        confirmed_by_applicant=confirmed_by_applicant,
        acting_user=acting_user,
    )
    changed = snapshot(organisation) != before
    fields_changed = service_fields_differ(organisation, service_fields)
    if not changed and not fields_changed:
        return False
    (save or save_organisation)(
        organisation, service_fields=service_fields if fields_changed else None
    )
    return True


def admin_change_url(organisation: Organisation) -> str:
    return absolute_url(reverse("admin:federation_organisation_change", args=[organisation.pk]))
