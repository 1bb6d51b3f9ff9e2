"""The name generators behind demo data (no database)."""

from __future__ import annotations

import itertools
import random

from danvan.core.text import fold, normalize
from danvan.demo.names import DEMO_PHONE_RE, head_title, head_username, person, phone, village_names
from danvan.units.models import Kind


def take(n: int, seed: str, **kw: str) -> list[str]:
    return [v.name for v in itertools.islice(village_names(random.Random(seed), **kw), n)]


def test_village_names_are_distinct_and_a_longer_run_extends_a_shorter_one():
    cases = (("01", Kind.WARD), ("01", Kind.COMMUNE), ("91", Kind.COMMUNE), ("14", Kind.COMMUNE),
             ("66", Kind.COMMUNE), ("52", Kind.COMMUNE), ("79", Kind.WARD))
    for province, kind in cases:
        for seed in range(20):
            long = take(30, f"{seed}", province_code=province, commune_kind=kind)
            assert len({fold(n) for n in long}) == 30
            assert take(6, f"{seed}", province_code=province, commune_kind=kind) == long[:6]
            assert all(n == normalize(n) for n in long)


def test_village_words_follow_the_region():
    def prefixes(province: str, kind: str) -> set[str]:
        names = [n for seed in range(30)
                 for n in take(10, str(seed), province_code=province, commune_kind=kind)]
        return {n.split(" ")[0] for n in names}

    assert prefixes("91", Kind.COMMUNE) == {"Ấp"}
    assert prefixes("91", Kind.WARD) == {"Khu"}
    assert prefixes("01", Kind.WARD) == {"Tổ"}
    assert prefixes("01", Kind.COMMUNE) == {"Thôn"}
    assert prefixes("14", Kind.COMMUNE) == {"Bản"}
    assert {"Buôn", "Thôn"} <= prefixes("66", Kind.COMMUNE)
    assert {"Làng", "Thôn"} <= prefixes("52", Kind.COMMUNE)


def test_head_titles_and_user_names():
    assert head_title("Thôn Đông") == "Trưởng thôn Đông"
    assert head_title("Tổ dân phố số 5") == "Tổ trưởng tổ dân phố số 5"
    assert head_title("Ấp Tân Hòa") == "Trưởng ấp Tân Hòa"
    assert head_title("Khu phố 3") == "Trưởng khu phố 3"
    assert head_title("Bản Nà Pục") == "Trưởng bản Nà Pục"
    assert head_username("Tổ dân phố 1") == "totruong"
    assert head_username("Ấp Tân Hòa") == "truongap"
    assert head_username("Khu phố 2") == "truongkhupho"


def test_people_and_phones_are_deterministic_and_plausible():
    a = [person(random.Random(5), province_code="01").full_name for _ in range(3)]
    b = [person(random.Random(5), province_code="01").full_name for _ in range(3)]
    assert a == b
    rng = random.Random(1)
    women = [person(rng, province_code="01", female=True) for _ in range(200)]
    men = [person(rng, province_code="79", female=False) for _ in range(200)]
    assert all(" Văn " not in p.full_name for p in women)
    assert all(" Thị " not in p.full_name for p in men)
    assert any(p.surname in {"Huỳnh", "Võ"} for p in men)
    assert not any(p.surname in {"Huỳnh", "Võ"} for p in women)
    son = person(rng, province_code="01", surname="Trần")
    assert son.full_name.startswith("Trần ")
    assert all(DEMO_PHONE_RE.match(phone(rng)) for _ in range(100))
