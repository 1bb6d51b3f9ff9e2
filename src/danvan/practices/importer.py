"""Importing a province's existing spreadsheet of "Dân vận khéo" models.

Rows are checked exactly as the registration form is (`services.practice_check`) and written
through `practice_register`, so an imported model is audited like one typed in. A commune is
found by its 5-digit code or its name (accents optional) among the units the official may
register in; a name shared by two communes in scope needs the code.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts.selectors import scope_q
from danvan.core.errors import DomainError
from danvan.core.text import fold
from danvan.imports.mapping import TargetField
from danvan.imports.registry import Importer, register
from danvan.units.models import Era, Level, Status, Unit

from .models import Kind, PracticeField
from .rules import MOVEMENT_ROLES
from .services import PracticeInput, practice_check, practice_register

FIELDS = (
    TargetField("name", gettext_lazy("Tên mô hình"), required=True, synonyms=("Mô hình", "Tên")),
    TargetField("commune", gettext_lazy("Xã, phường, đặc khu"), required=True,
                synonyms=("Đơn vị", "Địa bàn", "Mã xã", "Xã", "Phường", "Đơn vị thực hiện")),
    TargetField("field", gettext_lazy("Lĩnh vực"), required=True, synonyms=("Lĩnh vực mô hình",)),
    TargetField("kind", gettext_lazy("Tập thể hay cá nhân"), synonyms=("Loại", "Hình thức", "Loại mô hình")),
    TargetField("holder", gettext_lazy("Tập thể, cá nhân thực hiện"), synonyms=("Chủ thể", "Người thực hiện")),
    TargetField("village", gettext_lazy("Thôn, tổ dân phố"), synonyms=("Thôn", "Tổ dân phố")),
    TargetField("year", gettext_lazy("Năm đăng ký"), synonyms=("Năm",)),
    TargetField("started_on", gettext_lazy("Ngày bắt đầu"), synonyms=("Bắt đầu", "Thời gian bắt đầu")),
    TargetField("description", gettext_lazy("Mô tả"), synonyms=("Nội dung", "Nội dung mô hình")),
    TargetField("results", gettext_lazy("Kết quả"), synonyms=("Kết quả đạt được", "Hiệu quả")),
    TargetField("participants", gettext_lazy("Số người tham gia"), synonyms=("Người tham gia",)),
    TargetField("latitude", gettext_lazy("Vĩ độ"), synonyms=("Lat",)),
    TargetField("longitude", gettext_lazy("Kinh độ"), synonyms=("Long", "Lng", "Lon")),
)
KINDS = {"tap the": Kind.COLLECTIVE, "ca nhan": Kind.INDIVIDUAL, "": Kind.COLLECTIVE}


class _Lookups:
    """Fields and the communes in the official's scope, loaded once per checked spreadsheet."""

    def __init__(self, actor: Any) -> None:
        self.fields = {fold(f.name): f for f in PracticeField.objects.filter(active=True)}
        self.fields.update({fold(f.code): f for f in self.fields.values()})
        communes = Unit.objects.filter(scope_q(actor, roles=MOVEMENT_ROLES), era=Era.CURRENT,
                                       level=Level.COMMUNE, status=Status.ACTIVE).select_related("parent")
        self.by_code = {u.code: u for u in communes}
        self.by_name: dict[str, list[Unit]] = {}
        for unit in self.by_code.values():
            for name in {fold(unit.name), fold(unit.name.split(" ", 1)[-1])}:
                self.by_name.setdefault(name, []).append(unit)
        self.villages: dict[int, dict[str, Unit]] = {}

    def village(self, commune: Unit, name: str) -> Unit | None:
        if commune.pk not in self.villages:
            self.villages[commune.pk] = {fold(v.name): v for v in Unit.objects.filter(
                parent=commune, level=Level.VILLAGE, status=Status.ACTIVE)}
        return self.villages[commune.pk].get(fold(name))


# One lookup per (actor, minute): a spreadsheet is checked in one go, and a changed field list or
# grant is seen by the next check.
_cache: dict[tuple[int, int], _Lookups] = {}


def _lookups(actor: Any) -> _Lookups:
    key = (getattr(actor, "pk", 0) or 0, int(timezone.now().timestamp() // 60))
    if key not in _cache:
        _cache.clear()
        _cache[key] = _Lookups(actor)
    return _cache[key]


def _number(text: str, label: str, errors: list[tuple[str, str]], key: str, kind: type = int) -> Any:
    if not text.strip():
        return None
    try:
        return kind(text.replace(",", ".") if kind is float else text.replace(".", "").replace(",", ""))
    except ValueError:
        errors.append((key, _("“%(v)s” không phải là số.") % {"v": text}))
        return None


def validate_row(actor: Any, values: dict[str, str]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    look = _lookups(actor)
    errors: list[tuple[str, str]] = []
    commune_text = values.get("commune", "").strip()
    commune = look.by_code.get(commune_text.zfill(5)) if commune_text.isdigit() else None
    if commune is None and not commune_text.isdigit():
        found = look.by_name.get(fold(commune_text), [])
        if len(found) > 1:
            errors.append(("commune", _("Có nhiều xã, phường tên “%(n)s”: hãy ghi mã xã.") % {"n": commune_text}))
        commune = found[0] if len(found) == 1 else None
    if commune is None and not errors:
        errors.append(("commune", _("Không tìm thấy “%(n)s” trong các xã, phường bạn phụ trách.")
                       % {"n": commune_text}))
    field_ = look.fields.get(fold(values.get("field", "")))
    if field_ is None:
        errors.append(("field", _("Lĩnh vực “%(v)s” không có trong danh mục.") % {"v": values.get("field", "")}))
    kind = KINDS.get(fold(values.get("kind", "")))
    if kind is None:
        errors.append(("kind", _("Hãy ghi “Tập thể” hoặc “Cá nhân”.")))
    year = _number(values.get("year", ""), "", errors, "year")
    started_on = None
    if values.get("started_on", "").strip():
        text = values["started_on"].strip()
        for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
            try:
                started_on = dt.datetime.strptime(text[:10], pattern).date()  # noqa: DTZ007 (a date only)
                break
            except ValueError:
                continue
        if started_on is None:
            errors.append(("started_on", _("Ngày “%(v)s” không đúng dạng ngày/tháng/năm.") % {"v": text}))
    participants = _number(values.get("participants", ""), "", errors, "participants") or 0
    latitude = _number(values.get("latitude", ""), "", errors, "latitude", float)
    longitude = _number(values.get("longitude", ""), "", errors, "longitude", float)
    village = None
    if commune is not None and values.get("village", "").strip():
        village = look.village(commune, values["village"])
        if village is None:
            errors.append(("village", _("Không tìm thấy thôn, tổ dân phố “%(v)s”.") % {"v": values["village"]}))
    if errors or commune is None or field_ is None or kind is None:
        return {}, errors
    data = PracticeInput(
        name=values.get("name", ""), field=field_, unit=commune, village=village, kind=kind,
        year=year or (started_on.year if started_on else timezone.localdate().year),
        holder_name=values.get("holder", ""), started_on=started_on, description=values.get("description", ""),
        results=values.get("results", ""), participants=participants, latitude=latitude, longitude=longitude)
    try:
        data = practice_check(actor=actor, data=data)
    except DomainError as exc:
        return {}, [("name", exc.message)]
    return {"data": data}, []


def write_row(actor: Any, clean: dict[str, Any]) -> object:
    return practice_register(actor=actor, data=clean["data"])


register(Importer(kind="practices.models", label=str(gettext_lazy("Mô hình “Dân vận khéo”")), fields=FIELDS,
                  validate_row=validate_row, write_row=write_row))
