"""placeholder"""


def booth_open_slots(*, rule, since, until):
    return []


def booth_qualification_expiring(*, rule, since, until):
    return []


def service_records_missing(*, rule, since, until):
    return []
