"""The portal in a real browser: Debian's Chromium driven by Playwright against a live server.

Skipped when Chromium is not installed, unless DANVAN_REQUIRE_BROWSER=1 (CI), which makes a
missing browser a failure. One test drives the whole journey, because every live-server test
empties the database when it ends and the next one would have to load the units again.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command

from danvan.accounts.models import Role
from danvan.accounts.services import official_create, role_grant
from danvan.units.models import Era, Level, Status, Unit
from danvan.units.services import village_create

CHROMIUM = os.environ.get("DANVAN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "mat-khau-an-toan-2025"
FILTER_LABEL = "Lọc xã, phường, đặc khu của Thành phố Hà Nội"


def _missing() -> str | None:
    """Why the browser cannot run here, or None."""
    if not os.path.exists(CHROMIUM):
        return f"không có Chromium tại {CHROMIUM} (gói Debian 'chromium'; xem scripts/ensure-chromium.sh)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "thiếu gói Python 'playwright'"
    return None


MISSING = _missing()
REQUIRED = os.environ.get("DANVAN_REQUIRE_BROWSER") == "1"
# Skipped before any fixture (no database, no live server) when the browser is absent.
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(MISSING is not None and not REQUIRED,
                                 reason=f"Bỏ qua kiểm thử trình duyệt: {MISSING}")]


def _require_browser() -> None:
    if MISSING is not None:
        pytest.fail(f"DANVAN_REQUIRE_BROWSER=1 nhưng {MISSING}", pytrace=False)


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    _require_browser()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls the test makes
    # while the browser is open are still plain synchronous calls.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def official_units(transactional_db: None) -> None:
    """The official unit tree, as the live server (another thread, committed data) sees it.

    The session set-up loads it once; an earlier transactional test empties every table
    when it ends, so load it again if that happened.
    """
    if Unit.objects.filter(era=Era.CURRENT, level=Level.PROVINCE, status=Status.ACTIVE).count() != 34:
        call_command("units", "import", verbosity=0)


def _watch(page: Any) -> list[str]:
    """Collect failed requests and script errors, so a missing script or style fails the test."""
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"pageerror: {exc}"))
    page.on("requestfailed", lambda req: problems.append(f"failed: {req.url}"))
    page.on("response", lambda res: res.status >= 400 and problems.append(f"{res.status}: {res.url}"))
    return problems


def _citizen_finds_ba_dinh(page: Any, base: str) -> None:
    from playwright.sync_api import expect

    # Home: 34 provinces, in Vietnamese.
    page.goto(base + "/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cổng dân vận số")
    expect(page.locator("#province-list > li")).to_have_count(34)

    # Pick Hà Nội.
    page.locator("#province-list a", has_text="Thành phố Hà Nội").click()
    expect(page).to_have_url(re.compile(r"/dia-phuong/01/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Thành phố Hà Nội")
    assert page.locator("#commune-list > li").count() > 100

    # Filter as you type (htmx): the list narrows without a page load and the URL follows.
    page.evaluate("window.__samePage = true")
    page.get_by_label(FILTER_LABEL).press_sequentially("ba dinh", delay=30)
    expect(page.locator("#commune-list > li")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"/dia-phuong/01/\?q=ba(\+|%20)dinh$"))
    expect(page.locator("#filter-status")).to_contain_text("khớp với “ba dinh”")
    assert page.evaluate("window.__samePage") is True

    # Open Phường Ba Đình: its village and its organisations.
    page.get_by_role("link", name="Phường Ba Đình", exact=True).click()
    expect(page).to_have_url(re.compile(r"/dia-phuong/00004/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Phường Ba Đình")
    expect(page.locator("#village-list")).to_contain_text("Tổ dân phố số 1")
    expect(page.locator("#organisation-list > li").first).to_have_text("Ủy ban nhân dân Phường Ba Đình")
    expect(page.locator("nav.breadcrumbs")).to_contain_text("Thành phố Hà Nội")


def _filter_reports_a_lost_connection(page: Any, base: str) -> None:
    from playwright.sync_api import expect

    page.goto(base + "/dia-phuong/01/")
    lost = re.compile(r".*/dia-phuong/01/\?q=.*")
    page.route(lost, lambda route: route.abort("internetdisconnected"))
    page.get_by_label(FILTER_LABEL).press_sequentially("zz", delay=30)
    status = page.locator("#filter-status")
    expect(status).to_have_class("load-error")
    expect(status).to_have_text("Không tải được kết quả. Hãy kiểm tra kết nối mạng rồi bấm nút để thử lại.")
    page.unroute(lost)
    # Back online: the next keystroke fetches again and the message goes away.
    page.get_by_label(FILTER_LABEL).press("Backspace")
    expect(page.locator("#commune-results")).to_contain_text("khớp với “z”")
    expect(status).to_have_class("visually-hidden")
    expect(status).to_have_text(re.compile(r"^Tìm thấy 0/\d+ xã, phường, đặc khu khớp với “z”$"))


def _official_sees_the_workspace(page: Any, base: str) -> None:
    from playwright.sync_api import expect

    page.get_by_role("link", name="Đăng nhập cán bộ").click()
    page.get_by_label("Tên đăng nhập").fill("canbo.badinh")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/lam-viec/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Xin chào, Trần Thị Lan")
    expect(page.locator("#role-table")).to_contain_text("Cán bộ xử lý")
    expect(page.locator("#scope-list > li")).to_have_count(1)
    expect(page.locator("#scope-list h3")).to_have_text("Phường Ba Đình")
    expect(page.locator("#scope-list dd")).to_have_text(["1"])


def _phone_without_javascript(page: Any, base: str) -> None:
    from playwright.sync_api import expect

    # The filter is a plain form: it works with JavaScript off.
    page.goto(base + "/dia-phuong/01/")
    page.get_by_label(FILTER_LABEL).fill("ba dinh")
    page.get_by_role("button", name="Lọc").click()
    expect(page).to_have_url(re.compile(r"/dia-phuong/01/\?q=ba\+dinh$"))
    expect(page.locator("#commune-list > li")).to_have_count(1)
    expect(page.locator("#commune-list")).to_contain_text("Phường Ba Đình")

    # Nothing is wider than a 360 px phone.
    for path in ("/", "/dia-phuong/01/", "/dia-phuong/00004/", "/tai-khoan/dang-nhap/", "/khong-co/"):
        page.goto(base + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, (path, width)

    # The skip link is the first stop of the keyboard, and it shows when focused.
    page.goto(base + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["y"] >= 0


def test_portal_in_a_browser(browser: Any, live_server: Any, official_units: None) -> None:
    ba_dinh = Unit.objects.get(era=Era.CURRENT, level=Level.COMMUNE, code="00004")
    village_create(actor=None, commune=ba_dinh, name="Tổ dân phố số 1")
    user = official_create(actor=None, username="canbo.badinh", password=PASSWORD, full_name="Trần Thị Lan")
    role_grant(actor=None, user=user, role=Role.HANDLER, unit=ba_dinh, title="Công chức Văn phòng")
    base = live_server.url

    desktop = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = desktop.new_page()
    page.set_default_timeout(15_000)
    problems = _watch(page)
    _citizen_finds_ba_dinh(page, base)
    _filter_reports_a_lost_connection(page, base)
    _official_sees_the_workspace(page, base)
    desktop.close()
    # Only the requests cut on purpose may have failed.
    assert [p for p in problems if not p.startswith("failed: ") or "?q=zz" not in p] == []

    phone = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False,
                                is_mobile=True, has_touch=True, device_scale_factor=2, locale="vi-VN")
    page = phone.new_page()
    page.set_default_timeout(15_000)
    problems = _watch(page)
    _phone_without_javascript(page, base)
    phone.close()
    # The unknown address answered 404 on purpose; nothing else may fail.
    assert [p for p in problems if "/khong-co/" not in p] == []
