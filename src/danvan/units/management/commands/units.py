"""`danvan units import|stats|export|import-villages`."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from danvan.core.errors import DomainError
from danvan.units.models import Era, Kind, Level, Status, Unit
from danvan.units.selectors import level_counts
from danvan.units.services import units_import_official


class Command(BaseCommand):
    help = _("Đơn vị hành chính: nạp danh mục chính thức, thống kê, xuất, nhập thôn/tổ dân phố.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("import", help=_("Nạp 34 tỉnh, 3.321 xã (và cơ cấu trước 01/7/2025)"))
        stats = sub.add_parser("stats", help=_("Số đơn vị theo cấp và loại"))
        stats.add_argument("--json", action="store_true")
        stats.add_argument("--legacy", action="store_true", help=_("Thống kê cơ cấu trước 01/7/2025"))
        export = sub.add_parser("export", help=_("Xuất danh mục: code,name,type,parent_code"))
        export.add_argument("--format", choices=["csv", "json"], default="csv")
        export.add_argument("--output", "-o", help=_("Tệp đầu ra (mặc định: màn hình)"))
        export.add_argument("--level", choices=["province", "commune", "village", "all"], default="all")
        export.add_argument("--legacy", action="store_true")
        villages = sub.add_parser("import-villages", help=_("Nhập thôn, tổ dân phố từ CSV/XLSX"))
        villages.add_argument("file")
        villages.add_argument("--partial", action="store_true",
                              help=_("Nhập các dòng hợp lệ kể cả khi có dòng lỗi"))
        villages.add_argument("--dry-run", action="store_true", help=_("Chỉ kiểm tra, không ghi"))
        villages.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        getattr(self, "do_" + opts["action"].replace("-", "_"))(**opts)

    def do_import(self, **opts: Any) -> None:
        report = units_import_official()
        self.stdout.write(_("Đã nạp danh mục: %(c)d đơn vị mới, %(u)d cập nhật, %(s)d liên kết cũ→mới, "
                            "%(o)d cơ quan, tổ chức.") % {"c": report.created, "u": report.updated,
                                                          "s": report.successions, "o": report.organisations})

    def do_stats(self, **opts: Any) -> None:
        era = Era.LEGACY if opts["legacy"] else Era.CURRENT
        by_kind = level_counts(era=era)
        if era == Era.LEGACY:
            # Legacy units are all dissolved; count them regardless of status.
            from django.db.models import Count

            by_kind = {}
            for row in (Unit.objects.filter(era=era, level__gt=0).values("level", "kind")
                        .annotate(n=Count("id")).order_by("level", "kind")):
                by_kind.setdefault(Level(row["level"]).name.lower(), {})[row["kind"]] = row["n"]
        data: dict[str, Any] = {
            "era": era,
            "levels": {level: sum(kinds.values()) for level, kinds in by_kind.items() if level != "nation"},
            "kinds": {level: kinds for level, kinds in by_kind.items() if level != "nation"},
        }
        data["provinces"] = data["levels"].get("province", 0)
        data["communes"] = data["levels"].get("commune", 0)
        data["villages"] = data["levels"].get("village", 0)
        if era == Era.LEGACY:
            data["districts"] = data["levels"].get("district", 0)
        if opts["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        labels = {"province": _("Cấp tỉnh"), "district": _("Cấp huyện"), "commune": _("Cấp xã"),
                  "village": _("Thôn, tổ dân phố")}
        for level, kinds in data["kinds"].items():
            detail = ", ".join(f"{Kind(k).label if k in Kind.values else k}: {n}" for k, n in kinds.items())
            self.stdout.write(f"{labels.get(level, level)}: {data['levels'][level]} ({detail})")

    def do_export(self, **opts: Any) -> None:
        era = Era.LEGACY if opts["legacy"] else Era.CURRENT
        qs = Unit.objects.filter(era=era, level__gt=Level.NATION).select_related("parent").order_by("path")
        if era == Era.CURRENT:
            qs = qs.filter(status=Status.ACTIVE)
        levels = {"province": Level.PROVINCE, "commune": Level.COMMUNE, "village": Level.VILLAGE}
        if opts["level"] != "all":
            qs = qs.filter(level=levels[opts["level"]])
        rows = ({"code": u.code, "name": u.name, "type": u.kind,
                 "parent_code": u.parent.code if u.parent and u.parent.level > Level.NATION else ""}
                for u in qs.iterator(chunk_size=5000))
        if opts.get("output"):
            with open(opts["output"], "w", encoding="utf-8", newline="") as out:
                self._write_rows(rows, out, opts["format"])
        else:
            self._write_rows(rows, self.stdout, opts["format"])

    @staticmethod
    def _write_rows(rows: Iterable[dict[str, str]], out: Any, fmt: str) -> None:
        if fmt == "json":
            out.write(json.dumps(list(rows), ensure_ascii=False))
            return
        writer = csv.DictWriter(out, fieldnames=["code", "name", "type", "parent_code"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)

    def do_import_villages(self, **opts: Any) -> None:
        from danvan.units.villages_import import read_rows, village_import

        path = Path(opts["file"])
        if not path.exists():
            raise CommandError(_("Không tìm thấy tệp %(f)s.") % {"f": path})
        try:
            report = village_import(actor=None, rows=read_rows(path), partial=opts["partial"],
                                    dry_run=opts["dry_run"], source=path.name)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if opts["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        else:
            for err in report.errors:
                self.stdout.write(_("Dòng %(row)d: %(msg)s") % {"row": err.row, "msg": err.message})
            if opts["verbosity"] >= 2:
                for note in report.existing:
                    self.stdout.write(_("Dòng %(row)d: %(msg)s (bỏ qua)")
                                      % {"row": note.row, "msg": note.message})
            self.stdout.write(report.summary())
        if report.errors and not opts["partial"] and not opts["dry_run"]:
            raise CommandError(_("Có dòng lỗi nên chưa nhập dòng nào. Sửa tệp rồi chạy lại, "
                                 "hoặc dùng --partial."))
