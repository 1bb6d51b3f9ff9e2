import io

import pytest
from openpyxl import Workbook

from danvan.core.errors import DomainError
from danvan.imports import tabular
from danvan.imports.mapping import TargetField, auto_map, missing_required, row_values

FIELDS = [
    TargetField("name", "Tên mô hình", required=True, synonyms=("Mô hình",)),
    TargetField("kind", "Loại mô hình", required=True, synonyms=("Tập thể/cá nhân",)),
    TargetField("commune", "Xã, phường", synonyms=("Đơn vị",)),
]


def test_csv_with_bom_is_read_as_utf8():
    data = "\ufeffTên mô hình,Loại\nDân vận khéo,tập thể\n".encode()
    table = tabular.read_upload("x.csv", io.BytesIO(data))
    assert table.headers == ["Tên mô hình", "Loại"]
    assert table.rows == [["Dân vận khéo", "tập thể"]]
    assert table.encoding == "utf-8"


def test_csv_legacy_code_page_fallback():
    data = "Tên;Loại\nCafé;x\n".encode("cp1252", errors="ignore")
    table = tabular.read_upload("x.csv", io.BytesIO(data))
    assert table.encoding in {"cp1258", "cp1252"}
    assert table.rows[0][1] == "x"


def test_xlsx_rows_padded_and_blank_rows_skipped():
    wb = Workbook()
    ws = wb.active
    ws.append(["Tên mô hình", "Năm", "Xã"])
    ws.append(["A", 2020.0])
    ws.append([None, None, None])
    ws.append(["B", 2021, "Ba Đình"])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    table = tabular.read_upload("x.XLSX", buf)
    assert table.rows == [["A", "2020", ""], ["B", "2021", "Ba Đình"]]


def test_unknown_extension_and_size_and_row_limits(monkeypatch):
    with pytest.raises(DomainError, match="xlsx"):
        tabular.read_upload("x.pdf", io.BytesIO(b"abc"))
    monkeypatch.setattr(tabular, "MAX_BYTES", 5)
    with pytest.raises(DomainError, match="MB"):
        tabular.read_upload("x.csv", io.BytesIO(b"a,b\n1,2\n"))
    monkeypatch.setattr(tabular, "MAX_BYTES", 1000)
    monkeypatch.setattr(tabular, "MAX_ROWS", 1)
    with pytest.raises(DomainError, match="giới hạn"):
        tabular.read_upload("x.csv", io.BytesIO(b"a\n1\n2\n"))
    with pytest.raises(DomainError):
        tabular.read_upload("x.xlsx", io.BytesIO(b"not a zip"))


def test_auto_map_accent_insensitive_headers():
    headers = ["STT", "TEN MO HINH", "tap the/ca nhan", "Don vi:"]
    mapping = auto_map(headers, FIELDS)
    assert mapping == {"name": 1, "kind": 2, "commune": 3}
    assert missing_required(mapping, FIELDS) == []
    assert missing_required({"name": 1}, FIELDS) == [FIELDS[1]]
    assert row_values(["1", "A", "cá nhân", "Kim Mã"], mapping) == {
        "name": "A", "kind": "cá nhân", "commune": "Kim Mã",
    }
