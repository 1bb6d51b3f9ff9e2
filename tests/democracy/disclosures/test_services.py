"""Items, channels and take-downs: scope, roles, periods, durations, audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from danvan.audit.models import AuditEntry
from danvan.core.errors import DomainError, NotFoundOrForbidden
from danvan.democracy.disclosures import selectors
from danvan.democracy.disclosures import services as s
from danvan.democracy.disclosures.models import ChannelKind, DisclosureCategory

from .conftest import Commune

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 5, 4)


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


def cat(code: str) -> DisclosureCategory:
    return DisclosureCategory.objects.get(code=code)


def post(c: Commune, actor: Any = None, code: str = "thuc_hien_ngan_sach", **kwargs: Any) -> s.Posted:
    args: dict[str, Any] = {"title": "Tình hình thực hiện ngân sách quý 1/2026", "content": "Thu, chi so với dự toán.",
                            "posted_on": dt.date(2026, 4, 10), "year": 2026, "quarter": 1}
    args.update(kwargs)
    return s.item_create(actor=actor or c.leader, commune=c.unit, category=cat(code), **args)


@pytest.mark.parametrize("role", ["leader", "intake"])
def test_leader_and_intake_officer_post(commune: Commune, role: str) -> None:
    posted = post(commune, getattr(commune, role))
    assert posted.item.unit_path == commune.unit.path and posted.warnings == []
    entry = AuditEntry.objects.filter(action="disclosures.item_create").latest("pk")
    assert entry.unit_path == commune.unit.path


@pytest.mark.parametrize(("role", "error"), [
    ("outsider", NotFoundOrForbidden), ("handler", DomainError), ("village_head", DomainError),
    ("province_leader", None),  # a province's leader is in scope with the role
])
def test_who_may_post(commune: Commune, role: str, error: type[Exception] | None) -> None:
    if error is None:
        post(commune, getattr(commune, role))
        return
    with pytest.raises(error):
        post(commune, getattr(commune, role))


@pytest.mark.parametrize(("code", "year", "quarter", "message"), [
    ("thuc_hien_ngan_sach", 2026, None, "hằng quý"),
    ("thuc_hien_ngan_sach", None, 1, "chọn năm"),
    ("du_toan_ngan_sach", None, None, "chọn năm"),
])
def test_period_is_required_where_the_category_recurs(commune: Commune, code: str, year: int | None,
                                                      quarter: int | None, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        post(commune, code=code, year=year, quarter=quarter)


def test_event_items_take_the_posting_year(commune: Commune) -> None:
    item = post(commune, code="thu_hoi_dat_tai_dinh_cu", year=None, quarter=3).item
    assert (item.year, item.quarter) == (2026, None)


def test_take_down_enforces_the_minimum(commune: Commune) -> None:
    budget = post(commune).item
    with pytest.raises(DomainError, match="chưa đủ tối thiểu"):
        s.item_take_down(actor=commune.leader, item=budget, taken_down_on=dt.date(2026, 4, 20))
    done = s.item_take_down(actor=commune.leader, item=budget, taken_down_on=dt.date(2026, 5, 9))
    assert done.warnings == [] and done.item.taken_down_on == dt.date(2026, 5, 9)
    with pytest.raises(DomainError, match="đã kết thúc"):
        s.item_take_down(actor=commune.leader, item=budget, taken_down_on=dt.date(2026, 5, 10))

    plan = post(commune, code="ke_hoach_kt_xh", quarter=None).item
    with pytest.raises(DomainError, match="lý do"):
        s.item_take_down(actor=commune.leader, item=plan, taken_down_on=dt.date(2026, 4, 20))
    warned = s.item_take_down(actor=commune.leader, item=plan, taken_down_on=dt.date(2026, 4, 20),
                              reason="Đăng nhầm số liệu")
    assert warned.warnings and warned.item.short_reason == "Đăng nhầm số liệu"


def test_create_with_a_short_posting_under_a_refusing_rule_writes_nothing(commune: Commune) -> None:
    with pytest.raises(DomainError):
        post(commune, taken_down_on=dt.date(2026, 4, 12))
    assert not selectors.staff_items(commune=commune.unit).exists()


def test_channels_and_village_relays(commune: Commune) -> None:
    item = post(commune, code="thu_hoi_dat_tai_dinh_cu", year=None, quarter=None).item
    s.channel_add(actor=commune.leader, item=item, kind=ChannelKind.RADIO, starts_on=item.posted_on, days=3)
    with pytest.raises(DomainError, match="3 ngày liên tiếp"):
        s.channel_add(actor=commune.leader, item=item, kind=ChannelKind.RADIO, starts_on=item.posted_on, days=2)
    # The village head records the relay in his own village, not in another one, and not the radio.
    relay, _warnings = s.channel_add(actor=commune.village_head, item=item, kind=ChannelKind.VILLAGE_MEETING,
                                     starts_on=item.posted_on, village=commune.villages[0])
    assert relay.village == commune.villages[0]
    with pytest.raises((DomainError, NotFoundOrForbidden)):
        s.channel_add(actor=commune.village_head, item=item, kind=ChannelKind.SMS, starts_on=item.posted_on,
                      village=commune.villages[1])
    with pytest.raises((DomainError, NotFoundOrForbidden)):
        s.channel_add(actor=commune.village_head, item=item, kind=ChannelKind.RADIO, starts_on=item.posted_on,
                      days=3)
    with pytest.raises(DomainError, match="thôn, tổ dân phố"):
        s.channel_add(actor=commune.leader, item=item, kind=ChannelKind.GROUP, starts_on=item.posted_on)
    assert item.channels.count() == 2


def test_item_update_and_scope(commune: Commune) -> None:
    item = post(commune).item
    s.item_update(actor=commune.intake, item=item, title="Thu chi ngân sách quý I", content="Sửa",
                  posted_on=item.posted_on, year=2026, quarter=1)
    item.refresh_from_db()
    assert item.title == "Thu chi ngân sách quý I" and item.search_text == " thu chi ngan sach quy i"
    assert selectors.item_get(actor=commune.leader, pk=item.pk) == item
    with pytest.raises(NotFoundOrForbidden):
        selectors.item_get(actor=commune.outsider, pk=item.pk)
    with pytest.raises(NotFoundOrForbidden):
        s.item_update(actor=commune.outsider, item=item, title="x", content="y", posted_on=item.posted_on,
                      year=2026, quarter=1)
