"""`danvan demo-data --province CODE|all --scale small|large --seed N`."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.urls import reverse
from django.utils.translation import gettext as _

from danvan.core.errors import DomainError
from danvan.demo.generators import DEMO_PASSWORD
from danvan.demo.registry import SCALES
from danvan.demo.services import DemoReport, demo_data_generate


def _n(value: int) -> str:
    """Vietnamese digit grouping: 60000 → "60.000"."""
    return f"{value:,}".replace(",", ".")


class Command(BaseCommand):
    help = _("Tạo dữ liệu trình diễn: thôn, tổ dân phố, hộ gia đình, cán bộ và dữ liệu của các phân hệ. "
             "Cùng tham số thì cùng dữ liệu; chạy lại không tạo trùng.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", default=settings.DANVAN_DEMO_PROVINCE,
                            help=_("Mã tỉnh, thành phố (2 chữ số, ví dụ 01) hoặc “all” cho cả nước"))
        parser.add_argument("--scale", choices=SCALES, default="small",
                            help=_("small: 4–8 thôn mỗi xã và hộ gia đình; large: khoảng 18 thôn mỗi xã "
                                   "(khoảng 60.000 thôn cả nước)"))
        parser.add_argument("--seed", type=int, default=1, help=_("Hạt giống ngẫu nhiên (mặc định 1)"))
        parser.add_argument("--communes-limit", type=int, default=None,
                            help=_("Chỉ tạo cho N xã đầu tiên của mỗi tỉnh (dùng khi kiểm thử)"))

    def handle(self, *args: Any, **opts: Any) -> None:
        started = time.monotonic()
        limit = opts.get("communes_limit")
        if limit is not None and limit < 1:
            raise CommandError(_("--communes-limit phải lớn hơn 0."))
        try:
            report = demo_data_generate(province=str(opts["province"]), scale=opts["scale"],
                                        seed=opts["seed"], communes_limit=limit)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        if report.total_created and connection.vendor == "sqlite":
            # SQLite plans with no statistics until ANALYZE runs, and then takes every index
            # for selective: after tens of thousands of new rows, refresh them (~0.1 s).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self._summary(report, time.monotonic() - started)
        self._credentials(report)

    def _summary(self, report: DemoReport, seconds: float) -> None:
        where = _("cả nước") if report.province == "all" else _("tỉnh, thành phố mã %(code)s") % {
            "code": report.province}
        title = _("Dữ liệu trình diễn (%(where)s, quy mô %(scale)s, hạt giống %(seed)d, %(n)s xã):")
        self.stdout.write(title % {"where": where, "scale": report.scale, "seed": report.seed,
                                   "n": _n(report.communes)})
        for name, counts in report.created.items():
            labels = report.labels.get(name, {})
            for key, value in counts.items():
                self.stdout.write(_("  – %(label)s: %(n)s mới") % {"label": labels.get(key, key),
                                                                   "n": _n(value)})
        if report.total_created == 0:
            self.stdout.write(_("✓ Dữ liệu trình diễn đã có sẵn, không tạo thêm."))
        else:
            self.stdout.write(_("✓ Đã tạo dữ liệu trình diễn trong %(s)s giây.") % {
                "s": f"{seconds:.1f}".replace(".", ",")})

    def _credentials(self, report: DemoReport) -> None:
        if not report.credentials:
            return
        header = (_("Tên đăng nhập"), _("Họ và tên"), _("Vai trò – chức danh"), _("Đơn vị"))
        rows = [header, *report.credentials]
        widths = [max(len(r[i]) for r in rows) for i in range(len(header))]

        def line(row: tuple[str, ...]) -> str:
            return "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip()

        self.stdout.write("")
        self.stdout.write(_("Tài khoản cán bộ trình diễn — mật khẩu chung: %(password)s") % {
            "password": DEMO_PASSWORD})
        self.stdout.write(line(header))
        self.stdout.write("  ".join("─" * w for w in widths))
        for row in report.credentials:
            self.stdout.write(line(row))
        self.stdout.write(_("Đăng nhập tại %(url)s bằng một tên đăng nhập ở trên.") % {
            "url": reverse("accounts:login")})
