"""What a commune must disclose (Law 10/2022/QH15 Art. 11), what it posted, how, and who follows it.

The catalogue and the posting rules are data (seeded by a migration, edited in the admin), so a
new decree changes rows, not code. Every item carries its commune's unit path so scope checks are
one indexed prefix test, like every other record of the platform.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from danvan.core.models import TimeStampedModel
from danvan.units.models import Unit


class Recurrence(models.TextChoices):
    ANNUAL = "annual", _("Hằng năm")
    QUARTERLY = "quarterly", _("Hằng quý")
    ON_EVENT = "on_event", _("Khi phát sinh")


class DisclosureCategory(models.Model):
    """One of the contents Art. 11 obliges the commune to disclose."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    law_item = models.PositiveSmallIntegerField(_("khoản (Điều 11)"), null=True, blank=True)
    name = models.CharField(_("nội dung công khai"), max_length=300)
    description = models.TextField(_("mô tả"), blank=True)
    recurrence = models.CharField(_("định kỳ"), max_length=10, choices=Recurrence.choices,
                                  default=Recurrence.ON_EVENT)
    mandatory = models.BooleanField(_("bắt buộc"), default=True)
    # The cases field a citizen's question on an item of this category is filed under.
    case_field_code = models.SlugField(_("lĩnh vực khi người dân hỏi"), max_length=40, default="khac")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)
    active = models.BooleanField(_("đang sử dụng"), default=True)

    class Meta:
        verbose_name = _("nội dung phải công khai")
        verbose_name_plural = _("danh mục nội dung phải công khai")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def recurs(self) -> bool:
        return self.recurrence != Recurrence.ON_EVENT


class Enforcement(models.TextChoices):
    WARN = "warn", _("Cảnh báo")
    REFUSE = "refuse", _("Không cho phép")


class DueAnchor(models.TextChoices):
    START = "start", _("Kể từ đầu kỳ")
    END = "end", _("Kể từ cuối kỳ")


class DisclosureRule(models.Model):
    """How long an item of a category must stay posted, and by when a period's item is due.

    Dated: the row valid on the posting day (or on the due day, for a missing item) applies.
    """

    category = models.ForeignKey(DisclosureCategory, on_delete=models.CASCADE, related_name="rules",
                                 verbose_name=_("nội dung"))
    min_days = models.PositiveSmallIntegerField(_("thời gian niêm yết tối thiểu (ngày)"), default=30)
    radio_min_days = models.PositiveSmallIntegerField(
        _("số ngày liên tiếp tối thiểu trên đài truyền thanh"), null=True, blank=True,
        help_text=_("Để trống nếu nội dung không bắt buộc thông báo trên đài truyền thanh cấp xã."))
    enforcement = models.CharField(_("khi không đủ thời gian"), max_length=6, choices=Enforcement.choices,
                                   default=Enforcement.WARN)
    due_anchor = models.CharField(_("mốc tính hạn"), max_length=5, choices=DueAnchor.choices,
                                  default=DueAnchor.END)
    due_days = models.PositiveSmallIntegerField(
        _("hạn công khai (ngày)"), null=True, blank=True,
        help_text=_("Số ngày kể từ mốc của kỳ mà nội dung phải được công khai; để trống nếu không theo kỳ."))
    valid_from = models.DateField(_("hiệu lực từ"))
    source = models.CharField(_("căn cứ"), max_length=250)
    unconfirmed = models.BooleanField(_("chưa được xác nhận"), default=False,
                                      help_text=_("Quy định cần được xác minh lại với văn bản gốc."))

    class Meta:
        verbose_name = _("quy định thời gian công khai")
        verbose_name_plural = _("quy định thời gian công khai")
        ordering = ["category__order", "-valid_from"]
        constraints = [models.UniqueConstraint(fields=["category", "valid_from"],
                                               name="one_disclosure_rule_per_day")]

    def __str__(self) -> str:
        return f"{self.category.code} – {self.valid_from:%d/%m/%Y}"


class DisclosureItem(TimeStampedModel):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("xã, phường"))
    unit_path = models.CharField(max_length=160, db_index=True, editable=False)
    category = models.ForeignKey(DisclosureCategory, on_delete=models.PROTECT, related_name="items",
                                 verbose_name=_("nội dung công khai"))
    title = models.CharField(_("tiêu đề"), max_length=250)
    content = models.TextField(_("nội dung"))
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    quarter = models.PositiveSmallIntegerField(_("quý"), null=True, blank=True)
    posted_on = models.DateField(_("ngày công khai"))
    taken_down_on = models.DateField(_("ngày kết thúc công khai"), null=True, blank=True)
    # Why it came down before the minimum, when the rule only warns.
    short_reason = models.CharField(_("lý do kết thúc sớm"), max_length=250, blank=True)
    search_text = models.TextField(editable=False, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("thông tin công khai")
        verbose_name_plural = _("thông tin công khai")
        ordering = ["-posted_on", "-pk"]
        indexes = [models.Index(fields=["unit_path", "category", "year"])]

    def __str__(self) -> str:
        return self.title

    def is_current(self, today: dt.date) -> bool:
        return self.posted_on <= today and (self.taken_down_on is None or self.taken_down_on >= today)

    @property
    def period_label(self) -> str:
        if self.year and self.quarter:
            return gettext("Quý %(q)d/%(y)d") % {"q": self.quarter, "y": self.year}
        return str(self.year) if self.year else ""


class ChannelKind(models.TextChoices):
    OFFICE = "office", _("Niêm yết tại trụ sở Ủy ban nhân dân")
    PORTAL = "portal", _("Đăng trên trang thông tin điện tử của xã")
    RADIO = "radio", _("Thông báo trên đài truyền thanh cấp xã")
    VILLAGE_MEETING = "meeting", _("Trưởng thôn thông báo tại hội nghị thôn, tổ dân phố")
    HOUSEHOLD_NOTICE = "notice", _("Trưởng thôn gửi thông báo bằng văn bản đến từng hộ")
    SMS = "sms", _("Tin nhắn đến người đại diện hộ gia đình")
    GROUP = "group", _("Nhóm mạng xã hội cộng đồng đã thống nhất")


# Relays by the village head (Art. 12): recorded per village.
RELAY_KINDS = (ChannelKind.VILLAGE_MEETING, ChannelKind.HOUSEHOLD_NOTICE, ChannelKind.SMS, ChannelKind.GROUP)


class DisclosureChannel(TimeStampedModel):
    item = models.ForeignKey(DisclosureItem, on_delete=models.CASCADE, related_name="channels",
                             verbose_name=_("thông tin công khai"))
    kind = models.CharField(_("hình thức"), max_length=10, choices=ChannelKind.choices)
    village = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("thôn, tổ dân phố"))
    starts_on = models.DateField(_("từ ngày"))
    days = models.PositiveSmallIntegerField(_("số ngày (liên tiếp)"), null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=250, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("hình thức công khai")
        verbose_name_plural = _("hình thức công khai")
        ordering = ["starts_on", "pk"]

    def __str__(self) -> str:
        return self.get_kind_display()


class SubscriptionChannel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")


class Subscription(TimeStampedModel):
    """A citizen following a commune's board; nothing is sent before the address is confirmed."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", verbose_name=_("xã, phường"))
    channel = models.CharField(_("kênh"), max_length=5, choices=SubscriptionChannel.choices)
    address = models.CharField(_("địa chỉ nhận"), max_length=254)
    token = models.CharField(max_length=64, unique=True, editable=False)
    confirm_code = models.CharField(max_length=6, editable=False)
    confirmed_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True)
    # The site address the citizen subscribed on, so links in messages lead back to it.
    base_url = models.CharField(max_length=200, blank=True, editable=False)

    class Meta:
        verbose_name = _("đăng ký nhận tin công khai")
        verbose_name_plural = _("đăng ký nhận tin công khai")
        constraints = [models.UniqueConstraint(fields=["unit", "channel", "address"],
                                               name="one_subscription_per_address")]

    def __str__(self) -> str:
        return f"{self.unit} – {self.get_channel_display()}"

    @property
    def active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class DisclosureQuestion(models.Model):
    """A citizen's question on an item: the case it became, linked back to the item."""

    item = models.ForeignKey(DisclosureItem, on_delete=models.CASCADE, related_name="questions",
                             verbose_name=_("thông tin công khai"))
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("vụ việc"))
    created_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("câu hỏi về thông tin công khai")
        verbose_name_plural = _("câu hỏi về thông tin công khai")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.item} – {self.case_id}"
