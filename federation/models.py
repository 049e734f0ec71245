"""The kernel: users, streets, service fields, organisations and their people."""

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualNameMixin:
    """``name`` in the active language, from ``name_zh`` / ``name_en``."""

    name_zh: str
    name_en: str

    @property
    def name(self) -> str:
        language = (get_language() or settings.LANGUAGE_CODE).lower()
        if language.startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in. The e-mail address is the login; there is no username."""

    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=100, blank=True)
    language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("E-mails are written in this language."),
    )
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Federation staff may log in to the back office."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name or self.email.split("@")[0]


class Street(BilingualNameMixin, models.Model):
    """One of Jing'an's 14 streets/towns, each with its own hub (DOMAIN.md §2)."""

    class Kind(models.TextChoices):
        SUBDISTRICT = "subdistrict", _("subdistrict (街道)")
        TOWN = "town", _("town (镇)")

    class OldDistrict(models.TextChoices):
        JINGAN = "jingan", _("former Jing'an")
        ZHABEI = "zhabei", _("former Zhabei")

    code = models.CharField(_("statistical code"), max_length=9, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=50, unique=True)
    name_en = models.CharField(_("English name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    old_district = models.CharField(_("old district"), max_length=20, choices=OldDistrict.choices)

    class Meta:
        verbose_name = _("street")
        verbose_name_plural = _("streets")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class ServiceField(BilingualNameMixin, models.Model):
    """A field of public-good service, as in the 《百益宝藏》 handbook."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("Chinese name"), max_length=50, unique=True)
    name_en = models.CharField(_("English name"), max_length=80)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("service field")
        verbose_name_plural = _("service fields")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name


class OrganisationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Organisation.Status.ACTIVE)


class Organisation(models.Model):
    """A member organisation (or an applicant) of the federation."""

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

    name = models.CharField(_("full name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    status = models.CharField(
        _("membership status"), max_length=20, choices=Status.choices, default=Status.APPLIED
    )
    legal_form = models.CharField(_("legal form"), max_length=30, choices=LegalForm.choices)
    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("street")
    )
    service_fields = models.ManyToManyField(
        ServiceField, blank=True, related_name="organisations", verbose_name=_("service fields")
    )
    description = models.TextField(_("description"), blank=True)
    joined_on = models.DateField(_("joined the federation on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name


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
