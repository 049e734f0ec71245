from django.urls import reverse

from tests.federation.factories import OrgAdminFactory


def test_my_page_links_every_apps_organisation_area(client, db):
    member = OrgAdminFactory()
    client.force_login(member.user)
    html = client.get("/my/").content.decode()
    for url_name in [
        "events:registration-list",
        "events:participant-list",
        "alliances:my-alliances",
        "funds:my-grant-list",
    ]:
        assert f'href="{reverse(url_name)}"' in html, url_name
