"""Decisions in a real browser (Debian's Chromium through Playwright).

A village head records a community meeting vote that passes and publishes it; a household
votes online once with its code on a phone with JavaScript off, and is refused the second
time. Skipped like tests/web/test_browser.py when Chromium is absent.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from danvan.accounts.models import Role
from danvan.accounts.services import official_create, role_grant
from danvan.democracy.decisions.models import BallotReceipt, Decision, Form, Outcome, Status
from danvan.democracy.decisions.services import Action, decision_create, decision_transition, voting_codes_issue
from danvan.units.models import Era, Level, Unit
from tests.factories import VillageFactory
from tests.web.test_browser import MISSING, PASSWORD, REQUIRED, _watch, browser, official_units  # noqa: F401

from .conftest import READY, load_reference_data, make_households, matter

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(MISSING is not None and not REQUIRED,
                                 reason=f"Bỏ qua kiểm thử trình duyệt: {MISSING}")]

TITLE = "Đóng góp lắp đèn chiếu sáng ngõ 12"


def _login(page: Any, base: str, username: str) -> None:
    from playwright.sync_api import expect

    page.goto(base + "/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/lam-viec/$"))


def test_meeting_vote_and_online_ballot_in_a_browser(browser: Any, live_server: Any,  # noqa: F811
                                                     official_units: None) -> None:  # noqa: F811
    from playwright.sync_api import expect

    load_reference_data()
    ba_dinh = Unit.objects.get(era=Era.CURRENT, level=Level.COMMUNE, code="00004")
    village = VillageFactory(parent=ba_dinh, name="Tổ dân phố số 12")
    households = make_households(village, 6)
    head = official_create(actor=None, username="totruong12", password=PASSWORD, full_name="Vũ Văn Tổ")
    role_grant(actor=None, user=head, role=Role.VILLAGE_HEAD, unit=village)
    base = live_server.url

    desktop = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    office = desktop.new_page()
    office.set_default_timeout(15_000)
    problems = _watch(office)
    _login(office, base, "totruong12")
    office.get_by_role("link", name=re.compile("^Dân bàn và quyết định: hội nghị")).click()
    office.get_by_role("link", name="Tạo biểu quyết mới").click()
    office.get_by_label("Nội dung biểu quyết").fill(TITLE)
    office.get_by_label(re.compile(r"^Loại nội dung")).select_option(label=matter("infrastructure").name)
    office.get_by_label("Hội nghị cộng đồng dân cư").check()
    office.get_by_role("button", name="Tạo dự thảo").click()
    expect(office.get_by_role("heading", level=1)).to_have_text(TITLE)
    office.get_by_role("button", name="Bắt đầu lấy ý kiến").click()
    expect(office.locator("#decision-status")).to_have_text("Đang lấy ý kiến")
    for household in households[:5]:
        office.get_by_label(f"Hộ {household.number} tham dự").check()
    office.get_by_role("button", name="Lưu danh sách tham dự").click()
    expect(office.locator(".messages")).to_contain_text("Đã ghi nhận 5 đại diện hộ gia đình tham dự.")
    minutes = office.locator("#meeting")
    minutes.get_by_label("Ngày họp").fill("2026-03-15")
    minutes.get_by_label("Giờ bắt đầu").fill("19:30")
    minutes.get_by_label("Địa điểm").fill("Nhà văn hóa tổ dân phố số 12")
    office.get_by_role("button", name="Lưu biên bản").click()
    expect(office.locator(".messages")).to_contain_text("Đã lưu thông tin hội nghị và biên bản.")
    expect(office.locator("#meeting").get_by_label("Giờ bắt đầu")).to_have_value("19:30")
    tallies = office.locator("#tallies")
    tallies.get_by_label(re.compile(r"^Đồng ý")).fill("4")
    tallies.get_by_label(re.compile(r"^Không đồng ý")).fill("1")
    office.get_by_role("button", name="Lưu kết quả").click()
    expect(office.locator(".messages")).to_contain_text("Đã lưu kết quả biểu quyết tại hội nghị.")
    count_form = office.locator("form", has=office.locator("#action-count"))
    count_form.get_by_label("Tôi xác nhận: thao tác này không hoàn tác được.").check()
    office.locator("#action-count").click()
    expect(office.locator("#results-heading")).to_contain_text("Được thông qua")
    expect(office.locator("#tally-check")).to_contain_text("khớp với kết quả")
    publish_form = office.locator("form", has=office.locator("#action-publish"))
    publish_form.get_by_label("Tôi xác nhận: thao tác này không hoàn tác được.").check()
    office.locator("#action-publish").click()
    expect(office.locator("#decision-status")).to_have_text("Đã công bố kết quả")
    meeting = Decision.objects.get(title=TITLE)
    assert (meeting.status, meeting.outcome, meeting.participants) == (Status.PUBLISHED, Outcome.PASSED, 5)
    expect(office.locator("#meeting-when")).to_contain_text("19 giờ 30, ngày 15/03/2026")
    assert problems == []

    # An online vote; the code reaches the household by SMS (here: taken from the service).
    online = decision_create(actor=head, village=village, title="Giờ mở cửa nhà văn hóa",
                             matter_type=matter("other_self_management"), form=Form.ONLINE_VOTE, online=READY)
    decision_transition(actor=head, decision=online, action=Action.OPEN)
    code = voting_codes_issue(actor=head, decision=online).codes[households[0].pk]

    phone = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False,
                                is_mobile=True, has_touch=True, locale="vi-VN")
    citizen = phone.new_page()
    citizen.set_default_timeout(15_000)
    citizen.goto(base + f"/dan-chu/bieu-quyet/{online.pk}/")
    citizen.get_by_label("Mã biểu quyết của hộ (trong tin nhắn SMS)").fill(f"{code[:4]}-{code[4:]}")
    citizen.get_by_label("Đồng ý", exact=True).check()
    citizen.get_by_role("button", name="Gửi biểu quyết").click()
    expect(citizen.locator("#vote-recorded")).to_contain_text("Đã ghi nhận biểu quyết của hộ gia đình.")
    citizen.goto(base + f"/dan-chu/bieu-quyet/{online.pk}/")
    citizen.get_by_label("Mã biểu quyết của hộ (trong tin nhắn SMS)").fill(code)
    citizen.get_by_label("Không đồng ý", exact=True).check()
    citizen.get_by_role("button", name="Gửi biểu quyết").click()
    expect(citizen.locator("main")).to_contain_text(
        "Hộ gia đình này đã biểu quyết. Mỗi hộ chỉ được biểu quyết một lần.")
    assert BallotReceipt.objects.filter(decision=online).count() == 1

    # The published meeting result is on the commune's public page.
    citizen.goto(base + "/dan-chu/bieu-quyet/xa/00004/")
    expect(citizen.locator("#public-decisions")).to_contain_text(TITLE)
    expect(citizen.locator("#public-decisions")).to_contain_text("Được thông qua")
