import io

from openpyxl import load_workbook

from danvan.imports.mapping import TargetField
from danvan.imports.registry import Importer
from danvan.imports.validation import report_csv, report_xlsx, validate_table


def _validate(actor, values):
    if values["kind"] not in {"tập thể", "cá nhân"}:
        return {}, [("kind", "Loại mô hình không hợp lệ.")]
    return dict(values), []


IMPORTER = Importer(
    kind="demo.rows", label="Thử",
    fields=(TargetField("name", "Tên mô hình", required=True), TargetField("kind", "Loại")),
    validate_row=_validate, write_row=lambda actor, clean: None,
)


def test_every_row_validated_with_sheet_row_numbers_and_reports():
    rows = [["A", "tập thể"], ["", "cá nhân"], ["C", "xyz"], ["D", "cá nhân"]]
    report = validate_table(IMPORTER, None, rows, {"name": 0, "kind": 1})
    assert report.total == 4 and report.bad_rows == 2
    assert [n for n, _clean in report.good] == [2, 5]
    assert report.errors == [
        (3, "Tên mô hình", "Thiếu giá trị bắt buộc."),
        (4, "Loại", "Loại mô hình không hợp lệ."),
    ]
    text = report_csv(report).decode("utf-8")
    assert text.startswith("\ufeffDòng,Cột,Lý do") and "4,Loại,Loại mô hình không hợp lệ." in text
    sheet = load_workbook(io.BytesIO(report_xlsx(report)), read_only=True).worksheets[0]
    assert list(sheet.iter_rows(values_only=True))[1] == (3, "Tên mô hình", "Thiếu giá trị bắt buộc.")
