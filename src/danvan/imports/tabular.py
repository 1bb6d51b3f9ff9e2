"""Read an uploaded XLSX or CSV file into a header row and data rows, within limits.

Provinces keep their registers in Excel, sometimes exported to CSV by old tools: UTF-8 with or
without a byte-order mark, or the legacy Windows Vietnamese code page (cp1258) or Western
(cp1252). Everything is returned as stripped strings so validators see one shape of data.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _

from danvan.core.errors import DomainError

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
# Tried in order after UTF-8: cp1258 is the Windows Vietnamese code page; cp1252 catches
# Western exports. Both decode any byte, so UTF-8 must be tried first and strictly.
_LEGACY_ENCODINGS = ("cp1258", "cp1252")


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]
    encoding: str = ""


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _finish(raw_rows: list[list[str]], encoding: str = "") -> Table:
    rows = [r for r in raw_rows if any(c for c in r)]
    if not rows:
        raise DomainError(_("Tệp không có dữ liệu."))
    headers = rows[0]
    if not any(headers):
        raise DomainError(_("Dòng đầu tiên của tệp phải là dòng tiêu đề cột."))
    body = rows[1:]
    if len(body) > MAX_ROWS:
        raise DomainError(
            _("Tệp có %(count)d dòng, vượt quá giới hạn %(limit)d dòng mỗi lần nhập.")
            % {"count": len(body), "limit": MAX_ROWS}
        )
    width = len(headers)
    body = [(r + [""] * width)[:width] for r in body]
    return Table(headers=headers, rows=body, encoding=encoding)


def decode_csv_bytes(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes: UTF-8 (BOM stripped) first, then the legacy code pages."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    for encoding in _LEGACY_ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise DomainError(_("Không đọc được bảng mã của tệp CSV; hãy lưu lại tệp dưới dạng UTF-8."))


def read_csv(data: bytes) -> Table:
    text, encoding = decode_csv_bytes(data)
    dialect: type[csv.Dialect] | csv.Dialect
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    return _finish([[c.strip() for c in row] for row in reader], encoding)


def read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook  # heavy import, only when an XLSX arrives

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a corrupt file
        raise DomainError(_("Không mở được tệp Excel; tệp có thể bị hỏng.")) from exc
    try:
        sheet = workbook.worksheets[0]
        raw: list[list[str]] = []
        for row in sheet.iter_rows(values_only=True):
            raw.append([_cell(v) for v in row])
            if len(raw) > MAX_ROWS + 1:
                break
        return _finish(raw)
    finally:
        workbook.close()


def read_upload(name: str, stream: IO[bytes]) -> Table:
    """Read an uploaded file by its extension, refusing oversized or unknown files."""
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise DomainError(
            _("Tệp lớn hơn %(mb)d MB, không thể nhập.") % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    lowered = name.lower()
    if lowered.endswith(".xlsx"):
        return read_xlsx(data)
    if lowered.endswith(".csv"):
        return read_csv(data)
    raise DomainError(_("Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)."))
