"""`danvan cases_jobs remind|escalate|cleanup-uploads`: the periodic case jobs, for the embedded
tier (no Celery beat) or cron. All are idempotent: running them again sends or removes nothing new."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from danvan.cases.escalation import cases_escalate, cases_remind
from danvan.cases.services_citizen import pending_cleanup


class Command(BaseCommand):
    help = _("Công việc định kỳ của vụ việc: nhắc hạn và báo cáo vụ việc quá hạn.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="job", required=True)
        for name, text in (("remind", _("Nhắc cán bộ xử lý các vụ việc sắp đến hạn.")),
                           ("escalate", _("Báo cáo lãnh đạo và cơ quan giám sát các vụ việc quá hạn."))):
            job = sub.add_parser(name, help=text)
            job.add_argument("--date", help=_("Ngày chạy (YYYY-MM-DD), mặc định là hôm nay."))
        sub.add_parser("cleanup-uploads", help=_("Xóa tệp đã tải lên của các biểu mẫu không được gửi đi."))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["job"] == "cleanup-uploads":
            removed = pending_cleanup()
            self.stdout.write(_("Đã xóa %(n)d tệp tải lên bị bỏ dở.") % {"n": removed})
            return
        today = None
        if options.get("date"):
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(_("Ngày không hợp lệ: %(d)s") % {"d": options["date"]}) from exc
        job = cases_remind if options["job"] == "remind" else cases_escalate
        result = job(today=today)
        self.stdout.write(_("Đã xét %(cases)d vụ việc, gửi mới %(queued)d thông báo.")
                          % {"cases": result.cases, "queued": result.queued})
