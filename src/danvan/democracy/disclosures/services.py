"""Every write of the disclosure app: keyword-only, one transaction, permission-checked, audited.

Posting durations are checked against the dated rule of the item's category: a rule that
"refuses" stops the write with the reason; a rule that "warns" lets it through and returns the
warning for the page to show (the item keeps the official's reason for ending early).
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.attachments.services import attachment_add, file_check
from danvan.audit.services import audit_record
from danvan.cases.models import Channel, Field, Kind
from danvan.cases.services import Submitter, _clean_email, _clean_phone, case_submit
from danvan.core.errors import DomainError, NotFoundOrForbidden
from danvan.core.search import searchable
from danvan.core.text import normalize
from danvan.notifications.models import NotificationChannel
from danvan.notifications.services import notification_queue
from danvan.units.models import Level, Status, Unit

from . import rules as r
from .models import (
    RELAY_KINDS,
    ChannelKind,
    DisclosureCategory,
    DisclosureChannel,
    DisclosureItem,
    DisclosureQuestion,
    DisclosureRule,
    Enforcement,
    Recurrence,
    Subscription,
    SubscriptionChannel,
)

TITLE_MAX = 250
CONTENT_MAX = 20000
QUESTION_MAX = 5000
QUESTION_KINDS = (Kind.PETITION, Kind.FEEDBACK)


def _today() -> dt.date:
    return timezone.localdate()


def _require(allowed: bool, user: Any, path: str) -> None:
    """Outside scope looks like "not found"; inside scope without the role is a clear refusal."""
    if not r.can_view(user, path):
        raise NotFoundOrForbidden()
    if not allowed:
        raise DomainError(_("Bạn không có quyền thực hiện thao tác này."), code="forbidden")


def _text(value: str, message: str, max_length: int) -> str:
    value = normalize(value or "").strip()
    if not value:
        raise DomainError(message, code="required")
    if len(value) > max_length:
        raise DomainError(_("Nội dung quá dài: tối đa %(n)d ký tự.") % {"n": max_length}, code="too_long")
    return value


# -- rules ----------------------------------------------------------------------------------------

def rule_for(*, category: DisclosureCategory, on: dt.date) -> DisclosureRule | None:
    """The posting rule of ``category`` in force on ``on``."""
    return (DisclosureRule.objects.filter(category=category, valid_from__lte=on)
            .order_by("-valid_from").first())


def posted_days(posted_on: dt.date, taken_down_on: dt.date) -> int:
    """Days an item stayed up, both ends counted (posted on the 1st, down after the 30th: 30 days)."""
    return (taken_down_on - posted_on).days + 1


@dataclass
class Checked:
    """What the duration rule found: messages that only warn (the write goes on)."""

    warnings: list[str] = field(default_factory=list)


def _judge(rule: DisclosureRule, message: str, checked: Checked) -> None:
    if rule.enforcement == Enforcement.REFUSE:
        raise DomainError(message, code="duration_short")
    checked.warnings.append(message)


def duration_check(*, category: DisclosureCategory, posted_on: dt.date, taken_down_on: dt.date | None,
                   checked: Checked | None = None) -> Checked:
    """Refuse or warn when an item comes down before its category's minimum posting time."""
    checked = checked or Checked()
    if taken_down_on is None:
        return checked
    if taken_down_on < posted_on:
        raise DomainError(_("Ngày kết thúc công khai không được trước ngày công khai."), code="dates")
    rule = rule_for(category=category, on=posted_on)
    if rule is None:
        return checked
    days = posted_days(posted_on, taken_down_on)
    if days < rule.min_days:
        _judge(rule, _("Thời gian công khai %(days)d ngày, chưa đủ tối thiểu %(min)d ngày theo quy định.")
               % {"days": days, "min": rule.min_days}, checked)
    return checked


def radio_check(*, category: DisclosureCategory, starts_on: dt.date, days: int | None,
                checked: Checked | None = None) -> Checked:
    """Refuse or warn when the commune radio announced an item on fewer consecutive days than required."""
    checked = checked or Checked()
    if not days or days < 1:
        raise DomainError(_("Hãy nhập số ngày thông báo liên tiếp trên đài truyền thanh."), code="radio_days")
    rule = rule_for(category=category, on=starts_on)
    if rule is not None and rule.radio_min_days and days < rule.radio_min_days:
        _judge(rule, _("Thông báo trên đài truyền thanh %(days)d ngày, chưa đủ %(min)d ngày liên tiếp theo quy định.")
               % {"days": days, "min": rule.radio_min_days}, checked)
    return checked


def _period(category: DisclosureCategory, year: int | None, quarter: int | None,
            posted_on: dt.date) -> tuple[int | None, int | None]:
    """The period an item reports on: required where the category recurs, the posting year otherwise."""
    if category.recurrence == Recurrence.ON_EVENT:
        return year or posted_on.year, None
    if not year or not 2000 <= year <= 2100:
        raise DomainError(_("Hãy chọn năm của kỳ công khai."), code="year_required")
    if category.recurrence == Recurrence.QUARTERLY:
        if quarter not in (1, 2, 3, 4):
            raise DomainError(_("Nội dung này công khai hằng quý: hãy chọn quý."), code="quarter_required")
        return year, quarter
    return year, None


def _check_commune(unit: Unit) -> None:
    if unit.level != Level.COMMUNE or unit.status != Status.ACTIVE:
        raise DomainError(_("Chỉ xã, phường, đặc khu đang hoạt động mới có bảng công khai."), code="not_commune")


# -- items ----------------------------------------------------------------------------------------

@dataclass
class Posted:
    item: DisclosureItem
    warnings: list[str]


def item_create(*, actor: Any, commune: Unit, category: DisclosureCategory, title: str, content: str,
                posted_on: dt.date, year: int | None = None, quarter: int | None = None,
                taken_down_on: dt.date | None = None, short_reason: str = "",
                files: list[tuple[str, bytes]] | None = None) -> Posted:
    _check_commune(commune)
    _require(r.can_manage(actor, commune.path), actor, commune.path)
    if not category.active:
        raise DomainError(_("Nội dung «%(name)s» không còn trong danh mục.") % {"name": category.name},
                          code="category_inactive")
    title = _text(title, _("Hãy nhập tiêu đề."), TITLE_MAX)
    content = _text(content, _("Hãy nhập nội dung công khai."), CONTENT_MAX)
    year, quarter = _period(category, year, quarter, posted_on)
    checked = duration_check(category=category, posted_on=posted_on, taken_down_on=taken_down_on)
    # Check every file before writing anything: a bad file must not leave half an item behind.
    checked_files = [(name, file_check(content=content)) for name, content in files or []]
    with transaction.atomic():
        item = DisclosureItem.objects.create(
            unit=commune, unit_path=commune.path, category=category, title=title, content=content, year=year,
            quarter=quarter, posted_on=posted_on, taken_down_on=taken_down_on,
            short_reason=short_reason.strip()[:250] if checked.warnings else "",
            search_text=searchable(title), created_by=actor)
        for name, checked_file in checked_files:
            attachment_add(target=item, name=name, checked=checked_file, actor=actor)
        audit_record(actor=actor, action="disclosures.item_create", obj=item, unit_path=commune.path,
                     after={"category": category.code, "year": year, "quarter": quarter,
                            "posted_on": posted_on.isoformat(), "warnings": checked.warnings})
        if posted_on <= _today():
            # An item dated ahead is announced by the daily sweep on its day, not before it is public.
            item_id = item.pk
            transaction.on_commit(lambda: _schedule_notify(item_id))
    return Posted(item=item, warnings=checked.warnings)


def item_update(*, actor: Any, item: DisclosureItem, title: str, content: str, posted_on: dt.date,
                year: int | None = None, quarter: int | None = None) -> Posted:
    _require(r.can_manage(actor, item.unit_path), actor, item.unit_path)
    title = _text(title, _("Hãy nhập tiêu đề."), TITLE_MAX)
    content = _text(content, _("Hãy nhập nội dung công khai."), CONTENT_MAX)
    year, quarter = _period(item.category, year, quarter, posted_on)
    checked = duration_check(category=item.category, posted_on=posted_on, taken_down_on=item.taken_down_on)
    with transaction.atomic():
        locked = DisclosureItem.objects.select_for_update().get(pk=item.pk)
        before = {"title": locked.title, "posted_on": locked.posted_on.isoformat(), "year": locked.year,
                  "quarter": locked.quarter}
        locked.title, locked.content, locked.posted_on = title, content, posted_on
        locked.year, locked.quarter, locked.search_text = year, quarter, searchable(title)
        locked.save()
        audit_record(actor=actor, action="disclosures.item_update", obj=locked, unit_path=locked.unit_path,
                     before=before, after={"title": title, "posted_on": posted_on.isoformat(), "year": year,
                                           "quarter": quarter})
    return Posted(item=locked, warnings=checked.warnings)


def item_take_down(*, actor: Any, item: DisclosureItem, taken_down_on: dt.date, reason: str = "") -> Posted:
    """End the posting on ``taken_down_on`` (the last day it was up), within the rule's minimum."""
    _require(r.can_manage(actor, item.unit_path), actor, item.unit_path)
    with transaction.atomic():
        # Read under the lock: a second take-down (another tab, a double click) must see the first.
        locked = DisclosureItem.objects.select_for_update().select_related("category").get(pk=item.pk)
        if locked.taken_down_on is not None:
            raise DomainError(_("Thông tin này đã kết thúc công khai."), code="already_down")
        checked = duration_check(category=locked.category, posted_on=locked.posted_on, taken_down_on=taken_down_on)
        if checked.warnings and not reason.strip():
            raise DomainError(_("Chưa đủ thời gian công khai tối thiểu: hãy ghi lý do kết thúc sớm."),
                              code="reason_required")
        locked.taken_down_on = taken_down_on
        locked.short_reason = reason.strip()[:250] if checked.warnings else ""
        locked.save(update_fields=["taken_down_on", "short_reason", "updated_at"])
        audit_record(actor=actor, action="disclosures.item_take_down", obj=locked, unit_path=locked.unit_path,
                     after={"taken_down_on": taken_down_on.isoformat(), "warnings": checked.warnings,
                            "reason": locked.short_reason})
    item.taken_down_on, item.short_reason = locked.taken_down_on, locked.short_reason
    return Posted(item=locked, warnings=checked.warnings)


def item_attach(*, actor: Any, item: DisclosureItem, files: list[tuple[str, bytes]]) -> None:
    _require(r.can_manage(actor, item.unit_path), actor, item.unit_path)
    if not files:
        raise DomainError(_("Hãy chọn tệp đính kèm."), code="no_file")
    checked_files = [(name, file_check(content=content)) for name, content in files]
    with transaction.atomic():
        for name, checked_file in checked_files:
            attachment_add(target=item, name=name, checked=checked_file, actor=actor)


def channel_add(*, actor: Any, item: DisclosureItem, kind: str, starts_on: dt.date, days: int | None = None,
                village: Unit | None = None, note: str = "") -> tuple[DisclosureChannel, list[str]]:
    """Record a form the item was disclosed in; a village head records the relays of his village."""
    if kind not in ChannelKind.values:
        raise DomainError(_("Hình thức công khai không hợp lệ."), code="kind")
    checked = Checked()
    if kind in RELAY_KINDS:
        if village is None or village.parent_id != item.unit_id or village.level != Level.VILLAGE:
            raise DomainError(_("Hãy chọn thôn, tổ dân phố của %(unit)s.") % {"unit": item.unit.name},
                              code="village")
        _require(r.can_record_relay(actor, village.path), actor, village.path)
    else:
        _require(r.can_manage(actor, item.unit_path), actor, item.unit_path)
        village = None
    if starts_on < item.posted_on:
        raise DomainError(_("Ngày thực hiện không được trước ngày công khai."), code="dates")
    if kind == ChannelKind.RADIO:
        radio_check(category=item.category, starts_on=starts_on, days=days, checked=checked)
    elif days is not None and days < 1:
        raise DomainError(_("Số ngày phải lớn hơn 0."), code="days")
    with transaction.atomic():
        channel = DisclosureChannel.objects.create(item=item, kind=kind, village=village, starts_on=starts_on,
                                                   days=days, note=note.strip()[:250], recorded_by=actor)
        audit_record(actor=actor, action="disclosures.channel_add", obj=channel, unit_path=item.unit_path,
                     after={"item": item.pk, "kind": kind, "days": days, "village": village.code if village else None,
                            "warnings": checked.warnings})
    return channel, checked.warnings


# -- subscriptions and notifications --------------------------------------------------------------

def _site_url(path: str, base_url: str = "") -> str:
    """An address a message can carry: the site the citizen used, else the configured one."""
    from django.conf import settings

    return (base_url or getattr(settings, "DANVAN_SITE_URL", "")).rstrip("/") + path


def _clean_address(channel: str, address: str) -> str:
    if channel == SubscriptionChannel.EMAIL:
        address = _clean_email(address)
    elif channel == SubscriptionChannel.SMS:
        address = _clean_phone(address)
    else:
        raise DomainError(_("Kênh nhận tin không hợp lệ."), code="channel")
    if not address:
        raise DomainError(_("Hãy nhập địa chỉ thư điện tử hoặc số điện thoại."), code="address_required")
    return address.lower()


def subscription_create(*, commune: Unit, channel: str, address: str, base_url: str = "") -> Subscription:
    """Start (or restart) following a commune's board; the address is confirmed before anything else is sent."""
    _check_commune(commune)
    address = _clean_address(channel, address)
    with transaction.atomic():
        sub = Subscription.objects.select_for_update().filter(unit=commune, channel=channel, address=address).first()
        if sub is not None and sub.active:
            return sub
        token, code = secrets.token_urlsafe(32), f"{secrets.randbelow(10 ** 6):06d}"
        if sub is None:
            try:
                with transaction.atomic():
                    sub = Subscription.objects.create(unit=commune, channel=channel, address=address, token=token,
                                                      confirm_code=code, base_url=base_url[:200])
            except IntegrityError:  # a concurrent request made it first
                sub = Subscription.objects.get(unit=commune, channel=channel, address=address)
        else:
            sub.token, sub.confirm_code, sub.confirmed_at, sub.unsubscribed_at = token, code, None, None
            sub.base_url = base_url[:200] or sub.base_url
            sub.save()
        audit_record(actor=None, action="disclosures.subscribe", obj=sub, unit_path=commune.path,
                     after={"channel": channel})
        confirm = _site_url(reverse("disclosures_public:confirm", args=[sub.token]), sub.base_url)
        body = render_to_string("disclosures/email/confirm.txt",
                                {"commune": commune, "code": sub.confirm_code, "url": confirm,
                                 "sms": channel == SubscriptionChannel.SMS})
        notification_queue(channel=_notification_channel(channel), recipient=address,
                           subject=_("Xác nhận đăng ký nhận tin công khai của %(unit)s") % {"unit": commune.name},
                           body=body, dedupe_key=f"disclosures:confirm:{sub.pk}:{sub.token[:16]}")
    return sub


def _notification_channel(channel: str) -> str:
    return NotificationChannel.EMAIL if channel == SubscriptionChannel.EMAIL else NotificationChannel.SMS


def subscription_confirm(*, token: str = "", commune: Unit | None = None, address: str = "",
                         code: str = "") -> Subscription:
    """Confirm by the link's token, or by the code sent to a phone (with the commune and the number)."""
    if token:
        sub = Subscription.objects.filter(token=token).first()
    elif commune is not None and address and code:
        try:
            phone = _clean_phone(address)
        except DomainError:
            phone = ""
        sub = Subscription.objects.filter(unit=commune, channel=SubscriptionChannel.SMS, address=phone,
                                          confirm_code=code.strip(), unsubscribed_at__isnull=True).first()
    else:
        sub = None
    if sub is None or sub.unsubscribed_at is not None:
        raise DomainError(_("Mã xác nhận không đúng hoặc đăng ký đã bị hủy."), code="confirm_invalid")
    if sub.confirmed_at is None:
        with transaction.atomic():
            sub.confirmed_at = timezone.now()
            sub.save(update_fields=["confirmed_at", "updated_at"])
            audit_record(actor=None, action="disclosures.subscription_confirm", obj=sub, unit_path=sub.unit.path)
    return sub


def subscription_cancel(*, token: str) -> Subscription:
    sub = Subscription.objects.filter(token=token).select_related("unit").first()
    if sub is None:
        raise DomainError(_("Không tìm thấy đăng ký."), code="not_found")
    if sub.unsubscribed_at is None:
        with transaction.atomic():
            sub.unsubscribed_at = timezone.now()
            sub.save(update_fields=["unsubscribed_at", "updated_at"])
            audit_record(actor=None, action="disclosures.unsubscribe", obj=sub, unit_path=sub.unit.path)
    return sub


def _schedule_notify(item_id: int) -> None:
    from .tasks import notify_subscribers

    notify_subscribers.delay(item_id)


def subscribers_notify(*, item_id: int) -> int:
    """Queue one message per confirmed subscriber of the item's commune (once each: dedupe key)."""
    item = DisclosureItem.objects.select_related("unit", "category").filter(pk=item_id).first()
    if item is None or item.posted_on > _today():
        return 0
    path = reverse("disclosures_public:item", args=[item.unit.code, item.pk])
    queued = 0
    subs = Subscription.objects.filter(unit_id=item.unit_id, confirmed_at__isnull=False, unsubscribed_at__isnull=True)
    for sub in subs.iterator():
        stop = _site_url(reverse("disclosures_public:unsubscribe", args=[sub.token]), sub.base_url)
        body = render_to_string("disclosures/email/new_item.txt", {
            "item": item, "url": _site_url(path, sub.base_url), "stop": stop,
            "sms": sub.channel == SubscriptionChannel.SMS})
        with transaction.atomic():
            row = notification_queue(channel=_notification_channel(sub.channel), recipient=sub.address,
                                     subject=_("%(unit)s công khai: %(title)s") % {"unit": item.unit.name,
                                                                                  "title": item.title},
                                     body=body, dedupe_key=f"disclosures:item:{item.pk}:{sub.pk}")
        queued += row is not None
    return queued


def scheduled_items_notify(*, today: dt.date | None = None) -> int:
    """Announce items that became public today or yesterday (a missed run is caught up; dedupe keys
    make a second announcement impossible)."""
    today = today or _today()
    ids = DisclosureItem.objects.filter(posted_on__range=(today - dt.timedelta(days=1), today)).values_list(
        "pk", flat=True)
    return sum(subscribers_notify(item_id=pk) for pk in ids)


# -- questions --------------------------------------------------------------------------------

def question_ask(*, item: DisclosureItem, kind: str, text: str, name: str = "", phone: str = "",
                 email: str = "", wants_updates: bool = False, base_url: str = "") -> DisclosureQuestion:
    """A citizen's question on an item becomes a case of the commune, linked back to the item."""
    if kind not in QUESTION_KINDS:
        raise DomainError(_("Hãy chọn kiến nghị hoặc phản ánh."), code="kind")
    if item.posted_on > _today():
        raise NotFoundOrForbidden()
    text = _text(text, _("Hãy nhập nội dung câu hỏi, kiến nghị."), QUESTION_MAX)
    field_ = (Field.objects.filter(code=item.category.case_field_code, active=True).first()
              or Field.objects.filter(code="khac").first())
    if field_ is None:
        raise DomainError(_("Chưa có lĩnh vực để tiếp nhận câu hỏi."), code="no_field")
    url = _site_url(reverse("disclosures_public:item", args=[item.unit.code, item.pk]), base_url)
    description = _("Về thông tin công khai «%(title)s» (%(url)s):\n\n%(text)s") % {
        "title": item.title, "url": url, "text": text}
    title = (_("Hỏi về: %(title)s") % {"title": item.title})[:200]
    with transaction.atomic():
        case = case_submit(kind=kind, channel=Channel.WEB, unit=item.unit, field=field_, title=title,
                           description=description, submitter=Submitter(name=name, phone=phone, email=email),
                           wants_updates=wants_updates)
        question = DisclosureQuestion.objects.create(item=item, case=case)
        audit_record(actor=None, action="disclosures.question", obj=question, unit_path=item.unit_path,
                     after={"item": item.pk, "case": case.code})
    return question



# -- catalogue administration ---------------------------------------------------------------------

def catalogue_save(*, actor: Any, obj: DisclosureCategory | DisclosureRule, created: bool) -> None:
    """An administrator's change to the catalogue or a rule, with the values before and after."""
    if isinstance(obj, DisclosureRule) and obj.min_days < 1:
        raise DomainError(_("Thời gian niêm yết tối thiểu phải lớn hơn 0."), code="rule")
    fields = [f.attname for f in type(obj)._meta.concrete_fields if f.attname != "id"]
    old = None if created else type(obj).objects.filter(pk=obj.pk).first()
    with transaction.atomic():
        obj.save()
        audit_record(actor=actor, action=f"disclosures.{type(obj).__name__.lower()}_save", obj=obj,
                     before={f: str(getattr(old, f)) for f in fields} if old else None,
                     after={f: str(getattr(obj, f)) for f in fields})


def rule_delete(*, actor: Any, rule: DisclosureRule) -> None:
    with transaction.atomic():
        audit_record(actor=actor, action="disclosures.rule_delete", obj=rule,
                     before={"category": rule.category_id, "valid_from": rule.valid_from.isoformat(),
                             "min_days": rule.min_days})
        rule.delete()
