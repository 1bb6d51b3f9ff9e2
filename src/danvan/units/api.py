"""Units API: accent-insensitive search and children of a unit (public, read-only).

Official codes are addressed by their shape, as the statistics office writes them: "VN" is
the nation, two digits a province ("01" Hà Nội), five digits a commune ("00004" Phường Ba
Đình). Villages have codes unique only inside their commune, so they are reached as the
children of their commune, never by code alone.
"""

from __future__ import annotations

import re

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from danvan.core.errors import NotFoundOrForbidden

from .models import Kind, Level, Unit
from .selectors import unit_children, unit_get, unit_search

router = Router(tags=["Đơn vị hành chính"])

MAX_LIMIT = 100
MAX_QUERY_LENGTH = 200
_CODE_LEVELS = [
    (re.compile(r"(?i)VN"), Level.NATION),
    (re.compile(r"[0-9]{2}"), Level.PROVINCE),
    (re.compile(r"[0-9]{5}"), Level.COMMUNE),
]
CODE_PATTERN = r"^(?:[Vv][Nn]|[0-9]{2}|[0-9]{5})$"


class UnitOut(Schema):
    code: str = Field(..., description="Mã đơn vị: 2 chữ số (cấp tỉnh), 5 chữ số (cấp xã), "
                                        "mã thôn, tổ dân phố (duy nhất trong xã)")
    name: str = Field(..., description="Tên đầy đủ, ví dụ: Phường Ba Đình")
    type: str = Field(..., description="Loại đơn vị: tinh, thanh_pho_tw, xa, phuong, dac_khu, thon, …")
    type_name: str = Field(..., description="Tên loại đơn vị: Tỉnh, Phường, Thôn, …")
    level: int = Field(..., description="Cấp: 1 tỉnh, 3 xã, 4 thôn, tổ dân phố")
    parent_code: str | None = Field(None, description="Mã đơn vị cấp trên; rỗng với cấp tỉnh")
    parent_name: str | None = Field(None, description="Tên đơn vị cấp trên; rỗng với cấp tỉnh")
    path: str = Field(..., description="Đường dẫn mã từ cấp quốc gia, ví dụ: VN.01.00004.")

    @staticmethod
    def from_unit(unit: Unit) -> UnitOut:
        """The API form of a unit whose parent is already loaded (select_related)."""
        parent = unit.parent
        # Provinces hang on the nation row, which is not an administrative parent to show.
        shown_parent = parent if parent is not None and parent.level > Level.NATION else None
        return UnitOut(
            code=unit.code, name=unit.name, type=unit.kind, type_name=str(Kind(unit.kind).label),
            level=unit.level,
            parent_code=shown_parent.code if shown_parent else None,
            parent_name=shown_parent.name if shown_parent else None,
            path=unit.path,
        )


class ErrorOut(Schema):
    code: str = Field(..., description="Mã lỗi: not_found, validation_error, …")
    detail: str = Field(..., description="Mô tả lỗi bằng tiếng Việt")


class FieldErrorOut(Schema):
    loc: list[str | int] = Field(..., description="Vị trí tham số lỗi, ví dụ: [\"query\", \"limit\"]")
    type: str
    msg: str = Field(..., description="Mô tả lỗi bằng tiếng Việt")


class ValidationErrorOut(ErrorOut):
    errors: list[FieldErrorOut]


def _unit_by_code(code: str) -> Unit:
    """The current, active unit a code names by its shape; NotFoundOrForbidden otherwise."""
    code = code.strip()
    for pattern, level in _CODE_LEVELS:
        if pattern.fullmatch(code):
            try:
                unit = unit_get(code=code.upper(), level=level)
            except Unit.DoesNotExist:
                break
            if unit.is_active:
                return unit
            break
    raise NotFoundOrForbidden(_("Không tìm thấy đơn vị hành chính có mã %(code)s.") % {"code": code[:20]})


@router.get(
    "/search",
    response={200: list[UnitOut], 404: ErrorOut, 422: ValidationErrorOut},
    summary="Tìm đơn vị hành chính (không phân biệt dấu)",
    description="Gõ có dấu hay không dấu, kiểu bỏ dấu nào cũng được (\"hoà\" = \"hòa\" = \"hoa\"). "
                "Mỗi từ tìm phải là đầu một từ trong tên. Kết quả xếp: trùng khớp, bắt đầu bằng, "
                "kết thúc bằng, chứa cụm từ, rồi cấp cao trước, tên ngắn trước.",
)
def search_units(
    request: HttpRequest,
    q: str = Query(..., max_length=MAX_QUERY_LENGTH, description="Từ khóa, ví dụ: phuong ba dinh"),
    level: int = Query(Level.COMMUNE, ge=Level.PROVINCE, le=Level.VILLAGE,
                       description="Cấp sâu nhất được tìm: 1 tỉnh, 3 xã (mặc định), 4 cả thôn, tổ dân phố"),
    parent: str | None = Query(None, pattern=CODE_PATTERN,
                               description="Chỉ tìm trong địa bàn đơn vị có mã này (VN, mã tỉnh hoặc mã xã)"),
    limit: int = Query(20, ge=1, le=MAX_LIMIT, description="Số kết quả tối đa"),
) -> list[UnitOut]:
    parent_unit = _unit_by_code(parent) if parent else None
    qs = unit_search(query=q, max_level=level, parent=parent_unit, limit=limit)
    return [UnitOut.from_unit(u) for u in qs]


@router.get(
    "/{code}/children",
    response={200: list[UnitOut], 404: ErrorOut},
    summary="Các đơn vị trực thuộc",
    description="VN: các tỉnh, thành phố; mã tỉnh (2 chữ số): các xã, phường, đặc khu; "
                "mã xã (5 chữ số): các thôn, tổ dân phố.",
)
def children(request: HttpRequest, code: str) -> list[UnitOut]:
    unit = _unit_by_code(code)
    return [UnitOut.from_unit(u) for u in unit_children(unit=unit).select_related("parent")]
