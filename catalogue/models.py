"""Service offerings of member organisations and their photos."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from events.validators import validate_cover_image
from federation.models import Organisation, ServiceField
from federation.validators import mask_phone, validate_phone

MAX_PHOTOS = 4


class ServiceOfferingQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ServiceOffering.Status.PUBLISHED)

    def public(self):
        """Published offerings of organisations that are members today."""
        return self.published().filter(organisation__status=Organisation.Status.ACTIVE)


class ServiceOffering(models.Model):
    """One public-welfare service an organisation offers: a line of 《百益宝藏》."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("awaiting review")
        RETURNED = "returned", _("returned for changes")
        PUBLISHED = "published", _("published")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class ContactVisibility(models.TextChoices):
        PHONE = "phone", _("show the phone number")
        EMAIL = "email", _("show the e-mail address")
        NONE = "none", _("show neither (masked)")

    # The organisation may change these; a published offering must be withdrawn first.
    EDITABLE_BY_ORGANISATION = (Status.DRAFT, Status.RETURNED, Status.WITHDRAWN)

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="service_offerings",
        verbose_name=_("organisation"),
    )
    title = models.CharField(_("title"), max_length=120)
    field = models.ForeignKey(
        ServiceField,
        on_delete=models.PROTECT,
        related_name="service_offerings",
        verbose_name=_("service field"),
    )
    summary = models.CharField(_("summary"), max_length=200)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Markdown: **bold**, lists, links.")
    )
    audience = models.CharField(
        pgettext_lazy("service offering", "audience"), max_length=200, blank=True
    )
    location = models.CharField(_("where"), max_length=200, blank=True)
    availability = models.CharField(_("when"), max_length=200, blank=True)
    booking = models.CharField(
        _("how to book"),
        max_length=300,
        blank=True,
        help_text=_("e.g. call two working days ahead; groups of up to ten."),
    )
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(
        _("contact phone"), max_length=20, blank=True, validators=[validate_phone]
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_visibility = models.CharField(
        _("contact shown publicly"),
        max_length=10,
        choices=ContactVisibility.choices,
        default=ContactVisibility.NONE,
    )
    capacity = models.PositiveIntegerField(
        _("capacity per session"), null=True, blank=True, help_text=_("Empty when there is none.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    return_reason = models.TextField(_("reason for return"), blank=True)
    pinyin_search = models.CharField(_("pinyin search keys"), max_length=600, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ServiceOfferingQuerySet.as_manager()

    class Meta:
        verbose_name = _("service offering")
        verbose_name_plural = _("service offerings")
        ordering = ["field__position", "title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "title"],
                name="catalogue_serviceoffering_unique_title",
                violation_error_code="title_taken",
                violation_error_message=_(
                    "This organisation already offers a service with this title."
                ),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="returned") | ~models.Q(return_reason=""),
                name="catalogue_serviceoffering_returned_has_reason",
                violation_error_code="reason_required",
                violation_error_message=_("A returned offering needs a reason."),
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gt=0),
                name="catalogue_serviceoffering_capacity_positive",
                violation_error_code="capacity_not_positive",
                violation_error_message=_("The capacity per session is at least one person."),
            ),
        ]
        indexes = [models.Index(fields=["status", "field"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalogue:offering-detail", kwargs={"pk": self.pk})

    @property
    def is_editable_by_organisation(self) -> bool:
        return self.status in self.EDITABLE_BY_ORGANISATION

    def public_contact(self) -> dict[str, str]:
        """The contact as the organisation allows it: the chosen channel whole, the rest masked."""
        visibility = self.contact_visibility
        phone = self.contact_phone
        email = self.contact_email
        return {
            "person": self.contact_person,
            "phone": phone if visibility == self.ContactVisibility.PHONE else mask_phone(phone),
            "email": email if visibility == self.ContactVisibility.EMAIL else mask_email(email),
            "is_masked": visibility == self.ContactVisibility.NONE,
        }


def mask_email(value: str) -> str:
    """``contact@example.org`` -> ``c***@example.org``."""
    if not value or "@" not in value:
        return ""
    local, domain = value.split("@", 1)
    return f"{local[:1]}***@{domain}"


class ServiceOfferingPhoto(models.Model):
    """A photo of an offering (checked by content and size, at most four)."""

    offering = models.ForeignKey(
        ServiceOffering,
        on_delete=models.CASCADE,
        related_name="photos",
        verbose_name=_("service offering"),
    )
    image = models.ImageField(
        _("photo"), upload_to="catalogue/photos/%Y/", validators=[validate_cover_image]
    )
    caption = models.CharField(_("caption"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.caption or self.image.name
