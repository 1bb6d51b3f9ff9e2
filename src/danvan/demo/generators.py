"""The built-in demo generators: villages, households, demo officials.

Each one is idempotent (it looks at what exists and adds only what is missing) and
deterministic (its randomness comes from ``DemoContext.rng_for``, one stream per commune or
village, so the same seed gives the same data whatever else the run covers).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext_lazy as _

from danvan.accounts.models import Role, RoleAssignment, User
from danvan.accounts.services import official_create, role_grant
from danvan.core.search import searchable
from danvan.core.text import fold
from danvan.units.models import Era, Household, Kind, Level, Organisation, OrganisationKind, Status, Unit
from danvan.units.selectors import subtree_q
from danvan.units.services import child_path

from .names import head_title, head_username, person, phone, village_names
from .registry import DemoContext, register

# One password for every demo official, printed at the end of each run. Demo data is for a
# developer's machine or a training server, never for a real deployment.
DEMO_PASSWORD = "danvan-demo-2025"  # noqa: S105 (printed on purpose: it is the demo login)
DEMO_EMAIL_DOMAIN = "danvan.example"

# Villages per commune: small is a readable demo; large gives ~60,000 villages nationally
# (3,321 communes x ~18), the order of magnitude of the real count.
VILLAGES_PER_COMMUNE = {"small": (4, 8), "large": (14, 22)}
HOUSEHOLDS_PER_VILLAGE = (20, 60)
BATCH = 2000


# --- villages -----------------------------------------------------------------------------

@register("units.villages", order=10, labels={"villages": _("thôn, tổ dân phố")})
def villages(ctx: DemoContext) -> dict[str, int]:
    """Villages and residential groups under every commune of the run, topped up to the scale's count."""
    lo, hi = VILLAGES_PER_COMMUNE[ctx.scale]
    existing = Unit.objects.filter(era=Era.CURRENT, level=Level.VILLAGE)
    if ctx.province is not None:
        existing = existing.filter(subtree_q(ctx.province.path))
    have_names: dict[int, set[str]] = {}
    have_codes: dict[int, set[str]] = {}
    rows = existing.values_list("parent_id", "code", "search_text")
    for parent_id, code, text in rows.iterator(chunk_size=5000):
        have_names.setdefault(parent_id, set()).add(text)
        have_codes.setdefault(parent_id, set()).add(code)
    province_code = {p.pk: p.code for p in ctx.provinces}
    new: list[Unit] = []
    created = 0
    for commune in ctx.communes:
        # The count and the names come from separate streams, so a large run keeps the
        # small run's names as its first ones and only adds more.
        target = ctx.rng_for("villages.count", ctx.scale, commune.code).randint(lo, hi)
        names = have_names.setdefault(commune.pk, set())
        if len(names) >= target:
            continue
        codes = have_codes.setdefault(commune.pk, set())
        number = 0
        stream = village_names(ctx.rng_for("villages.names", commune.code),
                               province_code=province_code.get(commune.parent_id, ""),
                               commune_kind=commune.kind)
        for candidate in stream:
            if len(names) >= target:
                break
            text = searchable(candidate.name)
            if text in names:
                continue
            number += 1
            while f"T{number:03d}" in codes:
                number += 1
            code = f"T{number:03d}"
            codes.add(code)
            names.add(text)
            new.append(Unit(code=code, name=candidate.name, level=Level.VILLAGE, kind=candidate.kind,
                            era=Era.CURRENT, status=Status.ACTIVE, parent=commune,
                            path=child_path(commune.path, code), search_text=text))
        if len(new) >= BATCH * 5:
            Unit.objects.bulk_create(new, batch_size=BATCH)
            created += len(new)
            new = []
    Unit.objects.bulk_create(new, batch_size=BATCH)
    created += len(new)
    return {"villages": created}


# --- households ---------------------------------------------------------------------------

_MEMBERS = (1, 2, 3, 4, 5, 6, 7, 8)
_MEMBER_WEIGHTS = (6, 14, 20, 25, 18, 10, 5, 2)
_URBAN_KINDS = {Kind.RESIDENTIAL_GROUP, Kind.QUARTER}


@register("units.households", order=20, labels={"households": _("hộ gia đình")})
def households(ctx: DemoContext) -> dict[str, int]:
    """Households with their representatives for the villages of a named province."""
    if not ctx.households_enabled or ctx.province is None:
        return {"households": 0}
    commune_by_id = {c.pk: c for c in ctx.communes}
    done = set(Household.objects.filter(subtree_q(ctx.province.path, field="village__path"))
               .values_list("village_id", flat=True).distinct())
    villages_qs = (Unit.objects.filter(subtree_q(ctx.province.path), era=Era.CURRENT, level=Level.VILLAGE,
                                       status=Status.ACTIVE)
                   .only("id", "code", "name", "kind", "path", "parent_id").order_by("path"))
    new: list[Household] = []
    created = 0
    for village in villages_qs.iterator(chunk_size=5000):
        commune = commune_by_id.get(village.parent_id)
        if commune is None or village.pk in done:
            continue
        new.extend(_households_for(ctx, village, commune))
        if len(new) >= BATCH * 5:
            Household.objects.bulk_create(new, batch_size=BATCH)
            created += len(new)
            new = []
    Household.objects.bulk_create(new, batch_size=BATCH)
    created += len(new)
    return {"households": created}


def _households_for(ctx: DemoContext, village: Unit, commune: Unit) -> list[Household]:
    rng = ctx.rng_for("households", village.path)
    province = ctx.province
    place = f"{village.name}, {commune.name}, {province.name}"
    urban = village.kind in _URBAN_KINDS
    out = []
    for i in range(1, rng.randint(*HOUSEHOLDS_PER_VILLAGE) + 1):
        head = person(rng, province_code=province.code, female=rng.random() < 0.3)
        roll = rng.random()
        if roll < 0.75:
            representative = head
        elif roll < 0.9:
            # The spouse keeps their own family name, as Vietnamese custom has it.
            representative = person(rng, province_code=province.code, female=not head.female)
        else:
            # A grown child carries the father's family name (the head's, for simplicity).
            representative = person(rng, province_code=province.code, surname=head.surname)
        address = f"Số {rng.randint(1, 180)}, ngõ {rng.randint(1, 120)}, {place}" if urban else place
        out.append(Household(
            village=village, number=f"{i:03d}", head_name=head.full_name,
            representative_name=representative.full_name,
            representative_phone=phone(rng) if rng.random() < 0.85 else "",
            address=address, members=rng.choices(_MEMBERS, weights=_MEMBER_WEIGHTS)[0],
        ))
    return out


# --- officials ----------------------------------------------------------------------------

@dataclass(frozen=True)
class _OfficialSpec:
    key: str
    slug: str
    suffix: str
    role: str
    unit: Unit
    organisation: Organisation | None
    title: str
    # What the credentials table shows: short, with the usual abbreviations (UBND, MTTQ).
    short: str
    place: str


_KIND_WORDS = ("thanh pho", "tinh", "phuong", "xa", "dac khu")


def _slug(unit: Unit, *, keep_kind: bool) -> str:
    """"Thành phố Hà Nội" → "hanoi"; "Phường Ba Đình" → "phuongbadinh" (kind kept for communes)."""
    folded = fold(unit.name)
    if not keep_kind:
        for word in _KIND_WORDS:
            if folded.startswith(word + " "):
                folded = folded[len(word) + 1:]
                break
    return folded.replace(" ", "")


def _official_specs(ctx: DemoContext) -> list[_OfficialSpec]:
    province = ctx.focus_province
    units = [province, *ctx.focus_communes]
    orgs = {(o.unit_id, o.kind): o for o in Organisation.objects.filter(unit__in=units, active=True)}
    pslug = _slug(province, keep_kind=False)

    def org(unit: Unit, kind: str) -> Organisation | None:
        return orgs.get((unit.pk, kind))

    def org_name(unit: Unit, kind: str) -> str:
        found = org(unit, kind)
        return found.name if found else f"{OrganisationKind(kind).label} {unit.name}"

    ubnd, mttq, tgdv = OrganisationKind.PEOPLES_COMMITTEE, OrganisationKind.FATHERLAND_FRONT, \
        OrganisationKind.PROPAGANDA_MOBILIZATION
    p = province.name
    specs = [
        _OfficialSpec("province.leader", pslug, "lanhdao", Role.LEADER, province, org(province, ubnd),
                      f"Phó Chủ tịch {org_name(province, ubnd)}", "Phó Chủ tịch UBND", p),
        _OfficialSpec("province.supervisor", pslug, "tgdv", Role.SUPERVISOR, province, org(province, tgdv),
                      f"Chuyên viên {org_name(province, tgdv)}", "Chuyên viên Ban Tuyên giáo và Dân vận", p),
        _OfficialSpec("province.fatherland_front", pslug, "mttq", Role.SUPERVISOR, province,
                      org(province, mttq), f"Phó Chủ tịch {org_name(province, mttq)}",
                      "Phó Chủ tịch Ủy ban MTTQ", p),
    ]
    first_villages: dict[int, Unit] = {}
    for v in Unit.objects.filter(parent__in=ctx.focus_communes, level=Level.VILLAGE,
                                 status=Status.ACTIVE).order_by("code"):
        if v.parent_id is not None:
            first_villages.setdefault(v.parent_id, v)
    for commune in ctx.focus_communes:
        cslug = _slug(commune, keep_kind=True)
        office = "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân"
        economy = "Phòng Kinh tế" if commune.kind == Kind.COMMUNE else "Phòng Kinh tế, Hạ tầng và Đô thị"
        key = f"commune.{commune.code}"
        c = commune.name
        specs += [
            _OfficialSpec(f"{key}.leader", cslug, "lanhdao", Role.LEADER, commune, org(commune, ubnd),
                          f"Chủ tịch {org_name(commune, ubnd)}", "Chủ tịch UBND", c),
            _OfficialSpec(f"{key}.intake_officer", cslug, "tiepnhan", Role.INTAKE_OFFICER, commune,
                          org(commune, ubnd), f"Công chức {office}, bộ phận tiếp công dân",
                          "Công chức tiếp công dân", c),
            _OfficialSpec(f"{key}.handler", cslug, "xuly", Role.HANDLER, commune, org(commune, ubnd),
                          f"Chuyên viên {economy}", f"Chuyên viên {economy}", c),
        ]
        village = first_villages.get(commune.pk)
        if village is not None:
            title = head_title(village.name)
            specs.append(_OfficialSpec(f"{key}.village_head", cslug, head_username(village.name),
                                       Role.VILLAGE_HEAD, village, None, title, title,
                                       f"{village.name}, {c}"))
    return specs


@register("accounts.officials", order=30,
          labels={"officials": _("tài khoản cán bộ"), "grants": _("phân quyền")})
def officials(ctx: DemoContext) -> dict[str, int]:
    """Demo officials of the focus province and 2-3 of its communes, with their roles."""
    created = grants = 0
    hashed: str | None = None
    # Short role words for the credentials table; a village head's title already says it all.
    role_labels: dict[str, Any] = {Role.LEADER: _("Lãnh đạo"), Role.SUPERVISOR: _("Giám sát"),
                   Role.INTAKE_OFFICER: _("Tiếp nhận"), Role.HANDLER: _("Xử lý")}
    for spec in _official_specs(ctx):
        user = None
        # The readable name first; if another province's demo (or a real person) already
        # has it, the commune or province code makes it unique.
        for username in (f"{spec.slug}.{spec.suffix}", f"{spec.slug}{spec.unit.code.lower()}.{spec.suffix}"):
            candidate = User.objects.filter(username=username).first()
            if candidate is None or RoleAssignment.objects.filter(
                    user=candidate, role=spec.role, unit=spec.unit, active=True).exists():
                user = candidate
                break
        if user is None:
            rng = ctx.rng_for("officials", ctx.focus_province.code, spec.key)
            someone = person(rng, province_code=ctx.focus_province.code)
            user = official_create(actor=ctx.actor, username=username, password=None,
                                   full_name=someone.full_name, email=f"{username}@{DEMO_EMAIL_DOMAIN}",
                                   phone=phone(rng))
            # PBKDF2 costs about half a second per call by design; the demo password is the
            # same for everyone, so hash it once per run instead of once per account.
            hashed = hashed or make_password(DEMO_PASSWORD)
            user.password = hashed
            user.save(update_fields=["password"])
            created += 1
        if not RoleAssignment.objects.filter(user=user, role=spec.role, unit=spec.unit, active=True).exists():
            role_grant(actor=ctx.actor, user=user, role=spec.role, unit=spec.unit,
                       organisation=spec.organisation, title=spec.title)
            grants += 1
        ctx.officials[spec.key] = user
        label = role_labels.get(spec.role)
        ctx.credentials.append((user.username, user.full_name, f"{label} – {spec.short}" if label else spec.short,
                                spec.place))
    return {"officials": created, "grants": grants}

