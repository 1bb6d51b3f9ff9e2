"""`danvan setup`: everything `make setup` needs after the packages are installed.

Idempotent and quick on re-run: each step checks whether its work is already done.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = _("Chuẩn bị cơ sở dữ liệu, danh mục đơn vị hành chính và tỉnh trình diễn.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-demo", action="store_true", help=_("Không tạo dữ liệu trình diễn"))
        parser.add_argument("--demo-province", default=settings.DANVAN_DEMO_PROVINCE)

    def handle(self, *args: Any, **opts: Any) -> None:
        from danvan.units.models import Era, Level, Unit, UnitSuccession

        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        secret_file = settings.DATA_DIR / "secret_key"
        if not secret_file.exists():
            secret_file.write_text(secrets.token_urlsafe(50))
            secret_file.chmod(0o600)
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(_("✓ Cơ sở dữ liệu đã sẵn sàng (%(db)s).")
                          % {"db": settings.DATABASES["default"]["ENGINE"]})

        current = Unit.objects.filter(era=Era.CURRENT)
        loaded = (current.filter(level=Level.PROVINCE).count() == 34
                  and current.filter(level=Level.COMMUNE).count() >= 3321
                  and UnitSuccession.objects.exists())
        if not loaded:
            call_command("units", "import", stdout=self.stdout)
        self.stdout.write(_("✓ Danh mục đơn vị hành chính: 34 tỉnh, thành phố; 3.321 xã, phường, đặc khu."))

        if not opts["no_demo"] and "demo_data" in get_commands():
            call_command("demo_data", province=opts["demo_province"], scale="small", seed=1,
                         stdout=self.stdout)

        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(_("✓ Xong."))
