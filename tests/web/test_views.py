"""The public portal and the officials' workspace, through the Django test client."""

from __future__ import annotations

import datetime as dt
import unicodedata

import lxml.html
import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.csrf import csrf_failure
from django.views.defaults import bad_request, permission_denied, server_error

from danvan.accounts.models import Role
from danvan.accounts.services import official_create, role_grant, role_revoke
from danvan.units.models import Era, Level, Status, Unit, UnitSuccession
from danvan.units.services import village_create
from danvan.web.collation import place_key, short_name, vietnamese_key


def html(response) -> lxml.html.HtmlElement:  # type: ignore[no-untyped-def]
    return lxml.html.fromstring(response.content.decode())


def texts(doc: lxml.html.HtmlElement, xpath: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in doc.xpath(xpath)]


def commune(code: str) -> Unit:
    return Unit.objects.get(era=Era.CURRENT, level=Level.COMMUNE, code=code)


def official(username: str, *grants: tuple[str, Unit]):  # type: ignore[no-untyped-def]
    # No password: these tests sign in with force_login, and hashing one costs ~0.3 s.
    user = official_create(actor=None, username=username, password=None, full_name=f"Cán bộ {username}")
    for role, unit in grants:
        role_grant(actor=None, user=user, role=role, unit=unit)
    return user


# --- public portal: home ------------------------------------------------------------------

@pytest.mark.django_db
def test_home_lists_the_34_provinces_in_vietnamese(client: Client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_max_num_queries(2):
        response = client.get("/")
    assert response.status_code == 200
    doc = html(response)
    assert doc.get("lang") == "vi"
    names = texts(doc, '//ul[@id="province-list"]/li/a/span[@class="item-name"]')
    assert len(names) == 34
    assert "Thành phố Hà Nội" in names and "Tỉnh Cà Mau" in names
    # Vietnamese alphabetical order of the place name, prefix ignored; Đ is a letter after D.
    assert names.index("Thành phố Cần Thơ") < names.index("Thành phố Đà Nẵng") < names.index("Tỉnh Gia Lai")
    assert names[0] == "Tỉnh An Giang"
    hanoi_card = texts(doc, '//ul[@id="province-list"]/li/a[@href="/dia-phuong/01/"]')[0]
    hanoi_communes = Unit.objects.filter(parent__code="01", parent__level=Level.PROVINCE, era=Era.CURRENT,
                                         status=Status.ACTIVE).count()
    assert f"{hanoi_communes} xã, phường, đặc khu" in hanoi_card
    assert "Tỉnh, thành phố" in texts(doc, "//h2")[0]
    assert "3.321 xã, phường, đặc khu" in response.content.decode()


@pytest.mark.django_db
def test_base_layout_is_accessible(client: Client) -> None:
    doc = html(client.get("/"))
    skip = doc.xpath('//a[@class="skip-link"]')[0]
    assert skip.get("href") == "#main" and doc.xpath('//main[@id="main"]')
    assert doc.xpath("//header") and doc.xpath("//footer")
    assert doc.xpath('//nav[@aria-label="Điều hướng chính"]')
    assert doc.xpath('//nav//a[@aria-current="page"]/@href') == ["/"]
    # Every visible input has a label pointing at it.
    for field in doc.xpath('//input[not(@type="hidden")]'):
        assert doc.xpath(f'//label[@for="{field.get("id")}"]'), field.get("name")
    # No third-party host: every script and stylesheet is served by us.
    assets = doc.xpath("//script/@src") + doc.xpath('//link[@rel="stylesheet"]/@href')
    assert assets and all(a.startswith("/static/") for a in assets)
    assert "/static/vendor/htmx.org/dist/htmx.min.js" in assets


def test_static_assets_are_found() -> None:
    for path in ("web/danvan.css", "web/danvan.js", "vendor/htmx.org/dist/htmx.min.js"):
        assert finders.find(path), path


@pytest.mark.django_db
def test_home_without_units_explains_what_to_do(client: Client) -> None:
    Unit.objects.filter(era=Era.CURRENT, level=Level.PROVINCE).update(status=Status.DISSOLVED)
    doc = html(client.get("/"))
    assert not doc.xpath('//ul[@id="province-list"]')
    assert "danvan units import" in texts(doc, '//div[@class="empty-state"]')[0]


@pytest.mark.django_db
def test_home_search_is_accent_insensitive(client: Client) -> None:
    response = client.get("/", {"q": "phuong ba dinh"})
    doc = html(response)
    results = texts(doc, '//div[@id="search-results"]//li')
    assert results[0] == "Phường Ba Đình – Thành phố Hà Nội"
    assert doc.xpath('//div[@id="search-results"]//a/@href')[0] == "/dia-phuong/00004/"
    assert doc.xpath('//input[@id="q"]/@value') == ["phuong ba dinh"]


@pytest.mark.django_db
def test_home_search_htmx_returns_only_the_results(client: Client) -> None:
    response = client.get("/", {"q": "ba dinh"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body and "<header" not in body
    assert 'id="search-results"' in body and "Phường Ba Đình" in body
    assert 'id="search-status" hx-swap-oob="innerHTML"' in body
    assert "HX-Request" in response["Vary"]


@pytest.mark.django_db
def test_home_search_without_result_says_so(client: Client) -> None:
    doc = html(client.get("/", {"q": "khongcodiaphuongnaonhuvay"}))
    assert "0 kết quả" in texts(doc, '//h2[@id="results-heading"]')[0]
    assert "Không tìm thấy địa phương nào" in texts(doc, '//div[@id="search-results"]//p[@class="empty"]')[0]


# --- public portal: province --------------------------------------------------------------

@pytest.mark.django_db
def test_province_page_lists_its_communes(client: Client, hanoi: Unit, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_max_num_queries(5):
        response = client.get(reverse("web:unit", args=["01"]))
    assert response.status_code == 200
    doc = html(response)
    assert texts(doc, "//h1") == ["Thành phố Hà Nội"]
    assert texts(doc, '//nav[@class="breadcrumbs"]//li') == ["Trang chủ", "Thành phố Hà Nội"]
    communes = list(Unit.objects.filter(parent=hanoi, status=Status.ACTIVE).values_list("name", flat=True))
    listed = texts(doc, '//ul[@id="commune-list"]/li/a')
    assert sorted(listed) == sorted(communes)
    assert listed == sorted(communes, key=place_key)
    assert "Phường Ba Đình" in listed
    assert doc.xpath('//ul[@id="commune-list"]/li/a[text()="Phường Ba Đình"]/@href') == ["/dia-phuong/00004/"]
    wards = sum(1 for n in communes if n.startswith("Phường "))
    assert f"{wards} phường" in texts(doc, '//p[@id="kind-summary"]')[0]
    assert f"Xã, phường, đặc khu {len(communes)}" in texts(doc, '//h2[@id="communes-heading"]')[0]
    # The province's own organisations, the People's Committee first.
    assert texts(doc, '//ul[@id="organisation-list"]/li')[0] == "Ủy ban nhân dân Thành phố Hà Nội"
    # Hà Nội kept its territory whole in 2025: no "before" section to show.
    assert not doc.xpath('//ul[@id="predecessor-list"]')
    # Filter form is a plain GET form back to this page (works without JavaScript).
    form = doc.xpath('//form[@role="search"]')[0]
    assert form.get("method") == "get" and form.get("action") == "/dia-phuong/01/"
    assert form.get("hx-get") == "/dia-phuong/01/"


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["ba dinh", "Ba Đình", "BA ĐÌNH", "phuong ba dinh",
                                   unicodedata.normalize("NFD", "ba đình")])
def test_province_filter_is_accent_insensitive(client: Client, query: str) -> None:
    doc = html(client.get("/dia-phuong/01/", {"q": query}))
    listed = texts(doc, '//ul[@id="commune-list"]/li/a')
    assert "Phường Ba Đình" in listed
    assert "Phường Hoàn Kiếm" not in listed
    assert "khớp với" in texts(doc, '//p[@class="result-count"]')[0]


@pytest.mark.django_db
def test_province_filter_stays_inside_the_province(client: Client) -> None:
    # "Ba" starts names in many provinces; only Hà Nội's communes may be listed, "Ba…" first.
    doc = html(client.get("/dia-phuong/01/", {"q": "ba"}))
    codes = [h.rstrip("/").rsplit("/", 1)[-1] for h in doc.xpath('//ul[@id="commune-list"]/li/a/@href')]
    paths = set(Unit.objects.filter(era=Era.CURRENT, level=Level.COMMUNE, code__in=codes)
                .values_list("path", flat=True))
    assert codes and all(p.startswith("VN.01.") for p in paths)
    listed = texts(doc, '//ul[@id="commune-list"]/li/a')
    starting = [n for n in listed if short_name(n).lower().startswith("ba")]
    assert listed[: len(starting)] == starting


@pytest.mark.django_db
def test_province_filter_htmx_returns_only_the_partial(client: Client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_max_num_queries(4):
        response = client.get("/dia-phuong/01/", {"q": "ba dinh"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and "<header" not in body and "<h1" not in body
    assert body.lstrip().startswith('<div id="commune-results">')
    assert "Phường Ba Đình" in body and "Phường Hoàn Kiếm" not in body
    assert 'id="filter-status" hx-swap-oob="innerHTML"' in body
    assert "HX-Request" in response["Vary"]
    # A history restore (back button after the cache expired) needs the whole page.
    full = client.get("/dia-phuong/01/", {"q": "ba dinh"},
                      headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in full.content.decode()


@pytest.mark.django_db
def test_province_filter_without_match_shows_empty_state(client: Client) -> None:
    doc = html(client.get("/dia-phuong/01/", {"q": "zzzz"}))
    assert not doc.xpath('//ul[@id="commune-list"]')
    assert "Không có xã, phường, đặc khu nào của Thành phố Hà Nội khớp với “zzzz”" in texts(
        doc, '//div[@id="commune-results"]')[0]
    assert doc.xpath('//div[@id="commune-results"]//a/@href') == ["/dia-phuong/01/"]


@pytest.mark.django_db
def test_province_shows_what_it_was_formed_from(client: Client) -> None:
    # Tỉnh Phú Thọ (25) took in Vĩnh Phúc and Hòa Bình on 01/7/2025.
    doc = html(client.get("/dia-phuong/25/"))
    before = texts(doc, '//ul[@id="predecessor-list"]/li')
    assert any(b.startswith("Tỉnh Vĩnh Phúc") for b in before)
    assert any(b.startswith("Tỉnh Hòa Bình") for b in before)


# --- public portal: commune ---------------------------------------------------------------

@pytest.mark.django_db
def test_commune_page_lists_villages_and_organisations(client: Client, ba_dinh: Unit,
                                                       django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for name in ["Tổ dân phố số 10", "Tổ dân phố số 2", "Tổ dân phố số 1"]:
        village_create(actor=None, commune=ba_dinh, name=name)
    elsewhere = commune("00008")  # Phường Ngọc Hà
    village_create(actor=None, commune=elsewhere, name="Tổ dân phố số 99")
    with django_assert_max_num_queries(5):
        response = client.get("/dia-phuong/00004/")
    assert response.status_code == 200
    doc = html(response)
    assert texts(doc, "//h1") == ["Phường Ba Đình"]
    assert texts(doc, '//nav[@class="breadcrumbs"]//li') == [
        "Trang chủ", "Thành phố Hà Nội", "Phường Ba Đình"]
    assert doc.xpath('//nav[@class="breadcrumbs"]//a/@href')[1] == "/dia-phuong/01/"
    villages = texts(doc, '//ul[@id="village-list"]/li')
    assert villages == ["Tổ dân phố số 1", "Tổ dân phố số 2", "Tổ dân phố số 10"]
    assert texts(doc, '//h2[@id="villages-heading"]') == ["Thôn, tổ dân phố 3"]
    organisations = texts(doc, '//ul[@id="organisation-list"]/li')
    assert organisations[0] == "Ủy ban nhân dân Phường Ba Đình"
    assert len(organisations) == ba_dinh.organisations.filter(active=True).count()
    before = texts(doc, '//ul[@id="predecessor-list"]/li')
    assert "Phường Trúc Bạch (Quận Ba Đình)" in before
    assert any(b.startswith("Phường Kim Mã") and b.endswith("một phần") for b in before)


@pytest.mark.django_db
def test_commune_page_query_count_does_not_grow_with_villages(client: Client, ba_dinh: Unit,
                                                              django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for i in range(1, 41):
        village_create(actor=None, commune=ba_dinh, name=f"Tổ dân phố số {i}")
    with django_assert_max_num_queries(5):
        doc = html(client.get("/dia-phuong/00004/"))
    assert len(doc.xpath('//ul[@id="village-list"]/li')) == 40


@pytest.mark.django_db
def test_commune_without_villages_has_an_empty_state(client: Client, ba_dinh: Unit) -> None:
    doc = html(client.get("/dia-phuong/00004/"))
    assert not doc.xpath('//ul[@id="village-list"]')
    empty = texts(doc, '//div[@class="empty-state"]')[0]
    assert "Chưa có danh sách thôn, tổ dân phố của Phường Ba Đình." in empty


@pytest.mark.django_db
def test_dissolved_commune_points_to_its_successor(client: Client, ba_dinh: Unit) -> None:
    ngoc_ha = commune("00008")
    Unit.objects.filter(pk=ngoc_ha.pk).update(status=Status.DISSOLVED, dissolved_on=dt.date(2026, 1, 1))
    UnitSuccession.objects.create(predecessor=ngoc_ha, successor=ba_dinh, kind="merge",
                                  effective_on=dt.date(2026, 1, 1))
    doc = html(client.get("/dia-phuong/00008/"))
    warning = texts(doc, '//div[contains(@class, "message-warning")]')[0]
    assert "Đơn vị này đã giải thể hoặc sáp nhập." in warning and "01/01/2026" in warning
    assert doc.xpath('//div[contains(@class, "message-warning")]//a/@href') == ["/dia-phuong/00004/"]
    # …and it is no longer listed among Hà Nội's communes.
    listed = texts(html(client.get("/dia-phuong/01/")), '//ul[@id="commune-list"]/li/a')
    assert "Phường Ngọc Hà" not in listed and "Phường Ba Đình" in listed


# --- errors -------------------------------------------------------------------------------

@pytest.mark.django_db
def test_unknown_code_gives_a_vietnamese_404(client: Client) -> None:
    current = set(Unit.objects.filter(era=Era.CURRENT, level=Level.COMMUNE).values_list("code", flat=True))
    legacy_only = (Unit.objects.filter(era=Era.LEGACY, level=Level.COMMUNE).exclude(code__in=current)
                   .values_list("code", flat=True).first())
    assert legacy_only
    for code in ["99999", legacy_only, "VN"]:
        response = client.get(f"/dia-phuong/{code}/")
        assert response.status_code == 404, code
        doc = html(response)
        assert doc.get("lang") == "vi"
        assert texts(doc, "//h1") == ["Không tìm thấy trang"]
        assert doc.xpath('//form[@role="search"]/@action') == ["/"]


def test_server_error_page_is_vietnamese() -> None:
    response = server_error(RequestFactory().get("/"))
    body = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="vi">' in body and "Lỗi hệ thống" in body


@pytest.mark.django_db
def test_other_error_pages_are_vietnamese(rf: RequestFactory) -> None:
    request = rf.get("/")
    request.user = AnonymousUser()
    pages = [(permission_denied(request, PermissionDenied()), "Không có quyền truy cập"),
             (bad_request(request, SuspiciousOperation()), "Yêu cầu không hợp lệ"),
             (csrf_failure(request, reason="test"), "Phiên làm việc đã hết hạn")]
    for response, heading in pages:
        doc = html(response)
        assert doc.get("lang") == "vi"
        assert texts(doc, "//h1") == [heading]


@pytest.mark.django_db
def test_healthz(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": connection.vendor}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_admin_login_is_vietnamese(client: Client) -> None:
    response = client.get("/admin/login/")
    assert response.status_code == 200
    doc = html(response)
    assert doc.get("lang") == "vi"
    body = response.content.decode()
    assert "Đăng nhập" in body and "Mật khẩu" in body
    assert "Log in" not in body and "Password" not in body


# --- workspace ----------------------------------------------------------------------------

@pytest.mark.django_db
def test_workspace_requires_login(client: Client) -> None:
    response = client.get("/lam-viec/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "next=/lam-viec/" in response["Location"]


@pytest.mark.django_db
def test_workspace_shows_roles_and_only_the_scope(client: Client, ba_dinh: Unit) -> None:
    ngoc_ha = commune("00008")
    for name in ["Tổ dân phố số 1", "Tổ dân phố số 2", "Tổ dân phố số 3"]:
        village_create(actor=None, commune=ba_dinh, name=name)
    village_create(actor=None, commune=ngoc_ha, name="Tổ dân phố số 1")
    user = official("xuly", (Role.HANDLER, ba_dinh))
    client.force_login(user)
    doc = html(client.get("/lam-viec/"))
    assert texts(doc, "//h1") == ["Xin chào, Cán bộ xuly"]
    assert texts(doc, '//table[@id="role-table"]/tbody/tr/td')[:2] == ["Cán bộ xử lý", "Phường Ba Đình"]
    cards = doc.xpath('//ul[@id="scope-list"]/li')
    assert len(cards) == 1
    assert texts(cards[0], ".//h3") == ["Phường Ba Đình"]
    assert cards[0].xpath(".//h3/a/@href") == ["/dia-phuong/00004/"]
    stats = dict(zip(texts(cards[0], ".//dt"), texts(cards[0], ".//dd"), strict=True))
    assert stats == {"Thôn, tổ dân phố": "3"}
    page = doc.text_content()
    assert "Phường Ngọc Hà" not in page and "Thành phố Hà Nội" not in page


@pytest.mark.django_db
def test_workspace_counts_a_province_scope(client: Client, hanoi: Unit, ba_dinh: Unit) -> None:
    village_create(actor=None, commune=ba_dinh, name="Tổ dân phố số 1")
    village_create(actor=None, commune=commune("00008"), name="Tổ dân phố số 1")
    dissolved = village_create(actor=None, commune=commune("00008"), name="Tổ dân phố số 2")
    Unit.objects.filter(pk=dissolved.pk).update(status=Status.DISSOLVED)
    # A second grant inside the first one adds a row of roles but no second scope card.
    user = official("tinh", (Role.SUPERVISOR, hanoi), (Role.LEADER, ba_dinh))
    client.force_login(user)
    doc = html(client.get("/lam-viec/"))
    assert len(doc.xpath('//table[@id="role-table"]/tbody/tr')) == 2
    cards = doc.xpath('//ul[@id="scope-list"]/li')
    assert [texts(c, ".//h3")[0] for c in cards] == ["Thành phố Hà Nội"]
    stats = dict(zip(texts(cards[0], ".//dt"), texts(cards[0], ".//dd"), strict=True))
    communes = Unit.objects.filter(parent=hanoi, status=Status.ACTIVE).count()
    assert stats == {"Xã, phường, đặc khu": str(communes), "Thôn, tổ dân phố": "2"}


@pytest.mark.django_db
def test_workspace_counts_each_scope_separately_in_constant_queries(client: Client, ba_dinh: Unit,
                                                                    django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    other_province = Unit.objects.get(era=Era.CURRENT, level=Level.PROVINCE, code="79")
    saigon_commune = Unit.objects.filter(parent=other_province, status=Status.ACTIVE).order_by("code").first()
    assert saigon_commune is not None
    village_create(actor=None, commune=ba_dinh, name="Tổ dân phố số 1")
    for i in range(1, 5):
        village_create(actor=None, commune=saigon_commune, name=f"Khu phố {i}")
    one = official("mot", (Role.HANDLER, ba_dinh))
    many = official("nhieu", (Role.HANDLER, ba_dinh), (Role.HANDLER, saigon_commune),
                    (Role.VIEWER, commune("00008")), (Role.VIEWER, other_province))
    client.force_login(one)
    with django_assert_max_num_queries(10) as one_queries:
        client.get("/lam-viec/")
    client.force_login(many)
    with django_assert_max_num_queries(len(one_queries.captured_queries)):
        doc = html(client.get("/lam-viec/"))
    cards = {texts(c, ".//h3")[0]: dict(zip(texts(c, ".//dt"), texts(c, ".//dd"), strict=True))
             for c in doc.xpath('//ul[@id="scope-list"]/li')}
    assert set(cards) == {"Phường Ba Đình", "Phường Ngọc Hà", other_province.name}
    assert cards["Phường Ba Đình"] == {"Thôn, tổ dân phố": "1"}
    assert cards["Phường Ngọc Hà"] == {"Thôn, tổ dân phố": "0"}
    assert cards[other_province.name]["Thôn, tổ dân phố"] == "4"


@pytest.mark.django_db
def test_workspace_of_a_superuser_covers_the_nation(client: Client) -> None:
    from danvan.accounts.models import User

    admin = User.objects.create_superuser(username="quantri", email="quantri@example.vn", password=None)
    client.force_login(admin)
    doc = html(client.get("/lam-viec/"))
    assert doc.xpath('//p[@id="superuser-note"]') and not doc.xpath('//table[@id="role-table"]')
    # One card, the current tree: the pre-2025 tree is history, not a working area.
    cards = doc.xpath('//ul[@id="scope-list"]/li')
    assert [texts(c, ".//h3")[0] for c in cards] == ["Việt Nam"]
    stats = dict(zip(texts(cards[0], ".//dt"), texts(cards[0], ".//dd"), strict=True))
    communes = Unit.objects.filter(era=Era.CURRENT, level=Level.COMMUNE, status=Status.ACTIVE).count()
    assert stats["Tỉnh, thành phố"] == "34"
    assert stats["Xã, phường, đặc khu"] == f"{communes:,}".replace(",", ".")
    assert doc.xpath('//a[@href="/admin/"]')


@pytest.mark.django_db
def test_workspace_without_roles_and_after_revoke(client: Client, ba_dinh: Unit) -> None:
    user = official("thuviec", (Role.HANDLER, ba_dinh))
    role_revoke(actor=None, grant=user.roles.get())
    client.force_login(user)
    doc = html(client.get("/lam-viec/"))
    assert not doc.xpath('//ul[@id="scope-list"]') and not doc.xpath('//table[@id="role-table"]')
    assert "chưa được phân quyền" in texts(doc, '//div[@class="empty-state"]')[0]
    # No second factor yet: the page says how to turn it on.
    assert doc.xpath('//div[@id="second-factor-notice"]//a/@href') == [reverse("accounts:security")]


# --- collation ----------------------------------------------------------------------------

def test_vietnamese_order() -> None:
    names = ["Xã Yên Bài", "Phường Đống Đa", "Xã Duy Tiên", "Phường Ba Đình", "Xã Ba Vì", "Xã Ăn Khê",
             "Xã An Khê", "Phường Ô Chợ Dừa", "Xã Ông Ích Khiêm"]
    assert sorted(names, key=place_key) == [
        "Xã An Khê", "Xã Ăn Khê", "Phường Ba Đình", "Xã Ba Vì", "Xã Duy Tiên", "Phường Đống Đa",
        "Phường Ô Chợ Dừa", "Xã Ông Ích Khiêm", "Xã Yên Bài"]
    assert sorted(["Tổ dân phố 10", "Tổ dân phố 2", "Tổ dân phố 1"], key=vietnamese_key) == [
        "Tổ dân phố 1", "Tổ dân phố 2", "Tổ dân phố 10"]
    # Tones break ties in dictionary order: ngang, huyền, hỏi, ngã, sắc, nặng.
    tones = ["Ma", "Mà", "Mả", "Mã", "Má", "Mạ"]
    assert sorted(reversed(tones), key=vietnamese_key) == tones
    # Two tone placements and two Unicode forms sort as one.
    assert vietnamese_key("Hoà Bình") == vietnamese_key("Hòa Bình") == vietnamese_key(
        unicodedata.normalize("NFD", "Hòa Bình"))
    assert short_name("Thành phố Hồ Chí Minh") == "Hồ Chí Minh"
    assert short_name("Đặc khu Phú Quốc") == "Phú Quốc" and short_name("Xã") == "Xã"


def test_numbers_use_vietnamese_separators() -> None:
    from danvan.web.templatetags.danvan_format import number

    assert number(3321) == "3.321"
    assert number(63600) == "63.600"
    assert number(1234567.5) == "1.234.567,5"
    assert number(12) == "12" and number(None) == "" and number("–") == "–"


@pytest.mark.django_db
def test_democracy_hub_links_every_part(client: Client) -> None:
    response = client.get("/dan-chu/")
    assert response.status_code == 200
    doc = lxml.html.fromstring(response.content)
    links = doc.xpath('//ul[@id="democracy-parts"]//h2/a/@href')
    assert links == ["/dan-chu/cong-khai/", "/dan-chu/bieu-quyet/", "/dan-chu/gop-y/", "/dan-chu/giam-sat/"]
    for href in links:
        assert client.get(href).status_code == 200
    assert doc.xpath('//nav//a[@aria-current="page"]/@href') == ["/dan-chu/"]
