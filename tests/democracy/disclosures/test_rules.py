"""Posting durations against the dated rules: table-driven, warn or refuse per rule."""

from __future__ import annotations

import datetime as dt

import pytest

from danvan.core.errors import DomainError
from danvan.democracy.disclosures import services as s
from danvan.democracy.disclosures.models import DisclosureCategory

pytestmark = pytest.mark.django_db

D = dt.date(2026, 3, 1)


@pytest.mark.parametrize(("code", "days_up", "expected"), [
    ("ke_hoach_kt_xh", None, "ok"),            # still posted
    ("ke_hoach_kt_xh", 30, "ok"),              # exactly the minimum, both ends counted
    ("ke_hoach_kt_xh", 45, "ok"),
    ("ke_hoach_kt_xh", 29, "warn"),            # the rule of this category only warns
    ("thuc_hien_ngan_sach", 29, "refuse"),     # budget rules refuse
    ("thuc_hien_ngan_sach", 1, "refuse"),
    ("thuc_hien_ngan_sach", 30, "ok"),
    ("thu_hoi_dat_tai_dinh_cu", 10, "refuse"),
    ("phi_le_phi", 10, "warn"),
])
def test_posting_duration(code: str, days_up: int | None, expected: str) -> None:
    category = DisclosureCategory.objects.get(code=code)
    down = None if days_up is None else D + dt.timedelta(days=days_up - 1)
    if expected == "refuse":
        with pytest.raises(DomainError) as exc:
            s.duration_check(category=category, posted_on=D, taken_down_on=down)
        assert "chưa đủ tối thiểu 30 ngày" in exc.value.message
        return
    checked = s.duration_check(category=category, posted_on=D, taken_down_on=down)
    assert bool(checked.warnings) == (expected == "warn")


@pytest.mark.parametrize(("code", "days", "expected"), [
    ("thu_hoi_dat_tai_dinh_cu", 3, "ok"),
    ("thu_hoi_dat_tai_dinh_cu", 5, "ok"),
    ("thu_hoi_dat_tai_dinh_cu", 2, "refuse"),
    ("thu_tuc_hanh_chinh", 2, "warn"),
    ("thu_tuc_hanh_chinh", 1, "warn"),
    ("ke_hoach_kt_xh", 1, "ok"),                 # no radio minimum for this item
    ("thu_hoi_dat_tai_dinh_cu", None, "refuse"),  # the days must be given
])
def test_radio_days(code: str, days: int | None, expected: str) -> None:
    category = DisclosureCategory.objects.get(code=code)
    if expected == "refuse":
        with pytest.raises(DomainError):
            s.radio_check(category=category, starts_on=D, days=days)
        return
    assert bool(s.radio_check(category=category, starts_on=D, days=days).warnings) == (expected == "warn")


def test_taken_down_before_posted_is_refused() -> None:
    with pytest.raises(DomainError, match="không được trước"):
        s.duration_check(category=DisclosureCategory.objects.get(code="phi_le_phi"), posted_on=D,
                         taken_down_on=D - dt.timedelta(days=1))
