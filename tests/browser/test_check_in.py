"""Check-in at a table on the street, on a phone in Chinese: typed codes and the camera scanner.

The camera test feeds chromium's fake camera (``--use-file-for-fake-video-capture``)
a Y4M video made here from the tickets' own QR codes (segno → Pillow → I420
frames), so the in-page scanner (jsQR, served from our static files) decodes
what a real ticket shows and the person is checked in without a second tap.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from events.models import Event, Registration
from events.tickets import check_in_url
from federation.models import STAFF_GROUP_NAME
from tests.browser.conftest import PHONE, goto, launched_chromium, login, screenshot
from tests.browser.journey import check_page
from tests.events.factories import EventFactory, ParticipantFactory, RegistrationFactory
from tests.federation.factories import StaffFactory
from tests.streets.factories import hub_staff

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _staff():
    staff = StaffFactory(name="工作人员乙（虚构）")
    staff.groups.add(Group.objects.get(name=STAFF_GROUP_NAME))
    return staff


def _today_event(title="月月·大篷车 街头场"):
    now = timezone.now()
    return EventFactory(
        title=title,
        kind=Event.Kind.CARAVAN,
        starts_at=now - datetime.timedelta(minutes=30),
        ends_at=now + datetime.timedelta(hours=2),
        registration_closes_at=now - datetime.timedelta(hours=1),
    )


def _person(event, name, mobile, code):
    participant = ParticipantFactory(name=name, mobile=mobile)
    return RegistrationFactory(event=event, participant=participant, check_in_code=code)


def _type_code(page, code):
    page.fill("input[name=q]", code)
    page.press("input[name=q]", "Enter")


def test_staff_check_in_by_typed_lower_case_code_on_a_phone(phone):
    staff = _staff()
    EventFactory(title="下月的活动")  # in ten days: listed after today's
    event = _today_event()
    other = _today_event("敬老院探访 今日场")
    wang = _person(event, "王雅琴（虚构）", "13900004321", "K7PM3Q")
    _person(other, "李四（虚构）", "13900005555", "X9RT2W")

    login(phone, staff.email, next_path="/events/check-in/")
    check_page(phone, "check-in-1-today-first")
    first = phone.locator("#check-in-today + ul li").first
    assert "今天" in phone.locator("#check-in-today").inner_text()
    assert phone.locator("ul.list-group").first.locator("a").first.get_attribute("href") in (
        f"/events/{event.slug}/check-in/",
        f"/events/{other.slug}/check-in/",
    )
    assert "下月的活动" not in phone.locator("#check-in-today + ul").inner_text()
    with phone.expect_navigation():
        first.page.locator(f'a[href="/events/{event.slug}/check-in/"]').click()
    assert phone.evaluate("document.activeElement.name") == "q"  # autofocus: type at once
    check_page(phone, "check-in-2-code-entry")

    _type_code(phone, "k7p m3q")  # lower case, with a space
    panel = phone.locator("#check-in-result .check-in-panel")
    panel.wait_for()
    assert panel.get_attribute("data-state") == "ok"
    text = panel.inner_text()
    assert "签到成功" in text and "王*琴（虚构）" in text and "1 号座" in text
    assert "王雅琴" not in text
    assert phone.locator("[data-check-in-count]").inner_text() == "已签到 1 / 1 人。"
    assert phone.input_value("input[name=q]") == ""  # cleared for the next person
    assert phone.evaluate("document.activeElement.name") == "q"
    check_page(phone, "check-in-3-green")
    wang.refresh_from_db()
    assert wang.status == Registration.Status.ATTENDED
    at = timezone.localtime(wang.checked_in_at).strftime("%H:%M")

    _type_code(phone, "ｋ７ｐ－ｍ３ｑ")  # full width, as a Chinese keyboard types it
    phone.locator('.check-in-panel[data-state="already"]').wait_for()
    assert f"已于 {at} 签到" in panel.inner_text()
    check_page(phone, "check-in-4-amber")

    _type_code(phone, "x9rt2w")  # a ticket for the other event today
    phone.locator('.check-in-panel[data-state="refused"]').wait_for()
    assert "这张票属于另一场活动：敬老院探访 今日场" in panel.inner_text()
    check_page(phone, "check-in-5-red")
    assert Registration.objects.get(check_in_code="X9RT2W").status == "confirmed"


def test_code_entry_works_without_javascript(browser, live_server):
    staff = _staff()
    event = _today_event()
    wang = _person(event, "王雅琴（虚构）", "13900004321", "K7PM3Q")
    context = browser.new_context(
        viewport=PHONE, java_script_enabled=False, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    page = context.new_page()
    page.base_url = live_server.url
    login(page, staff.email, next_path=f"/events/{event.slug}/check-in/")
    assert not page.locator("[data-check-in-scanner]").is_visible()  # no camera without JS
    with page.expect_navigation():
        _type_code(page, "k7pm3q")
    assert page.locator('.check-in-panel[data-state="ok"]').is_visible()
    screenshot(page, "check-in-6-no-javascript")
    context.close()
    wang.refresh_from_db()
    assert wang.status == Registration.Status.ATTENDED


def test_hub_staff_check_in_by_typed_code_on_a_phone(phone):
    staff = hub_staff("310106006")  # 江宁路街道
    event = _today_event("江宁路 邻里节")
    event.street = staff.hub.street
    event.save(update_fields=["street"])
    wang = _person(event, "王雅琴（虚构）", "13900004321", "K7PM3Q")
    login(phone, staff.user.email, next_path=f"/streets/hub/check-in/{event.slug}/")
    check_page(phone, "check-in-hub-1")
    _type_code(phone, "k7pm3q")
    phone.locator('.check-in-panel[data-state="ok"]').wait_for()
    check_page(phone, "check-in-hub-2-green")
    wang.refresh_from_db()
    assert wang.status == Registration.Status.ATTENDED


# --- The camera ----------------------------------------------------------------------------------

FRAME_W, FRAME_H, FPS = 640, 480, 10


def _qr_frame(content: str | None):
    """A grey-scale 640x480 picture: a ticket's QR code in the middle, or an empty table."""
    from PIL import Image

    picture = Image.new("L", (FRAME_W, FRAME_H), 235)
    if content is None:
        return picture
    import segno

    matrix = segno.make(content, error="m").matrix
    size = len(matrix) + 8  # four modules of quiet zone on each side
    code = Image.new("L", (size, size), 255)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                code.putpixel((x + 4, y + 4), 0)
    side = min(FRAME_W, FRAME_H) - 40
    code = code.resize((side, side), Image.Resampling.NEAREST)
    picture.paste(code, ((FRAME_W - side) // 2, (FRAME_H - side) // 2))
    return picture


def write_y4m(path, scenes):
    """Write ``scenes`` — (picture, seconds) pairs — as an uncompressed 4:2:0 Y4M video.

    Luma is the grey picture itself; both chroma planes are neutral (128), so the
    video is black and white. Chromium loops the file.
    """
    chroma = bytes([128]) * (FRAME_W // 2 * FRAME_H // 2)
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{FRAME_W} H{FRAME_H} F{FPS}:1 Ip A1:1 C420jpeg\n".encode())
        for picture, seconds in scenes:
            frame = b"FRAME\n" + picture.tobytes() + chroma + chroma
            for _ in range(int(seconds * FPS)):
                video.write(frame)


def chromium_with_camera(y4m_path):
    """Chromium whose camera films ``y4m_path``; allowed without asking (the fake UI)."""
    return launched_chromium(
        [
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={y4m_path}",
        ]
    )


def test_the_camera_scans_a_ticket_and_checks_in_without_a_second_tap(
    transactional_db, live_server, tmp_path
):
    staff = _staff()
    event = _today_event()
    wang = _person(event, "王雅琴（虚构）", "13900004321", "K7PM3Q")
    zhao = _person(event, "赵敏（虚构）", "13900006666", "P4WZ8N")
    video = tmp_path / "tickets.y4m"
    # Wang's ticket, an empty table, Zhao's ticket, an empty table; then again.
    write_y4m(
        video,
        [
            (_qr_frame(check_in_url(wang)), 2),
            (_qr_frame(None), 4),
            (_qr_frame(check_in_url(zhao)), 2),
            (_qr_frame(None), 4),
        ],
    )
    with chromium_with_camera(video) as browser:
        context = browser.new_context(
            viewport=PHONE,
            is_mobile=True,
            has_touch=True,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"},
        )
        context.set_default_timeout(20_000)
        page = context.new_page()
        page.base_url = live_server.url
        foreign = []
        page.on(
            "request",
            lambda request: (
                None
                if request.url.startswith((live_server.url, "data:", "blob:"))
                else foreign.append(request.url)
            ),
        )
        login(page, staff.email, next_path=f"/events/{event.slug}/check-in/")
        # The camera was allowed before (chromium's fake UI allows it), so scanning starts
        # with the page; the first time it is one tap on 用摄像头扫码签到.
        page.locator("[data-check-in-scanner][data-scanning]").wait_for()

        panel = page.locator("#check-in-result .check-in-panel")
        page.locator('.check-in-panel[data-state="ok"]', has_text="王*琴").wait_for()
        screenshot(page, "check-in-7-camera-green")
        # Scanning goes on by itself: the next ticket, then the first one again (amber).
        page.locator('.check-in-panel[data-state="ok"]', has_text="赵*（虚构）").wait_for()
        page.locator('.check-in-panel[data-state="already"]', has_text="王*琴").wait_for()
        screenshot(page, "check-in-8-camera-amber")
        assert "签到" in panel.inner_text()
        goto(page, f"/events/{event.slug}/check-in/")  # stops the camera
        context.close()
    assert foreign == []
    for registration in (wang, zhao):
        registration.refresh_from_db()
        assert registration.status == Registration.Status.ATTENDED
