"""`danvan disclosures_jobs notify-scheduled`: announce items whose posting day has come.

For the embedded tier (no Celery beat: `danvan serve` runs it periodically) or cron. Idempotent:
each subscriber is told of an item once (dedupe keys), however often it runs.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from danvan.democracy.disclosures.services import scheduled_items_notify


class Command(BaseCommand):
    help = _("Việc định kỳ của công khai thông tin.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="job", required=True)
        sub.add_parser("notify-scheduled", help=_("Báo cho người theo dõi các nội dung công khai đến ngày niêm yết."))

    def handle(self, *args: Any, **options: Any) -> None:
        sent = scheduled_items_notify()
        self.stdout.write(_("Đã xếp %(n)d thông báo công khai thông tin.") % {"n": sent})
