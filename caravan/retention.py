"""The caravan's part in the retention job (events.services.retention).

Kept: people on duty at a live booth application for a caravan held on or after
the cutoff date. Erased with an anonymised participant: their qualifications
(certificate numbers, issuers and scans).
"""

import datetime

from core.timezone import local_date
from events.services.retention import register_eraser, register_keeper

from .models import BoothApplication, Qualification


def people_on_duty(cutoff: datetime.datetime):
    return BoothApplication.people.through.objects.filter(
        boothapplication__status__in=BoothApplication.LIVE_STATUSES,
        boothapplication__slot__caravan__held_on__gte=local_date(cutoff),
    ).values("participant_id")


def erase_qualifications(participant_pks: list[int]) -> None:
    for qualification in Qualification.objects.filter(participant_id__in=participant_pks):
        if qualification.scan:
            qualification.scan.delete(save=False)
        qualification.delete()


register_keeper("caravan", people_on_duty)
register_eraser("caravan", erase_qualifications)
