"""Writes for the service catalogue.

Invariants owned here:
- the status moves only draft/returned/withdrawn → submitted → published or
  returned (with a reason), and published/submitted → withdrawn; nothing else
  changes it;
- an organisation's admins change an offering only while it is a draft,
  returned or withdrawn; federation staff change any, at any status;
- only staff publish, return, or import; a return always carries a reason
  (also a database constraint);
- an offering's title is unique within its organisation (a constraint);
- the pinyin search keys always follow the title;
- at most ``MAX_PHOTOS`` photos, each a real image within the size limits;
- each decision writes its message to the outbox in the same transaction;
- an import is all-or-nothing, and rows equal to the catalogue write nothing.
"""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.links import absolute_url
from core.pagecache import page_cache_invalidates
from federation.models import STAFF_GROUP_NAME, Organisation, OrganisationMember, User
from federation.pinyin import pinyin_search_text
from federation.validators import normalise_phone
from notifications.services import message_enqueue

from .models import MAX_PHOTOS, ServiceOffering, ServiceOfferingPhoto

Status = ServiceOffering.Status

# What a form, an import row or the demo may set (never the status).
DETAIL_FIELDS = (
    "title",
    "field",
    "summary",
    "description",
    "audience",
    "location",
    "availability",
    "booking",
    "contact_person",
    "contact_phone",
    "contact_email",
    "contact_visibility",
    "capacity",
)
SUBMITTABLE = (Status.DRAFT, Status.RETURNED, Status.WITHDRAWN)
WITHDRAWABLE = (Status.SUBMITTED, Status.PUBLISHED)


def _require(acting_user: User | None, permission: str, offering=None) -> None:
    if not (acting_user and acting_user.has_perm(permission, offering)):
        raise ValidationError(_("You may not do this with this offering."), code="not_allowed")


def _lock(offering: ServiceOffering) -> ServiceOffering:
    return ServiceOffering.objects.select_for_update(no_key=True).get(pk=offering.pk)


def _apply_details(offering: ServiceOffering, details: dict[str, Any]) -> None:
    """Set the given details, normalised, and check the whole offering."""
    for name, value in details.items():
        if name not in DETAIL_FIELDS:
            raise ValueError(f"{name} is not an offering detail")
        if isinstance(value, str):
            value = value.strip()
        if name == "contact_phone":
            value = normalise_phone(value)
        setattr(offering, name, value)
    offering.pinyin_search = pinyin_search_text(offering.title)
    offering.full_clean()


@transaction.atomic(durable=True)
@page_cache_invalidates("catalogue")
def offering_create(
    *, organisation: Organisation, details: dict[str, Any], acting_user: User
) -> ServiceOffering:
    """A new draft of ``organisation``'s; refuses non-members and other organisations' people."""
    offering = ServiceOffering(organisation=organisation, status=Status.DRAFT)
    _require(acting_user, "catalogue.manage_offering", offering)
    if organisation.status != Organisation.Status.ACTIVE:
        raise ValidationError(
            _("Only member organisations offer services in the catalogue."),
            code="organisation_not_member",
        )
    _apply_details(offering, details)
    offering.save()
    return offering


@transaction.atomic(durable=True)
@page_cache_invalidates("catalogue")
def offering_update(
    *, offering: ServiceOffering, details: dict[str, Any], acting_user: User
) -> ServiceOffering:
    """Change the details; an organisation only while its offering is not under review or live."""
    offering = _lock(offering)
    if not (acting_user and acting_user.has_perm("catalogue.edit_offering", offering)):
        if acting_user and acting_user.has_perm("catalogue.manage_offering", offering):
            raise ValidationError(
                _("Withdraw the offering before you change it; then submit it again."),
                code="not_editable",
            )
        _require(acting_user, "catalogue.edit_offering", offering)
    _apply_details(offering, details)
    offering.save()
    return offering


@transaction.atomic(durable=True)
@page_cache_invalidates("catalogue")
def offering_submit(*, offering: ServiceOffering, acting_user: User) -> ServiceOffering:
    """Send a draft, returned or withdrawn offering for review; staff hear of it."""
    offering = _lock(offering)
    _require(acting_user, "catalogue.manage_offering", offering)
    if offering.status not in SUBMITTABLE:
        raise ValidationError(
            _("Only a draft, returned or withdrawn offering can be submitted."),
            code="not_submittable",
        )
    if offering.organisation.status != Organisation.Status.ACTIVE:
        raise ValidationError(
            _("Only member organisations offer services in the catalogue."),
            code="organisation_not_member",
        )
    offering.status = Status.SUBMITTED
    offering.submitted_at = timezone.now()
    offering.save(update_fields=["status", "submitted_at", "updated_at"])
    review_url = absolute_url(reverse("catalogue:review-detail", args=[offering.pk]))
    staff = User.objects.filter(is_active=True, is_staff=True, groups__name=STAFF_GROUP_NAME)
    for user in staff.distinct().order_by("pk"):
        message_enqueue(
            kind="offering_submitted",
            recipient=user,
            template="catalogue/email/offering_submitted",
            context={
                "organisation_name": offering.organisation.name,
                "title": offering.title,
                "url": review_url,
            },
            dedupe_key=(
                f"offering_submitted:{offering.pk}:{offering.submitted_at.isoformat()}"
                f":user:{user.pk}"
            ),
        )
    return offering


def _tell_organisation(offering: ServiceOffering, *, decision: str) -> None:
    """Write the review decision to each org admin of the offering's organisation."""
    admins = OrganisationMember.objects.filter(
        organisation_id=offering.organisation_id,
        role=OrganisationMember.Role.ADMIN,
        user__is_active=True,
    ).select_related("user")
    moment = timezone.now().isoformat()
    for member in admins.order_by("user_id"):
        message_enqueue(
            kind="offering_decided",
            recipient=member.user,
            template="catalogue/email/offering_decided",
            context={
                "title": offering.title,
                "decision": decision,
                "reason": offering.return_reason if decision == Status.RETURNED else "",
                "url": absolute_url(
                    offering.get_absolute_url()
                    if decision == Status.PUBLISHED
                    else reverse("catalogue:my-offering-update", args=[offering.pk])
                ),
            },
            dedupe_key=f"offering_decided:{offering.pk}:{decision}:{moment}:user:{member.user_id}",
        )


@transaction.atomic(durable=True)
@page_cache_invalidates("catalogue")
def offering_publish(*, offering: ServiceOffering, acting_user: User) -> ServiceOffering:
    """Publish a submitted offering (staff); its organisation's admins are told."""
    _require(acting_user, "catalogue.review_offering", offering)
    offering = _lock(offering)
    if offering.status != Status.SUBMITTED:
        raise ValidationError(
            _("Only an offering awaiting review can be published."), code="not_submitted"
        )
    offering.status = Status.PUBLISHED
    offering.return_reason = ""
    offering.published_at = timezone.now()
    offering.reviewed_by = acting_user
    offering.save(
        update_fields=["status", "return_reason", "published_at", "reviewed_by", "updated_at"]
    )
    _tell_organisation(offering, decision=Status.PUBLISHED)
    return offering


@transaction.atomic(durable=True)
@page_cache_invalidates("catalogue")
def offering_return(
    *, offering: ServiceOffering, reason: str, acting_user: User
) -> ServiceOffering:
    """Return a submitted offering for changes, with a reason (staff); the organisation is told."""
    _require(acting_user, "catalogue.review_offering", offering)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": ValidationError(_("Give a reason."), code="reason_required")}
        )
    offering = _lock(offering)
    if offering.status != Status.SUBMITTED:
        raise ValidationError(
            _("Only an offering awaiting review can be returned."), code="not_submitted"
        )
    offering.status = Status.RETURNED
    offering.return_reason = reason
    offering.reviewed_by = acting_user
    offering.save(update_fields=["status", "return_reason", "reviewed_by", "updated_at"])
    _tell_organisation(offering, decision=Status.RETURNED)
    return offering


@transaction.atomic(durable=True)
@page_cache_invalidates("catalogue")
def offering_withdraw(*, offering: ServiceOffering, acting_user: User) -> ServiceOffering:
    """Take a submitted or published offering off the catalogue; it can be edited again."""
    offering = _lock(offering)
    _require(acting_user, "catalogue.manage_offering", offering)
    if offering.status not in WITHDRAWABLE:
        raise ValidationError(
            _("Only a submitted or published offering can be withdrawn."),
            code="not_withdrawable",
        )
    offering.status = Status.WITHDRAWN
    offering.save(update_fields=["status", "updated_at"])
    return offering


@transaction.atomic(durable=True)
@page_cache_invalidates("catalogue")
def offering_photo_add(
    *, offering: ServiceOffering, image, caption: str = "", acting_user: User
) -> ServiceOfferingPhoto:
    """Add a photo (a real JPEG, PNG or WebP within the limits); at most ``MAX_PHOTOS``."""
    offering = _lock(offering)
    _require(acting_user, "catalogue.edit_offering", offering)
    if offering.photos.count() >= MAX_PHOTOS:
        raise ValidationError(
            _("An offering has at most %(limit)s photos."),
            code="too_many_photos",
            params={"limit": MAX_PHOTOS},
        )
    photo = ServiceOfferingPhoto(offering=offering, image=image, caption=(caption or "").strip())
    photo.full_clean()
    photo.save()
    return photo


@transaction.atomic(durable=True)
@page_cache_invalidates("catalogue")
def offering_photo_remove(*, photo: ServiceOfferingPhoto, acting_user: User) -> None:
    """Remove a photo while the offering may be changed."""
    offering = _lock(photo.offering)
    _require(acting_user, "catalogue.edit_offering", offering)
    photo.image.delete(save=False)
    photo.delete()


# --- Import -------------------------------------------------------------------------


@dataclass
class OfferingImportEntry:
    """One checked spreadsheet row: an existing offering's id (or None) and its values."""

    offering_id: int | None
    organisation_id: int
    details: dict[str, Any]
    row_number: int = 0


@dataclass
class OfferingImportOutcome:
    offering: ServiceOffering
    created: bool
    row_number: int = 0


@transaction.atomic(durable=True)
@page_cache_invalidates("catalogue")
def offering_import(
    *, entries: list[OfferingImportEntry], acting_user: User
) -> list[OfferingImportOutcome]:
    """Create or update every row, or nothing (staff only).

    New offerings are published: staff import what they have already
    reviewed (the handbook's list). Existing ones keep their status.
    """
    _require(acting_user, "catalogue.review_offering")
    ids = sorted(entry.offering_id for entry in entries if entry.offering_id)
    locked = {
        offering.pk: offering
        for offering in ServiceOffering.objects.select_for_update(no_key=True)
        .filter(pk__in=ids)
        .order_by("pk")
    }
    organisations = Organisation.objects.in_bulk({entry.organisation_id for entry in entries})
    now = timezone.now()
    outcomes = []
    for entry in entries:
        try:
            if entry.offering_id:
                offering = locked[entry.offering_id]
                created = False
            else:
                offering = ServiceOffering(
                    organisation=organisations[entry.organisation_id],
                    status=Status.PUBLISHED,
                    published_at=now,
                    reviewed_by=acting_user,
                )
                created = True
            _apply_details(offering, entry.details)
            offering.save()
        except ValidationError as error:
            raise ValidationError(
                _("Row %(row)s: %(error)s"),
                code="import_row_invalid",
                params={"row": entry.row_number, "error": "; ".join(error.messages)},
            ) from error
        outcomes.append(OfferingImportOutcome(offering, created, entry.row_number))
    return outcomes
