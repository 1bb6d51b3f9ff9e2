"""Reads: the public board of a commune (only what has been posted), and officials' views scoped to them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts.models import Role
from danvan.accounts.selectors import scope_paths, scope_q
from danvan.attachments.models import Attachment
from danvan.core.errors import NotFoundOrForbidden
from danvan.core.search import search
from danvan.units.models import Era, Level, Status, Unit

from . import rules as r
from .models import DisclosureCategory, DisclosureItem

CURRENT, ARCHIVED = "current", "archived"


def _today() -> dt.date:
    return timezone.localdate()


def commune_by_code(code: str) -> Unit:
    """A current, active commune by its 5-digit code (public pages)."""
    unit = Unit.objects.filter(era=Era.CURRENT, level=Level.COMMUNE, status=Status.ACTIVE, code=code).first()
    if unit is None:
        raise NotFoundOrForbidden(_("Không tìm thấy xã, phường, đặc khu có mã này."))
    return unit


def relay_communes(actor: Any) -> list[str]:
    """Paths of the communes whose villages the actor heads: he records relays of their items."""
    paths = scope_paths(actor, roles=(Role.VILLAGE_HEAD,))
    return sorted({p.rstrip(".").rsplit(".", 1)[0] + "." for p in paths if p.count(".") > 3})


def _visible_q(actor: Any, field: str) -> Q:
    return scope_q(actor, field=field) | Q(**{f"{field}__in": relay_communes(actor)})


def commune_for(*, actor: Any, code: str) -> Unit:
    """The commune, if the official may see it; otherwise the same 404 as a wrong code."""
    unit = commune_by_code(code)
    if not r.can_view(actor, unit.path) and unit.path not in relay_communes(actor):
        raise NotFoundOrForbidden()
    return unit


def province_for(*, actor: Any, code: str) -> Unit:
    unit = Unit.objects.filter(era=Era.CURRENT, level=Level.PROVINCE, code=code).first()
    if unit is None or not r.can_view(actor, unit.path):
        raise NotFoundOrForbidden()
    return unit


def categories() -> QuerySet[DisclosureCategory]:
    return DisclosureCategory.objects.filter(active=True)


def current_q(today: dt.date) -> Q:
    return Q(posted_on__lte=today) & (Q(taken_down_on__isnull=True) | Q(taken_down_on__gte=today))


def board(*, commune: Unit, category: str = "", year: int | None = None, state: str = "",
          query: str = "") -> QuerySet[DisclosureItem]:
    """What the public sees of a commune: posted items (never ones scheduled for later), newest first."""
    today = _today()
    qs = DisclosureItem.objects.filter(unit_path=commune.path, posted_on__lte=today).select_related("category")
    if category:
        qs = qs.filter(category__code=category)
    if year:
        qs = qs.filter(year=year)
    if state == CURRENT:
        qs = qs.filter(current_q(today))
    elif state == ARCHIVED:
        qs = qs.filter(taken_down_on__lt=today)
    if query:
        return search(qs, query, extra_order=("-posted_on",))
    return qs.order_by("-posted_on", "-pk")


def board_years(*, commune: Unit) -> list[int]:
    return sorted({y for y in DisclosureItem.objects.filter(unit_path=commune.path, posted_on__lte=_today())
                  .values_list("year", flat=True) if y}, reverse=True)


def public_item(*, commune: Unit, pk: int) -> DisclosureItem:
    item = (DisclosureItem.objects.filter(unit_path=commune.path, pk=pk, posted_on__lte=_today())
            .select_related("category", "unit").first())
    if item is None:
        raise NotFoundOrForbidden(_("Không tìm thấy thông tin công khai."))
    return item


def attachments(item: DisclosureItem) -> list[Attachment]:
    content_type = ContentType.objects.get_for_model(DisclosureItem)
    return list(Attachment.objects.filter(content_type=content_type, object_id=str(item.pk)).order_by("pk"))


def public_file(*, pk: int) -> Attachment:
    """A file the public may download: attached to an item already posted, nothing else."""
    content_type = ContentType.objects.get_for_model(DisclosureItem)
    attachment = Attachment.objects.filter(pk=pk, content_type=content_type).first()
    if attachment is None or not DisclosureItem.objects.filter(pk=attachment.object_id,
                                                               posted_on__lte=_today()).exists():
        raise NotFoundOrForbidden(_("Không tìm thấy tệp."))
    return attachment


def item_get(*, actor: Any, pk: int) -> DisclosureItem:
    item = (DisclosureItem.objects.filter(_visible_q(actor, "unit_path"), pk=pk)
            .select_related("category", "unit").first())
    if item is None:
        raise NotFoundOrForbidden()
    return item


def staff_items(*, commune: Unit, category: str = "", year: int | None = None,
                query: str = "") -> QuerySet[DisclosureItem]:
    qs = (DisclosureItem.objects.filter(unit_path=commune.path).select_related("category")
          .annotate(channel_count=Count("channels")))
    if category:
        qs = qs.filter(category__code=category)
    if year:
        qs = qs.filter(year=year)
    return search(qs, query, extra_order=("-posted_on",)) if query else qs.order_by("-posted_on", "-pk")


def communes_in_scope(*, actor: Any, query: str = "", province: Unit | None = None) -> QuerySet[Unit]:
    qs = Unit.objects.filter(_visible_q(actor, "path"), era=Era.CURRENT, level=Level.COMMUNE, status=Status.ACTIVE)
    if province is not None:
        qs = qs.filter(parent=province)
    return search(qs, query) if query else qs.order_by("path")


def provinces_in_scope(*, actor: Any) -> QuerySet[Unit]:
    return Unit.objects.filter(scope_q(actor), era=Era.CURRENT, level=Level.PROVINCE).order_by("code")
