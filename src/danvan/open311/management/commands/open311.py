"""`danvan open311 create-key --name NAME | list | revoke ID`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from danvan.core.errors import DomainError
from danvan.open311.models import ApiKey
from danvan.open311.services import api_key_create, api_key_revoke


class Command(BaseCommand):
    help = _("Open311 GeoReport v2: tạo, liệt kê, thu hồi khóa API của ứng dụng kết nối.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create-key", help=_("Tạo khóa API (chỉ hiển thị một lần)"))
        create.add_argument("--name", required=True, help=_("Tên ứng dụng sử dụng khóa"))
        sub.add_parser("list", help=_("Liệt kê các khóa API"))
        revoke = sub.add_parser("revoke", help=_("Thu hồi một khóa API"))
        revoke.add_argument("id", type=int, help=_("Số thứ tự của khóa (xem lệnh list)"))

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            getattr(self, "do_" + opts["action"].replace("-", "_"))(**opts)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def do_create_key(self, **opts: Any) -> None:
        row, key = api_key_create(name=opts["name"])
        self.stdout.write(_("Đã tạo khóa API số %(id)d cho «%(name)s»:") % {"id": row.pk, "name": row.name})
        self.stdout.write(key)
        self.stdout.write(_("Hãy lưu lại khóa này: hệ thống chỉ lưu mã băm, không hiển thị lại."))

    def do_list(self, **opts: Any) -> None:
        rows = list(ApiKey.objects.order_by("id"))
        if not rows:
            self.stdout.write(_("Chưa có khóa API nào."))
            return
        for row in rows:
            state = _("đang hiệu lực") if row.active else _("đã thu hồi")
            self.stdout.write(f"{row.pk}\t{row.prefix}…\t{row.name}\t{row.created_at:%d/%m/%Y %H:%M}\t{state}")

    def do_revoke(self, **opts: Any) -> None:
        row = ApiKey.objects.filter(pk=opts["id"]).first()
        if row is None:
            raise CommandError(_("Không có khóa API số %(id)d.") % {"id": opts["id"]})
        api_key_revoke(api_key=row)
        self.stdout.write(_("Đã thu hồi khóa API số %(id)d («%(name)s»).") % {"id": row.pk, "name": row.name})
