"""Realistic Vietnamese names for demo data: people, villages, phone numbers.

Everything here draws from a ``random.Random`` passed in by the caller, never from the
global generator or the clock, so a seed always gives the same names. Names are real-looking
but invented; they are data, not interface text, so they are not wrapped for translation.

Regional habits that the generators follow (so a demo of An Giang looks like An Giang):

- the South (Đồng Nai to Cà Mau) calls its villages "ấp" and urban groups "khu phố", and
  uses Huỳnh and Võ where the North says Hoàng and Vũ;
- the northern mountains have "bản" with Tày/Thái/Mông names (Bản Nà Pục, Bản Huổi Só) and
  their own family names (Lò, Quàng, Giàng, Nông…); Cao Bằng and Thái Nguyên say "xóm";
- the Central Highlands have Ê Đê "buôn" (Đắk Lắk) and Jrai/Bahnar "làng" (Gia Lai);
- elsewhere a commune has "thôn" and a ward "tổ dân phố", named ("Thôn Đông", "Thôn Yên
  Lạc") or numbered ("Thôn 3", "Tổ dân phố số 5").
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass

from danvan.core.text import fold, normalize
from danvan.units.models import Kind

# Every demo phone number matches this: ten digits, a Vietnamese mobile shape (09…), with
# "0900 0" in front as the marker that it is invented. No operator hands out this block to
# subscribers in bulk, and the marker lets a reviewer spot demo numbers at a glance.
DEMO_PHONE_PREFIX = "09000"
DEMO_PHONE_RE = re.compile(r"^09000\d{5}$")

SOUTH = frozenset({"75", "79", "80", "82", "86", "91", "92", "96"})
# Provinces where communes are mostly "bản" (Điện Biên, Lai Châu, Sơn La).
BAN_PROVINCES = frozenset({"11", "12", "14"})
# Mixed thôn/bản highlands (Tuyên Quang with Hà Giang, Lào Cai with Yên Bái, Lạng Sơn).
MIXED_BAN_PROVINCES = frozenset({"08", "15", "20"})
# Villages called "xóm" (Cao Bằng, Thái Nguyên, Phú Thọ with Hòa Bình, Nghệ An).
XOM_PROVINCES = frozenset({"04", "19", "25", "40"})
BUON_PROVINCES = frozenset({"66"})  # Đắk Lắk
LANG_PROVINCES = frozenset({"52"})  # Gia Lai
NORTHERN_MOUNTAINS = BAN_PROVINCES | MIXED_BAN_PROVINCES | frozenset({"04"})

# --- people -------------------------------------------------------------------------------

# Approximate national shares (per cent) of the commonest family names.
_SURNAMES_NORTH: dict[str, float] = {
    "Nguyễn": 38, "Trần": 11, "Lê": 9.5, "Phạm": 7, "Hoàng": 4.5, "Phan": 4.5, "Vũ": 3.9, "Đặng": 2.1,
    "Bùi": 2, "Đỗ": 1.4, "Hồ": 1.3, "Ngô": 1.3, "Dương": 1, "Lý": 0.5, "Đinh": 0.7, "Trương": 0.8,
    "Lương": 0.5, "Mai": 0.5, "Đào": 0.5, "Trịnh": 0.5, "Hà": 0.5, "Cao": 0.4, "Tạ": 0.3, "Lâm": 0.3,
}
_SURNAMES_SOUTH: dict[str, float] = {
    "Nguyễn": 38, "Trần": 11, "Lê": 9.5, "Phạm": 6, "Huỳnh": 4.5, "Phan": 4.5, "Võ": 3.9, "Đặng": 2.1,
    "Bùi": 1.5, "Đỗ": 1.2, "Hồ": 1.6, "Ngô": 1.3, "Dương": 1.2, "Lý": 0.8, "Trương": 1, "Lâm": 0.8,
    "Mai": 0.5, "Đinh": 0.4, "Tô": 0.4, "Châu": 0.4, "Thái": 0.3, "Cao": 0.4, "La": 0.3, "Hoàng": 0.5,
}
_SURNAMES_MOUNTAIN: dict[str, float] = {
    "Lò": 6, "Lường": 4, "Quàng": 3, "Cầm": 3, "Vì": 2, "Hà": 4, "Sầm": 1, "Nông": 5, "Hoàng": 5,
    "Lục": 2, "Ma": 2, "Giàng": 4, "Sùng": 3, "Vàng": 4, "Thào": 3, "Mùa": 2, "Lý": 3, "Triệu": 3,
    "Bế": 2, "Đàm": 1, "Lăng": 1, "Nguyễn": 10, "Trần": 3, "Lê": 2,
}

_MIDDLE_MALE: dict[str, float] = {
    "Văn": 40, "Hữu": 6, "Đức": 8, "Minh": 8, "Quốc": 5, "Công": 5, "Thanh": 5, "Xuân": 4, "Ngọc": 3,
    "Đình": 6, "Trọng": 4, "Quang": 5, "Mạnh": 3, "Tiến": 3, "Anh": 3,
}
_MIDDLE_FEMALE: dict[str, float] = {
    "Thị": 45, "Ngọc": 8, "Thu": 6, "Thanh": 6, "Minh": 4, "Kim": 5, "Thùy": 4, "Phương": 4, "Bảo": 2,
    "Hồng": 5, "Diệu": 2, "Mỹ": 4, "Khánh": 2,
}
_GIVEN_MALE = (
    "An", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hùng", "Huy", "Khánh", "Long", "Minh", "Nam", "Phong",
    "Quân", "Sơn", "Thắng", "Thành", "Trung", "Tuấn", "Việt", "Hiếu", "Hòa", "Lâm", "Tài", "Tâm", "Toàn",
    "Vinh", "Hưng", "Kiên", "Lợi", "Phúc", "Quang", "Thịnh", "Tú", "Đạt", "Hoàng", "Khoa", "Nghĩa",
    "Tùng", "Bảo", "Chiến", "Duy", "Hậu", "Lộc", "Thuận",
)
_GIVEN_FEMALE = (
    "Anh", "Châu", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Lan", "Liên", "Linh", "Mai",
    "Ngân", "Nga", "Nhung", "Oanh", "Phương", "Thảo", "Trang", "Tuyết", "Vân", "Yến", "Hồng", "Thủy",
    "Loan", "Hiền", "Huyền", "Lý", "My", "Nhàn", "Quyên", "Thắm", "Thơm", "Uyên", "Xuân", "Hoài", "Ngọc",
)
# Ê Đê (Đắk Lắk) and Jrai (Gia Lai) names: given name, then clan name (Ê Đê, with Y / H'
# before a man's / woman's name), or clan first (Jrai).
_EDE_CLANS = ("Niê", "Êban", "Mlô", "Ayŭn", "Adrơng", "Byă", "Hwing", "Ksơr", "Mdrang", "Kbuôr")
_EDE_GIVEN_MALE = ("Bih", "Jao", "Khoa", "Nguôn", "Tlang", "Wang", "Sun", "Mlin", "Djhao", "Thông")
_EDE_GIVEN_FEMALE = ("Hen", "Blih", "Yun", "Mai", "Nhim", "Rin", "Juel", "Drin", "Ngơn", "Plin")
_JRAI_CLANS = ("Ksor", "Rơ Châm", "Siu", "Rơ Mah", "Kpă", "Nay", "Rơ Lan", "Puih")
_JRAI_GIVEN = ("Blin", "Tuân", "Phơn", "Blúp", "H'Nhi", "Thuyết", "Hyưh", "H'Lan", "Rin", "Nhu", "Ly", "Dơk")


def _weighted(rng: random.Random, table: dict[str, float]) -> str:
    return rng.choices(list(table), weights=list(table.values()))[0]


@dataclass(frozen=True)
class Person:
    full_name: str
    female: bool
    surname: str


def person(rng: random.Random, *, province_code: str = "", female: bool | None = None,
           surname: str | None = None) -> Person:
    """A plausible full name for someone living in ``province_code``."""
    if female is None:
        female = rng.random() < 0.5
    if province_code in BUON_PROVINCES and surname is None and rng.random() < 0.3:
        given = rng.choice(_EDE_GIVEN_FEMALE if female else _EDE_GIVEN_MALE)
        clan = rng.choice(_EDE_CLANS)
        full_name = f"H'{given} {clan}" if female else f"Y {given} {clan}"
        return Person(normalize(full_name), female, clan)
    if province_code in LANG_PROVINCES and surname is None and rng.random() < 0.3:
        clan = rng.choice(_JRAI_CLANS)
        return Person(normalize(f"{clan} {rng.choice(_JRAI_GIVEN)}"), female, clan)
    if surname is None:
        if province_code in NORTHERN_MOUNTAINS:
            table = _SURNAMES_MOUNTAIN
        elif province_code in SOUTH:
            table = _SURNAMES_SOUTH
        else:
            table = _SURNAMES_NORTH
        surname = _weighted(rng, table)
    middle = _weighted(rng, _MIDDLE_FEMALE if female else _MIDDLE_MALE)
    given = rng.choice(_GIVEN_FEMALE if female else _GIVEN_MALE)
    parts = [surname, middle]
    # Some names have two middle names ("Nguyễn Ngọc Bảo Trâm"), women's more often.
    if middle not in {"Văn", "Thị"} and rng.random() < (0.15 if female else 0.05):
        second = rng.choice(tuple(_MIDDLE_FEMALE if female else _MIDDLE_MALE))
        if second not in {middle, "Văn", "Thị"}:
            parts.append(second)
    if given not in parts:
        parts.append(given)
    else:
        parts.append(rng.choice(_GIVEN_FEMALE if female else _GIVEN_MALE))
    return Person(normalize(" ".join(parts)), female, surname)


def phone(rng: random.Random) -> str:
    """An invented mobile number in the demo block: 09000xxxxx."""
    return f"{DEMO_PHONE_PREFIX}{rng.randrange(100000):05d}"


# --- villages -----------------------------------------------------------------------------

_NORTH_FIRST = (
    "Đông", "Tây", "Nam", "Bắc", "Trung", "Thượng", "Hạ", "Đoài", "Phú", "Yên", "An", "Tân", "Hòa", "Thanh",
    "Xuân", "Đại", "Quang", "Thịnh", "Phúc", "Hưng", "Vĩnh", "Bình", "Minh", "Kim", "Đồng", "Hợp", "Văn",
    "Hồng", "Lạc", "Thọ", "Nghĩa", "Cổ", "Vạn", "Hoàng", "Mỹ",
)
_NORTH_SECOND = (
    "Hòa", "Lạc", "Mỹ", "Xá", "Phú", "Yên", "Thành", "Lộc", "Hưng", "Thịnh", "Tiến", "Lập", "Tâm", "Sơn",
    "Hà", "Trung", "Đình", "Vân", "Phong", "Khê", "Lâm", "Giang", "Tháp", "Đông", "Nội", "Bình", "Quang",
    "Thượng", "Hạ", "Đoài", "Tân", "Long", "Châu", "Cầu", "Liễu",
)
_DIRECTIONS = ("Đông", "Đoài", "Nam", "Bắc", "Trung", "Thượng", "Hạ", "Tây", "Tiền", "Hậu")
_SOUTH_FIRST = (
    "Tân", "Long", "Bình", "Phước", "Mỹ", "An", "Hòa", "Vĩnh", "Phú", "Thạnh", "Hưng", "Thới", "Khánh", "Lợi",
    "Thuận", "Đông", "Tây", "Trung", "Hiệp", "Nhơn", "Tường", "Định",
)
_SOUTH_SECOND = (
    "Hòa", "Thạnh", "Long", "Bình", "An", "Lợi", "Phú", "Hưng", "Thới", "Mỹ", "Điền", "Lộc", "Thuận", "Quới",
    "Hiệp", "Đông", "Tây", "Trung", "Phước", "Hậu", "Tiến", "Nhứt", "Nhì", "Khánh",
)
# Southern place names after the landscape: canals, sand ridges, ponds.
_SOUTH_LAND = ("Rạch", "Kênh", "Bàu", "Giồng", "Cái", "Vàm", "Xẻo", "Bưng", "Láng", "Cù Lao", "Mương")
_SOUTH_LAND_WHAT = (
    "Sen", "Mít", "Dầu", "Tràm", "Đước", "Bần", "Me", "Cát", "Chanh", "Gốc", "Trâm", "Tre", "Sậy", "Lớn",
    "Nhỏ", "Ranh", "Dừa", "Ngang", "Sâu", "Cũ",
)
_TAI_FIRST = (
    "Nà", "Pá", "Huổi", "Nậm", "Phiêng", "Co", "Hua", "Khuổi", "Bó", "Pác", "Lũng", "Khau", "Thẳm", "Tà",
    "Phai", "Pù", "Mường", "Na", "Hát", "Cốc", "Sảng", "Bản",
)
_TAI_SECOND = (
    "Phặc", "Khoang", "Sa", "Mạ", "Lếch", "Pục", "Tấu", "Chè", "Bon", "Cang", "Hon", "Lạn", "Mò", "Sản",
    "Lìu", "Ngần", "Pàn", "Đon", "Hẩu", "Cải", "Ún", "Lào", "Luông", "Nghịu", "Phung", "Sáy", "Khiêng",
    "Lót", "Chang", "Só", "Mòn", "Tòng",
)
_BUON = (
    "Ea Kmát", "Ko Đung", "Tơng Jú", "Cư Bông", "Ea Sup", "Kram", "Đôn", "Trí", "Ju", "Mblớt", "Ako Dhông",
    "Kô Siêr", "Ea Bông", "Drai Si", "Ea Knốp", "Cuôr Đăng", "Ea Tar", "Hra", "Yang Reh", "Ea Nuôl", "Tul",
    "Kiêu", "Pốk", "Dhă Prông", "Ea Rớt", "Krông", "Ea Na", "Hồ", "Ea Ktur", "Kmrơng Prông",
)
_LANG = (
    "Plei Ơi", "Plei Ring", "Đê Kjiêng", "Plei Bông", "Ia Rbol", "Plei Kép", "Đê Gơ", "Kon Jri",
    "Plei Tơ Nghia", "Ia Mút", "Đê Tar", "Kon Mah", "Plei Chuét", "Ia Kênh", "Đê Hrel", "Plei Ku",
    "Kon Hra", "Ia Băng",
    "Plei Pông", "Đê Kôp", "Plei Lao", "Kon Sơ Lăl", "Plei Djrăng", "Ia Lâu",
)

_PREFIX_KIND = {
    "Thôn": Kind.VILLAGE, "Xóm": Kind.VILLAGE, "Làng": Kind.VILLAGE, "Ấp": Kind.HAMLET,
    "Bản": Kind.HILL_VILLAGE, "Buôn": Kind.HILL_VILLAGE, "Tổ dân phố": Kind.RESIDENTIAL_GROUP,
    "Khu phố": Kind.QUARTER,
}


@dataclass(frozen=True)
class VillageName:
    name: str
    kind: str


class _NameStream:
    """Unique names for one commune, in a fixed order for a given random state."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seen: set[str] = set()
        self.pending: list[tuple[str, str]] = []

    def take(self, prefix: str, rest: str) -> VillageName | None:
        name = normalize(f"{prefix} {rest}")
        key = fold(name)
        if key in self.seen:
            return None
        self.seen.add(key)
        return VillageName(name, _PREFIX_KIND[prefix])


def _compound(rng: random.Random, first: tuple[str, ...], second: tuple[str, ...]) -> str:
    a = rng.choice(first)
    b = rng.choice(second)
    while b == a:
        b = rng.choice(second)
    return f"{a} {b}"


def village_names(rng: random.Random, *, province_code: str, commune_kind: str) -> Iterator[VillageName]:
    """An endless stream of distinct village names for one commune.

    The stream depends only on ``rng``'s state, so taking the first 6 names (small demo) and
    later the first 18 (large demo) from a generator seeded the same way gives the same 6
    names first: a larger run tops a smaller one up instead of renaming it.
    """
    stream = _NameStream(rng)
    urban = commune_kind == Kind.WARD
    south = province_code in SOUTH
    if urban:
        prefix = "Khu phố" if south else "Tổ dân phố"
        numbered = rng.random() < (0.7 if south else 0.8)
        # Tổ dân phố are written "Tổ dân phố số 5" in some wards and "Tổ dân phố 5" in others.
        number_word = "số " if not south and rng.random() < 0.5 else ""
    elif south:
        prefix, numbered, number_word = "Ấp", rng.random() < 0.35, ""
    elif province_code in BAN_PROVINCES:
        # Villages in Điện Biên, Lai Châu and Sơn La are "bản" with their own names.
        prefix, numbered, number_word = "Bản", False, ""
    elif province_code in MIXED_BAN_PROVINCES:
        prefix, numbered, number_word = "Thôn", rng.random() < 0.15, ""
    elif province_code in XOM_PROVINCES:
        prefix, numbered, number_word = "Xóm", rng.random() < 0.4, ""
    else:
        prefix, numbered, number_word = "Thôn", rng.random() < 0.35, ""
    number = 0
    misses = 0

    def numbered_next() -> VillageName:
        nonlocal number
        while True:
            number += 1
            found = stream.take(prefix, f"{number_word}{number}")
            if found is not None:
                return found

    while True:
        if stream.pending:
            found = stream.take(*stream.pending.pop(0))
            if found is not None:
                yield found
            continue
        if numbered or misses > 40:
            # Named pools are finite: after many collisions carry on with numbers.
            yield numbered_next()
            continue
        pick = _named_candidate(rng, province_code=province_code, urban=urban, prefix=prefix)
        if pick is None:
            yield numbered_next()
            continue
        if not urban and pick[0] in {"Thôn", "Ấp", "Xóm"} and rng.random() < 0.08:
            # A village that grew and was split keeps its name with a number: "Thôn Yên Lạc 1, 2".
            if stream.take(*pick) is None:
                misses += 1
                continue
            stream.pending.append((pick[0], f"{pick[1]} 2"))
            pick = (pick[0], f"{pick[1]} 1")
        found = stream.take(*pick)
        if found is None:
            misses += 1
            continue
        misses = 0
        yield found


def _named_candidate(rng: random.Random, *, province_code: str, urban: bool,
                     prefix: str) -> tuple[str, str] | None:
    """One (prefix, rest) candidate for a named village in this province."""
    if urban:
        if province_code in SOUTH:
            return prefix, _compound(rng, _SOUTH_FIRST, _SOUTH_SECOND)
        return prefix, _compound(rng, _NORTH_FIRST, _NORTH_SECOND)
    roll = rng.random()
    if province_code in BAN_PROVINCES or (province_code in MIXED_BAN_PROVINCES and roll < 0.5):
        return "Bản", _compound(rng, _TAI_FIRST, _TAI_SECOND)
    if province_code in MIXED_BAN_PROVINCES:
        return "Thôn", _compound(rng, _TAI_FIRST, _TAI_SECOND)
    if province_code == "04":  # Cao Bằng: "Xóm Nà Mạ"
        return "Xóm", _compound(rng, _TAI_FIRST, _TAI_SECOND)
    if province_code == "40" and roll < 0.25:  # western Nghệ An is Thái country
        return "Bản", _compound(rng, _TAI_FIRST, _TAI_SECOND)
    if province_code in BUON_PROVINCES and roll < 0.4:
        return "Buôn", rng.choice(_BUON)
    if province_code in LANG_PROVINCES and roll < 0.4:
        return "Làng", rng.choice(_LANG)
    if province_code in SOUTH:
        if roll < 0.2:
            return "Ấp", f"{rng.choice(_SOUTH_LAND)} {rng.choice(_SOUTH_LAND_WHAT)}"
        return "Ấp", _compound(rng, _SOUTH_FIRST, _SOUTH_SECOND)
    if roll < 0.15:
        return prefix, rng.choice(_DIRECTIONS)
    return prefix, _compound(rng, _NORTH_FIRST, _NORTH_SECOND)


def village_prefix(name: str) -> str:
    """The kind word a village name starts with ("Tổ dân phố số 5" → "Tổ dân phố"); "" if none."""
    for prefix in sorted(_PREFIX_KIND, key=len, reverse=True):
        if name.startswith(prefix + " "):
            return prefix
    return ""


def head_title(village_name: str) -> str:
    """A village head's title: "Thôn Đông" → "Trưởng thôn Đông", "Tổ dân phố 5" → "Tổ trưởng tổ dân phố 5"."""
    prefix = village_prefix(village_name)
    if not prefix:
        return f"Trưởng {village_name}"
    rest = village_name[len(prefix):]
    if prefix == "Tổ dân phố":
        return f"Tổ trưởng tổ dân phố{rest}"
    return f"Trưởng {prefix.lower()}{rest}"


def head_username(village_name: str) -> str:
    """ASCII user-name part for a village head: "truongthon", "totruong", "truongap"…"""
    prefix = village_prefix(village_name)
    if prefix == "Tổ dân phố":
        return "totruong"
    return "truong" + fold(prefix or "Thôn").replace(" ", "")
