"""Member organisations, their people, their membership history and pending changes."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..creditcode import credit_code_has_warning, validate_credit_code
from ..validators import mask_phone, validate_logo, validate_phone
from .reference import ServiceField, Street

CREDIT_CODE_PATTERN = r"^[0-9A-HJ-NPQRTUWXY]{18}$"
# Shanghai's evaluation of social organisations (1A–5A) began in the 2000s.
FIRST_RATING_YEAR = 2000


class OrganisationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Organisation.Status.ACTIVE)

    def in_pinyin_order(self):
        return self.order_by("name_pinyin", "name")


class Organisation(models.Model):
    """A member organisation (or an applicant) of the federation: its registry record."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("applied")
        ACTIVE = "active", _("active")
        SUSPENDED = "suspended", _("suspended")
        LAPSED = "lapsed", _("lapsed")
        WITHDRAWN = "withdrawn", _("withdrawn")
        REJECTED = "rejected", _("rejected")

    class LegalForm(models.TextChoices):
        SOCIAL_GROUP = "social_group", _("social group (社会团体)")
        SERVICE_AGENCY = "service_agency", _("social service agency (社会服务机构)")
        FOUNDATION = "foundation", _("foundation (基金会)")
        COMMUNITY_GROUP = "community_group", _("filed community group (备案社区社会组织)")
        OTHER = "other", _("other")

    class RegistrationStatus(models.TextChoices):
        REGISTERED = "registered", _("registered (登记)")
        FILED = "filed", _("filed (备案)")
        PREPARING = "preparing", _("in preparation (筹备)")

    class Rating(models.TextChoices):
        A1 = "1A", "1A"
        A2 = "2A", "2A"
        A3 = "3A", "3A"
        A4 = "4A", "4A"
        A5 = "5A", "5A"

    class PartyOrganisation(models.TextChoices):
        COMMITTEE = "committee", _("own Party committee (党委)")
        GENERAL_BRANCH = "general_branch", _("own general Party branch (党总支)")
        BRANCH = "branch", _("own Party branch (党支部)")
        JOINT_BRANCH = "joint_branch", _("joint Party branch (联合党支部)")
        INSTRUCTOR = "instructor", _("Party-building instructor or liaison (党建指导员或联络员)")
        NONE = "none", _("none (无)")

    # Legal forms that file an annual inspection report with civil affairs.
    INSPECTED_FORMS = (LegalForm.SOCIAL_GROUP, LegalForm.SERVICE_AGENCY, LegalForm.FOUNDATION)
    # Statuses an organisation can withdraw from (it is, or was lately, a member).
    WITHDRAWABLE_STATUSES = (Status.ACTIVE, Status.SUSPENDED, Status.LAPSED)

    name = models.CharField(_("full name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    status = models.CharField(
        _("membership status"), max_length=20, choices=Status.choices, default=Status.APPLIED
    )
    legal_form = models.CharField(_("legal form"), max_length=30, choices=LegalForm.choices)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
        help_text=_("18 characters; leave empty for filed community groups without one."),
    )
    credit_code_warning_accepted = models.BooleanField(
        _("check-digit warning accepted"),
        default=False,
        help_text=_(
            "Staff compared the code with the certificate and accept it although its "
            "17th character fails the organisation-code check."
        ),
    )
    registration_status = models.CharField(
        _("registration status"),
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.REGISTERED,
    )
    registration_authority = models.CharField(
        _("registration authority"), max_length=100, blank=True
    )
    supervising_unit = models.CharField(
        _("supervising unit"),
        max_length=100,
        blank=True,
        help_text=_("Empty for the four categories that register directly."),
    )
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    certificate_valid_from = models.DateField(_("certificate valid from"), null=True, blank=True)
    certificate_valid_to = models.DateField(_("certificate valid to"), null=True, blank=True)
    domicile = models.CharField(_("domicile"), max_length=200, blank=True)
    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("street")
    )
    business_scope = models.TextField(_("business scope"), blank=True)
    is_charity = models.BooleanField(_("recognised charity organisation"), default=False)
    has_public_fundraising = models.BooleanField(
        _("public fundraising qualification"), default=False
    )
    rating = models.CharField(
        _("evaluation rating"), max_length=2, choices=Rating.choices, blank=True
    )
    rating_year = models.PositiveSmallIntegerField(_("rating year"), null=True, blank=True)
    party_organisation = models.CharField(
        _("Party organisation"),
        max_length=20,
        choices=PartyOrganisation.choices,
        default=PartyOrganisation.NONE,
    )
    party_member_count = models.PositiveIntegerField(_("Party member count"), default=0)
    service_fields = models.ManyToManyField(
        ServiceField, blank=True, related_name="organisations", verbose_name=_("service fields")
    )
    description = models.TextField(_("description"), blank=True)
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(
        _("contact phone"), max_length=20, blank=True, validators=[validate_phone]
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    show_contact_publicly = models.BooleanField(
        _("show contact publicly"),
        default=False,
        help_text=_("Show the contact person, phone and e-mail on the public profile."),
    )
    logo = models.ImageField(
        _("logo"), upload_to="organisations/logos/", blank=True, validators=[validate_logo]
    )
    joined_on = models.DateField(_("joined the federation on"), null=True, blank=True)
    # Kept by the services from the names: the directory sorts and searches on these.
    name_pinyin = models.CharField(_("name in pinyin"), max_length=600, blank=True, editable=False)
    pinyin_search = models.CharField(
        _("pinyin search keys"), max_length=1200, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name_pinyin", "name"]
        permissions = [
            ("import_organisation", _("Can import organisations")),
            ("export_organisation", _("Can export organisations")),
        ]
        indexes = [
            models.Index(fields=["status", "name_pinyin"], name="federation_org_status_pinyin")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~Q(credit_code=""),
                name="federation_organisation_unique_credit_code",
                violation_error_code="credit_code_taken",
                violation_error_message=_("An organisation with this credit code already exists."),
            ),
            models.CheckConstraint(
                condition=Q(credit_code="") | Q(credit_code__regex=CREDIT_CODE_PATTERN),
                name="federation_organisation_credit_code_format",
            ),
            models.CheckConstraint(
                condition=~Q(legal_form="community_group") | Q(credit_code=""),
                name="federation_organisation_community_group_no_credit_code",
                violation_error_message=_("Filed community groups have no credit code."),
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["applied", "active", "suspended", "lapsed", "withdrawn", "rejected"]
                ),
                name="federation_organisation_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(rating="", rating_year__isnull=True)
                | (~Q(rating="") & Q(rating_year__isnull=False)),
                name="federation_organisation_rating_has_year",
                violation_error_message=_("Give the rating together with its year."),
            ),
            models.CheckConstraint(
                condition=Q(certificate_valid_from__isnull=True)
                | Q(certificate_valid_to__isnull=True)
                | Q(certificate_valid_to__gte=F("certificate_valid_from")),
                name="federation_organisation_certificate_dates_ordered",
                violation_error_message=_("The certificate cannot expire before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(has_public_fundraising=False) | Q(is_charity=True),
                name="federation_organisation_fundraising_needs_charity",
                violation_error_message=_(
                    "Only a recognised charity organisation can hold a public fundraising qualification."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def clean(self) -> None:
        """Dates that cannot lie in the future; ratings from the evaluations' era."""
        super().clean()
        today = timezone.localdate()
        errors = {}
        if self.established_on and self.established_on > today:
            errors["established_on"] = ValidationError(
                _("The founding date cannot be in the future."), code="established_in_future"
            )
        if self.rating_year is not None and not FIRST_RATING_YEAR <= self.rating_year <= today.year:
            errors["rating_year"] = ValidationError(
                _("Give a rating year between %(first)s and %(last)s."),
                code="rating_year_invalid",
                params={"first": FIRST_RATING_YEAR, "last": today.year},
            )
        if errors:
            raise ValidationError(errors)

    @property
    def display_name(self) -> str:
        """The full name, in English when the page is English and one is known."""
        from django.utils.translation import get_language

        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name

    @property
    def is_active_member(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def credit_code_needs_override(self) -> bool:
        """True while the code fails the position-17 check and no staff member accepted it."""
        return credit_code_has_warning(self.credit_code) and not self.credit_code_warning_accepted

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.contact_phone)

    @property
    def files_annual_inspection(self) -> bool:
        return self.legal_form in self.INSPECTED_FORMS


class OrganisationMember(models.Model):
    """A user's place in an organisation: org admin or org member."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("org admin")
        MEMBER = "member", _("org member")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="members",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organisation_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation member")
        verbose_name_plural = _("organisation members")
        ordering = ["organisation", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="federation_organisationmember_unique_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN


class MembershipEvent(models.Model):
    """History of an organisation's membership: one row per status change."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="membership_events",
        verbose_name=_("organisation"),
    )
    from_status = models.CharField(
        _("from status"), max_length=20, choices=Organisation.Status.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=20, choices=Organisation.Status.choices)
    reason = models.TextField(_("reason"), blank=True)
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("membership history entry")
        verbose_name_plural = _("membership history")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.from_status or '-'} -> {self.to_status}"


class OrganisationChangeRequest(models.Model):
    """An org admin's change of credit code or legal form, waiting for staff approval."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("change request status", "pending")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("replaced by a newer request")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="change_requests",
        verbose_name=_("organisation"),
    )
    credit_code = models.CharField(
        _("new credit code"), max_length=18, blank=True, validators=[validate_credit_code]
    )
    legal_form = models.CharField(
        _("new legal form"), max_length=30, choices=Organisation.LegalForm.choices
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("registry change request")
        verbose_name_plural = _("registry change requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status="pending"),
                name="federation_organisationchangerequest_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.credit_code or '-'} / {self.legal_form}"
