"""`danvan notifications retry`: resend pending notifications whose next try is due (the
embedded tier's replacement for Celery retries; safe to run at any time)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from danvan.notifications.services import notifications_retry_due


class Command(BaseCommand):
    help = _("Quản lý thông báo: gửi lại các thông báo chưa gửi được.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("retry", help=_("Gửi lại các thông báo đến hạn gửi lại."))

    def handle(self, *args: Any, **options: Any) -> None:
        count = notifications_retry_due()
        self.stdout.write(_("Đã thử gửi lại %(n)d thông báo.") % {"n": count})
