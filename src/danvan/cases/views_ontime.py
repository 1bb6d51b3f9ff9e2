"""Public on-time table: per province, or per commune of one province, how many cases were
received in a period, answered, answered on time, and how many are overdue and still open.
Counts under SMALL_COUNT are shown as "—" so a row never points at a few identifiable people."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.core.text import fold
from danvan.units.models import Era, Level, Unit

from .models import OPEN_STATES, Case

SMALL_COUNT = 5
SORT_KEYS = ("name", "received", "answered", "on_time", "rate", "overdue")


@dataclass
class OnTimeRow:
    """One unit's figures; ``rate`` is the share of answered cases answered on time, in percent."""

    unit: Unit
    received: int = 0
    answered: int = 0
    on_time: int = 0
    overdue: int = 0
    shown: dict[str, str] = field(default_factory=dict)

    @property
    def rate(self) -> float | None:
        # Hidden whenever either operand is hidden: a rate over a shown total would give a
        # hidden on-time count back (6 answered at 50% is 3 on time).
        if self.answered < SMALL_COUNT or 0 < self.on_time < SMALL_COUNT:
            return None
        return round(100 * self.on_time / self.answered, 1)


def _shown(value: int) -> str:
    return "—" if 0 < value < SMALL_COUNT else str(value)


def ontime_rows(*, province: Unit | None, start: dt.date, end: dt.date, today: dt.date) -> list[OnTimeRow]:
    """Figures per province (``province`` None) or per commune of ``province``, public cases only."""
    if province is None:
        units = list(Unit.objects.filter(era=Era.CURRENT, level=Level.PROVINCE))
    else:
        units = list(Unit.objects.filter(parent=province, level=Level.COMMUNE))
    depth = 3 if province is None else 4  # "VN.01." has 3 parts once split on ".", "VN.01.00004." 4
    rows = {u.path: OnTimeRow(unit=u) for u in units}

    def key(path: str) -> str:
        return ".".join(path.split(".")[: depth - 1]) + "."

    base = Case.objects.filter(duplicate_of=None, as_information=False)
    if province is not None:
        base = base.filter(unit_path__startswith=province.path)
    received = base.filter(received_at__date__gte=start, received_at__date__lte=end)
    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for path, count in received.values_list("unit_path").annotate(n=Count("id")).order_by():
        totals[key(path)]["received"] += count
    answered = received.filter(answered_at__isnull=False)
    for path, answered_at, due_on in answered.values_list("unit_path", "answered_at", "due_on").iterator():
        totals[key(path)]["answered"] += 1
        if due_on is None or timezone.localdate(answered_at) <= due_on:
            totals[key(path)]["on_time"] += 1
    overdue = base.filter(status__in=OPEN_STATES, due_on__lt=today)
    for path, count in overdue.values_list("unit_path").annotate(n=Count("id")).order_by():
        totals[key(path)]["overdue"] += count
    for path, values in totals.items():
        row = rows.get(path)
        if row is not None:
            row.received, row.answered = values["received"], values["answered"]
            row.on_time, row.overdue = values["on_time"], values["overdue"]
    result = list(rows.values())
    for row in result:
        row.shown = {name: _shown(getattr(row, name)) for name in ("received", "answered", "on_time", "overdue")}
        row.shown["rate"] = "—" if row.rate is None else f"{row.rate:.1f}".replace(".", ",")
    return result


def _date(value: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


def _sort(rows: list[OnTimeRow], sort: str) -> list[OnTimeRow]:
    name, reverse = sort.lstrip("-"), sort.startswith("-")
    if name == "name":
        return sorted(rows, key=lambda r: fold(r.unit.name), reverse=reverse)
    if name == "rate":
        # Suppressed rates sort last whichever the direction.
        known = sorted((r for r in rows if r.rate is not None), key=lambda r: r.rate or 0.0, reverse=reverse)
        return known + [r for r in rows if r.rate is None]
    # Suppressed counts sort as zero, so the order never reveals a hidden small number.
    return sorted(rows, key=lambda r: (v if (v := getattr(r, name)) >= SMALL_COUNT else 0, fold(r.unit.name)),
                  reverse=reverse)


def ontime_table(request: HttpRequest) -> HttpResponse:
    """The on-time table page, or its CSV export with ?format=csv."""
    today = timezone.localdate()
    start = _date(request.GET.get("tu"), today.replace(month=1, day=1))
    end = _date(request.GET.get("den"), today)
    province = None
    if request.GET.get("tinh"):
        province = Unit.objects.filter(era=Era.CURRENT, level=Level.PROVINCE, code=request.GET["tinh"]).first()
    sort = request.GET.get("sap_xep", "-rate")
    if sort.lstrip("-") not in SORT_KEYS:
        sort = "-rate"
    rows = ontime_rows(province=province, start=start, end=end, today=today)
    query = request.GET.get("q", "").strip()
    if query:
        folded = fold(query)
        rows = [r for r in rows if folded in fold(r.unit.name)]
    rows = _sort(rows, sort)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="giai-quyet-dung-han.csv"'
        response.write("\ufeff")  # Excel opens UTF-8 Vietnamese correctly only with a BOM
        writer = csv.writer(response)
        writer.writerow([_("Mã đơn vị"), _("Đơn vị"), _("Tiếp nhận"), _("Đã trả lời"), _("Trả lời đúng hạn"),
                         _("Tỷ lệ đúng hạn (%)"), _("Quá hạn chưa giải quyết")])
        for row in rows:
            writer.writerow([row.unit.code, row.unit.name, row.shown["received"], row.shown["answered"],
                             row.shown["on_time"], row.shown["rate"], row.shown["overdue"]])
        return response
    provinces = Unit.objects.filter(era=Era.CURRENT, level=Level.PROVINCE).order_by("code")
    columns = [("name", _("Đơn vị")), ("received", _("Tiếp nhận")), ("answered", _("Đã trả lời")),
               ("on_time", _("Trả lời đúng hạn")), ("rate", _("Tỷ lệ đúng hạn (%)")),
               ("overdue", _("Quá hạn chưa giải quyết"))]
    params = request.GET.copy()
    params.pop("sap_xep", None)
    params.pop("format", None)
    return render(request, "cases/ontime/table.html", {
        "rows": rows, "province": province, "provinces": provinces, "start": start, "end": end, "query": query,
        "sort": sort, "columns": columns, "params": params.urlencode(), "small": SMALL_COUNT,
    })
