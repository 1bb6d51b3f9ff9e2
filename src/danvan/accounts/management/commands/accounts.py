"""`danvan accounts create-official|grant|revoke|list|link-oidc`: account administration from
the console. Every write goes through ``accounts.services``, so it lands in the audit trail."""

from __future__ import annotations

import json
import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from danvan.accounts.models import Role, RoleAssignment, User
from danvan.accounts.selectors import grants_under
from danvan.accounts.services import official_create, role_grant, role_revoke, user_link_oidc
from danvan.core.errors import DomainError
from danvan.units.models import Era, Level, Organisation, OrganisationKind, Status, Unit


def resolve_unit(code: str) -> Unit:
    """A current unit from what an operator types: "VN" (the nation), a 2-digit province code,
    a 5-digit commune code, "<commune>.<village>" (e.g. 00004.T001) or a full path."""
    code = code.strip().strip(".")
    qs = Unit.objects.filter(era=Era.CURRENT)
    if code.upper() == "VN":
        unit = qs.filter(level=Level.NATION).first()
    elif code.upper().startswith("VN."):
        unit = qs.filter(path=code + ".").first()
    elif "." in code:
        commune, _sep, village = code.partition(".")
        unit = qs.filter(level=Level.VILLAGE, parent__level=Level.COMMUNE, parent__code=commune,
                         code=village.upper()).first()
    elif code.isdigit() and len(code) == 2:
        unit = qs.filter(level=Level.PROVINCE, code=code).first()
    elif code.isdigit() and len(code) == 5:
        unit = qs.filter(level=Level.COMMUNE, code=code).first()
    else:
        unit = None
    if unit is None:
        raise CommandError(_("Không tìm thấy đơn vị có mã %(code)s (mã tỉnh 2 số, mã xã 5 số, "
                             "thôn dạng <mã xã>.<mã thôn>).") % {"code": code})
    return unit


class Command(BaseCommand):
    help = _("Tài khoản cán bộ và phân quyền: tạo tài khoản, cấp, thu hồi, liệt kê vai trò.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        roles = ", ".join(Role.values)

        create = sub.add_parser("create-official", help=_("Tạo tài khoản cán bộ"))
        create.add_argument("--username", required=True, help=_("Tên đăng nhập"))
        create.add_argument("--full-name", required=True, help=_("Họ và tên"))
        create.add_argument("--email", default="")
        create.add_argument("--phone", default="", help=_("Số điện thoại"))
        create.add_argument("--password", default=None,
                            help=_("Mật khẩu; bỏ trống thì hệ thống tạo mật khẩu ngẫu nhiên "
                                   "và in ra một lần"))

        grant = sub.add_parser("grant", help=_("Cấp vai trò trên một đơn vị "
                                               "(có hiệu lực với toàn bộ địa bàn trực thuộc)"))
        grant.add_argument("--username", required=True)
        grant.add_argument("--role", required=True, metavar="ROLE",
                           help=_("Vai trò: %(roles)s") % {"roles": roles})
        unit_help = _("Mã đơn vị: tỉnh 2 số, xã 5 số, thôn <mã xã>.<mã thôn>")
        grant.add_argument("--unit", required=True, help=unit_help)
        grant.add_argument("--organisation", metavar="KIND",
                           help=_("Cơ quan, tổ chức của đơn vị: %(kinds)s")
                           % {"kinds": ", ".join(OrganisationKind.values)})
        grant.add_argument("--title", default="", help=_("Chức danh"))

        revoke = sub.add_parser("revoke", help=_("Thu hồi vai trò"))
        revoke.add_argument("--username", required=True)
        revoke.add_argument("--role", required=True, metavar="ROLE",
                            help=_("Vai trò: %(roles)s") % {"roles": roles})
        revoke.add_argument("--unit", required=True, help=unit_help)

        listing = sub.add_parser("list", help=_("Liệt kê phân quyền đang hiệu lực"))
        listing.add_argument("--unit", help=_("Chỉ các phân quyền trong địa bàn của đơn vị này"))
        listing.add_argument("--username", help=_("Chỉ các phân quyền của tài khoản này"))
        listing.add_argument("--all", action="store_true", help=_("Gồm cả phân quyền đã thu hồi"))
        listing.add_argument("--json", action="store_true", help=_("In kết quả dạng JSON"))

        link = sub.add_parser("link-oidc",
                              help=_("Liên kết tài khoản với định danh quốc gia (OpenID Connect)"))
        link.add_argument("--username", required=True)
        link.add_argument("--subject", required=True,
                          help=_("Mã định danh (sub) do nhà cung cấp định danh cấp; "
                                 "chuỗi rỗng để hủy liên kết"))

    def handle(self, *args: Any, **opts: Any) -> None:
        # Checked here rather than by argparse, whose messages are not in Vietnamese.
        if opts.get("role") is not None and opts["role"] not in Role.values:
            raise CommandError(_("Vai trò «%(role)s» không có trong danh mục: %(roles)s.")
                               % {"role": opts["role"], "roles": ", ".join(Role.values)})
        if opts.get("organisation") is not None and opts["organisation"] not in OrganisationKind.values:
            raise CommandError(_("Loại cơ quan, tổ chức «%(kind)s» không có trong danh mục: %(kinds)s.")
                               % {"kind": opts["organisation"], "kinds": ", ".join(OrganisationKind.values)})
        handler = getattr(self, "do_" + opts["action"].replace("-", "_"))
        try:
            handler(**opts)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    @staticmethod
    def _user(username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("Không có tài khoản %(u)s.") % {"u": username})
        return user

    def do_create_official(self, **opts: Any) -> None:
        password = opts["password"]
        generated = not password
        if generated:
            password = secrets.token_urlsafe(12)
        user = official_create(actor=None, username=opts["username"], password=password,
                               full_name=opts["full_name"], email=opts["email"], phone=opts["phone"])
        self.stdout.write(_("Đã tạo tài khoản cán bộ %(u)s (%(name)s).") % {"u": user.username,
                                                                            "name": user.full_name})
        if generated:
            self.stdout.write(_("Mật khẩu tạm thời (chỉ hiện một lần, hãy đổi sau khi đăng nhập): %(p)s")
                              % {"p": password})

    def do_grant(self, **opts: Any) -> None:
        user = self._user(opts["username"])
        unit = resolve_unit(opts["unit"])
        organisation = None
        if opts.get("organisation"):
            organisation = Organisation.objects.filter(unit=unit, kind=opts["organisation"],
                                                       active=True).first()
            if organisation is None:
                raise CommandError(_("%(unit)s không có %(org)s.") % {
                    "unit": unit.name, "org": OrganisationKind(opts["organisation"]).label})
        existed = RoleAssignment.objects.filter(user=user, role=opts["role"], unit=unit, active=True).exists()
        grant = role_grant(actor=None, user=user, role=opts["role"], unit=unit, organisation=organisation,
                           title=opts["title"])
        params = {"u": user.username, "role": grant.get_role_display(), "unit": unit.name}
        if existed:
            self.stdout.write(_("%(u)s đã có vai trò %(role)s tại %(unit)s.") % params)
        else:
            self.stdout.write(_("Đã cấp vai trò %(role)s tại %(unit)s cho %(u)s.") % params)

    def do_revoke(self, **opts: Any) -> None:
        user = self._user(opts["username"])
        unit = resolve_unit(opts["unit"])
        grant = RoleAssignment.objects.filter(user=user, role=opts["role"], unit=unit, active=True).first()
        if grant is None:
            raise CommandError(_("%(u)s không có vai trò %(role)s đang hiệu lực tại %(unit)s.") % {
                "u": user.username, "role": Role(opts["role"]).label, "unit": unit.name})
        role_revoke(actor=None, grant=grant)
        self.stdout.write(_("Đã thu hồi vai trò %(role)s tại %(unit)s của %(u)s.") % {
            "u": user.username, "role": grant.get_role_display(), "unit": unit.name})

    def do_list(self, **opts: Any) -> None:
        unit = resolve_unit(opts["unit"]) if opts.get("unit") else None
        grants = grants_under(unit=unit, include_revoked=opts["all"])
        if opts.get("username"):
            grants = grants.filter(user__username=opts["username"])
        rows = list(grants)
        if opts["json"]:
            self.stdout.write(json.dumps([{
                "id": g.pk, "username": g.user.username, "full_name": g.user.full_name, "role": g.role,
                "unit_code": g.unit.code, "unit_path": g.unit.path, "unit": g.unit.name,
                "organisation": g.organisation.kind if g.organisation else None, "title": g.title,
                "active": g.active,
            } for g in rows], ensure_ascii=False))
            return
        if not rows:
            self.stdout.write(_("Không có phân quyền nào."))
            return
        for g in rows:
            parts = [g.user.username, g.user.full_name or "–", g.get_role_display(),
                     f"{g.unit.name} ({g.unit.code})"]
            if g.organisation:
                parts.append(g.organisation.name)
            if g.title:
                parts.append(g.title)
            if not g.active:
                parts.append(_("đã thu hồi"))
            elif g.unit.status != Status.ACTIVE:
                parts.append(_("đơn vị đã giải thể"))
            self.stdout.write(" | ".join(parts))
        self.stdout.write(_("Tổng cộng: %(n)d phân quyền.") % {"n": len(rows)})

    def do_link_oidc(self, **opts: Any) -> None:
        user = self._user(opts["username"])
        user_link_oidc(actor=None, user=user, subject=opts["subject"])
        if opts["subject"].strip():
            self.stdout.write(_("Đã liên kết %(u)s với định danh quốc gia.") % {"u": user.username})
        else:
            self.stdout.write(_("Đã hủy liên kết định danh quốc gia của %(u)s.") % {"u": user.username})
