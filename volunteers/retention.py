"""Volunteers' hold on participants for the retention job (events.services.retention).

A participant linked to a volunteer record (志愿服务记录) is kept: the record and its
certificates are the person's ongoing service history. Erasing a volunteer is a
request handled by staff, not a rule.
"""

import datetime

from events.services.retention import register_keeper

from .models import VolunteerLink


def linked_participants(cutoff: datetime.datetime):
    return VolunteerLink.objects.values("participant_id")


register_keeper("volunteers", linked_participants)
