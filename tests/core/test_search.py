"""Accent-insensitive word-prefix search on the real unit table (SQLite and PostgreSQL)."""

from __future__ import annotations

import unicodedata

import pytest

from danvan.core.search import MAX_QUERY_WORDS, query_words, search, searchable, word_prefix_filter
from danvan.units.models import Era, Level, Unit
from tests.factories import VillageFactory

pytestmark = pytest.mark.django_db


def current_units() -> object:
    return Unit.objects.filter(era=Era.CURRENT)


def names(qs: object) -> list[str]:
    return [u.name for u in qs]  # type: ignore[attr-defined]


def test_searchable_is_folded_with_a_leading_space() -> None:
    assert searchable("Phường Ba Đình") == " phuong ba dinh"
    assert searchable("Thôn Hoà", None, "", "Xã Đông") == " thon hoa xa dong"
    assert searchable() == " "


def test_query_words_are_folded_distinct_and_bounded() -> None:
    assert query_words("  Hoà  hòa HOA bình ") == ["hoa", "binh"]
    assert query_words(" ".join(f"tu{i}" for i in range(50))) == [f"tu{i}" for i in range(MAX_QUERY_WORDS)]
    assert word_prefix_filter("search_text", " \t ") is None


def test_village_found_without_accents(ba_dinh: Unit) -> None:
    village = VillageFactory(parent=ba_dinh, name="Tổ dân phố Dân Vận Khéo")
    for query in ["dan van kheo", "Dân vận khéo", "DAN VAN", "dân vận khéo ", "van kheo",
                  unicodedata.normalize("NFD", "Dân Vận Khéo"), "da va khe"]:
        found = list(search(current_units(), query))
        assert found, query
        assert found[0] == village, query


def test_words_must_start_words_of_the_name(ba_dinh: Unit) -> None:
    village = VillageFactory(parent=ba_dinh, name="Thôn Khéo Léo")
    assert village in search(current_units(), "kheo leo")
    assert village in search(current_units(), "leo kheo")  # any order
    assert village not in search(current_units(), "heo")  # inside a word, not at its start
    assert village not in search(current_units(), "kheo leo xa")  # every word must match


def test_duong_finds_names_with_d_stroke() -> None:
    found = names(search(current_units(), "duong"))
    assert "Xã Đường Thượng" in found
    assert "Phường Đường Hào" in found
    assert "Xã Ngọc Đường" in found
    assert found == names(search(current_units(), "Đường"))
    assert "Xã Đường Thượng" in names(search(current_units(), "ĐƯỜNG THƯỢNG"))


def test_both_tone_placements_find_the_same_units() -> None:
    hoa_new = names(search(current_units(), "hoà"))
    hoa_old = names(search(current_units(), "hòa"))
    hoa_bare = names(search(current_units(), "hoa"))
    assert hoa_new == hoa_old == hoa_bare
    assert "Tỉnh Khánh Hòa" in hoa_new
    by_level = ("level",)
    assert names(search(current_units(), "khánh hoà", extra_order=by_level))[0] == "Tỉnh Khánh Hòa"
    assert names(search(current_units(), "thanh hoá", extra_order=by_level))[0] == "Tỉnh Thanh Hóa"


@pytest.mark.parametrize(
    "query", ["", "   ", "\t\n", None, "%", "%%", "_", "'", '"', "\\", "%_'\"\\", "--", "*", "\x00"]
)
def test_empty_or_punctuation_only_queries_find_nothing(query: str | None) -> None:
    assert list(search(current_units(), query)) == []


@pytest.mark.parametrize("query", ["ba%dinh", "ba_dinh", "ba'dinh", 'ba"dinh', "ba\\dinh", "(ba) [dinh]*"])
def test_special_characters_are_separators_not_patterns(query: str) -> None:
    communes = current_units().filter(level=Level.COMMUNE)
    found = names(search(communes, query))
    assert found == names(search(communes, "ba dinh"))
    assert {"Phường Ba Đình", "Xã Ba Đình"} <= set(found)


def test_sql_in_a_query_is_only_words() -> None:
    assert list(search(current_units(), "ba dinh'; DROP TABLE units_unit; --")) == []
    assert Unit.objects.filter(code="00004").exists()


def test_like_wildcards_in_lookups_are_escaped(ba_dinh: Unit) -> None:
    """search() relies on Django escaping % and _ in LIKE lookups, on both databases."""
    assert Unit.objects.filter(pk=ba_dinh.pk, search_text__contains=" ba dinh").exists()
    assert not Unit.objects.filter(pk=ba_dinh.pk, search_text__contains=" b_ dinh").exists()
    assert not Unit.objects.filter(pk=ba_dinh.pk, search_text__contains=" ba%dinh").exists()
    assert not Unit.objects.filter(pk=ba_dinh.pk, search_text__contains="\\").exists()


def test_ranking_exact_then_prefix_then_suffix_then_phrase_then_other(ba_dinh: Unit) -> None:
    made = {
        name: VillageFactory(parent=ba_dinh, name=name)
        for name in [
            "Thôn Bình Hòa",  # words in another order: 4
            "Thôn Hòa Bình Đông",  # phrase inside: 3
            "Thôn Hòa Bình",  # ends with the phrase: 2
            "Hòa Bình Thượng Nam",  # starts with the phrase, longer: 1
            "Hòa Bình Thượng",  # starts with the phrase: 1
            "Hòa Bình",  # exact: 0
            "Thôn Hòa",  # lacks a word: not found
        ]
    }
    found = list(search(Unit.objects.filter(parent=ba_dinh), "hoà bình"))
    assert names(found) == [
        "Hòa Bình", "Hòa Bình Thượng", "Hòa Bình Thượng Nam", "Thôn Hòa Bình", "Thôn Hòa Bình Đông",
        "Thôn Bình Hòa",
    ]
    assert [u.search_rank for u in found] == [0, 1, 1, 2, 3, 4]
    assert made["Thôn Hòa"] not in found


def test_extra_order_comes_between_rank_and_length() -> None:
    found = list(search(current_units(), "ba dinh", extra_order=("level",)))
    assert found[0].name in {"Phường Ba Đình", "Xã Ba Đình"}
    levels = [u.level for u in found if u.search_rank == found[0].search_rank]
    assert levels == sorted(levels)


def test_exact_name_comes_first_among_many_matches() -> None:
    found = list(search(current_units(), "phuong ba dinh"))
    assert found[0].code == "00004"
    assert found[0].search_rank == 0
