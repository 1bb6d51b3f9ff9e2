"""The Art. 11 catalogue and its posting rules are seeded as dated data."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from danvan.audit.models import AuditEntry
from danvan.core.errors import DomainError
from danvan.democracy.disclosures import services as s
from danvan.democracy.disclosures.models import DisclosureCategory, DisclosureRule, DueAnchor, Enforcement, Recurrence

pytestmark = pytest.mark.django_db


def test_fourteen_items_are_seeded_in_order() -> None:
    categories = list(DisclosureCategory.objects.all())
    assert [c.law_item for c in categories] == list(range(1, 15))
    assert all(c.mandatory and c.active for c in categories)
    codes = {c.code for c in categories}
    assert {"ke_hoach_kt_xh", "du_toan_ngan_sach", "thuc_hien_ngan_sach", "quyet_toan_ngan_sach",
            "kien_nghi_kiem_toan", "du_an_dau_tu", "thu_hoi_dat_tai_dinh_cu", "quy_hoach_su_dung_dat"} <= codes


@pytest.mark.parametrize(("code", "recurrence", "anchor", "due_days", "radio", "enforcement"), [
    ("thuc_hien_ngan_sach", Recurrence.QUARTERLY, DueAnchor.END, 15, None, Enforcement.REFUSE),
    ("du_toan_ngan_sach", Recurrence.ANNUAL, DueAnchor.START, 30, None, Enforcement.REFUSE),
    ("ke_hoach_kt_xh", Recurrence.ANNUAL, DueAnchor.START, 31, None, Enforcement.WARN),
    ("thu_hoi_dat_tai_dinh_cu", Recurrence.ON_EVENT, DueAnchor.END, None, 3, Enforcement.REFUSE),
    ("thu_tuc_hanh_chinh", Recurrence.ON_EVENT, DueAnchor.END, None, 3, Enforcement.WARN),
    ("ket_qua_thanh_tra_tin_nhiem", Recurrence.ON_EVENT, DueAnchor.END, None, None, Enforcement.WARN),
])
def test_rules_per_category(code: str, recurrence: str, anchor: str, due_days: int | None, radio: int | None,
                            enforcement: str) -> None:
    category = DisclosureCategory.objects.get(code=code)
    assert category.recurrence == recurrence
    rule = s.rule_for(category=category, on=dt.date(2026, 1, 1))
    assert rule is not None
    assert (rule.min_days, rule.due_anchor, rule.due_days, rule.radio_min_days, rule.enforcement) == (
        30, anchor, due_days, radio, enforcement)
    # Before the law came into force there is no rule.
    assert s.rule_for(category=category, on=dt.date(2023, 6, 30)) is None


def test_radio_rule_covers_items_seven_to_twelve() -> None:
    with_radio = sorted(c.law_item for c in DisclosureCategory.objects.all()
                        if (rule := s.rule_for(category=c, on=dt.date(2026, 1, 1))) and rule.radio_min_days)
    assert with_radio == [7, 8, 9, 10, 11, 12]


def test_a_newer_rule_applies_from_its_date() -> None:
    category = DisclosureCategory.objects.get(code="thuc_hien_ngan_sach")
    category.rules.create(min_days=45, due_days=20, valid_from=dt.date(2027, 1, 1), source="Quy định mới của tỉnh")
    assert s.rule_for(category=category, on=dt.date(2026, 12, 31)).min_days == 30
    assert s.rule_for(category=category, on=dt.date(2027, 1, 1)).min_days == 45


def test_catalogue_changes_are_audited(django_user_model: Any) -> None:
    admin = django_user_model.objects.create_superuser(username="quantri", password="x-Strong-9")
    category = DisclosureCategory.objects.get(code="phi_le_phi")
    category.mandatory = False
    s.catalogue_save(actor=admin, obj=category, created=False)
    entry = AuditEntry.objects.filter(action="disclosures.disclosurecategory_save").latest("pk")
    assert entry.before["mandatory"] == "True" and entry.after["mandatory"] == "False"
    rule = DisclosureRule(category=category, min_days=0, valid_from=dt.date(2027, 1, 1), source="x")
    with pytest.raises(DomainError):
        s.catalogue_save(actor=admin, obj=rule, created=True)
    rule.min_days = 20
    s.catalogue_save(actor=admin, obj=rule, created=True)
    s.rule_delete(actor=admin, rule=rule)
    assert AuditEntry.objects.filter(action="disclosures.rule_delete").exists()
