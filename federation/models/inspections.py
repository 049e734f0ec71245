"""Annual inspection / annual report (年检年报) per organisation and year."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .organisations import Organisation


@dataclass(frozen=True)
class InspectionDeadline:
    due_on: datetime.date
    label: str | Promise


class AnnualInspection(models.Model):
    """The annual inspection for the work of ``year``, reported early the next year."""

    class Status(models.TextChoices):
        NOT_SUBMITTED = "not_submitted", _("not submitted")
        SUBMITTED = "submitted", _("submitted")
        QUALIFIED = "qualified", _("qualified (合格)")
        BASICALLY_QUALIFIED = "basically_qualified", _("basically qualified (基本合格)")
        UNQUALIFIED = "unqualified", _("unqualified (不合格)")
        NOT_PARTICIPATED = "not_participated", _("did not take part (未参检)")

    # Results staff record after the review.
    RESULTS = (
        Status.QUALIFIED,
        Status.BASICALLY_QUALIFIED,
        Status.UNQUALIFIED,
        Status.NOT_PARTICIPATED,
    )

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="annual_inspections",
        verbose_name=_("organisation"),
    )
    year = models.PositiveSmallIntegerField(_("year reported on"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_SUBMITTED
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("annual inspection")
        verbose_name_plural = _("annual inspections")
        ordering = ["organisation", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="federation_annualinspection_unique_year"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="federation_annualinspection_year_range",
            ),
            models.CheckConstraint(
                condition=Q(status="not_submitted")
                | Q(submitted_at__isnull=False)
                | Q(status="not_participated"),
                name="federation_annualinspection_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.year}: {self.get_status_display()}"

    @property
    def is_reviewed(self) -> bool:
        return self.status in self.RESULTS

    @staticmethod
    def deadlines(*, organisation: Organisation, year: int) -> list[InspectionDeadline]:
        """When the report on ``year`` is due (in ``year + 1``); empty if none is filed."""
        due_year = year + 1
        march = datetime.date(due_year, 3, 31)
        may = datetime.date(due_year, 5, 31)
        result: list[InspectionDeadline] = []
        form = organisation.legal_form
        if form == Organisation.LegalForm.FOUNDATION:
            result.append(
                InspectionDeadline(march, _("annual report to the registration authority"))
            )
        elif form in (Organisation.LegalForm.SOCIAL_GROUP, Organisation.LegalForm.SERVICE_AGENCY):
            if organisation.supervising_unit:
                result.append(InspectionDeadline(march, _("annual report to the supervising unit")))
            result.append(
                InspectionDeadline(may, _("annual inspection by the registration authority"))
            )
        if organisation.is_charity:
            result.append(InspectionDeadline(may, _("annual report published on 慈善中国")))
        return sorted(result, key=lambda deadline: deadline.due_on)
