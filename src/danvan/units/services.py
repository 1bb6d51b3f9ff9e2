"""Writes to the unit tree: official import, villages, reorganisations.

Every function here runs in one transaction and appends to the audit trail.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from danvan.audit.services import audit_record
from danvan.core.errors import DomainError
from danvan.core.search import searchable
from danvan.core.text import fold, normalize

from .models import (
    STANDARD_ORGANISATIONS,
    Era,
    Household,
    Kind,
    Level,
    Organisation,
    OrganisationKind,
    Status,
    SuccessionKind,
    Unit,
    UnitRename,
    UnitSuccession,
)
from .search_index import analyze

REORGANISATION_2025 = dt.date(2025, 7, 1)
REORGANISATION_2025_DECISION = "Nghị quyết 202/2025/QH15; Quyết định 19/2025/QĐ-TTg"
CURRENT_ROOT_PATH = "VN."
NAME_MAX_LENGTH = 200  # Unit.name
LEGACY_ROOT_PATH = "VNL."

_DIVISION_KIND = {
    "thành phố trung ương": Kind.CITY,
    "tỉnh": Kind.PROVINCE,
    "xã": Kind.COMMUNE,
    "phường": Kind.WARD,
    "đặc khu": Kind.SPECIAL_ZONE,
    "quận": Kind.URBAN_DISTRICT,
    "huyện": Kind.RURAL_DISTRICT,
    "thị xã": Kind.TOWN,
    "thành phố": Kind.PROVINCIAL_CITY,
    "thị trấn": Kind.TOWNLET,
}


def child_path(parent_path: str, code: str) -> str:
    """The materialised path of a child: "VN.01." + "00004" → "VN.01.00004."."""
    return f"{parent_path}{code}."


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    successions: int = 0
    organisations: int = 0
    by_level: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class _Row:
    path: str
    parent_path: str | None
    code: str
    name: str
    level: int
    kind: str
    era: str


def _official_rows() -> Iterable[_Row]:
    """The official units from the vietnam-provinces package, parents before children."""
    from vietnam_provinces import Province, Ward
    from vietnam_provinces.legacy import District as LegacyDistrict
    from vietnam_provinces.legacy import Province as LegacyProvince
    from vietnam_provinces.legacy import Ward as LegacyWard

    yield _Row(CURRENT_ROOT_PATH, None, "VN", "Việt Nam", Level.NATION, Kind.NATION, Era.CURRENT)
    yield _Row(LEGACY_ROOT_PATH, None, "VN", "Việt Nam (trước 01/7/2025)", Level.NATION, Kind.NATION,
               Era.LEGACY)
    province_path: dict[int, str] = {}
    for p in Province.iter_all():
        code = f"{int(p.code):02d}"
        path = child_path(CURRENT_ROOT_PATH, code)
        province_path[int(p.code)] = path
        yield _Row(path, CURRENT_ROOT_PATH, code, p.name, Level.PROVINCE,
                   _DIVISION_KIND[str(p.division_type)], Era.CURRENT)
    for w in Ward.iter_all():
        code = f"{int(w.code):05d}"
        parent = province_path[int(w.province_code)]
        yield _Row(child_path(parent, code), parent, code, w.name, Level.COMMUNE,
                   _DIVISION_KIND[str(w.division_type)], Era.CURRENT)
    legacy_province_path: dict[int, str] = {}
    for lp in LegacyProvince.iter_all():
        code = f"{int(lp.code):02d}"
        path = child_path(LEGACY_ROOT_PATH, code)
        legacy_province_path[int(lp.code)] = path
        kind = Kind.CITY if str(lp.division_type).startswith("thành phố") else Kind.PROVINCE
        yield _Row(path, LEGACY_ROOT_PATH, code, lp.name, Level.PROVINCE, kind, Era.LEGACY)
    district_path: dict[int, str] = {}
    for d in LegacyDistrict.iter_all():
        code = f"{int(d.code):03d}"
        parent = legacy_province_path[int(d.province_code)]
        path = child_path(parent, code)
        district_path[int(d.code)] = path
        yield _Row(path, parent, code, d.name, Level.DISTRICT, _DIVISION_KIND[str(d.division_type)],
                   Era.LEGACY)
    for lw in LegacyWard.iter_all():
        code = f"{int(lw.code):05d}"
        parent = district_path[int(lw.district_code)]
        yield _Row(child_path(parent, code), parent, code, lw.name, Level.COMMUNE,
                   _DIVISION_KIND[str(lw.division_type)], Era.LEGACY)


def _successions_2025() -> Iterable[tuple[int, str, str, bool]]:
    """(level, legacy code, current code, partial) pairs of the 2025 reorganisation."""
    from vietnam_provinces import _province_conversion_2025 as provinces_2025
    from vietnam_provinces import _ward_conversion_2025 as wards_2025

    for old_code, entry in provinces_2025.OLD_TO_NEW.items():
        partial = len(entry.new_provinces) > 1
        for new in entry.new_provinces:
            yield Level.PROVINCE, f"{old_code:02d}", f"{new.code:02d}", partial
    for old_code, ward_entry in wards_2025.OLD_TO_NEW.items():
        for new_ward in ward_entry.new_wards:
            partly = ward_entry.old_ward.is_partly_merged
            yield Level.COMMUNE, f"{old_code:05d}", f"{new_ward.code:05d}", partly


def organisation_name(kind: str, unit: Unit) -> str:
    """Official-style name: "Ủy ban nhân dân Phường Ba Đình"."""
    return f"{OrganisationKind(kind).label} {unit.name}"


@transaction.atomic
def units_import_official(*, actor: Any = None) -> ImportReport:
    """Load or refresh all official units (current and legacy), the 2025 mapping and the
    standard organisations. Safe to re-run: it only writes what changed."""
    report = ImportReport()
    # Units are matched by (era, level, code), not by path: a reorganisation done here (a
    # province merge moves communes to another parent) must not make a re-run create twins.
    existing = {(u.era, u.level, u.code): u for u in Unit.objects.filter(level__lt=Level.VILLAGE)}
    # A name changed by unit_rename is a local decision newer than the package: keep it.
    renamed = set(UnitRename.objects.values_list("unit_id", flat=True))
    rows = list(_official_rows())
    key_of_path = {r.path: (r.era, r.level, r.code) for r in rows}
    # Parents come first in rows, so each level can be created in bulk once its parents exist.
    for level in (Level.NATION, Level.PROVINCE, Level.DISTRICT, Level.COMMUNE):
        to_create: list[Unit] = []
        to_update: list[Unit] = []
        for row in (r for r in rows if r.level == level):
            name = normalize(row.name)
            unit = existing.get((row.era, row.level, row.code))
            if unit is None:
                parent = existing[key_of_path[row.parent_path]] if row.parent_path else None
                to_create.append(Unit(
                    code=row.code, name=name, level=row.level, kind=row.kind, era=row.era,
                    status=Status.DISSOLVED if row.era == Era.LEGACY and row.level else Status.ACTIVE,
                    parent=parent, path=child_path(parent.path, row.code) if parent else row.path,
                    search_text=searchable(name),
                    valid_from=REORGANISATION_2025 if row.era == Era.CURRENT else None,
                    dissolved_on=REORGANISATION_2025 if row.era == Era.LEGACY and row.level else None,
                ))
            elif (unit.name != name or unit.kind != row.kind) and unit.pk not in renamed:
                unit.name, unit.kind, unit.search_text = name, row.kind, searchable(name)
                to_update.append(unit)
        Unit.objects.bulk_create(to_create, batch_size=2000)
        if to_update:
            Unit.objects.bulk_update(to_update, ["name", "kind", "search_text"], batch_size=2000)
        report.created += len(to_create)
        report.updated += len(to_update)
        if to_create:
            existing.update({(u.era, u.level, u.code): u for u in Unit.objects.filter(level=level)})

    ids = {(u.era, u.level, u.code): u.pk for u in existing.values()}
    have = set(UnitSuccession.objects.filter(kind=SuccessionKind.REORGANISATION_2025)
               .values_list("predecessor_id", "successor_id"))
    new_successions = []
    for link_level, old_code, new_code, partial in _successions_2025():
        pred = ids.get((Era.LEGACY, link_level, old_code))
        succ = ids.get((Era.CURRENT, link_level, new_code))
        if pred is None or succ is None or (pred, succ) in have:
            continue
        have.add((pred, succ))
        new_successions.append(UnitSuccession(
            predecessor_id=pred, successor_id=succ, kind=SuccessionKind.REORGANISATION_2025, partial=partial,
            effective_on=REORGANISATION_2025, decision=REORGANISATION_2025_DECISION,
        ))
    UnitSuccession.objects.bulk_create(new_successions, batch_size=5000)
    report.successions = len(new_successions)

    # Dissolved units keep their deactivated organisations; only active ones get missing ones.
    report.organisations = _ensure_standard_organisations(
        [u for u in existing.values()
         if u.era == Era.CURRENT and u.status == Status.ACTIVE and u.level in STANDARD_ORGANISATIONS]
    )
    report.by_level = {Level(k).name.lower(): v for k, v in
                       _count_by_level(existing.values()).items()}
    analyze()  # fresh statistics, so SQLite's planner starts searches from the FTS index
    audit_record(actor=actor, action="units.import_official", object_type="units.unit",
                 after={"created": report.created, "updated": report.updated,
                        "successions": report.successions, "organisations": report.organisations})
    return report


def _count_by_level(units: Iterable[Unit]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for u in units:
        if u.era == Era.CURRENT:
            counts[u.level] = counts.get(u.level, 0) + 1
    return counts


def _ensure_standard_organisations(units: list[Unit]) -> int:
    have = set(Organisation.objects.filter(active=True).values_list("unit_id", "kind"))
    new = []
    for unit in units:
        for kind in STANDARD_ORGANISATIONS[unit.level]:
            if (unit.pk, kind) not in have:
                name = organisation_name(kind, unit)
                new.append(Organisation(unit=unit, kind=kind, name=name, search_text=searchable(name)))
    Organisation.objects.bulk_create(new, batch_size=5000)
    return len(new)


# --- villages ---------------------------------------------------------------------------

_VILLAGE_KINDS = {
    "thon": Kind.VILLAGE, "ap": Kind.HAMLET, "ban": Kind.HILL_VILLAGE, "to dan pho": Kind.RESIDENTIAL_GROUP,
    "khu pho": Kind.QUARTER, "to": Kind.RESIDENTIAL_GROUP, "khu": Kind.QUARTER, "xom": Kind.VILLAGE,
    "buon": Kind.HILL_VILLAGE, "lang": Kind.VILLAGE, "khom": Kind.QUARTER,
}
# Kind names only accepted in a "kind" column, never guessed from a village's own name.
_VILLAGE_KIND_WORDS = {
    "village": Kind.VILLAGE, "hamlet": Kind.HAMLET, "hill village": Kind.HILL_VILLAGE,
    "residential group": Kind.RESIDENTIAL_GROUP, "quarter": Kind.QUARTER,
}
VILLAGE_KINDS = (Kind.VILLAGE, Kind.HAMLET, Kind.HILL_VILLAGE, Kind.RESIDENTIAL_GROUP, Kind.QUARTER)
# Village codes are local to their commune and become part of the path, so no dots or spaces.
_VILLAGE_CODE_RE = re.compile(r"^[0-9A-Z][0-9A-Z_-]{0,19}$")
_ROMAN_RE = re.compile(r"^(X{0,3})(IX|IV|V?I{0,3})$")
_MULTIWORD_PREFIXES = {"to dan pho": "Tổ dân phố", "khu pho": "Khu phố"}


def village_kind_from_text(text: str) -> str | None:
    """Map "Thôn", "tổ dân phố", "to_dan_pho", "hamlet" … to a Kind value; None if unknown."""
    key = fold(text.replace("_", " "))
    return _VILLAGE_KINDS.get(key) or _VILLAGE_KIND_WORDS.get(key)


def village_kind_from_name(name: str) -> str:
    """Guess the kind from the name's first words ("Tổ dân phố 5" → residential group)."""
    folded = fold(name)
    for prefix in sorted(_VILLAGE_KINDS, key=len, reverse=True):
        if folded == prefix or folded.startswith(prefix + " "):
            return _VILLAGE_KINDS[prefix]
    return Kind.VILLAGE


def village_name_clean(name: str, kind: str | None = None) -> str:
    """The name to store: normalised; "THÔN HÒA BÌNH" → "Thôn Hòa Bình"; "5" with a kind →
    "Tổ dân phố 5". Raises DomainError when the name is empty or only a number with no kind."""
    name = normalize(name)
    if not name:
        raise DomainError(_("Tên thôn, tổ dân phố không được để trống."))
    letters = [c for c in name if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        # Official lists are often typed in capitals; store them the way names are written.
        words = []
        for word in name.split(" "):
            keep = any(c.isdigit() for c in word) or _ROMAN_RE.match(word) is not None
            words.append(word if keep else word[:1] + word[1:].lower())
        name = " ".join(words)
        folded = fold(name)
        for prefix, label in _MULTIWORD_PREFIXES.items():
            if folded.startswith(prefix + " "):
                name = label + name[len(label):]
    if not letters:
        if kind is None:
            raise DomainError(_("Tên «%(name)s» chỉ có số: hãy ghi rõ loại (thôn, tổ dân phố, ấp, bản, "
                                "khu phố).") % {"name": name})
        name = f"{Kind(kind).label} {name}"
    if len(name) > NAME_MAX_LENGTH:
        raise DomainError(_("Tên thôn, tổ dân phố quá dài (tối đa 200 ký tự)."))
    return name


def village_code_clean(code: str | None) -> str:
    """A village code as stored (upper case), "" when none is given; DomainError if malformed."""
    code = (code or "").strip().upper()
    if code and not _VILLAGE_CODE_RE.match(code):
        raise DomainError(_("Mã thôn «%(code)s» không hợp lệ: chỉ gồm chữ không dấu, chữ số, “-” hoặc “_”, "
                            "tối đa 20 ký tự.") % {"code": code})
    return code


def _has_marks(text: str) -> bool:
    return any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", text)) or "đ" in text.lower()


def village_name_identity(name: str) -> tuple[str, str, bool]:
    """What ``village_names_clash`` compares: (normalised lower-case, folded, has diacritics)."""
    return normalize(name).casefold(), fold(name), _has_marks(name)


def village_identities_clash(a: tuple[str, str, bool], b: tuple[str, str, bool]) -> bool:
    """``village_names_clash`` on precomputed identities (bulk imports compare many names)."""
    if a[0] == b[0]:
        return True
    if a[2] and b[2]:
        return False
    return a[1] == b[1]


def village_names_clash(a: str, b: str) -> bool:
    """Whether two village names denote the same village in one commune.

    Equal after normalising (tone placement, Unicode form, case, spaces): "Thôn Hoà Bình" is
    "Thôn Hòa Bình". A name typed without any diacritics ("Thon Hoa Binh") clashes with every
    name it folds to, but two names that both carry marks and differ in a tone ("Thôn Đông",
    "Thôn Đồng") are different villages.
    """
    return village_identities_clash(village_name_identity(a), village_name_identity(b))


def next_village_code(commune: Unit, *, taken: set[str] | None = None) -> str:
    """Next free code under a commune: T001, T002, …

    ``taken`` (the codes already used under the commune) lets a bulk import allocate many
    codes with one query; the new code is added to it.
    """
    if taken is None:
        taken = set(Unit.objects.filter(parent=commune).values_list("code", flat=True))
    codes = taken
    n = len(codes) + 1
    while f"T{n:03d}" in codes:
        n += 1
    code = f"T{n:03d}"
    codes.add(code)
    return code


def village_check(*, commune: Unit, name: str, kind: str | None = None,
                  code: str | None = None) -> tuple[str, str]:
    """Raise DomainError unless the village may be created; return its cleaned name and code."""
    if commune.level != Level.COMMUNE or commune.status != Status.ACTIVE or commune.era != Era.CURRENT:
        raise DomainError(_("Thôn, tổ dân phố chỉ được tạo trong một đơn vị cấp xã đang hoạt động."))
    if kind is not None and kind not in VILLAGE_KINDS:
        raise DomainError(_("Loại «%(kind)s» không phải thôn, tổ dân phố, ấp, bản hay khu phố.")
                          % {"kind": kind})
    name = village_name_clean(name, kind)
    siblings = Unit.objects.filter(parent=commune, level=Level.VILLAGE, status=Status.ACTIVE,
                                   search_text=searchable(name)).values_list("name", flat=True)
    clash = next((other for other in siblings if village_names_clash(name, other)), None)
    if clash is not None:
        raise DomainError(_("%(commune)s đã có %(name)s.") % {"commune": commune.name, "name": clash})
    code = village_code_clean(code)
    if code and Unit.objects.filter(parent=commune, code=code).exists():
        raise DomainError(_("Mã %(code)s đã được dùng trong %(commune)s.")
                          % {"code": code, "commune": commune.name})
    return name, code


@transaction.atomic
def village_create(*, actor: Any, commune: Unit, name: str, kind: str | None = None,
                   code: str | None = None) -> Unit:
    """Add a village or residential group under a commune."""
    name, code = village_check(commune=commune, name=name, kind=kind, code=code)
    code = code or next_village_code(commune)
    village = Unit.objects.create(
        code=code, name=name, level=Level.VILLAGE, kind=kind or village_kind_from_name(name), era=Era.CURRENT,
        parent=commune, path=child_path(commune.path, code), search_text=searchable(name),
    )
    audit_record(actor=actor, action="units.village_create", obj=village, unit_path=village.path,
                 after={"code": code, "name": name, "kind": village.kind})
    return village


@transaction.atomic
def village_update(*, actor: Any, village: Unit, kind: str, latitude: float | None = None,
                   longitude: float | None = None) -> Unit:
    """Change a village's kind and location; its name changes through ``unit_rename``."""
    if village.level != Level.VILLAGE:
        raise DomainError(_("Chỉ sửa được thôn, tổ dân phố; đơn vị hành chính chính thức thay đổi qua "
                            "sắp xếp, đổi tên."))
    if kind not in VILLAGE_KINDS:
        raise DomainError(_("Loại «%(kind)s» không phải thôn, tổ dân phố, ấp, bản hay khu phố.")
                          % {"kind": kind})
    before = {"kind": village.kind, "latitude": village.latitude, "longitude": village.longitude}
    village.kind, village.latitude, village.longitude = kind, latitude, longitude
    village.save(update_fields=["kind", "latitude", "longitude", "updated_at"])
    audit_record(actor=actor, action="units.village_update", obj=village, unit_path=village.path,
                 before=before, after={"kind": kind, "latitude": latitude, "longitude": longitude})
    return village


# --- reorganisation -----------------------------------------------------------------------

def _move_subtree(unit: Unit, new_parent: Unit, *, new_code: str | None = None) -> None:
    """Re-hang ``unit`` (and everything under it) below ``new_parent``, rewriting paths."""
    old_prefix = unit.path
    unit.code = new_code or unit.code
    unit.parent = new_parent
    unit.path = child_path(new_parent.path, unit.code)
    unit.save(update_fields=["code", "parent", "path", "updated_at"])
    from .selectors import subtree_q

    descendants = list(Unit.objects.filter(subtree_q(old_prefix)).exclude(pk=unit.pk))
    for d in descendants:
        d.path = unit.path + d.path[len(old_prefix):]
    Unit.objects.bulk_update(descendants, ["path"], batch_size=2000)


def _dissolve(unit: Unit, effective_on: dt.date) -> None:
    unit.status = Status.DISSOLVED
    unit.dissolved_on = effective_on
    unit.save(update_fields=["status", "dissolved_on", "updated_at"])
    Organisation.objects.filter(unit=unit, active=True).update(active=False)


def _check_reorganisable(units: Iterable[Unit]) -> None:
    for u in units:
        if u.status != Status.ACTIVE or u.era != Era.CURRENT:
            raise DomainError(_("%(name)s không còn hoạt động nên không thể sắp xếp lại.") % {"name": u.name})


@transaction.atomic
def unit_merge(*, actor: Any, sources: list[Unit], target: Unit, effective_on: dt.date,
               decision: str = "") -> Unit:
    """Merge ``sources`` into ``target`` (an existing unit of the same level and parent).

    The sources stay in the tree, dissolved, pointing to the target; their villages and the
    role assignments on them move to the target, so open work carries on there.
    """
    from danvan.accounts.models import RoleAssignment

    sources = [s for s in sources if s.pk != target.pk]
    if not sources:
        raise DomainError(_("Cần chọn ít nhất một đơn vị để sáp nhập vào %(name)s.") % {"name": target.name})
    _check_reorganisable([*sources, target])
    for s in sources:
        if s.level != target.level:
            raise DomainError(_("Chỉ sáp nhập các đơn vị cùng cấp."))
    taken = set(Unit.objects.filter(parent=target).values_list("code", flat=True))
    moved = 0
    for source in sources:
        for child in list(Unit.objects.filter(parent=source, status=Status.ACTIVE)):
            code = child.code if child.code not in taken else f"{source.code}-{child.code}"
            taken.add(code)
            _move_subtree(child, target, new_code=code)
            moved += 1
        # A person may hold the same role on both units; the grant on the target already
        # covers them, and moving theirs would break the one-active-grant constraint.
        held = RoleAssignment.objects.filter(unit=target, active=True).values_list("user_id", "role")
        grants = RoleAssignment.objects.filter(unit=source, active=True)
        for user_id, role in held:
            grants.filter(user_id=user_id, role=role).update(active=False)
        grants.filter(active=True).update(unit=target)
        UnitSuccession.objects.create(predecessor=source, successor=target, kind=SuccessionKind.MERGE,
                                      effective_on=effective_on, decision=decision)
        _dissolve(source, effective_on)
    audit_record(actor=actor, action="units.merge", obj=target, unit_path=target.path,
                 before={"sources": [s.code for s in sources]},
                 after={"target": target.code, "moved_children": moved, "decision": decision})
    return target


@dataclass(frozen=True)
class SplitPart:
    code: str
    name: str
    kind: str
    # Codes of the source's children (villages) that go to this part.
    children: tuple[str, ...] = ()


_LEVEL_KINDS: dict[int, tuple[str, ...]] = {
    Level.PROVINCE: (Kind.PROVINCE, Kind.CITY),
    Level.COMMUNE: (Kind.COMMUNE, Kind.WARD, Kind.SPECIAL_ZONE),
    Level.VILLAGE: VILLAGE_KINDS,
}
# QĐ 19/2025/QĐ-TTg: provinces have 2-digit codes, communes 5-digit codes.
_CODE_DIGITS: dict[int, int] = {Level.PROVINCE: 2, Level.COMMUNE: 5}


def _check_new_code(code: str, level: int) -> None:
    digits = _CODE_DIGITS.get(level)
    if digits is not None and not (len(code) == digits and code.isdigit()):
        raise DomainError(_("Mã %(code)s không hợp lệ: mã đơn vị cấp này gồm %(n)d chữ số.")
                          % {"code": code, "n": digits})
    if digits is None:
        village_code_clean(code)


@transaction.atomic
def unit_split(*, actor: Any, source: Unit, parts: list[SplitPart], effective_on: dt.date,
               decision: str = "") -> list[Unit]:
    """Split ``source`` into new units under the same parent; every child must be assigned.

    Role assignments on the source are ended rather than guessed: who serves which part is
    an administrator's decision.
    """
    from danvan.accounts.models import RoleAssignment

    _check_reorganisable([source])
    if len(parts) < 2:
        raise DomainError(_("Chia tách cần ít nhất hai đơn vị mới."))
    children = {c.code: c for c in Unit.objects.filter(parent=source, status=Status.ACTIVE)}
    assigned = [code for part in parts for code in part.children]
    missing = sorted(set(children) - set(assigned))
    unknown = sorted(set(assigned) - set(children))
    if missing or unknown or len(assigned) != len(set(assigned)):
        raise DomainError(_("Mỗi thôn, tổ dân phố phải thuộc đúng một đơn vị mới (chưa phân: %(missing)s; "
                            "không có: %(unknown)s).") % {"missing": ", ".join(missing) or "–",
                                                          "unknown": ", ".join(unknown) or "–"})
    parent = source.parent
    assert parent is not None
    new_units = []
    for part in parts:
        _check_new_code(part.code, source.level)
        if Unit.objects.filter(era=Era.CURRENT, level=source.level, code=part.code).exists() or (
                Unit.objects.filter(parent=parent, code=part.code).exists()):
            raise DomainError(_("Mã %(code)s đã tồn tại; mã đơn vị hành chính không được dùng lại.")
                              % {"code": part.code})
        name = normalize(part.name)
        if not name:
            raise DomainError(_("Tên đơn vị mới không được để trống."))
        if part.kind not in _LEVEL_KINDS.get(source.level, ()):
            raise DomainError(_("Loại «%(kind)s» không dùng được cho đơn vị cấp này.") % {"kind": part.kind})
        unit = Unit.objects.create(code=part.code, name=name, level=source.level, kind=part.kind,
                                   era=Era.CURRENT, parent=parent, path=child_path(parent.path, part.code),
                                   search_text=searchable(name), valid_from=effective_on)
        for code in part.children:
            _move_subtree(children[code], unit)
        UnitSuccession.objects.create(predecessor=source, successor=unit, kind=SuccessionKind.SPLIT,
                                      partial=True, effective_on=effective_on, decision=decision)
        if unit.level in STANDARD_ORGANISATIONS:
            _ensure_standard_organisations([unit])
        new_units.append(unit)
    RoleAssignment.objects.filter(unit=source, active=True).update(active=False)
    _dissolve(source, effective_on)
    audit_record(actor=actor, action="units.split", obj=source, unit_path=source.path,
                 after={"parts": [u.code for u in new_units], "decision": decision})
    return new_units


def unit_rename_check(*, unit: Unit, new_name: str) -> str:
    """Raise DomainError unless ``unit`` may take ``new_name``; return the name as it will be stored."""
    _check_reorganisable([unit])
    new_name = normalize(new_name)
    if not new_name:
        raise DomainError(_("Tên mới không được để trống."))
    if new_name == unit.name:
        raise DomainError(_("Tên mới trùng với tên hiện tại."))
    if len(new_name) > NAME_MAX_LENGTH:
        raise DomainError(_("Tên quá dài (tối đa 200 ký tự)."))
    if unit.level == Level.VILLAGE and unit.parent_id is not None:
        siblings = (Unit.objects.filter(parent_id=unit.parent_id, level=Level.VILLAGE, status=Status.ACTIVE,
                                        search_text=searchable(new_name)).exclude(pk=unit.pk)
                    .values_list("name", flat=True))
        clash = next((other for other in siblings if village_names_clash(new_name, other)), None)
        if clash is not None:
            raise DomainError(_("Đã có %(name)s trong cùng đơn vị cấp xã.") % {"name": clash})
    return new_name


@transaction.atomic
def unit_rename(*, actor: Any, unit: Unit, new_name: str, effective_on: dt.date, decision: str = "") -> Unit:
    """Rename a unit, keeping the old name in its history; its code never changes."""
    new_name = unit_rename_check(unit=unit, new_name=new_name)
    old_name = unit.name
    UnitRename.objects.create(unit=unit, old_name=old_name, new_name=new_name, effective_on=effective_on,
                              decision=decision)
    unit.name = new_name
    unit.search_text = searchable(new_name)
    unit.save(update_fields=["name", "search_text", "updated_at"])
    for org in Organisation.objects.filter(unit=unit, active=True):
        org.name = organisation_name(org.kind, unit)
        org.search_text = searchable(org.name)
        org.save(update_fields=["name", "search_text", "updated_at"])
    audit_record(actor=actor, action="units.rename", obj=unit, unit_path=unit.path,
                 before={"name": old_name}, after={"name": new_name, "decision": decision})
    return unit


# --- organisations and households ---------------------------------------------------------

def organisation_check(*, unit: Unit, kind: str, exclude_pk: int | None = None) -> None:
    """Raise DomainError unless an active organisation of ``kind`` may exist on ``unit``."""
    if unit.status != Status.ACTIVE or unit.era != Era.CURRENT:
        raise DomainError(_("%(name)s không còn hoạt động.") % {"name": unit.name})
    if unit.level not in (Level.PROVINCE, Level.COMMUNE):
        raise DomainError(_("Cơ quan, tổ chức chỉ gắn với đơn vị cấp tỉnh hoặc cấp xã."))
    if kind not in OrganisationKind.values:
        raise DomainError(_("Loại tổ chức «%(kind)s» không có trong danh mục.") % {"kind": kind})
    others = Organisation.objects.filter(unit=unit, kind=kind, active=True)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise DomainError(_("%(unit)s đã có %(kind)s đang hoạt động.")
                          % {"unit": unit.name, "kind": OrganisationKind(kind).label})


@transaction.atomic
def organisation_create(*, actor: Any, unit: Unit, kind: str, name: str = "") -> Organisation:
    """Attach an organisation to a unit; the name defaults to the official style."""
    organisation_check(unit=unit, kind=kind)
    name = normalize(name) or organisation_name(kind, unit)
    org = Organisation.objects.create(unit=unit, kind=kind, name=name, search_text=searchable(name))
    audit_record(actor=actor, action="units.organisation_create", obj=org, unit_path=unit.path,
                 after={"kind": kind, "name": name})
    return org


@transaction.atomic
def organisation_update(*, actor: Any, organisation: Organisation, name: str, active: bool) -> Organisation:
    """Rename, deactivate or reactivate an organisation."""
    name = normalize(name)
    if not name:
        raise DomainError(_("Tên cơ quan, tổ chức không được để trống."))
    if active and not organisation.active:
        organisation_check(unit=organisation.unit, kind=organisation.kind, exclude_pk=organisation.pk)
    before = {"name": organisation.name, "active": organisation.active}
    organisation.name, organisation.search_text, organisation.active = name, searchable(name), active
    organisation.save(update_fields=["name", "search_text", "active", "updated_at"])
    audit_record(actor=actor, action="units.organisation_update", obj=organisation,
                 unit_path=organisation.unit.path, before=before, after={"name": name, "active": active})
    return organisation


def household_check(*, village: Unit, number: str, exclude_pk: int | None = None) -> None:
    """Raise DomainError unless a household ``number`` may be registered in ``village``."""
    if village.level != Level.VILLAGE or village.status != Status.ACTIVE:
        raise DomainError(_("Hộ gia đình chỉ thuộc một thôn, tổ dân phố đang hoạt động."))
    others = Household.objects.filter(village=village, number=number.strip())
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if others.exists():
        raise DomainError(_("%(village)s đã có hộ số %(number)s.")
                          % {"village": village.name, "number": number})


@transaction.atomic
def household_save(*, actor: Any, household: Household, changed: Iterable[str] = ()) -> Household:
    """Register or update a household of a village register.

    The audit entry names the fields that changed, not their values: the register holds
    personal data that the audit trail has no need to copy.
    """
    household_check(village=household.village, number=household.number, exclude_pk=household.pk)
    household.number = household.number.strip()
    household.head_name = normalize(household.head_name)
    household.representative_name = normalize(household.representative_name) or household.head_name
    household.address = normalize(household.address)
    created = household.pk is None
    household.save()
    audit_record(actor=actor, action="units.household_create" if created else "units.household_update",
                 obj=household, object_repr=household.number, unit_path=household.village.path,
                 after={"fields": sorted(changed)})
    return household
