"""A "Dân vận khéo" model's journey in a real browser (Debian's Chromium through Playwright).

The Front of Phường Ba Đình registers a model and sends it to appraisal; two members of the
city's panel score it; the ward's chairman certifies it. The Front of Xã Sóc Sơn, in the north
of the city, finds it on the public gallery and records a replica, which the panel appraises
and the commune's chairman certifies. Both then appear on the public gallery, in each other's
replication tree and as two markers on the Leaflet map. Skipped like tests/web/test_browser.py
when Chromium is absent (unless DANVAN_REQUIRE_BROWSER=1).
"""

from __future__ import annotations

import importlib
import io
import json
import re
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from PIL import Image

from danvan.accounts.models import Role
from danvan.accounts.services import official_create, role_grant
from danvan.practices.models import Appraisal, AppraisalCriterion, Level, Practice, Replication, State
from danvan.practices.views_public import DEFAULT_MAP_TILES
from danvan.units.models import Era, Unit
from danvan.units.models import Level as UnitLevel
from tests.web.test_browser import MISSING, PASSWORD, REQUIRED, _watch, browser, official_units  # noqa: F401

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(MISSING is not None and not REQUIRED,
                                 reason=f"Bỏ qua kiểm thử trình duyệt: {MISSING}")]

NAME = "Dân vận khéo trong vận động Nhân dân hiến đất mở rộng ngõ xóm"
FIELD = "Xây dựng hệ thống chính trị"
DESCRIPTION = "Tổ dân phố họp bàn công khai, cán bộ đến từng hộ vận động; hộ hiến đất được ghi công trên bảng tin."
REPLICA_HOLDER = "Ủy ban Mặt trận Tổ quốc Việt Nam Xã Sóc Sơn"
BA_DINH_AT = ("21.0358", "105.8342")
SOC_SON_AT = ("21.2566", "105.8486")


def _tile_pattern() -> re.Pattern[str]:
    """The tile server's addresses ({s}, {z}, {x}, {y} as wildcards): served by the test, not the network."""
    template = getattr(settings, "DANVAN_MAP_TILES", DEFAULT_MAP_TILES)
    return re.compile("^" + re.sub(r"\\\{[a-z]\\\}", "[^/]+", re.escape(template)) + "$")


def _tile() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (256, 256), (230, 236, 222)).save(out, format="PNG")
    return out.getvalue()


def _follow(page: Any, target: Any) -> None:
    """Click a link or button that opens a page and wait until it has loaded, scripts and map
    tiles included: leaving a page half-loaded would cut its requests short, and ``_watch``
    would report them as failed."""
    with page.expect_navigation():
        target.click()


class Desk:
    """A browser window for one person: one context (its own cookies), tiles served locally."""

    def __init__(self, chromium: Any, base: str, tile: bytes) -> None:
        self.context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        self.context.route(_tile_pattern(), lambda route: route.fulfill(status=200, content_type="image/png",
                                                                        body=tile))
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.problems = _watch(self.page)
        self.base = base

    def sign_in(self, username: str) -> Any:
        from playwright.sync_api import expect

        page = self.page
        page.goto(self.base + "/tai-khoan/dang-nhap/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        _follow(page, page.locator("main").get_by_role("button", name="Đăng nhập"))
        expect(page).to_have_url(re.compile(r"/lam-viec/$"))
        return page

    def close(self) -> list[str]:
        self.page.wait_for_load_state()
        self.context.close()
        return self.problems


def _send_to_appraisal(page: Any) -> None:
    from playwright.sync_api import expect

    _follow(page, page.locator("#practice-actions").get_by_role("button", name="Đưa ra thẩm định"))
    expect(page.locator(".messages")).to_contain_text("Đã thực hiện: Đưa ra thẩm định.")
    expect(page.locator("#practice-status")).to_have_text("Đang thẩm định")


def _appraise(desk: Desk, username: str, member: str, *, short: int, comment: str) -> None:
    """A panel member opens the model waiting for appraisal from the list and scores it."""
    from playwright.sync_api import expect

    page = desk.sign_in(username)
    _follow(page, page.locator("#practices-link").get_by_role("link", name="Mô hình “Dân vận khéo”"))
    page.get_by_label("Trạng thái").select_option(label="Đang thẩm định")
    _follow(page, page.get_by_role("button", name="Lọc"))
    expect(page.locator("#practice-table tbody tr")).to_have_count(1)
    _follow(page, page.locator("#practice-table").get_by_role("link", name=NAME))
    _follow(page, page.locator("#practice-actions").get_by_role("link", name="Chấm điểm thẩm định"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Thẩm định mô hình")
    criteria = list(AppraisalCriterion.objects.filter(active=True).order_by("order", "id"))
    for criterion in criteria:
        page.get_by_label(criterion.name).fill(str(criterion.max_score))
    # The last criterion (lasting, able to spread) is scored below the maximum.
    page.get_by_label(criteria[-1].name).fill(str(criteria[-1].max_score - short))
    page.get_by_label("Nhận xét của thành viên hội đồng").fill(comment)
    _follow(page, page.get_by_role("button", name="Lưu phiếu thẩm định"))
    expect(page.locator(".messages")).to_contain_text("Đã lưu phiếu thẩm định.")
    maximum = sum(c.max_score for c in criteria)
    row = page.locator("#appraisal-table tbody tr", has_text=member)
    expect(row.locator(".score-total")).to_have_text(f"{maximum - short}/{maximum}")
    expect(row).to_contain_text(comment)


def _certify(desk: Desk, username: str, practice: Practice, *, number: str, body: str) -> None:
    """The commune's chairman records the decision recognising the model at commune level."""
    from playwright.sync_api import expect

    page = desk.sign_in(username)
    page.goto(f"{desk.base}/lam-viec/dan-van-kheo/{practice.pk}/")
    _follow(page, page.locator("#practice-actions").get_by_role("link", name="Công nhận", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text("Công nhận mô hình")
    page.get_by_label("Cấp xã").check()
    page.get_by_label("Số quyết định").fill(number)
    expect(page.get_by_label("Cơ quan ra quyết định")).to_have_value(body)
    expect(page.get_by_label("Ngày quyết định")).not_to_have_value("")
    _follow(page, page.locator("#action-form").get_by_role("button", name="Công nhận"))
    expect(page.locator(".messages")).to_contain_text("Đã công nhận mô hình.")
    expect(page.locator("#practice-status")).to_have_text("Đã công nhận")
    expect(page.locator("#recognitions")).to_contain_text(f"Quyết định số {number}")


def _map_points(page: Any) -> list[dict[str, Any]]:
    points: list[dict[str, Any]] = json.loads(page.locator("#practice-map-points").text_content())
    return points


def test_model_certified_replicated_and_mapped_in_a_browser(browser: Any, live_server: Any,  # noqa: F811
                                                            official_units: None) -> None:  # noqa: F811
    from playwright.sync_api import expect

    # Fields and appraisal criteria are data of a migration; a transactional test before this one emptied them.
    importlib.import_module("danvan.practices.migrations.0002_reference_data").load(apps, None)
    hanoi = Unit.objects.get(era=Era.CURRENT, level=UnitLevel.PROVINCE, code="01")
    ba_dinh = Unit.objects.get(era=Era.CURRENT, level=UnitLevel.COMMUNE, code="00004")
    soc_son = Unit.objects.get(era=Era.CURRENT, level=UnitLevel.COMMUNE, code="00376")
    people = [
        ("mattran.badinh", "Nguyễn Thị Mặt Trận", Role.SUPERVISOR, ba_dinh),
        ("chutich.badinh", "Lê Văn Chủ Tịch", Role.LEADER, ba_dinh),
        ("tgdv.hanoi", "Trần Văn Dân Vận", Role.SUPERVISOR, hanoi),
        ("phunu.hanoi", "Phạm Thị Phụ Nữ", Role.SUPERVISOR, hanoi),
        ("mattran.socson", "Đỗ Văn Sóc Sơn", Role.SUPERVISOR, soc_son),
        ("chutich.socson", "Hoàng Thị Xã Trưởng", Role.LEADER, soc_son),
    ]
    for username, full_name, role, unit in people:
        user = official_create(actor=None, username=username, password=PASSWORD, full_name=full_name)
        role_grant(actor=None, user=user, role=role, unit=unit)
    base = live_server.url
    tile = _tile()
    problems: list[str] = []

    # The Front of Phường Ba Đình registers the model and sends it to appraisal.
    desk = Desk(browser, base, tile)
    page = desk.sign_in("mattran.badinh")
    _follow(page, page.locator("#practices-link").get_by_role("link", name="Đăng ký mô hình"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký mô hình “Dân vận khéo”")
    page.get_by_label(re.compile("^Tên mô hình")).fill(NAME)
    page.get_by_label("Tập thể", exact=True).check()
    page.get_by_label("Tập thể, cá nhân thực hiện").fill("Ban Công tác Mặt trận các tổ dân phố Phường Ba Đình")
    page.get_by_label(re.compile("^Lĩnh vực")).select_option(label=FIELD)
    page.get_by_label(re.compile("^Đơn vị thực hiện")).select_option(label="Phường Ba Đình (00004)")
    page.get_by_label("Ủy ban Mặt trận Tổ quốc Việt Nam").check()
    page.get_by_label("Số người tham gia").fill("350")
    page.get_by_label("Nội dung, cách làm").fill(DESCRIPTION)
    page.get_by_label("Kết quả đạt được").fill("Mở rộng 1,2 km ngõ xóm, 86 hộ tự nguyện hiến đất.")
    # A click on the map fills the coordinates (then typed exactly, as an official with a GPS reading would).
    expect(page.locator("#place-map")).to_be_visible()
    page.locator("#place-map").click(position={"x": 150, "y": 120})
    expect(page.get_by_label("Vĩ độ")).not_to_have_value("")
    expect(page.get_by_label("Kinh độ")).not_to_have_value("")
    page.get_by_label("Vĩ độ").fill(BA_DINH_AT[0])
    page.get_by_label("Kinh độ").fill(BA_DINH_AT[1])
    _follow(page, page.get_by_role("button", name="Lưu", exact=True))
    expect(page.locator(".messages")).to_contain_text("Đã đăng ký mô hình.")
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    expect(page.locator("#practice-status")).to_have_text("Đã đăng ký")
    original = Practice.objects.get(unit=ba_dinh)
    assert (original.latitude, original.longitude) == (float(BA_DINH_AT[0]), float(BA_DINH_AT[1]))
    assert list(original.organisations.values_list("kind", flat=True)) == ["mttq"]
    _send_to_appraisal(page)
    problems += desk.close()

    # Two members of the city's panel score it.
    desk = Desk(browser, base, tile)
    _appraise(desk, "tgdv.hanoi", "Trần Văn Dân Vận", short=0, comment="Cách làm công khai, dân chủ.")
    problems += desk.close()
    desk = Desk(browser, base, tile)
    _appraise(desk, "phunu.hanoi", "Phạm Thị Phụ Nữ", short=4, comment="Cần theo dõi thêm độ bền vững.")
    problems += desk.close()
    assert Appraisal.objects.filter(practice=original, round=1).count() == 2

    # The ward's chairman certifies it.
    desk = Desk(browser, base, tile)
    _certify(desk, "chutich.badinh", original, number="45/QĐ-UBND", body="Ủy ban nhân dân Phường Ba Đình")
    problems += desk.close()
    original.refresh_from_db()
    assert (original.status, original.certified_level) == (State.CERTIFIED, Level.COMMUNE)

    # The Front of Xã Sóc Sơn finds it on the public gallery and records a replica.
    desk = Desk(browser, base, tile)
    page = desk.sign_in("mattran.socson")
    _follow(page, page.locator("header").get_by_role("link", name="Dân vận khéo", exact=True))
    page.get_by_label("Tìm mô hình").fill("hien dat ngo xom")
    _follow(page, page.get_by_role("button", name="Tìm", exact=True))
    expect(page.locator("#gallery-list > li")).to_have_count(1)
    _follow(page, page.locator("#gallery-list").get_by_role("link", name=NAME))
    expect(page.locator("#family-empty")).to_be_visible()
    _follow(page, page.get_by_role("link", name="Ghi nhận mô hình nhân rộng tại địa phương"))
    expect(page.locator("#replica-source")).to_contain_text(f"Nhân rộng từ mô hình “{NAME}” (Phường Ba Đình)")
    expect(page.get_by_label(re.compile("^Tên mô hình"))).to_have_value(NAME)
    expect(page.get_by_label("Nội dung, cách làm")).to_have_value(DESCRIPTION)
    page.get_by_label("Tập thể, cá nhân thực hiện").fill(REPLICA_HOLDER)
    page.get_by_label(re.compile("^Đơn vị thực hiện")).select_option(label="Xã Sóc Sơn (00376)")
    page.get_by_label("Số người tham gia").fill("120")
    page.get_by_label("Vĩ độ").fill(SOC_SON_AT[0])
    page.get_by_label("Kinh độ").fill(SOC_SON_AT[1])
    page.get_by_label("Ghi chú về việc nhân rộng").fill("Đoàn công tác của xã học tập kinh nghiệm tại Ba Đình.")
    _follow(page, page.get_by_role("button", name="Lưu", exact=True))
    expect(page.locator(".messages")).to_contain_text("Đã ghi nhận mô hình nhân rộng.")
    expect(page.locator("#practice-status")).to_have_text("Đã đăng ký")
    expect(page.locator("#family-tree")).to_contain_text("Phường Ba Đình")
    replica = Practice.objects.get(unit=soc_son)
    assert Replication.objects.get(replica=replica).source == original
    _send_to_appraisal(page)
    problems += desk.close()

    # The panel scores the replica; the commune's chairman certifies it.
    desk = Desk(browser, base, tile)
    _appraise(desk, "tgdv.hanoi", "Trần Văn Dân Vận", short=2, comment="Nhân rộng đúng cách làm của Ba Đình.")
    problems += desk.close()
    desk = Desk(browser, base, tile)
    _certify(desk, "chutich.socson", replica, number="12/QĐ-UBND", body="Ủy ban nhân dân Xã Sóc Sơn")
    problems += desk.close()
    replica.refresh_from_db()
    assert replica.status == State.CERTIFIED

    # Anyone: both models on the gallery, in each other's tree and as two markers on the map.
    desk = Desk(browser, base, tile)
    page = desk.page
    page.goto(base + "/dan-van-kheo/")
    expect(page.locator("#gallery-count")).to_have_text("2 mô hình")
    cards = page.locator("#gallery-list > li")
    expect(cards).to_have_count(2)
    expect(cards.filter(has_text="Phường Ba Đình, Thành phố Hà Nội")).to_have_count(1)
    expect(cards.filter(has_text="Xã Sóc Sơn, Thành phố Hà Nội")).to_have_count(1)
    expect(cards.filter(has_text="Xã Sóc Sơn")).to_contain_text(REPLICA_HOLDER)
    # The gallery's map: the page's two models, each marker's popup a link to its page.
    expect(page.locator("#practice-map path.leaflet-interactive")).to_have_count(2)
    assert {(p["id"], p["url"]) for p in _map_points(page)} == {
        (original.pk, f"/dan-van-kheo/{original.pk}/"), (replica.pk, f"/dan-van-kheo/{replica.pk}/")}
    page.locator("#practice-map path.leaflet-interactive").first.click()
    expect(page.locator(".leaflet-popup-content a")).to_have_attribute("href", re.compile(r"^/dan-van-kheo/\d+/$"))
    page.wait_for_load_state("networkidle")

    _follow(page, cards.filter(has_text="Phường Ba Đình").get_by_role("link", name=NAME))
    expect(page).to_have_url(re.compile(rf"/dan-van-kheo/{original.pk}/$"))
    expect(page.locator("#recognitions")).to_contain_text("Quyết định số 45/QĐ-UBND")
    family = page.locator("section", has=page.locator("#family-heading"))
    expect(family.get_by_role("heading", level=2)).to_have_text("Nhân rộng")
    expect(family).to_contain_text("Mô hình này thuộc một nhóm 2 mô hình đã được công nhận, nhân rộng từ cùng "
                                   "một mô hình gốc.")
    tree = page.locator("#family-tree")
    expect(tree.locator("a[aria-current=page]")).to_have_text(NAME)
    expect(tree.locator("li li")).to_contain_text("Xã Sóc Sơn, Thành phố Hà Nội")
    points = _map_points(page)
    assert {(p["id"], p["lat"], p["lon"], p["main"]) for p in points} == {
        (original.pk, float(BA_DINH_AT[0]), float(BA_DINH_AT[1]), True),
        (replica.pk, float(SOC_SON_AT[0]), float(SOC_SON_AT[1]), False)}
    expect(page.locator("#practice-map")).to_be_visible()
    expect(page.locator("#practice-map path.leaflet-interactive")).to_have_count(2)
    expect(page.locator("#practice-map img.leaflet-tile-loaded").first).to_be_visible()

    # The replica's page: the same group, seen from Sóc Sơn.
    _follow(page, tree.locator("li li").get_by_role("link", name=NAME))
    expect(page).to_have_url(re.compile(rf"/dan-van-kheo/{replica.pk}/$"))
    expect(page.locator("#practice .page-header")).to_contain_text("Xã Sóc Sơn, Thành phố Hà Nội")
    expect(page.locator("#recognitions")).to_contain_text("Quyết định số 12/QĐ-UBND")
    expect(page.locator("#family-tree a[aria-current=page]")).to_contain_text(NAME)
    expect(page.locator("#family-tree > li > span")).to_contain_text("Phường Ba Đình, Thành phố Hà Nội")
    assert {(p["id"], p["main"]) for p in _map_points(page)} == {(original.pk, False), (replica.pk, True)}
    expect(page.locator("#practice-map path.leaflet-interactive")).to_have_count(2)
    problems += desk.close()
    assert problems == []
