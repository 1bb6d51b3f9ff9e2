"""Exports: the Excel list and the Word list in the Decree 30 layout open and hold the rows."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from openpyxl import load_workbook

from danvan.practices import exports
from danvan.practices.models import Practice
from danvan.practices.selectors import practice_list

from .conftest import certified, make_practice

pytestmark = pytest.mark.django_db


def test_xlsx_opens_with_rows(people, ba_dinh) -> None:
    certified(people, ba_dinh)
    make_practice(people.supervisor, ba_dinh, name="Tủ sách cộng đồng", field_code="van-hoa-xa-hoi")
    book = load_workbook(io.BytesIO(exports.to_xlsx(practice_list(actor=people.supervisor))))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("STT", "Tên mô hình", "Tập thể, cá nhân thực hiện")
    names = {r[1]: r for r in rows[1:]}
    assert set(names) == {"Dân vận khéo trong giải phóng mặt bằng", "Tủ sách cộng đồng"}
    recognised = names["Dân vận khéo trong giải phóng mặt bằng"]
    assert recognised[5] == "Phường Ba Đình" and recognised[6] == "Thành phố Hà Nội"
    assert recognised[8] == "Đã công nhận" and recognised[9] == "Cấp xã" and recognised[10] == "10/01/2025"


def test_docx_in_decree_30_layout(people, ba_dinh) -> None:
    certified(people, ba_dinh)
    certified(people, ba_dinh, name="Camera an ninh khu dân cư", field_code="quoc-phong-an-ninh")
    body = exports.to_docx(practice_list(actor=people.supervisor), issuer="Ủy ban Mặt trận Tổ quốc phường Ba Đình",
                           place="Hà Nội", title="Danh sách", subtitle="Mô hình “Dân vận khéo”",
                           today=dt.date(2025, 2, 5))
    document = Document(io.BytesIO(body))
    section = document.sections[0]
    # A4 (landscape for the table), margins within Decree 30's ranges.
    assert {round(section.page_width.mm), round(section.page_height.mm)} == {210, 297}
    margins = [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                     section.right_margin)]
    assert margins == [20, 20, 30, 15]
    assert document.styles["Normal"].font.name == "Times New Roman"
    # Page numbers from page 2: the first page has its own (empty) header.
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    heading = document.tables[0]
    right = heading.rows[0].cells[1]
    motto = [p.text for p in right.paragraphs]
    assert motto[0] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert motto[1] == "Độc lập - Tự do - Hạnh phúc"
    assert right.paragraphs[1].runs[0].underline and right.paragraphs[1].runs[0].bold
    assert motto[-1] == "Hà Nội, ngày 05 tháng 02 năm 2025"
    assert heading.rows[0].cells[0].paragraphs[0].text == "ỦY BAN MẶT TRẬN TỔ QUỐC PHƯỜNG BA ĐÌNH"
    texts = [p.text for p in document.paragraphs]
    assert "DANH SÁCH" in texts and "Mô hình “Dân vận khéo”" in texts
    table = document.tables[1]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0][:2] == ["STT", "Tên mô hình"]
    assert sorted(r[1] for r in rows[1:]) == ["Camera an ninh khu dân cư", "Dân vận khéo trong giải phóng mặt bằng"]
    assert all(r[4] == "Phường Ba Đình, Thành phố Hà Nội" and r[6] == "Cấp xã" for r in rows[1:])


def test_docx_of_thousands_of_models_holds_every_row(people, ba_dinh) -> None:
    """The bulk rows (a copy of one styled row each) keep their order and texts."""
    model = certified(people, ba_dinh)
    Practice.objects.bulk_create([
        Practice(name=f"Mô hình số {n:04d}", field=model.field, unit=ba_dinh, unit_path=ba_dinh.path,
                 province=model.province, year=2024, status=model.status, certified_level=model.certified_level)
        for n in range(1500)])
    body = exports.to_docx(practice_list(actor=people.supervisor), issuer="Ban Dân vận", place="Hà Nội",
                           title="Danh sách", today=dt.date(2025, 2, 5))
    table = Document(io.BytesIO(body)).tables[1]
    assert len(table.rows) == 1502
    numbers = [row.cells[0].text for row in table.rows[1:]]
    assert numbers == [str(n) for n in range(1, 1502)]
    assert "Số:      /DS" in [p.text for p in Document(io.BytesIO(body)).tables[0].rows[0].cells[0].paragraphs]
