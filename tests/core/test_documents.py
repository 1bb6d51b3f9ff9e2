"""Documents in the Decree 30 layout: page, fonts, heading block, page numbers, signature."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from docx.shared import Pt

from danvan.core.documents import Heading, OfficialDocument, Signature, date_line, place_name, unit_in_title


@pytest.mark.parametrize(("name", "place"), [
    ("Thành phố Hà Nội", "Hà Nội"), ("Tỉnh Thanh Hóa", "Thanh Hóa"), ("Phường Ba Đình", "Ba Đình"),
    ("Đặc khu Phú Quốc", "Phú Quốc"), ("Huế", "Huế"),
])
def test_place_name(name: str, place: str) -> None:
    assert place_name(name) == place


def test_unit_in_title() -> None:
    assert unit_in_title("Phường Ba Đình") == "phường Ba Đình"
    assert unit_in_title("Thành phố Hà Nội") == "thành phố Hà Nội"
    assert unit_in_title("Huế") == "Huế"


@pytest.mark.parametrize(("day", "line"), [
    (dt.date(2026, 3, 5), "Hà Nội, ngày 05 tháng 3 năm 2026"),
    (dt.date(2026, 1, 15), "Hà Nội, ngày 15 tháng 01 năm 2026"),
    (dt.date(2026, 2, 1), "Hà Nội, ngày 01 tháng 02 năm 2026"),
    (dt.date(2026, 11, 23), "Hà Nội, ngày 23 tháng 11 năm 2026"),
])
def test_date_line_pads_days_and_early_months(day: dt.date, line: str) -> None:
    assert date_line("Hà Nội", day) == line


def _mm(*lengths: object) -> tuple[int, ...]:
    return tuple(round(length.mm) for length in lengths)  # type: ignore[attr-defined]


def _build(**kwargs: object) -> Document:
    doc = OfficialDocument(Heading(issuer="Ủy ban nhân dân phường Ba Đình", parent="Ủy ban nhân dân thành phố Hà Nội",
                                   place="Hà Nội", day=dt.date(2026, 3, 5), symbol="BC-UBND"),
                           kind="Báo cáo", subject="Kết quả thực hiện kiến nghị của Ban Thanh tra nhân dân",
                           **kwargs)  # type: ignore[arg-type]
    doc.heading("I. KẾT QUẢ")
    doc.paragraph("Đoạn thứ nhất.\nĐoạn thứ hai.")
    doc.table([("STT", 12), ("Nội dung", 100), ("Kết quả", 50)], [[1, "Sửa cống", "Xong"], [2, "Lắp đèn", None]])
    doc.signature(Signature(capacity="TM. Ủy ban nhân dân", title="Chủ tịch", name="Nguyễn Văn An",
                            recipients=["UBND thành phố;", "Lưu: VT."]))
    return Document(io.BytesIO(doc.to_bytes()))


def test_page_fonts_and_margins() -> None:
    document = _build()
    section = document.sections[0]
    # Word stores twentieths of a point: compare in whole millimetres.
    assert _mm(section.page_width, section.page_height) == (210, 297)
    assert _mm(section.left_margin, section.right_margin, section.top_margin) == (30, 15, 20)
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(14)
    # Page numbers from page 2: a PAGE field in the header, none on the first page.
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert "PAGE" not in section.first_page_header._element.xml


def test_heading_block_title_and_signature() -> None:
    document = _build()
    heading = document.tables[0].rows[0].cells
    left = [p.text for p in heading[0].paragraphs]
    right = [p.text for p in heading[1].paragraphs]
    assert left[:2] == ["ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI", "ỦY BAN NHÂN DÂN PHƯỜNG BA ĐÌNH"]
    assert left[-1] == "Số:      /BC-UBND"
    assert right[0] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    motto = heading[1].paragraphs[1].runs[0]
    assert motto.text == "Độc lập - Tự do - Hạnh phúc" and motto.bold and motto.underline
    assert right[-1] == "Hà Nội, ngày 05 tháng 3 năm 2026"
    texts = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in texts and "Kết quả thực hiện kiến nghị của Ban Thanh tra nhân dân" in texts
    assert "Đoạn thứ nhất." in texts and "Đoạn thứ hai." in texts
    body = document.tables[1]
    assert [c.text for c in body.rows[0].cells] == ["STT", "Nội dung", "Kết quả"]
    assert [c.text for c in body.rows[2].cells] == ["2", "Lắp đèn", ""]
    assert "tblHeader" in body.rows[0]._tr.xml
    signer = [p.text for p in document.tables[2].rows[0].cells[1].paragraphs if p.text]
    assert signer == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn An"]
    recipients = [p.text for p in document.tables[2].rows[0].cells[0].paragraphs]
    assert recipients == ["Nơi nhận:", "- UBND thành phố;", "- Lưu: VT."]


def test_landscape_for_wide_tables() -> None:
    section = _build(landscape=True).sections[0]
    assert _mm(section.page_width, section.page_height) == (297, 210)


def test_two_signers_side_by_side() -> None:
    doc = OfficialDocument(Heading(issuer="Tổ dân phố số 1", parent="Phường Ba Đình", place="Hà Nội",
                                   day=dt.date(2026, 3, 8)), kind="Biên bản")
    doc.signatures(Signature(title="Thư ký", name="Lê Thị Thư Ký"),
                   Signature(title="Chủ trì", name="Nguyễn Văn Chủ Trì"), note="(Ký, ghi rõ họ tên)")
    parsed = Document(io.BytesIO(doc.to_bytes()))
    left, right = parsed.tables[-1].rows[0].cells
    assert [p.text for p in left.paragraphs if p.text] == ["THƯ KÝ", "(Ký, ghi rõ họ tên)", "Lê Thị Thư Ký"]
    assert [p.text for p in right.paragraphs if p.text] == ["CHỦ TRÌ", "(Ký, ghi rõ họ tên)", "Nguyễn Văn Chủ Trì"]
    assert "Nơi nhận:" not in "\n".join(p.text for p in left.paragraphs)
