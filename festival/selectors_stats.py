"""Figures for the staff dashboard, the annual report and an organisation's evidence pack.

Four queries for the editions, whatever the number of editions,
activities and registrations (``selectors.edition_rows`` counts the same way, but
skips queries when there is nothing, so its query count varies with the data).
"""

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce

from events.models import Event, Registration
from federation.models import Organisation

from .models import Award, Edition, WalkInCount
from .selectors import EditionRow


def edition_rows_until(*, year: int) -> list[EditionRow]:
    """Editions up to ``year``: attended + walk-ins + recorded, and the running total."""
    editions = list(Edition.objects.filter(year__lte=year).order_by("number"))
    # An edition's registrations: of its festival event or of one of its activities.
    # The festival events (a few hundred at most) first, then one count keyed on the
    # registrations' event index, instead of a join over every attended registration.
    festival_events = Event.objects.filter(
        Q(festival_edition__isnull=False) | Q(parent__festival_edition__isnull=False)
    )
    edition_of = dict(
        festival_events.annotate(
            edition=Coalesce(F("festival_edition"), F("parent__festival_edition"))
        ).values_list("pk", "edition")
    )
    attended: dict[int, int] = {}
    for event_id, n in (
        Registration.objects.filter(
            status=Registration.Status.ATTENDED, event_id__in=festival_events.values("pk")
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
