"""A case's whole journey in a real browser (Debian's Chromium through Playwright).

A citizen submits feedback with a photo on the public form (JavaScript off, as on an old
phone) and gets a code; the commune's leader assigns it; the handler drafts and submits an
answer; a second leader approves it after masking a name by hand; the handler sends it; the
citizen follows the code, reads the published, masked answer and rates it. Skipped like
tests/web/test_browser.py when Chromium is absent (unless DANVAN_REQUIRE_BROWSER=1).
"""

from __future__ import annotations

import importlib
import io
import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from danvan.accounts.models import Role
from danvan.accounts.services import official_create, role_grant
from danvan.attachments.models import Attachment
from danvan.cases.models import AnswerStatus, Case, CaseRating, Field, State
from danvan.units.models import Era, Level, Unit

from .test_browser import MISSING, PASSWORD, REQUIRED, _watch, browser, official_units  # noqa: F401

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(MISSING is not None and not REQUIRED,
                                 reason=f"Bỏ qua kiểm thử trình duyệt: {MISSING}")]

TITLE = "Ổ gà lớn trước cổng trường tiểu học"
HELPER_NAME = "Phạm Thị Hoa"  # named in the answer: masked by the approving leader


@pytest.fixture
def case_reference_data(official_units: None) -> None:  # noqa: F811
    """Fields, legal rules and holidays, written by a data migration: an earlier live-server
    test emptied every table when it ended, so write them again if that happened."""
    if not Field.objects.exists():
        from django.apps import apps

        migration = importlib.import_module("danvan.cases.migrations.0002_reference_data")
        migration.load(apps, None)


def _photo(tmp_path: Path) -> Path:
    out = io.BytesIO()
    Image.new("RGB", (80, 60), (120, 120, 120)).save(out, format="JPEG")
    path = tmp_path / "o-ga.jpg"
    path.write_bytes(out.getvalue())
    return path


def _login(page: Any, base: str, username: str) -> None:
    from playwright.sync_api import expect

    page.goto(base + "/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/lam-viec/$"))


def _logout(page: Any) -> None:
    page.get_by_role("button", name=re.compile(r"^Đăng xuất")).click()


def _citizen_submits(page: Any, base: str, photo: Path) -> str:
    from playwright.sync_api import expect

    page.goto(base + "/")
    page.get_by_role("link", name="Gửi phản ánh").first.click()
    expect(page).to_have_url(re.compile(r"/phan-anh/gui/$"))
    page.get_by_label("Phản ánh").check()
    page.get_by_label("Lĩnh vực").select_option(label="Giao thông")
    page.get_by_label("Tìm xã, phường, đặc khu (gõ tên, có dấu hoặc không dấu)").fill("phuong ba dinh")
    page.get_by_role("button", name="Tìm", exact=True).click()
    expect(page.locator("#commune-choice")).to_contain_text("Phường Ba Đình")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_description").fill("Ổ gà sâu khoảng 20 cm, học sinh đi xe đạp dễ ngã.")
    page.get_by_label(re.compile(r"^Chọn ảnh")).set_input_files(str(photo))
    page.get_by_label("Họ và tên").fill("Nguyễn Văn An")
    page.get_by_role("button", name="Gửi", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đã gửi thành công")
    code = page.locator(".count strong").inner_text().strip()
    assert re.fullmatch(r"PA\d{4}[0-9A-Z]{8}", code)
    return code


def _leader_assigns(page: Any, base: str, code: str) -> None:
    from playwright.sync_api import expect

    _login(page, base, "lanhdao.badinh")
    page.goto(base + "/lam-viec/ho-so/")
    page.get_by_role("link", name=code).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {code}")
    page.locator("#action-assign summary").click()
    page.locator("#id_assign-handler").select_option(label="Trần Văn Xử")
    page.locator("#action-assign").get_by_role("button", name="Giao xử lý").click()
    expect(page.locator(".messages")).to_contain_text("Đã giao hồ sơ cho cán bộ xử lý.")
    expect(page.locator("#case-facts")).to_contain_text("Trần Văn Xử")
    _logout(page)


def _handler_answers(page: Any, base: str, code: str) -> None:
    from playwright.sync_api import expect

    _login(page, base, "xuly.badinh")
    page.goto(base + "/lam-viec/ho-so/?tab=mine")
    page.get_by_role("link", name=code).click()
    page.locator("#action-start").get_by_role("button", name="Bắt đầu xử lý").click()
    expect(page.locator(".messages")).to_contain_text("Đã bắt đầu xử lý hồ sơ.")
    page.locator("#action-draft_answer summary").click()
    page.get_by_label("Nội dung văn bản trả lời").fill(
        f"UBND phường đã giao đội duy tu vá ổ gà. Ông Nguyễn Văn An vui lòng liên hệ bà {HELPER_NAME} "
        "(tổ trưởng) nếu còn hư hỏng.")
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu dự thảo văn bản trả lời.")
    page.get_by_role("button", name="Trình lãnh đạo duyệt").click()
    expect(page.locator("#case-facts")).to_contain_text("Chờ duyệt văn bản trả lời")
    _logout(page)


def _leader_approves(page: Any, base: str, code: str) -> None:
    from playwright.sync_api import expect

    _login(page, base, "phochutich.badinh")
    page.goto(base + "/lam-viec/ho-so/?tab=approval")
    page.get_by_role("link", name=code).click()
    page.locator("#action-approve_answer summary").click()
    box = page.get_by_label("Nội dung công khai (đã che thông tin cá nhân)")
    preview = box.input_value()
    assert "Nguyễn Văn An" not in preview and "***" in preview  # masked automatically
    assert HELPER_NAME in preview  # a name the masking cannot know
    box.fill(preview.replace(HELPER_NAME, "[[" + HELPER_NAME + "]]"))
    page.locator("#action-approve_answer").get_by_role("button", name="Duyệt").click()
    expect(page.locator(".messages")).to_contain_text("Đã duyệt văn bản trả lời.")
    expect(page.locator("#answer-published")).not_to_contain_text(HELPER_NAME)
    _logout(page)


def _handler_sends(page: Any, base: str, code: str) -> None:
    from playwright.sync_api import expect

    _login(page, base, "xuly.badinh")
    page.goto(base + f"/lam-viec/ho-so/{code}/")
    page.get_by_role("button", name="Gửi văn bản trả lời").click()
    expect(page.locator(".messages")).to_contain_text("Đã gửi văn bản trả lời")
    expect(page.locator("#case-facts")).to_contain_text("Đã trả lời")
    _logout(page)


def _citizen_reads_and_rates(page: Any, base: str, code: str) -> None:
    from playwright.sync_api import expect

    page.goto(base + "/")
    page.get_by_role("link", name="Tra cứu hồ sơ").click()
    page.get_by_label("Mã tra cứu").fill(code.lower())
    page.locator("main").get_by_role("button", name="Tra cứu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    main = page.locator("main")
    expect(main).to_contain_text("UBND phường đã giao đội duy tu vá ổ gà.")
    expect(main).not_to_contain_text(HELPER_NAME)
    expect(main).not_to_contain_text("Nguyễn Văn An")
    page.get_by_label("4 – Hài lòng").check()
    page.get_by_label("Nhận xét (không bắt buộc)").fill("Đã vá xong, cảm ơn phường.")
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.locator(".messages")).to_contain_text("Cảm ơn bạn đã đánh giá câu trả lời.")
    expect(page.locator("#rating-given")).to_contain_text("4/5")


def test_case_journey_in_a_browser(browser: Any, live_server: Any, case_reference_data: None,  # noqa: F811
                                   tmp_path: Path, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    ba_dinh = Unit.objects.get(era=Era.CURRENT, level=Level.COMMUNE, code="00004")
    for username, name, role in (("lanhdao.badinh", "Lê Minh Chủ", Role.LEADER),
                                 ("phochutich.badinh", "Đỗ Thu Phó", Role.LEADER),
                                 ("xuly.badinh", "Trần Văn Xử", Role.HANDLER)):
        user = official_create(actor=None, username=username, password=PASSWORD, full_name=name)
        role_grant(actor=None, user=user, role=role, unit=ba_dinh)
    base = live_server.url

    phone = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False,
                                is_mobile=True, has_touch=True, locale="vi-VN")
    citizen = phone.new_page()
    citizen.set_default_timeout(15_000)
    problems = _watch(citizen)
    code = _citizen_submits(citizen, base, _photo(tmp_path))
    case = Case.objects.get(code=code)
    assert case.status == State.RECEIVED and case.unit == ba_dinh
    assert Attachment.objects.filter(object_id=str(case.pk), mime_type="image/jpeg").count() == 1

    desktop = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    office = desktop.new_page()
    office.set_default_timeout(15_000)
    problems += _watch(office)
    _leader_assigns(office, base, code)
    _handler_answers(office, base, code)
    _leader_approves(office, base, code)
    _handler_sends(office, base, code)
    desktop.close()

    case.refresh_from_db()
    assert case.status == State.ANSWERED
    answer = case.answers.get(status=AnswerStatus.SENT)
    assert HELPER_NAME not in answer.published_text and "Nguyễn Văn An" not in answer.published_text

    _citizen_reads_and_rates(citizen, base, code)
    phone.close()
    rating = CaseRating.objects.get(case=case)
    assert (rating.score, rating.comment) == (4, "Đã vá xong, cảm ơn phường.")
    assert problems == []
