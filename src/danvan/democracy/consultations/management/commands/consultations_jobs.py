"""`danvan consultations_jobs notify-open`: announce comment periods that have opened.

For the embedded tier (`danvan serve` runs it periodically) or cron; Celery beat runs the same
task in production. Idempotent: each subscriber hears of each consultation once.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from danvan.democracy.consultations.notices import open_periods_notify


class Command(BaseCommand):
    help = _("Việc định kỳ của lấy ý kiến dự thảo.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="job", required=True)
        sub.add_parser("notify-open", help=_("Báo cho người theo dõi các đợt lấy ý kiến đã bắt đầu."))

    def handle(self, *args: Any, **options: Any) -> None:
        queued = open_periods_notify()
        self.stdout.write(_("Đã xếp %(n)d thông báo lấy ý kiến dự thảo.") % {"n": queued})
