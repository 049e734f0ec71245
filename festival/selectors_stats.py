"""Figures for the staff dashboard, the annual report and an organisation's evidence pack.

At most four queries for the editions, whatever the number of editions,
activities and registrations (``selectors.edition_rows`` counts the same way, but
skips queries when there is nothing, so its query count varies with the data).
"""

from django.db.models import Count, F, Sum
from django.db.models.functions import Coalesce

from events.models import Event, Registration
from federation.models import Organisation

from .models import Award, Edition, WalkInCount
from .selectors import EditionRow


def edition_rows_until(*, year: int) -> list[EditionRow]:
    """Editions up to ``year``: attended + walk-ins + recorded, and the running total."""
    editions = list(Edition.objects.filter(year__lte=year).order_by("number"))
    # An edition's registrations: of its festival event or of one of its activities.
    # Event ids first (a few hundred at most), then one count on the registrations'
    # event index, instead of a join over every attended registration of every event.
    edition_of = dict(
        Event.objects.filter(festival_edition__isnull=False).values_list("pk", "festival_edition")
    )
    for event_id, edition in Event.objects.filter(parent_id__in=list(edition_of)).values_list(
        "pk", "parent__festival_edition"
    ):
        edition_of.setdefault(event_id, edition)  # its own edition first, as before
    attended: dict[int, int] = {}
    if edition_of:
        for event_id, n in (
            Registration.objects.filter(
                status=Registration.Status.ATTENDED, event_id__in=list(edition_of)
            )
            .values("event_id")
            .annotate(n=Count("pk"))
            .order_by()
            .values_list("event_id", "n")
        ):
            edition = edition_of[event_id]
            attended[edition] = attended.get(edition, 0) + n
    walk_ins = dict(
        WalkInCount.objects.annotate(
            edition=Coalesce(
                F("activity__festival_edition"), F("activity__parent__festival_edition")
            )
        )
        .filter(edition__isnull=False)
        .values("edition")
        .annotate(n=Sum("count"))
        .order_by()
        .values_list("edition", "n")
    )
    rows, total = [], 0
    for edition in editions:
        row = EditionRow(
            edition=edition,
            attended=attended.get(edition.pk, 0),
            walk_ins=walk_ins.get(edition.pk, 0),
            recorded=edition.recorded_count,
        )
        total += row.participants
        row.running_total = total
        rows.append(row)
    return rows


def award_list_for_organisation(*, organisation: Organisation, year: int) -> list[Award]:
    """Standing awards of ``year`` to the organisation or to its people (one query)."""
    return list(
        Award.objects.filter(organisation=organisation, year=year, revoked_at__isnull=True)
        .select_related("award_type")
        .order_by("award_type__code", "serial")
    )
