"""The demo catalogue: 145 fictitious offerings in the twelve fields, a few awaiting review."""

import io

import pytest
from django.core.management import call_command

from catalogue.models import ServiceOffering


@pytest.mark.django_db
def test_seed_demo_loads_145_offerings_in_twelve_fields_once():
    call_command("seed_demo", stdout=io.StringIO())
    offerings = ServiceOffering.objects.all()
    assert offerings.count() == 145
    assert offerings.values("field").distinct().count() == 12
    assert offerings.filter(status="submitted").count() == 5
    assert offerings.filter(status="published").count() == 139
    assert all("虚构" in o.description and "虚构" in o.contact_person for o in offerings)
    call_command("seed_demo", stdout=io.StringIO())
    assert ServiceOffering.objects.count() == 145
