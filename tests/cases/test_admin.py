"""The administration site: reference data edited with an audit trail, cases read-only, no identity."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from danvan.accounts.models import User
from danvan.audit.models import AuditEntry
from danvan.cases.models import Field, Holiday, IdentityClearance, Kind, LegalRule, RuleKey
from danvan.cases.services import Denouncer
from tests.cases.conftest import Clock, People, SubmitFn

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat


@pytest.fixture
def admin_user(db: Any) -> User:
    return User.objects.create_superuser(username="quantri", password="mat-khau-quan-tri-2025", is_official=True)


@pytest.fixture
def admin_client(admin_user: User) -> Client:
    client = Client()
    client.force_login(admin_user)
    return client


def test_legal_rules_show_the_unconfirmed_mark(admin_client: Client) -> None:
    page = admin_client.get("/admin/cases/legalrule/")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("CHƯA XÁC NHẬN") == LegalRule.objects.filter(unconfirmed=True).count() == 3
    only = admin_client.get("/admin/cases/legalrule/", {"unconfirmed__exact": "1"})
    assert {r.key for r in only.context["cl"].queryset} == {
        RuleKey.DENUNCIATION_ACCEPT, RuleKey.FEEDBACK_RESOLVE, RuleKey.FEEDBACK_URGENT}


def test_adding_a_rule_is_audited_and_checked(admin_client: Client, hanoi: Any) -> None:
    data = {"key": RuleKey.FEEDBACK_RESOLVE, "valid_from": "2026-01-01", "province": hanoi.pk, "days": 10,
            "working_days": "on", "max_extensions": 1, "extension_days": 0, "source": "Quyết định của UBND TP"}
    page = admin_client.post("/admin/cases/legalrule/add/", data)
    assert page.status_code == 200  # extensions without days are refused
    assert "cùng được khai báo" in page.content.decode()
    data["extension_days"] = 5
    page = admin_client.post("/admin/cases/legalrule/add/", data)
    assert page.status_code == 302, page.content.decode()[:2000]
    rule = LegalRule.objects.get(province=hanoi)
    assert (rule.days, rule.working_days, rule.valid_from) == (10, True, D("2026-01-01"))
    entry = AuditEntry.objects.get(action="cases.legalrule_create")
    assert entry.after["days"] == 10 and entry.actor_label == "quantri"
    page = admin_client.post(f"/admin/cases/legalrule/{rule.pk}/change/", {**data, "days": 12})
    assert page.status_code == 302
    entry = AuditEntry.objects.get(action="cases.legalrule_update")
    assert (entry.before, entry.after) == ({"days": 10}, {"days": 12})


def test_a_rule_only_for_provinces(admin_client: Client, ba_dinh: Any) -> None:
    data = {"key": RuleKey.FEEDBACK_RESOLVE, "valid_from": "2026-01-01", "province": ba_dinh.pk, "days": 10,
            "max_extensions": 0, "extension_days": 0, "source": "x"}
    page = admin_client.post("/admin/cases/legalrule/add/", data)
    assert page.status_code == 200 and not LegalRule.objects.filter(province=ba_dinh).exists()


def test_holidays_are_edited_and_audited(admin_client: Client) -> None:
    page = admin_client.get("/admin/cases/holiday/")
    html = page.content.decode()
    assert page.status_code == 200 and "Tết Nguyên đán Bính Ngọ" in html and "CHƯA XÁC NHẬN" in html
    refused = admin_client.post("/admin/cases/holiday/add/", {"date": "2027-03-03", "name": "Làm bù",
                                                               "working_day": "on"})
    assert refused.status_code == 200 and "thứ Bảy hoặc Chủ nhật" in refused.content.decode()
    page = admin_client.post("/admin/cases/holiday/add/", {"date": "2027-11-24", "name": "Ngày Văn hóa Việt Nam",
                                                            "unconfirmed": "on"})
    assert page.status_code == 302, page.context["adminform"].form.errors
    holiday = Holiday.objects.get(date=D("2027-11-24"))
    assert holiday.unconfirmed and AuditEntry.objects.filter(action="cases.holiday_create").exists()
    page = admin_client.post(f"/admin/cases/holiday/{holiday.pk}/delete/", {"post": "yes"})
    assert page.status_code == 302 and not Holiday.objects.filter(pk=holiday.pk).exists()
    assert AuditEntry.objects.get(action="cases.holiday_delete").before["name"] == "Ngày Văn hóa Việt Nam"


def test_field_keywords_edited_one_per_line(admin_client: Client, clock: Clock, submit: SubmitFn) -> None:
    field = Field.objects.get(code="giao_thong")
    page = admin_client.get(f"/admin/cases/field/{field.pk}/change/")
    assert "ổ gà" in page.content.decode()
    data = {"code": "giao_thong", "name": "Giao thông", "description": field.description, "order": 50,
            "active": "on", "keywords_text": "ổ gà\n  đèn   tín hiệu \n\nổ gà\nthuỷ triều"}
    assert admin_client.post(f"/admin/cases/field/{field.pk}/change/", data).status_code == 302
    field.refresh_from_db()
    assert field.keywords == ["ổ gà", "đèn tín hiệu", "thủy triều"]
    # A field with cases cannot be deleted: it is deactivated instead.
    used = Field.objects.get(code="moi_truong")
    submit(field=used)
    admin_client.post(f"/admin/cases/field/{used.pk}/delete/", {"post": "yes"})
    assert Field.objects.filter(pk=used.pk).exists()


def test_cases_are_read_only_and_show_no_identity(admin_client: Client, clock: Clock, submit: SubmitFn) -> None:
    case = submit(kind=Kind.DENUNCIATION, denouncer=Denouncer(name="Lê Văn Cường", address="Số 5 phố Kim Mã",
                                                               phone="0987654321"))
    listing = admin_client.get("/admin/cases/case/")
    assert listing.status_code == 200 and case.code in listing.content.decode()
    detail = admin_client.get(f"/admin/cases/case/{case.pk}/change/")
    html = detail.content.decode()
    assert detail.status_code == 200
    assert "Cường" not in html and "0987654321" not in html and "Kim Mã" not in html
    assert 'name="_save"' not in html
    assert admin_client.get("/admin/cases/case/add/").status_code == 403
    assert admin_client.get("/admin/cases/denounceridentity/").status_code == 404


def test_clearance_granted_through_the_admin(admin_client: Client, people: People, ba_dinh: Any) -> None:
    page = admin_client.post("/admin/cases/identityclearance/add/", {"user": people.handler.pk, "unit": ba_dinh.pk})
    assert page.status_code == 302
    clearance = IdentityClearance.objects.get(user=people.handler)
    assert clearance.active and AuditEntry.objects.filter(action="cases.identity_clearance_grant").exists()
    page = admin_client.post("/admin/cases/identityclearance/",
                             {"action": "revoke", "_selected_action": [clearance.pk]})
    assert page.status_code == 302
    clearance.refresh_from_db()
    assert not clearance.active
