"""Matters the people of a village discuss and decide (Law on Grassroots Democracy 2022, Art. 15).

A ``Decision`` is one matter put to the households of one village by one form: a community
meeting, a household ballot (on paper or online) or an online vote. Quorum and pass
threshold are dated rule data (``VotingRule``) per matter type and form.

Secrecy. Whether a household took part is recorded in ``BallotReceipt`` (decision, household:
unique, so a household can never vote twice). What it chose is recorded in ``Ballot`` and
``BallotChoice``, which name no household, carry no time and have random keys, so the
application cannot link a choice to a household. Tallies are always recomputable from
``Ballot`` rows (``services.tally_verify``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from danvan.core.models import TimeStampedModel


class MatterTypeCode(models.TextChoices):
    INFRASTRUCTURE = "infrastructure", _("Chủ trương và mức đóng góp xây dựng công trình công cộng, cơ sở hạ tầng")
    COMMUNITY_FUNDS = "community_funds", _("Thu, chi, quản lý các khoản đóng góp, quỹ của cộng đồng dân cư")
    VILLAGE_CHARTER = "village_charter", _("Nội dung hương ước, quy ước của cộng đồng dân cư")
    VILLAGE_HEAD = "village_head", _("Bầu, cho thôi làm Trưởng thôn, Tổ trưởng tổ dân phố")
    BOARDS = "boards", _("Bầu, cho thôi làm thành viên Ban Thanh tra nhân dân, Ban Giám sát đầu tư của cộng đồng")
    OTHER_SELF_MANAGEMENT = "other_self_management", _("Các công việc tự quản khác trong nội bộ cộng đồng dân cư")


class MatterType(models.Model):
    """A kind of matter of Art. 15; seeded by a data migration, edited by administrators."""

    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=250)
    source = models.CharField(_("căn cứ"), max_length=250, blank=True)
    # Decree 59/2023, Art. 5: an online vote only for "other self-management matters".
    allows_online_vote = models.BooleanField(_("được biểu quyết trực tuyến"), default=False)
    # An election: the options are candidates, not agree/disagree.
    is_election = models.BooleanField(_("là bầu, cho thôi làm"), default=False)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        verbose_name = _("loại nội dung dân bàn và quyết định")
        verbose_name_plural = _("loại nội dung dân bàn và quyết định")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Form(models.TextChoices):
    MEETING = "meeting", _("Hội nghị cộng đồng dân cư")
    HOUSEHOLD_BALLOT = "household_ballot", _("Phát phiếu lấy ý kiến hộ gia đình")
    ONLINE_VOTE = "online_vote", _("Biểu quyết trực tuyến")


class ThresholdBase(models.TextChoices):
    PARTICIPANTS = "participants", _("Số đại diện hộ gia đình tham dự hoặc số phiếu thu về")
    ALL_HOUSEHOLDS = "all_households", _("Tổng số hộ gia đình trong thôn, tổ dân phố")


class VotingRule(models.Model):
    """Quorum and pass threshold for a matter type and form, valid from a date.

    Percentages compare exactly (Decimal): with ``strict`` the count must be *more than* the
    percentage ("trên 50%"), otherwise *at least* it.
    """

    matter_type = models.ForeignKey(MatterType, on_delete=models.PROTECT, related_name="rules",
                                    verbose_name=_("loại nội dung"))
    form = models.CharField(_("hình thức"), max_length=20, choices=Form.choices)
    valid_from = models.DateField(_("hiệu lực từ"))
    # Null: no quorum. Base: all active households of the village's register.
    quorum_percent = models.DecimalField(_("số hộ tham dự tối thiểu (%)"), max_digits=5, decimal_places=2,
                                         null=True, blank=True)
    quorum_strict = models.BooleanField(_("quorum phải vượt (trên) tỷ lệ"), default=True)
    threshold_percent = models.DecimalField(_("tỷ lệ tán thành (%)"), max_digits=5, decimal_places=2,
                                            default=Decimal("50"))
    threshold_strict = models.BooleanField(_("tán thành phải vượt (trên) tỷ lệ"), default=True)
    threshold_base = models.CharField(_("tỷ lệ tính trên"), max_length=20, choices=ThresholdBase.choices,
                                      default=ThresholdBase.PARTICIPANTS)
    source = models.TextField(_("căn cứ"), blank=True)
    unconfirmed = models.BooleanField(_("chưa đối chiếu văn bản gốc"), default=False)

    class Meta:
        verbose_name = _("quy tắc biểu quyết")
        verbose_name_plural = _("quy tắc biểu quyết")
        ordering = ["matter_type__order", "form", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["matter_type", "form", "valid_from"], name="voting_rule_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.matter_type.code} / {self.form} / {self.valid_from:%d/%m/%Y}"


class Status(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    OPEN = "open", _("Đang lấy ý kiến")
    COUNTED = "counted", _("Đã kiểm phiếu")
    PUBLISHED = "published", _("Đã công bố kết quả")
    REPORTED = "reported", _("Đã báo cáo Ủy ban nhân dân cấp xã")
    CANCELLED = "cancelled", _("Đã hủy")


# States whose results the public may read.
PUBLIC_RESULT_STATES = (Status.PUBLISHED, Status.REPORTED)
# States the public page shows at all (an open online ballot asks for a code there).
PUBLIC_STATES = (Status.OPEN, Status.COUNTED, Status.PUBLISHED, Status.REPORTED)


class Channel(models.TextChoices):
    PAPER = "paper", _("Phiếu giấy")
    ONLINE = "online", _("Trực tuyến (mã biểu quyết gửi qua SMS)")


class Outcome(models.TextChoices):
    PASSED = "passed", _("Được thông qua")
    REJECTED = "rejected", _("Không được thông qua")
    NO_QUORUM = "no_quorum", _("Không đủ số hộ tham dự")


class Decision(TimeStampedModel):
    village = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="decisions",
                                verbose_name=_("thôn, tổ dân phố"))
    title = models.CharField(_("nội dung biểu quyết"), max_length=250)
    # " " + folded title and village name, for accent-insensitive search (core.search).
    search_text = models.CharField(max_length=500, editable=False, default="")
    description = models.TextField(_("thuyết minh"), blank=True)
    matter_type = models.ForeignKey(MatterType, on_delete=models.PROTECT, related_name="decisions",
                                    verbose_name=_("loại nội dung"))
    form = models.CharField(_("hình thức"), max_length=20, choices=Form.choices)
    # Household ballots go on paper or online; the online vote is always online; meetings neither.
    channel = models.CharField(_("cách phát phiếu"), max_length=10, choices=Channel.choices, blank=True)
    # A community meeting votes by show of hands or by secret ballot.
    secret = models.BooleanField(_("bỏ phiếu kín"), default=False)
    # How many options a ballot may mark: 1 for agree/disagree, the number of seats for an election.
    max_choices = models.PositiveSmallIntegerField(_("số lựa chọn tối đa mỗi phiếu"), default=1)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    opens_on = models.DateField(_("ngày bắt đầu"), null=True, blank=True)
    closes_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    # Decree 59/2023, Art. 5 preconditions of an online vote, recorded before it may open.
    online_head_front_agreed = models.BooleanField(
        _("Trưởng thôn và Ban công tác Mặt trận thôn đã thống nhất"), default=False)
    online_method_chosen = models.BooleanField(_("cộng đồng dân cư đã lựa chọn cách thức biểu quyết trực tuyến"),
                                               default=False)
    online_devices_confirmed = models.BooleanField(_("các hộ gia đình có thiết bị kết nối mạng"), default=False)
    online_reported_on = models.DateField(
        _("ngày báo cáo trước UBND và Ủy ban MTTQ cấp xã"), null=True, blank=True)
    # Snapshot at counting: the register size and who took part.
    eligible_households = models.PositiveIntegerField(_("tổng số hộ"), null=True, blank=True)
    participants = models.PositiveIntegerField(_("số hộ tham gia"), null=True, blank=True)
    outcome = models.CharField(_("kết quả"), max_length=12, choices=Outcome.choices, blank=True)
    rule = models.ForeignKey(VotingRule, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("quy tắc áp dụng"))
    counted_at = models.DateTimeField(_("kiểm phiếu lúc"), null=True, blank=True)
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)
    reported_at = models.DateTimeField(_("báo cáo lúc"), null=True, blank=True)
    report_note = models.TextField(_("nội dung báo cáo"), blank=True)
    # A hương ước/quy ước adopted by this decision: its title (the text is an attachment).
    document_title = models.CharField(_("tên văn bản được thông qua"), max_length=250, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("người tạo"))

    class Meta:
        verbose_name = _("biểu quyết của cộng đồng dân cư")
        verbose_name_plural = _("biểu quyết của cộng đồng dân cư")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["village", "status"], name="decision_village_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def uses_ballots(self) -> bool:
        """Results come from stored ballots (not from tallies entered at a meeting)."""
        return self.form != Form.MEETING

    @property
    def is_online(self) -> bool:
        return self.form == Form.ONLINE_VOTE or self.channel == Channel.ONLINE

    @property
    def results_public(self) -> bool:
        return self.status in PUBLIC_RESULT_STATES


class Option(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="options",
                                 verbose_name=_("biểu quyết"))
    label = models.CharField(_("phương án"), max_length=200)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    # The option whose support decides an agree/disagree matter.
    is_agree = models.BooleanField(_("là phương án tán thành"), default=False)
    # Results, written when counted.
    votes = models.PositiveIntegerField(_("số phiếu"), null=True, blank=True)
    passed = models.BooleanField(_("đạt"), null=True, blank=True)

    class Meta:
        verbose_name = _("phương án")
        verbose_name_plural = _("phương án")
        ordering = ["decision", "order", "id"]

    def __str__(self) -> str:
        return self.label


class Meeting(TimeStampedModel):
    """The community meeting of a decision: when, where, how it voted, and its minutes."""

    decision = models.OneToOneField(Decision, on_delete=models.CASCADE, related_name="meeting",
                                    verbose_name=_("biểu quyết"))
    held_on = models.DateField(_("ngày họp"), null=True, blank=True)
    # Null for meetings recorded before the start time existed, or not yet fixed.
    starts_at = models.TimeField(_("giờ bắt đầu"), null=True, blank=True)
    location = models.CharField(_("địa điểm"), max_length=250, blank=True)
    chair = models.CharField(_("chủ trì"), max_length=150, blank=True)
    secretary = models.CharField(_("thư ký"), max_length=150, blank=True)
    minutes = models.TextField(_("biên bản"), blank=True)

    # Not stored: how many households the last meeting_record texted about a change of schedule.
    notified: int = 0

    class Meta:
        verbose_name = _("hội nghị cộng đồng dân cư")
        verbose_name_plural = _("hội nghị cộng đồng dân cư")

    def __str__(self) -> str:
        return str(self.decision)

    @property
    def when(self) -> str:
        """When the meeting starts, as notices and minutes write it: "19 giờ 30, ngày 15/03/2026"."""
        return when_text(self.held_on, self.starts_at)


def time_text(time: dt.time) -> str:
    """A clock time the way Vietnamese notices write it: "19 giờ 30", "7 giờ 00"."""
    return gettext("%(hour)d giờ %(minute)02d") % {"hour": time.hour, "minute": time.minute}


def when_text(day: dt.date | None, time: dt.time | None) -> str:
    """"19 giờ 30, ngày 15/03/2026", or only the day or only the time when one is unknown; "" if neither."""
    day_part = gettext("ngày %(day)s") % {"day": day.strftime("%d/%m/%Y")} if day else ""
    if time is None:
        return day_part
    if not day_part:
        return time_text(time)
    return gettext("%(time)s, %(day)s") % {"time": time_text(time), "day": day_part}


class Attendance(models.Model):
    """A household's representative was present at the meeting."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="attendances")
    household = models.ForeignKey("units.Household", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("đại diện hộ tham dự")
        verbose_name_plural = _("đại diện hộ tham dự")
        constraints = [models.UniqueConstraint(fields=["decision", "household"], name="attendance_unique")]

    def __str__(self) -> str:
        return f"{self.decision_id}: hộ {self.household_id} tham dự"


class Tally(models.Model):
    """Votes for one option counted at a meeting (show of hands or secret ballot), as entered."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="tallies")
    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="tallies")
    votes = models.PositiveIntegerField(_("số biểu quyết"))

    class Meta:
        verbose_name = _("kết quả biểu quyết tại hội nghị")
        verbose_name_plural = _("kết quả biểu quyết tại hội nghị")
        constraints = [models.UniqueConstraint(fields=["decision", "option"], name="tally_unique")]

    def __str__(self) -> str:
        return f"{self.option_id}: {self.votes}"


class BallotIssue(models.Model):
    """A paper ballot numbered and handed to a household (Decree 59, Art. 4)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="issues")
    household = models.ForeignKey("units.Household", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("số phiếu"))
    issued_at = models.DateTimeField(_("phát lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("phiếu đã phát")
        verbose_name_plural = _("phiếu đã phát")
        ordering = ["decision", "number"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "household"], name="ballot_issue_household_unique"),
            models.UniqueConstraint(fields=["decision", "number"], name="ballot_issue_number_unique"),
        ]

    def __str__(self) -> str:
        return f"Phiếu số {self.number}"


class VotingCode(models.Model):
    """A household's one-time online voting code; only its keyed hash is stored."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="codes")
    household = models.ForeignKey("units.Household", on_delete=models.PROTECT, related_name="+")
    code_hash = models.CharField(max_length=64)
    sent_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("mã biểu quyết")
        verbose_name_plural = _("mã biểu quyết")
        constraints = [
            models.UniqueConstraint(fields=["decision", "household"], name="voting_code_household_unique"),
            models.UniqueConstraint(fields=["decision", "code_hash"], name="voting_code_hash_unique"),
        ]

    def __str__(self) -> str:
        # Never the hash: it would be a guessable fingerprint of the code.
        return f"Mã biểu quyết của hộ {self.household_id}"


class BallotReceipt(models.Model):
    """The household has voted in this decision. Never says how (see ``Ballot``)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="receipts")
    household = models.ForeignKey("units.Household", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("cách bỏ phiếu"), max_length=10, choices=Channel.choices)
    at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("hộ đã biểu quyết")
        verbose_name_plural = _("hộ đã biểu quyết")
        constraints = [
            # The database itself refuses a second vote of a household, whatever the code path.
            models.UniqueConstraint(fields=["decision", "household"], name="one_ballot_per_household"),
        ]

    def __str__(self) -> str:
        return f"Hộ {self.household_id} đã biểu quyết ({self.decision_id})"


class Ballot(models.Model):
    """One anonymous ballot: no household, no time, a random key (not an insertion counter)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="ballots")
    # A spoilt paper ballot is kept (it counts as returned) but marks nothing.
    spoilt = models.BooleanField(_("phiếu không hợp lệ"), default=False)

    class Meta:
        verbose_name = _("phiếu biểu quyết")
        verbose_name_plural = _("phiếu biểu quyết")

    def __str__(self) -> str:
        return "Phiếu biểu quyết"


class BallotChoice(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="choices")

    class Meta:
        verbose_name = _("lựa chọn trên phiếu")
        verbose_name_plural = _("lựa chọn trên phiếu")
        constraints = [models.UniqueConstraint(fields=["ballot", "option"], name="ballot_choice_unique")]

    def __str__(self) -> str:
        return "Lựa chọn trên phiếu"
