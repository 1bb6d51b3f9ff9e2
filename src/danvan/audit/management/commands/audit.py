"""`danvan audit verify`: check the hash chain of the audit trail."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from danvan.audit.services import audit_verify


class Command(BaseCommand):
    help = _("Nhật ký: kiểm tra chuỗi băm (verify).")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help=_("Kiểm tra toàn vẹn chuỗi nhật ký"))
        verify.add_argument("--json", action="store_true", help=_("In kết quả dạng JSON"))

    def handle(self, *args: Any, **opts: Any) -> None:
        result = audit_verify()
        if opts.get("json"):
            self.stdout.write(json.dumps({"ok": result.ok, "checked": result.checked,
                                          "first_bad_id": result.first_bad_id,
                                          "last_good_id": result.last_good_id, "reason": result.reason}))
        elif result.ok:
            self.stdout.write(_("Nhật ký toàn vẹn: đã kiểm tra %(n)d mục.") % {"n": result.checked})
        if result.ok:
            return
        params = {"id": result.first_bad_id, "good": result.last_good_id}
        if result.reason == "truncated":
            message = _("Nhật ký bị can thiệp: các mục cuối chuỗi đã bị xóa "
                        "(mục cuối cùng từng ghi là #%(id)s).") % params
        elif result.reason == "head":
            message = _("Nhật ký bị can thiệp: bản ghi đầu chuỗi đã bị xóa, nên không biết các mục cuối "
                        "còn đủ hay không.")
        else:
            reasons = {"link": _("không khớp với mục liền trước: mục trước đã bị xóa hoặc sửa"),
                       "content": _("nội dung bị sửa")}
            message = _("Nhật ký bị can thiệp: mục đầu tiên sai là #%(id)s (%(reason)s).") % {
                **params, "reason": reasons[result.reason]}
        if result.last_good_id:
            message += " " + _("Mục cuối còn đúng là #%(good)s.") % params
        else:
            message += " " + _("Không còn mục nào đúng từ đầu chuỗi.")
        raise CommandError(message)
