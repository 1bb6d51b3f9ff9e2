"""Bulk import of villages and residential groups (thôn, tổ dân phố, ấp, bản, khu phố).

Communes send their lists as spreadsheets, so ``read_rows`` takes CSV or XLSX with the
headers people actually write ("Mã xã", "ma_xa", "commune_code", "TÊN THÔN", …) and finds the
header row even below a title. ``village_import`` checks every row, then writes all new
villages in bulk in one transaction:

- strict (default): any row error and nothing is written;
- ``partial``: good rows are written, bad rows reported;
- ``dry_run``: check only.

Rows naming a village the commune already has are reported as "đã có" and skipped: running
the same file twice changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from danvan.audit.services import audit_record
from danvan.core.errors import DomainError
from danvan.core.search import searchable
from danvan.core.text import fold

from .models import Era, Level, Status, Unit, UnitSuccession
from .search_index import analyze
from .services import (
    child_path,
    next_village_code,
    village_code_clean,
    village_identities_clash,
    village_kind_from_name,
    village_kind_from_text,
    village_name_clean,
    village_name_identity,
)

# A whole country has ~63,600 villages; anything far beyond that is not a village list.
MAX_ROWS = 200_000
# How far down a title block the header row may sit.
HEADER_SEARCH_ROWS = 20
BATCH_SIZE = 2000

COMMUNE_CODE = "commune_code"
COMMUNE_NAME = "commune_name"
NAME = "name"
KIND = "kind"
CODE = "code"

# Folded header text → field. Headers are folded (no diacritics, lower case, "_" as space),
# and anything in parentheses is dropped first: "Mã xã (5 chữ số)" is "ma xa".
HEADER_ALIASES: dict[str, str] = {
    **dict.fromkeys([
        "ma xa", "ma xa phuong", "ma xa phuong dac khu", "ma phuong", "ma phuong xa", "ma don vi cap xa",
        "ma dvhc cap xa", "ma dvhc xa", "commune code", "ward code", "commune id",
    ], COMMUNE_CODE),
    **dict.fromkeys([
        "ten xa", "ten xa phuong", "ten xa phuong dac khu", "ten phuong", "ten phuong xa",
        "ten don vi cap xa", "xa phuong", "xa phuong dac khu", "commune name", "ward name", "commune", "ward",
    ], COMMUNE_NAME),
    **dict.fromkeys([
        "ten", "ten thon", "ten thon to dan pho", "ten thon to", "ten to dan pho", "ten thon ap ban",
        "ten thon to dan pho ap ban khu pho", "thon to dan pho", "name", "village name", "village",
    ], NAME),
    **dict.fromkeys(["loai", "loai thon", "phan loai", "kind", "type", "village kind", "village type"], KIND),
    **dict.fromkeys(["ma thon", "ma thon to dan pho", "ma to dan pho", "ma", "code", "village code"], CODE),
}
_PARENS_RE = re.compile(r"\([^)]*\)")
_DIGITS_RE = re.compile(r"^\d{1,5}(\.0+)?$")
# Leading kind words of a commune name, ignored when checking the "Tên xã" column against the code.
_COMMUNE_PREFIXES = ("dac khu ", "thi tran ", "phuong ", "xa ")


class VillageFileError(DomainError):
    """The file cannot be read as a village list at all (format, encoding, size)."""


@dataclass(frozen=True)
class SourceRow:
    row: int  # line number in the file, header included, as a spreadsheet shows it
    values: dict[str, str]  # header text → cell text


@dataclass
class SourceTable:
    """What ``read_rows`` found in a file: the header row and the data rows below it."""

    headers: list[str]
    header_row: int
    rows: list[SourceRow]

    def __iter__(self) -> Any:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class RowMessage:
    row: int
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "message": self.message}


@dataclass
class VillageImportReport:
    """The outcome of one import: counts, row errors and rows skipped as already present."""

    rows: int = 0
    valid: int = 0  # new villages that passed every check
    created: int = 0  # actually written (0 on a dry run or a refused strict import)
    errors: list[RowMessage] = field(default_factory=list)
    existing: list[RowMessage] = field(default_factory=list)
    by_kind: dict[str, int] = field(default_factory=dict)
    communes: int = 0
    partial: bool = False
    dry_run: bool = False

    @property
    def skipped(self) -> int:
        return len(self.existing)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows, "valid": self.valid, "created": self.created, "skipped": self.skipped,
            "error_count": len(self.errors), "communes": self.communes, "by_kind": self.by_kind,
            "partial": self.partial, "dry_run": self.dry_run,
            "errors": [e.as_dict() for e in self.errors], "existing": [e.as_dict() for e in self.existing],
            "summary": self.summary(),
        }

    def summary(self) -> str:
        """One Vietnamese sentence for the command line and the admin."""
        counts = {"rows": self.rows, "valid": self.valid, "created": self.created, "skipped": self.skipped,
                  "errors": len(self.errors)}
        read = _("Đã đọc %(rows)d dòng") % counts
        if self.dry_run:
            outcome = _("kiểm tra xong, chưa ghi: %(valid)d thôn, tổ dân phố mới hợp lệ, %(skipped)d đã có, "
                        "%(errors)d dòng lỗi.") % counts
        elif self.errors and not self.partial:
            outcome = _("không nhập dòng nào vì có %(errors)d dòng lỗi (%(valid)d dòng hợp lệ, "
                        "%(skipped)d đã có).") % counts
        else:
            outcome = _("đã nhập %(created)d thôn, tổ dân phố mới, %(skipped)d đã có (bỏ qua), "
                        "%(errors)d dòng lỗi.") % counts
        return f"{read}: {outcome}"


# --- reading files ------------------------------------------------------------------------

def _header_key(text: str) -> str:
    return fold(_PARENS_RE.sub(" ", text).replace("_", " "))


def map_headers(headers: Iterable[str]) -> dict[str, str]:
    """Field → the file's header for it (first column wins when two columns mean the same)."""
    found: dict[str, str] = {}
    for header in headers:
        target = HEADER_ALIASES.get(_header_key(header))
        if target is not None and target not in found:
            found[target] = header
    return found


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        # Spreadsheets store "00004" typed as a number as 4.0.
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def _table(raw_rows: Iterable[tuple[int, list[str]]]) -> SourceTable:
    """Find the header row (the first with a commune-code and a name column), then the data.

    With no such row near the top, the first non-empty row is taken as the header, so the
    import can say which columns are missing.
    """
    header: list[str] | None = None
    header_row = 0
    pending: list[tuple[int, list[str]]] = []
    rows: list[SourceRow] = []

    def add(number: int, cells: list[str]) -> None:
        if not any(cells):
            return
        assert header is not None
        values: dict[str, str] = {}
        for i, h in enumerate(header):
            if h:
                # Two columns with the same title: the first one counts, as in map_headers.
                values.setdefault(h, cells[i] if i < len(cells) else "")
        rows.append(SourceRow(row=number, values=values))
        if len(rows) > MAX_ROWS:
            raise VillageFileError(_("Tệp có hơn %(n)d dòng: hãy chia nhỏ theo tỉnh.") % {"n": MAX_ROWS})

    for number, cells in raw_rows:
        if header is not None:
            add(number, cells)
            continue
        if not any(cells):
            continue
        mapped = map_headers(cells)
        if COMMUNE_CODE in mapped and NAME in mapped:
            header, header_row = cells, number
            pending.clear()
            continue
        pending.append((number, cells))
        if len(pending) >= HEADER_SEARCH_ROWS:
            (header_row, header), rest = pending[0], pending[1:]
            pending = []
            for n, c in rest:
                add(n, c)
    if header is None and pending:
        (header_row, header), rest = pending[0], pending[1:]
        for n, c in rest:
            add(n, c)
    return SourceTable(headers=[h for h in header or [] if h], header_row=header_row, rows=rows)


def _read_csv(path: Path) -> SourceTable:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's plain "CSV" on a Vietnamese Windows is Windows-1258, not UTF-8.
        try:
            text = data.decode("cp1258")
        except UnicodeDecodeError as exc:
            raise VillageFileError(_("Không đọc được tệp CSV: hãy lưu tệp với bảng mã UTF-8.")) from exc
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    # Records are numbered as a spreadsheet opening the file would number its rows.
    return _table((n, [c.strip() for c in cells]) for n, cells in enumerate(reader, start=1))


def _read_xlsx(path: Path) -> SourceTable:
    from zipfile import BadZipFile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise VillageFileError(_("Không mở được tệp Excel %(f)s: tệp hỏng hoặc không phải .xlsx.")
                               % {"f": path.name}) from exc
    try:
        first: SourceTable | None = None
        # Use the first sheet that looks like a village list; a workbook often has a cover sheet.
        for sheet in workbook.worksheets:
            rows = ((n, [_cell_text(v) for v in values])
                    for n, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1))
            table = _table(rows)
            mapped = map_headers(table.headers)
            if COMMUNE_CODE in mapped and NAME in mapped:
                return table
            first = first or table
        return first or SourceTable(headers=[], header_row=0, rows=[])
    finally:
        workbook.close()


def read_rows(path: str | Path) -> SourceTable:
    """Read a village list from a .csv or .xlsx file (header row found automatically)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return _read_xlsx(path)
    if suffix in {".csv", ".txt", ".tsv"}:
        return _read_csv(path)
    raise VillageFileError(_("Chỉ nhận tệp .csv hoặc .xlsx; hãy lưu tệp %(f)s thành .xlsx hoặc CSV UTF-8.")
                           % {"f": path.name})


# --- checking and writing -----------------------------------------------------------------

@dataclass
class _Candidate:
    row: int
    commune: Unit
    name: str
    kind: str
    code: str  # "" until allocated when the file gives none
    search_text: str


def _as_table(rows: SourceTable | Iterable[Mapping[str, Any] | SourceRow]) -> SourceTable:
    """Accept what ``read_rows`` returns, or plain mappings (row numbers then start at 2)."""
    if isinstance(rows, SourceTable):
        return rows
    out: list[SourceRow] = []
    headers: list[str] = []
    for i, item in enumerate(rows, start=2):
        if isinstance(item, SourceRow):
            source = item
        else:
            source = SourceRow(row=i, values={str(k): _cell_text(v) for k, v in item.items()})
        for h in source.values:
            if h not in headers:
                headers.append(h)
        out.append(source)
    return SourceTable(headers=headers, header_row=1, rows=out)


def _commune_code(text: str) -> str | None:
    """"00004", "4", "4.0" → "00004": spreadsheets drop leading zeros of codes typed as numbers."""
    text = text.strip()
    if not _DIGITS_RE.match(text):
        return None
    return f"{int(float(text)):05d}"


def _strip_commune_kind(folded: str) -> str:
    for prefix in _COMMUNE_PREFIXES:
        if folded.startswith(prefix):
            return folded[len(prefix):]
    return folded


def _load_communes(codes: set[str]) -> tuple[dict[str, Unit], dict[str, Unit], dict[int, list[Unit]]]:
    """Current communes by code, legacy communes by code (for hints), successors of dissolved ones."""
    current = {u.code: u for u in Unit.objects.filter(era=Era.CURRENT, level=Level.COMMUNE, code__in=codes)}
    missing = codes - set(current)
    legacy = ({u.code: u for u in Unit.objects.filter(era=Era.LEGACY, level=Level.COMMUNE, code__in=missing)}
              if missing else {})
    dissolved = [u.pk for u in [*current.values(), *legacy.values()] if u.status != Status.ACTIVE]
    successors: dict[int, list[Unit]] = {}
    if dissolved:
        for s in (UnitSuccession.objects.filter(predecessor_id__in=dissolved, successor__status=Status.ACTIVE)
                  .select_related("successor").order_by("successor__code")):
            successors.setdefault(s.predecessor_id, []).append(s.successor)
    return current, legacy, successors


def _successor_text(units: list[Unit]) -> str:
    return ", ".join(f"{u.name} ({u.code})" for u in units)


def village_import(*, actor: Any, rows: SourceTable | Iterable[Mapping[str, Any] | SourceRow],
                   partial: bool = False, dry_run: bool = False, source: str = "") -> VillageImportReport:
    """Check and import villages per commune; strict unless ``partial``; nothing written on ``dry_run``."""
    table = _as_table(rows)
    report = VillageImportReport(partial=partial, dry_run=dry_run, rows=len(table.rows))
    columns = map_headers(table.headers)
    missing = [label for key, label in ((COMMUNE_CODE, _("Mã xã")), (NAME, _("Tên thôn, tổ dân phố")))
               if key not in columns]
    if missing:
        report.errors.append(RowMessage(table.header_row or 1, _(
            "Thiếu cột %(cols)s. Dòng tiêu đề cần có cột «Mã xã» (hoặc ma_xa, commune_code) và cột «Tên» "
            "(hoặc ten, name).") % {"cols": ", ".join(f"«{m}»" for m in missing)}))
        return report
    if not table.rows:
        report.errors.append(RowMessage(table.header_row or 1, _("Tệp không có dòng dữ liệu nào.")))
        return report

    # The whole check and write run in one transaction, so what was checked is what is written.
    with transaction.atomic():
        candidates, taken = _check_rows(table, columns, report)
        report.valid = len(candidates)
        for c in candidates:
            report.by_kind[c.kind] = report.by_kind.get(c.kind, 0) + 1
        report.communes = len({c.commune.pk for c in candidates})
        report.errors.sort(key=lambda e: e.row)
        if dry_run or (report.errors and not partial):
            return report
        _allocate_codes(candidates, taken)
        Unit.objects.bulk_create(
            [Unit(code=c.code, name=c.name, level=Level.VILLAGE, kind=c.kind, era=Era.CURRENT,
                  parent=c.commune, path=child_path(c.commune.path, c.code), search_text=c.search_text)
             for c in candidates],
            batch_size=BATCH_SIZE,
        )
        report.created = len(candidates)
        _audit(actor, report, source)
    return report


def _audit(actor: Any, report: VillageImportReport, source: str) -> None:
    analyze()  # fresh statistics, so SQLite's planner starts searches from the FTS index
    audit_record(actor=actor, action="units.village_import", object_type="units.unit",
                 object_repr=source[:250],
                 after={"source": source, "rows": report.rows, "created": report.created,
                        "skipped": report.skipped, "errors": len(report.errors), "communes": report.communes,
                        "by_kind": report.by_kind, "partial": report.partial})


def _check_rows(table: SourceTable, columns: dict[str, str],
                report: VillageImportReport) -> tuple[list[_Candidate], dict[int, set[str]]]:
    """Validate every row; fill ``report.errors`` / ``report.existing``; return the new villages
    and the village codes in use per commune."""
    def cell(row: SourceRow, key: str) -> str:
        header = columns.get(key)
        return (row.values.get(header) or "").strip() if header else ""

    codes = {c for c in (_commune_code(cell(r, COMMUNE_CODE)) for r in table.rows) if c}
    communes, legacy, successors = _load_communes(codes)
    active_ids = [u.pk for u in communes.values() if u.status == Status.ACTIVE]
    # Everything already under the communes of the file, in one query: names for "đã có",
    # codes (dissolved villages included: codes are never reused) for allocation.
    # Names are bucketed by their folded search text; village_names_clash decides within a bucket.
    existing_names: dict[int, dict[str, list[str]]] = {}
    identities: dict[str, tuple[str, str, bool]] = {}

    def identity(name: str) -> tuple[str, str, bool]:
        if name not in identities:
            identities[name] = village_name_identity(name)
        return identities[name]

    taken: dict[int, dict[str, str]] = {}
    children = (Unit.objects.filter(parent_id__in=active_ids)
                .values_list("parent_id", "code", "name", "status", "search_text"))
    for parent_id, child_code, name, status, search_text in children.iterator(chunk_size=5000):
        taken.setdefault(parent_id, {})[child_code] = name
        if status == Status.ACTIVE:
            existing_names.setdefault(parent_id, {}).setdefault(search_text, []).append(name)
    # A file repeats a handful of kind spellings tens of thousands of times.
    kinds: dict[str, str | None] = {}

    seen_names: dict[int, dict[str, list[tuple[tuple[str, str, bool], int]]]] = {}
    seen_codes: dict[int, dict[str, int]] = {}
    candidates: list[_Candidate] = []

    def error(row: SourceRow, message: str) -> None:
        report.errors.append(RowMessage(row.row, message))

    for row in table.rows:
        raw_code = cell(row, COMMUNE_CODE)
        raw_name = cell(row, NAME)
        raw_kind = cell(row, KIND)
        raw_village_code = cell(row, CODE)
        if not (raw_code or raw_name or raw_kind or raw_village_code):
            continue  # a blank line inside the table
        if not raw_code:
            error(row, _("Thiếu mã xã."))
            continue
        code = _commune_code(raw_code)
        if code is None:
            error(row, _("Mã xã «%(code)s» không hợp lệ: mã đơn vị cấp xã gồm 5 chữ số (ví dụ 00004).")
                  % {"code": raw_code})
            continue
        commune = communes.get(code)
        if commune is None:
            old = legacy.get(code)
            if old is not None and successors.get(old.pk):
                error(row, _("Mã xã %(code)s là mã cũ (trước 01/7/2025) của %(old)s; nay thuộc %(new)s. "
                             "Hãy dùng mã xã mới.") % {"code": code, "old": old.name,
                                                       "new": _successor_text(successors[old.pk])})
            else:
                error(row, _("Không có xã, phường, đặc khu nào mã %(code)s.") % {"code": code})
            continue
        if commune.status != Status.ACTIVE:
            after = successors.get(commune.pk)
            if after:
                error(row, _("%(name)s (mã %(code)s) đã giải thể, sáp nhập vào %(new)s; "
                             "hãy dùng mã đơn vị mới.")
                      % {"name": commune.name, "code": code, "new": _successor_text(after)})
            else:
                error(row, _("%(name)s (mã %(code)s) đã giải thể.") % {"name": commune.name, "code": code})
            continue
        given_commune_name = cell(row, COMMUNE_NAME)
        if given_commune_name and (_strip_commune_kind(fold(given_commune_name))
                                   != _strip_commune_kind(fold(commune.name))):
            error(row, _("Mã xã %(code)s là %(name)s, không khớp với tên xã «%(given)s» trong tệp.")
                  % {"code": code, "name": commune.name, "given": given_commune_name})
            continue
        kind: str | None = None
        if raw_kind:
            if raw_kind not in kinds:
                kinds[raw_kind] = village_kind_from_text(raw_kind)
            kind = kinds[raw_kind]
            if kind is None:
                error(row, _("Loại «%(kind)s» không rõ: dùng thôn, tổ dân phố, ấp, bản hoặc khu phố.")
                      % {"kind": raw_kind})
                continue
        try:
            name = village_name_clean(raw_name, kind)
            village_code = village_code_clean(raw_village_code)
        except DomainError as exc:
            error(row, exc.message)
            continue
        kind = kind or village_kind_from_name(name)
        key = searchable(name)
        own = village_name_identity(name)

        clash = next((other for other in existing_names.get(commune.pk, {}).get(key, [])
                      if village_identities_clash(own, identity(other))), None)
        if clash is not None:
            report.existing.append(RowMessage(row.row, _("%(commune)s đã có %(name)s.")
                                              % {"commune": commune.name, "name": clash}))
            continue
        earlier = next((n for other, n in seen_names.get(commune.pk, {}).get(key, [])
                        if village_identities_clash(own, other)), None)
        if earlier is not None:
            error(row, _("Trùng với dòng %(other)d: %(name)s đã có trong tệp cho %(commune)s.")
                  % {"other": earlier, "name": name, "commune": commune.name})
            continue
        if village_code:
            used_by = taken.get(commune.pk, {}).get(village_code)
            if used_by is not None:
                error(row, _("Mã thôn %(code)s đã được dùng cho %(name)s trong %(commune)s.")
                      % {"code": village_code, "name": used_by, "commune": commune.name})
                continue
            earlier_code = seen_codes.get(commune.pk, {}).get(village_code)
            if earlier_code is not None:
                error(row, _("Mã thôn %(code)s trùng với dòng %(other)d.")
                      % {"code": village_code, "other": earlier_code})
                continue
            seen_codes.setdefault(commune.pk, {})[village_code] = row.row
        seen_names.setdefault(commune.pk, {}).setdefault(key, []).append((own, row.row))
        candidates.append(_Candidate(row=row.row, commune=commune, name=name, kind=kind, code=village_code,
                                     search_text=key))
    # Codes the file gives are reserved before any is generated, so a generated T005 never
    # collides with a T005 given further down the file.
    taken_codes = {pk: set(codes) for pk, codes in taken.items()}
    for pk, file_codes in seen_codes.items():
        taken_codes.setdefault(pk, set()).update(file_codes)
    return candidates, taken_codes


def _allocate_codes(candidates: list[_Candidate], taken: dict[int, set[str]]) -> None:
    for c in candidates:
        if not c.code:
            c.code = next_village_code(c.commune, taken=taken.setdefault(c.commune.pk, set()))
