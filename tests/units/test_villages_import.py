"""`danvan units import-villages`: reading CSV/XLSX, row checks, strict / partial / dry-run."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from danvan.audit.models import AuditEntry
from danvan.units.models import Era, Kind, Level, Status, Unit
from danvan.units.services import unit_merge
from danvan.units.villages_import import VillageFileError, read_rows, village_import
from tests.factories import VillageFactory

pytestmark = pytest.mark.django_db

BA_DINH = "00004"


def villages_of(commune: Unit) -> dict[str, Unit]:
    return {u.name: u for u in Unit.objects.filter(parent=commune, level=Level.VILLAGE)}


def write_csv(path: Path, lines: list[str], *, encoding: str = "utf-8") -> Path:
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def cp1258_char(ch: str) -> str:
    """Windows-1258 has â, ê, ô, ơ, ư but writes tone marks as separate combining characters."""
    try:
        ch.encode("cp1258")
        return ch
    except UnicodeEncodeError:
        decomposed = unicodedata.normalize("NFD", ch)
        return unicodedata.normalize("NFC", decomposed[:-1]) + decomposed[-1]


def write_xlsx(path: Path, rows: list[list[object]], *, title_rows: int = 0,
               cover_sheet: bool = False) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    if cover_sheet:
        ws.title = "Hướng dẫn"
        ws.append(["Danh sách thôn, tổ dân phố năm 2025"])
        ws = wb.create_sheet("Danh sách")
    for i in range(title_rows):
        ws.append(["DANH SÁCH THÔN, TỔ DÂN PHỐ" if i == 0 else None])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def run_command(*args: str, verbosity: int = 1) -> str:
    out = StringIO()
    call_command("units", "import-villages", *args, stdout=out, verbosity=verbosity)
    return out.getvalue()


@pytest.fixture
def second_commune(ba_dinh: Unit) -> Unit:
    """Another ward of Hà Nội, for files that span several communes."""
    return Unit.objects.filter(era=Era.CURRENT, level=Level.COMMUNE, parent=ba_dinh.parent).exclude(
        pk=ba_dinh.pk).order_by("code").first()


# --- reading -------------------------------------------------------------------------------

def test_csv_with_vietnamese_headers_creates_villages_in_bulk(tmp_path: Path, ba_dinh: Unit,
                                                             second_commune: Unit) -> None:
    path = write_csv(tmp_path / "thon.csv", [
        "STT,Mã xã,Tên,Loại,Ghi chú",
        "1,00004,Tổ dân phố 1,,",
        "2,00004,Tổ dân phố 2,Tổ dân phố,",
        "3,00004,3,Tổ dân phố,đặt tên theo số",
        f"4,{second_commune.code},Thôn Hòa Bình,thôn,",
        f"5,{second_commune.code},Khu phố Đông,,",
    ])
    out = run_command(str(path))

    assert "đã nhập 5 thôn, tổ dân phố mới" in out
    made = villages_of(ba_dinh)
    assert set(made) == {"Tổ dân phố 1", "Tổ dân phố 2", "Tổ dân phố 3"}
    assert [made[n].code for n in sorted(made)] == ["T001", "T002", "T003"]
    assert {u.kind for u in made.values()} == {Kind.RESIDENTIAL_GROUP}
    tdp1 = made["Tổ dân phố 1"]
    assert tdp1.path == "VN.01.00004.T001."
    assert tdp1.search_text == " to dan pho 1"
    assert tdp1.era == Era.CURRENT and tdp1.status == Status.ACTIVE
    other = villages_of(second_commune)
    assert other["Thôn Hòa Bình"].kind == Kind.VILLAGE
    assert other["Khu phố Đông"].kind == Kind.QUARTER
    entry = AuditEntry.objects.filter(action="units.village_import").latest("id")
    assert entry.after["created"] == 5
    assert entry.after["source"] == "thon.csv"
    assert entry.after["communes"] == 2


@pytest.mark.parametrize("headers", [
    ("Mã xã", "Tên", "Loại", "Mã thôn"),
    ("ma_xa", "ten", "loai", "ma_thon"),
    ("commune_code", "name", "kind", "code"),
    ("MÃ XÃ (5 chữ số)", "TÊN THÔN, TỔ DÂN PHỐ", "LOẠI", "MÃ THÔN"),
    ("Ma xa", "Ten thon", "Loai", "Ma"),
    ("Commune Code", "Village Name", "Type", "Village code"),
])
def test_header_spellings(headers: tuple[str, str, str, str], ba_dinh: Unit) -> None:
    code_h, name_h, kind_h, village_code_h = headers
    report = village_import(actor=None, rows=[
        {code_h: "00004", name_h: "Thôn Một", kind_h: "thon", village_code_h: "A1"},
        {code_h: "4", name_h: "Ấp Hai", kind_h: "Ấp", village_code_h: ""},
    ])
    assert report.errors == []
    assert report.created == 2
    made = villages_of(ba_dinh)
    assert made["Thôn Một"].code == "A1"
    assert made["Ấp Hai"].kind == Kind.HAMLET


def test_xlsx_numeric_codes_title_rows_and_cover_sheet(tmp_path: Path, ba_dinh: Unit) -> None:
    path = write_xlsx(tmp_path / "thon.xlsx", [
        ["STT", "Mã xã", "Tên xã", "Tên thôn, tổ dân phố", "Loại"],
        [1, 4, "Phường Ba Đình", "TỔ DÂN PHỐ SỐ 7", None],
        [2, 4.0, "Ba Đình", "THÔN II", "Thôn"],
        [None, None, None, None, None],
        [3, "00004", "phuong ba dinh", "Bản Mường", "bản"],
        [4, 4, "Xã Kim Liên", "Thôn Sai Mã", None],
    ], title_rows=2, cover_sheet=True)
    table = read_rows(path)
    assert table.header_row == 3
    assert [r.row for r in table.rows] == [4, 5, 7, 8]

    report = village_import(actor=None, rows=table, partial=True)

    assert [(e.row, e.message) for e in report.errors] == [
        (8, "Mã xã 00004 là Phường Ba Đình, không khớp với tên xã «Xã Kim Liên» trong tệp."),
    ]
    made = villages_of(ba_dinh)
    # Capitals become the usual spelling; numbers and Roman numerals stay as written.
    assert set(made) == {"Tổ dân phố Số 7", "Thôn II", "Bản Mường"}
    assert made["Bản Mường"].kind == Kind.HILL_VILLAGE


def test_semicolon_csv_in_windows_1258_with_decomposed_marks(tmp_path: Path, ba_dinh: Unit) -> None:
    lines = ["Mã xã;Tên;Loại", "00004;Thôn Thượng;thôn", "00004;Khu phố Bình Minh;Khu phố"]
    path = tmp_path / "thon.csv"
    path.write_bytes("".join(cp1258_char(c) for c in "\n".join(lines)).encode("cp1258"))
    report = village_import(actor=None, rows=read_rows(path))
    assert report.errors == []
    made = villages_of(ba_dinh)
    assert set(made) == {"Thôn Thượng", "Khu phố Bình Minh"}
    # Stored precomposed (NFC), so equality with typed text holds.
    assert all(unicodedata.is_normalized("NFC", n) for n in made)


def test_missing_columns_and_empty_file(tmp_path: Path) -> None:
    no_code = write_csv(tmp_path / "a.csv", ["Tên,Loại", "Thôn 1,thôn"])
    report = village_import(actor=None, rows=read_rows(no_code))
    assert [(e.row, e.message) for e in report.errors] == [(1, (
        "Thiếu cột «Mã xã». Dòng tiêu đề cần có cột «Mã xã» (hoặc ma_xa, commune_code) và cột «Tên» "
        "(hoặc ten, name)."))]
    report = village_import(actor=None, rows=read_rows(write_csv(tmp_path / "b.csv", ["Mã xã,Tên"])))
    assert [e.message for e in report.errors] == ["Tệp không có dòng dữ liệu nào."]


def test_unsupported_or_broken_files(tmp_path: Path) -> None:
    old_excel = tmp_path / "thon.xls"
    old_excel.write_bytes(b"\xd0\xcf\x11\xe0 not really")
    with pytest.raises(VillageFileError, match=r"Chỉ nhận tệp \.csv hoặc \.xlsx"):
        read_rows(old_excel)
    with pytest.raises(CommandError, match=r"Chỉ nhận tệp \.csv hoặc \.xlsx"):
        run_command(str(old_excel))
    broken = tmp_path / "thon.xlsx"
    broken.write_bytes(b"PK not a zip")
    with pytest.raises(CommandError, match=r"Không mở được tệp Excel thon\.xlsx"):
        run_command(str(broken))
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        run_command(str(tmp_path / "khong-co.csv"))


# --- row checks ------------------------------------------------------------------------------

def test_each_error_reason(ba_dinh: Unit, second_commune: Unit) -> None:
    VillageFactory(parent=ba_dinh, code="T001", name="Thôn Hòa Bình")
    legacy_only = (Unit.objects.filter(era=Era.LEGACY, level=Level.COMMUNE, successions_out__isnull=False)
                   .exclude(code__in=Unit.objects.filter(era=Era.CURRENT, level=Level.COMMUNE).values("code"))
                   .order_by("code").first())
    successors = ", ".join(f"{s.successor.name} ({s.successor.code})"
                           for s in legacy_only.successions_out.order_by("successor__code"))
    rows = [
        {"Mã xã": "99999", "Tên": "Thôn 1"},                        # 2 unknown code
        {"Mã xã": "0000A", "Tên": "Thôn 1"},                        # 3 not a number
        {"Mã xã": "123456", "Tên": "Thôn 1"},                       # 4 too long
        {"Mã xã": "", "Tên": "Thôn 1"},                             # 5 no code
        {"Mã xã": "00004", "Tên": "   "},                           # 6 empty name
        {"Mã xã": "00004", "Tên": "Thôn 9", "Loại": "Xã"},          # 7 unknown kind
        {"Mã xã": "00004", "Tên": "12"},                            # 8 only a number, no kind
        {"Mã xã": "00004", "Tên": "Thôn Hoà Bình"},                 # 9 exists (tone variant): skipped
        {"Mã xã": "00004", "Tên": "Thôn Đông Hoà"},                 # 10 ok
        {"Mã xã": "00004", "Tên": "thôn  đông hòa"},                # 11 duplicate of row 10
        {"Mã xã": "00004", "Tên": "Thôn Mới", "Mã thôn": "t001"},   # 12 code used in the DB
        {"Mã xã": "00004", "Tên": "Thôn Ba", "Mã thôn": "X9"},      # 13 ok
        {"Mã xã": "00004", "Tên": "Thôn Tư", "Mã thôn": "x9"},      # 14 code repeats row 13
        {"Mã xã": "00004", "Tên": "Thôn Năm", "Mã thôn": "A.1"},    # 15 bad code
        {"Mã xã": legacy_only.code, "Tên": "Thôn 1"},               # 16 old code
        {"Mã xã": "", "Tên": "", "Loại": ""},                       # 17 blank: ignored
    ]
    report = village_import(actor=None, rows=rows)

    assert [(e.row, e.message) for e in report.errors] == [
        (2, "Không có xã, phường, đặc khu nào mã 99999."),
        (3, "Mã xã «0000A» không hợp lệ: mã đơn vị cấp xã gồm 5 chữ số (ví dụ 00004)."),
        (4, "Mã xã «123456» không hợp lệ: mã đơn vị cấp xã gồm 5 chữ số (ví dụ 00004)."),
        (5, "Thiếu mã xã."),
        (6, "Tên thôn, tổ dân phố không được để trống."),
        (7, "Loại «Xã» không rõ: dùng thôn, tổ dân phố, ấp, bản hoặc khu phố."),
        (8, "Tên «12» chỉ có số: hãy ghi rõ loại (thôn, tổ dân phố, ấp, bản, khu phố)."),
        (11, "Trùng với dòng 10: thôn đông hòa đã có trong tệp cho Phường Ba Đình."),
        (12, "Mã thôn T001 đã được dùng cho Thôn Hòa Bình trong Phường Ba Đình."),
        (14, "Mã thôn X9 trùng với dòng 13."),
        (15, "Mã thôn «A.1» không hợp lệ: chỉ gồm chữ không dấu, chữ số, “-” hoặc “_”, tối đa 20 ký tự."),
        (16, f"Mã xã {legacy_only.code} là mã cũ (trước 01/7/2025) của {legacy_only.name}; nay thuộc "
             f"{successors}. Hãy dùng mã xã mới."),
    ]
    assert [(n.row, n.message) for n in report.existing] == [(9, "Phường Ba Đình đã có Thôn Hòa Bình.")]
    assert report.valid == 2
    # Strict: one bad row and nothing is written.
    assert report.created == 0
    assert set(villages_of(ba_dinh)) == {"Thôn Hòa Bình"}


def test_dissolved_commune_names_its_successor(ba_dinh: Unit, second_commune: Unit) -> None:
    unit_merge(actor=None, sources=[second_commune], target=ba_dinh, effective_on=dt.date(2026, 1, 1))
    report = village_import(actor=None, rows=[{"Mã xã": second_commune.code, "Tên": "Thôn 1"}])
    assert [e.message for e in report.errors] == [
        f"{second_commune.name} (mã {second_commune.code}) đã giải thể, sáp nhập vào Phường Ba Đình (00004); "
        "hãy dùng mã đơn vị mới."]


def test_tone_variants_and_accentless_duplicates(ba_dinh: Unit) -> None:
    VillageFactory(parent=ba_dinh, code="T001", name="Thôn Thủy Lợi")
    report = village_import(actor=None, partial=True, rows=[
        {"ma_xa": "00004", "ten": "Thôn Thuỷ Lợi"},      # 2 = existing (new tone placement)
        {"ma_xa": "00004", "ten": "Thon Thuy Loi"},      # 3 = existing, typed without marks
        {"ma_xa": "00004", "ten": "Thôn Hoà Bình"},      # 4 new
        {"ma_xa": "00004", "ten": "Thôn Hòa Bình"},      # 5 same as row 4
        {"ma_xa": "00004", "ten": "Thôn Đông"},          # 6 new
        {"ma_xa": "00004", "ten": "Thôn Đồng"},          # 7 a different village: another tone
        {"ma_xa": "00004", "ten": "Thon Dong"},          # 8 ambiguous, typed without marks: duplicate
    ])
    assert [n.row for n in report.existing] == [2, 3]
    assert [(e.row, e.message.split(":")[0]) for e in report.errors] == [
        (5, "Trùng với dòng 4"), (8, "Trùng với dòng 6")]
    assert set(villages_of(ba_dinh)) == {"Thôn Thủy Lợi", "Thôn Hòa Bình", "Thôn Đông", "Thôn Đồng"}


def test_generated_codes_skip_existing_and_given_codes(ba_dinh: Unit) -> None:
    VillageFactory(parent=ba_dinh, code="T001", name="Thôn Cũ")
    dissolved = VillageFactory(parent=ba_dinh, code="T002", name="Thôn Đã Giải Thể")
    Unit.objects.filter(pk=dissolved.pk).update(status=Status.DISSOLVED)
    village_import(actor=None, rows=[
        {"Mã xã": "00004", "Tên": "Thôn A"},
        {"Mã xã": "00004", "Tên": "Thôn B"},
        {"Mã xã": "00004", "Tên": "Thôn C", "Mã thôn": "T004"},
        # The dissolved village's name is free again; its code is not.
        {"Mã xã": "00004", "Tên": "Thôn Đã Giải Thể"},
    ])
    codes = {u.name: u.code for u in Unit.objects.filter(parent=ba_dinh, status=Status.ACTIVE)}
    # T002 belongs to the dissolved village and T004 is reserved by the file.
    assert codes == {"Thôn Cũ": "T001", "Thôn A": "T005", "Thôn B": "T006", "Thôn C": "T004",
                     "Thôn Đã Giải Thể": "T007"}


# --- modes ------------------------------------------------------------------------------------

@pytest.fixture
def mixed_csv(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "mixed.csv", [
        "ma_xa,ten,loai",
        "00004,Tổ dân phố 1,",
        "99999,Thôn 1,",
        "00004,Tổ dân phố 2,",
        "00004,,",
    ])


def test_strict_mode_writes_nothing_and_fails(mixed_csv: Path, ba_dinh: Unit) -> None:
    audits = AuditEntry.objects.count()
    out = StringIO()
    with pytest.raises(CommandError, match="Có dòng lỗi nên chưa nhập dòng nào"):
        call_command("units", "import-villages", str(mixed_csv), stdout=out)
    text = out.getvalue()
    assert "Dòng 3: Không có xã, phường, đặc khu nào mã 99999." in text
    assert "Dòng 5: Tên thôn, tổ dân phố không được để trống." in text
    assert "không nhập dòng nào vì có 2 dòng lỗi (2 dòng hợp lệ, 0 đã có)" in text
    assert villages_of(ba_dinh) == {}
    assert AuditEntry.objects.count() == audits


def test_partial_mode_writes_good_rows(mixed_csv: Path, ba_dinh: Unit) -> None:
    data = json.loads(run_command(str(mixed_csv), "--partial", "--json"))
    assert data["created"] == 2
    assert data["error_count"] == 2
    assert [e["row"] for e in data["errors"]] == [3, 5]
    assert set(villages_of(ba_dinh)) == {"Tổ dân phố 1", "Tổ dân phố 2"}
    assert AuditEntry.objects.filter(action="units.village_import").latest("id").after["errors"] == 2


def test_dry_run_writes_nothing(mixed_csv: Path, ba_dinh: Unit) -> None:
    audits = AuditEntry.objects.count()
    data = json.loads(run_command(str(mixed_csv), "--dry-run", "--json"))
    assert (data["valid"], data["created"], data["error_count"], data["dry_run"]) == (2, 0, 2, True)
    assert data["by_kind"] == {Kind.RESIDENTIAL_GROUP: 2}
    assert "kiểm tra xong, chưa ghi" in data["summary"]
    assert villages_of(ba_dinh) == {}
    assert AuditEntry.objects.count() == audits


def test_running_the_same_file_twice_changes_nothing(tmp_path: Path, ba_dinh: Unit) -> None:
    path = write_xlsx(tmp_path / "thon.xlsx", [["Mã xã", "Tên"], [4, "Thôn 1"], [4, "Thôn 2"]])
    first = village_import(actor=None, rows=read_rows(path))
    assert (first.created, first.skipped) == (2, 0)
    before = list(Unit.objects.filter(parent=ba_dinh).values_list("code", "name", "updated_at"))
    out = run_command(str(path), verbosity=2)
    assert "Dòng 2: Phường Ba Đình đã có Thôn 1. (bỏ qua)" in out
    assert "đã nhập 0 thôn, tổ dân phố mới, 2 đã có (bỏ qua), 0 dòng lỗi" in out
    assert list(Unit.objects.filter(parent=ba_dinh).values_list("code", "name", "updated_at")) == before


def test_import_is_one_transaction(ba_dinh: Unit, monkeypatch: pytest.MonkeyPatch) -> None:
    """If writing the audit entry fails, the villages written before it are rolled back."""
    import danvan.units.villages_import as module

    def broken_audit(*args: object, **kwargs: object) -> None:
        raise RuntimeError("audit unavailable")

    monkeypatch.setattr(module, "audit_record", broken_audit)
    with pytest.raises(RuntimeError):
        village_import(actor=None, rows=[{"Mã xã": "00004", "Tên": "Thôn 1"}])
    assert villages_of(ba_dinh) == {}
