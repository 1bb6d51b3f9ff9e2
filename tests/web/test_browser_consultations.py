"""Consultation in a real browser (Debian's Chromium through Playwright): issue 4, third flow.

A citizen on a phone comments on one section of an open draft; after the comment period the
drafting body answers that section (tiếp thu) and publishes the report; the citizen comes back
and reads the answer under the section. Skipped like tests/web/test_browser.py without Chromium.
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from danvan.accounts.models import Role
from danvan.accounts.services import official_create, role_grant
from danvan.democracy.consultations.models import Comment, Consultation, ConsultationContent
from danvan.democracy.consultations.services import consultation_create, section_add
from danvan.units.models import Era, Level, Unit
from tests.web.test_browser import MISSING, PASSWORD, REQUIRED, _watch, browser, official_units  # noqa: F401

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(MISSING is not None and not REQUIRED,
                                 reason=f"Bỏ qua kiểm thử trình duyệt: {MISSING}")]

COMMENT = "Đề nghị giữ lại sân chơi cho trẻ em ở tổ dân phố số 3, không chuyển sang đất ở."
ANSWER = "Cơ quan soạn thảo tiếp thu: giữ nguyên diện tích sân chơi tổ dân phố số 3."


def test_citizen_comments_and_later_reads_the_answer(browser: Any, live_server: Any,  # noqa: F811
                                                    official_units: None) -> None:  # noqa: F811
    from playwright.sync_api import expect

    # The content types are data of a migration; a transactional test before this one emptied them.
    importlib.import_module("danvan.democracy.consultations.migrations.0002_contents").load(apps, None)
    ba_dinh = Unit.objects.get(era=Era.CURRENT, level=Level.COMMUNE, code="00004")
    leader = official_create(actor=None, username="chutich.badinh", password=PASSWORD, full_name="Lê Thị Chủ Tịch")
    role_grant(actor=None, user=leader, role=Role.LEADER, unit=ba_dinh)
    now = timezone.now()
    consultation = consultation_create(
        actor=leader, unit=ba_dinh, content=ConsultationContent.objects.order_by("pk").first(),  # type: ignore[arg-type]
        title="Dự thảo kế hoạch sử dụng đất năm 2027 của phường", summary="Lấy ý kiến nhân dân",
        opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=10))
    section_add(actor=leader, consultation=consultation, label="Điều 1", title="Đất ở", body="Chuyển 2 ha đất ở.")
    play = section_add(actor=leader, consultation=consultation, label="Điều 2", title="Đất công cộng",
                       body="Chuyển sân chơi tổ dân phố số 3 sang đất ở.")
    base = live_server.url
    public_url = f"{base}/dan-chu/gop-y/{consultation.pk}/"

    # A citizen on a cheap phone, JavaScript off.
    phone = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN", java_script_enabled=False)
    citizen = phone.new_page()
    citizen.set_default_timeout(15_000)
    problems = _watch(citizen)
    citizen.goto(public_url)
    citizen.get_by_label("Góp ý vào phần").select_option(value=str(play.pk))
    citizen.get_by_label("Ý kiến góp ý của bạn").fill(COMMENT)
    citizen.get_by_label(re.compile("^Họ và tên")).fill("Phạm Văn Dân")
    citizen.get_by_role("button", name="Gửi góp ý").click()
    expect(citizen.locator(".messages")).to_contain_text("Đã ghi nhận ý kiến góp ý của bạn")
    assert Comment.objects.filter(section=play, body=COMMENT).exists()

    # The comment period ends.
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))

    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    office = desk.new_page()
    office.set_default_timeout(15_000)
    office_problems = _watch(office)
    office.goto(base + "/tai-khoan/dang-nhap/")
    office.get_by_label("Tên đăng nhập").fill("chutich.badinh")
    office.get_by_label("Mật khẩu").fill(PASSWORD)
    office.locator("main").get_by_role("button", name="Đăng nhập").click()
    expect(office).to_have_url(re.compile(r"/lam-viec/$"))
    office.goto(f"{base}/lam-viec/gop-y/{consultation.pk}/")
    section = office.locator(f"#tra-loi-{play.pk}")
    section.get_by_text("Thêm tiếp thu, giải trình").click()
    section.locator('input[value="tiep_thu"]').check()
    section.locator('textarea[name="body"]').fill(ANSWER)
    section.get_by_role("button", name="Lưu").click()
    expect(office.locator(f"#tra-loi-{play.pk}")).to_contain_text(ANSWER)
    office.once("dialog", lambda dialog: dialog.accept())
    office.get_by_role("button", name="Công bố báo cáo tiếp thu, giải trình").click()
    expect(office.locator(".messages")).to_be_visible()
    consultation.refresh_from_db()
    assert consultation.report_published_at is not None

    # The citizen comes back and reads the answer under the section.
    citizen.goto(public_url)
    answer = citizen.locator(f"#phan-{play.pk}")
    expect(answer).to_contain_text("Tiếp thu")
    expect(answer).to_contain_text(ANSWER)
    assert problems == [] and office_problems == []
