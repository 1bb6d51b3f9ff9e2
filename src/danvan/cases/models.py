"""Feedback, petitions, complaints and denunciations (phản ánh, kiến nghị, khiếu nại, tố cáo).

The legal rules (deadlines), the fields (lĩnh vực) and the calendar of public holidays are
data, loaded by migrations and editable by administrators, because the law and the
calendar change (LEGAL.md). A case's status changes only through ``workflow.case_transition``;
every other write goes through ``services``. A denouncer's identity lives apart from the
case, sealed with a key from the environment (``crypto``), and is read only through
``services.denouncer_identity_read``, which audits every attempt.
"""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from danvan.core.models import TimeStampedModel


class Kind(models.TextChoices):
    FEEDBACK = "phan_anh", _("Phản ánh")
    PETITION = "kien_nghi", _("Kiến nghị")
    COMPLAINT = "khieu_nai", _("Khiếu nại")
    DENUNCIATION = "to_cao", _("Tố cáo")


# Kinds without a national legal procedure: handled under the (local) feedback rules.
FEEDBACK_KINDS = frozenset({Kind.FEEDBACK, Kind.PETITION})


class Instance(models.IntegerChoices):
    FIRST = 1, _("Lần đầu")
    SECOND = 2, _("Lần hai")


class Channel(models.TextChoices):
    WEB = "web", _("Cổng thông tin điện tử")
    WALK_IN = "walk_in", _("Trực tiếp tại nơi tiếp công dân")
    LETTER = "letter", _("Đơn, thư gửi qua bưu chính")
    HOTLINE = "hotline", _("Đường dây nóng")
    API = "api", _("Ứng dụng kết nối")
    OPEN311 = "open311", _("Open311")


# Channels an official records on a citizen's behalf (the officials' intake form).
OFFICIAL_CHANNELS = frozenset({Channel.WALK_IN, Channel.LETTER, Channel.HOTLINE})


class State(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    ACCEPTED = "accepted", _("Đã thụ lý")
    REFUSED = "refused", _("Không thụ lý")
    ASSIGNED = "assigned", _("Đã giao xử lý")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    AWAITING_INFO = "awaiting_info", _("Chờ bổ sung thông tin")
    ANSWER_DRAFTED = "answer_drafted", _("Chờ duyệt văn bản trả lời")
    ANSWER_APPROVED = "answer_approved", _("Đã duyệt văn bản trả lời")
    ANSWERED = "answered", _("Đã trả lời")
    CLOSED = "closed", _("Đã kết thúc")
    REOPENED = "reopened", _("Mở lại")
    MERGED = "merged", _("Đã gộp vào vụ việc khác")


class Action(models.TextChoices):
    """What can be done to a case; ``workflow.TRANSITIONS`` says from which state to which."""

    ACCEPT = "accept", _("Thụ lý")
    REFUSE = "refuse", _("Không thụ lý")
    ASSIGN = "assign", _("Giao xử lý")
    START = "start", _("Bắt đầu xử lý")
    REQUEST_INFO = "request_info", _("Đề nghị bổ sung thông tin")
    INFO_RECEIVED = "info_received", _("Nhận thông tin bổ sung")
    DRAFT_ANSWER = "draft_answer", _("Dự thảo văn bản trả lời")
    SUBMIT_ANSWER = "submit_answer", _("Trình duyệt văn bản trả lời")
    APPROVE_ANSWER = "approve_answer", _("Duyệt văn bản trả lời")
    RETURN_ANSWER = "return_answer", _("Trả lại dự thảo")
    SEND_ANSWER = "send_answer", _("Gửi và công khai văn bản trả lời")
    CLOSE = "close", _("Kết thúc")
    REOPEN = "reopen", _("Mở lại")
    MERGE = "merge", _("Gộp vào vụ việc khác")
    TRANSFER = "transfer", _("Chuyển cơ quan giải quyết")


# Cases still being worked on; the deadline clock runs in all of them but AWAITING_INFO.
OPEN_STATES = frozenset({
    State.RECEIVED, State.ACCEPTED, State.ASSIGNED, State.IN_PROGRESS, State.AWAITING_INFO,
    State.ANSWER_DRAFTED, State.ANSWER_APPROVED, State.REOPENED,
})
RUNNING_STATES = OPEN_STATES - {State.AWAITING_INFO}


class Field(models.Model):
    """A field (lĩnh vực) of feedback; its keywords seed the router before it has history."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=150)
    description = models.TextField(_("mô tả"), blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)
    active = models.BooleanField(_("đang sử dụng"), default=True)
    keywords = models.JSONField(_("từ khóa"), default=list, blank=True,
                                help_text=_("Các từ, cụm từ thường gặp của lĩnh vực, dùng để gợi ý phân loại."))

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class RuleKey(models.TextChoices):
    COMPLAINT_ACCEPT = "complaint.accept", _("Khiếu nại: thụ lý")
    COMPLAINT_FIRST = "complaint.first.resolve", _("Khiếu nại lần đầu: giải quyết")
    COMPLAINT_SECOND = "complaint.second.resolve", _("Khiếu nại lần hai: giải quyết")
    DENUNCIATION_ACCEPT = "denunciation.accept", _("Tố cáo: tiếp nhận, thụ lý")
    DENUNCIATION_RESOLVE = "denunciation.resolve", _("Tố cáo: giải quyết (kể cả gia hạn)")
    PETITION_RECEPTION = "petition.reception", _("Đơn nhận tại nơi tiếp công dân: xử lý")
    FEEDBACK_RESOLVE = "feedback.resolve", _("Phản ánh, kiến nghị: giải quyết")
    FEEDBACK_URGENT = "feedback.urgent", _("Phản ánh, kiến nghị khẩn cấp: giải quyết")


class LegalRule(models.Model):
    """One deadline rule in force from ``valid_from``, national or for one province.

    A case uses the row valid on its receipt date: a province's own row before the national
    one, then the newest ``valid_from`` (see ``deadlines.rule_for``).
    """

    key = models.CharField(_("quy định"), max_length=40, choices=RuleKey.choices, db_index=True)
    days = models.PositiveSmallIntegerField(_("số ngày"))
    complex_days = models.PositiveSmallIntegerField(_("số ngày nếu phức tạp"), null=True, blank=True)
    remote_days = models.PositiveSmallIntegerField(_("số ngày ở vùng sâu, vùng xa"), null=True, blank=True)
    remote_complex_days = models.PositiveSmallIntegerField(_("số ngày ở vùng sâu, vùng xa nếu phức tạp"),
                                                           null=True, blank=True)
    working_days = models.BooleanField(_("tính theo ngày làm việc"), default=False)
    max_extensions = models.PositiveSmallIntegerField(_("số lần gia hạn tối đa"), default=0)
    extension_days = models.PositiveSmallIntegerField(_("số ngày mỗi lần gia hạn"), default=0)
    valid_from = models.DateField(_("hiệu lực từ"))
    province = models.ForeignKey("units.Unit", verbose_name=_("áp dụng riêng cho tỉnh"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+",
                                 help_text=_("Để trống nếu áp dụng toàn quốc."))
    source = models.CharField(_("căn cứ"), max_length=300)
    unconfirmed = models.BooleanField(_("chưa xác nhận"), default=False,
                                      help_text=_("Giá trị chưa được đối chiếu với văn bản gốc: cần kiểm tra."))

    class Meta:
        verbose_name = _("quy định thời hạn")
        verbose_name_plural = _("quy định thời hạn")
        ordering = ["key", "province", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["key", "valid_from"], condition=Q(province__isnull=True),
                                    name="legal_rule_national_unique"),
            models.UniqueConstraint(fields=["key", "valid_from", "province"], condition=Q(province__isnull=False),
                                    name="legal_rule_province_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_key_display()} ({self.valid_from:%d/%m/%Y})"

    def days_for(self, *, is_complex: bool, is_remote: bool) -> int:
        """The longest period that applies to a case with these flags."""
        candidates = [self.days]
        if is_complex and self.complex_days:
            candidates.append(self.complex_days)
        if is_remote and self.remote_days:
            candidates.append(self.remote_days)
        if is_complex and is_remote and self.remote_complex_days:
            candidates.append(self.remote_complex_days)
        return max(candidates)


class Holiday(models.Model):
    """A public holiday (no work), or a weekend day worked in exchange (ngày làm bù)."""

    date = models.DateField(_("ngày"), unique=True)
    name = models.CharField(_("tên"), max_length=150)
    working_day = models.BooleanField(
        _("ngày làm bù"), default=False,
        help_text=_("Chọn nếu đây là ngày thứ Bảy, Chủ nhật được làm việc để hoán đổi ngày nghỉ."))
    unconfirmed = models.BooleanField(_("chưa xác nhận"), default=False,
                                      help_text=_("Ngày nghỉ dự kiến, chưa có văn bản chính thức: cần kiểm tra."))
    source = models.CharField(_("căn cứ"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("ngày nghỉ lễ, Tết")
        verbose_name_plural = _("ngày nghỉ lễ, Tết")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"


class Case(TimeStampedModel):
    code = models.CharField(_("mã tra cứu"), max_length=20, unique=True)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    instance = models.PositiveSmallIntegerField(_("lần giải quyết"), choices=Instance.choices, null=True,
                                                blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=State.choices, default=State.RECEIVED)
    channel = models.CharField(_("kênh tiếp nhận"), max_length=10, choices=Channel.choices)
    # An anonymous denunciation is kept as information, not accepted as a denunciation.
    as_information = models.BooleanField(_("tiếp nhận làm thông tin"), default=False)
    unit = models.ForeignKey("units.Unit", verbose_name=_("địa bàn"), on_delete=models.PROTECT, related_name="+")
    # Copy of unit.path so the inbox filters by scope without a join (see accounts.selectors.scope_q).
    unit_path = models.CharField(_("đường dẫn mã"), max_length=160, db_index=True, editable=False)
    field = models.ForeignKey(Field, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="cases")
    organisation = models.ForeignKey("units.Organisation", verbose_name=_("cơ quan giải quyết"),
                                     on_delete=models.PROTECT, related_name="+")
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("cán bộ xử lý"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="handled_cases")
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("cán bộ tiếp nhận"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("tiêu đề"), max_length=200)
    description = models.TextField(_("nội dung"))
    # " " + folded code, title, description, address, submitter: see core.search.
    search_text = models.TextField(editable=False, default="")
    address = models.CharField(_("địa điểm"), max_length=300, blank=True)
    latitude = models.FloatField(_("vĩ độ"), null=True, blank=True)
    longitude = models.FloatField(_("kinh độ"), null=True, blank=True)
    is_urgent = models.BooleanField(_("khẩn cấp"), default=False)
    is_complex = models.BooleanField(_("phức tạp"), default=False)
    is_remote = models.BooleanField(_("vùng sâu, vùng xa, đi lại khó khăn"), default=False)
    received_at = models.DateTimeField(_("tiếp nhận lúc"), db_index=True)
    accepted_at = models.DateTimeField(_("thụ lý lúc"), null=True, blank=True)
    acceptance_due_on = models.DateField(_("hạn thụ lý"), null=True, blank=True)
    # The day the running resolution clock started: receipt (feedback), acceptance
    # (complaint, denunciation) or reopening.
    clock_started_on = models.DateField(_("bắt đầu tính hạn"), null=True, blank=True)
    # The deadline that matters now: acceptance before acceptance, resolution after it.
    due_on = models.DateField(_("hạn giải quyết"), null=True, blank=True)
    extensions = models.PositiveSmallIntegerField(_("số lần gia hạn"), default=0)
    paused = models.BooleanField(_("đang tạm dừng tính hạn"), default=False)
    paused_since = models.DateField(_("tạm dừng từ"), null=True, blank=True)
    # Days (in the rule's unit: working or calendar) the running clock was paused.
    paused_days = models.PositiveSmallIntegerField(_("số ngày tạm dừng"), default=0)
    # Never filled for denunciations: the denouncer's identity lives in DenouncerIdentity.
    submitter_name = models.CharField(_("họ tên người gửi"), max_length=150, blank=True)
    submitter_phone = models.CharField(_("số điện thoại người gửi"), max_length=20, blank=True)
    submitter_email = models.EmailField(_("thư điện tử người gửi"), blank=True)
    anonymous = models.BooleanField(_("không nêu danh tính"), default=False)
    wants_updates = models.BooleanField(_("nhận thông báo"), default=False)
    duplicate_of = models.ForeignKey("self", verbose_name=_("gộp vào vụ việc"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="duplicates")
    public = models.BooleanField(_("công khai kết quả"), default=False)
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("vụ việc")
        verbose_name_plural = _("vụ việc")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["unit_path", "status", "due_on"], name="case_inbox_unit"),
            models.Index(fields=["status", "due_on"], name="case_inbox_status"),
            models.Index(fields=["handler", "status"], name="case_handler_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=Kind.COMPLAINT, instance__in=[1, 2])
                           | (~Q(kind=Kind.COMPLAINT) & Q(instance__isnull=True))),
                name="case_instance_only_for_complaints"),
            # The database itself refuses a denouncer's name or contact on the case row.
            models.CheckConstraint(
                condition=~Q(kind=Kind.DENUNCIATION) | Q(submitter_name="", submitter_phone="",
                                                         submitter_email=""),
                name="case_denunciation_without_submitter"),
        ]

    def __str__(self) -> str:
        # Only the code: this text lands in the audit trail and admin logs, the title may name people.
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES


class DenouncerIdentity(models.Model):
    """Who denounced (name, address, phone, e-mail, ID number), sealed with Fernet.

    Only ``services.denouncer_identity_read`` opens it; the admin site, exports and the API
    never do (Luật Tố cáo 2018, Art. 9 and 56).
    """

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="denouncer_identity",
                                verbose_name=_("vụ việc"))
    sealed = models.TextField(_("dữ liệu đã mã hóa"))
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("thông tin người tố cáo")
        verbose_name_plural = _("thông tin người tố cáo")

    def __str__(self) -> str:
        return str(_("Thông tin người tố cáo (được bảo mật)"))


class IdentityClearance(models.Model):
    """Clearance to read denouncers' identities of cases in a unit's subtree."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="identity_clearances",
                             verbose_name=_("cán bộ"))
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("người cấp"))
    granted_at = models.DateTimeField(_("cấp lúc"), auto_now_add=True)
    active = models.BooleanField(_("đang hiệu lực"), default=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("quyền xem thông tin người tố cáo")
        verbose_name_plural = _("quyền xem thông tin người tố cáo")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], condition=Q(active=True),
                                    name="one_active_identity_clearance"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.unit}"


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Tiếp nhận")
    ACCEPTED = "accepted", _("Thụ lý")
    REFUSED = "refused", _("Không thụ lý")
    ASSIGNED = "assigned", _("Giao cán bộ xử lý")
    STARTED = "started", _("Bắt đầu xử lý")
    INFO_REQUESTED = "info_requested", _("Đề nghị bổ sung thông tin")
    INFO_RECEIVED = "info_received", _("Đã nhận thông tin bổ sung")
    ANSWER_DRAFTED = "answer_drafted", _("Dự thảo văn bản trả lời")
    ANSWER_SUBMITTED = "answer_submitted", _("Trình duyệt văn bản trả lời")
    ANSWER_APPROVED = "answer_approved", _("Duyệt văn bản trả lời")
    ANSWER_RETURNED = "answer_returned", _("Trả lại dự thảo")
    ANSWER_SENT = "answer_sent", _("Gửi văn bản trả lời")
    CLOSED = "closed", _("Kết thúc")
    REOPENED = "reopened", _("Mở lại")
    MERGED = "merged", _("Gộp vào vụ việc khác")
    MERGED_IN = "merged_in", _("Gộp vụ việc trùng")
    TRANSFERRED = "transferred", _("Chuyển cơ quan giải quyết")
    EXTENDED = "extended", _("Gia hạn giải quyết")
    NOTE = "note", _("Ghi chú nội bộ")


class CaseEvent(models.Model):
    """One step of a case's timeline; ``public`` ones are what the citizen sees by code."""

    id = models.BigAutoField(primary_key=True)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("vụ việc"))
    at = models.DateTimeField(_("thời điểm"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("người thực hiện"))
    kind = models.CharField(_("sự kiện"), max_length=20, choices=EventKind.choices)
    public = models.BooleanField(_("công khai"), default=False)
    note = models.TextField(_("nội dung"), blank=True)
    # Dates (new deadlines) are stored as ISO text.
    data = models.JSONField(_("dữ liệu"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("diễn biến")
        verbose_name_plural = _("diễn biến")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="case_event_timeline")]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_kind_display()}"


class Extension(models.Model):
    """A deadline extension, notified to the citizen in writing."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extension_rows",
                             verbose_name=_("vụ việc"))
    number = models.PositiveSmallIntegerField(_("lần gia hạn"))
    days = models.PositiveSmallIntegerField(_("số ngày gia hạn"))
    reason = models.TextField(_("lý do"))
    notice_reference = models.CharField(_("số văn bản thông báo"), max_length=100, blank=True)
    previous_due_on = models.DateField(_("hạn cũ"), null=True)
    new_due_on = models.DateField(_("hạn mới"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                           verbose_name=_("người quyết định"))
    at = models.DateTimeField(_("thời điểm"))

    class Meta:
        verbose_name = _("gia hạn")
        verbose_name_plural = _("gia hạn")
        ordering = ["case", "number"]

    def __str__(self) -> str:
        return f"{self.case.code} #{self.number}"


class Transfer(models.Model):
    """A move of a case to another responsible organisation (up, down or sideways)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers", verbose_name=_("vụ việc"))
    from_organisation = models.ForeignKey("units.Organisation", on_delete=models.PROTECT, related_name="+",
                                          verbose_name=_("từ cơ quan"))
    to_organisation = models.ForeignKey("units.Organisation", on_delete=models.PROTECT, related_name="+",
                                        verbose_name=_("đến cơ quan"))
    reason = models.TextField(_("lý do"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                           verbose_name=_("người chuyển"))
    at = models.DateTimeField(_("thời điểm"))

    class Meta:
        verbose_name = _("chuyển vụ việc")
        verbose_name_plural = _("chuyển vụ việc")
        ordering = ["case", "at"]

    def __str__(self) -> str:
        return f"{self.from_organisation} → {self.to_organisation}"


class InformationRequest(models.Model):
    """A request to the citizen for more information; the clock stops until it is answered."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="information_requests",
                             verbose_name=_("vụ việc"))
    question = models.TextField(_("nội dung đề nghị"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("người đề nghị"))
    requested_at = models.DateTimeField(_("đề nghị lúc"))
    response = models.TextField(_("thông tin đã bổ sung"), blank=True)
    received_at = models.DateTimeField(_("nhận lúc"), null=True, blank=True)
    paused_days = models.PositiveSmallIntegerField(_("số ngày tạm dừng"), default=0)

    class Meta:
        verbose_name = _("đề nghị bổ sung thông tin")
        verbose_name_plural = _("đề nghị bổ sung thông tin")
        ordering = ["case", "requested_at"]

    def __str__(self) -> str:
        return f"{self.case.code}: {self.question[:60]}"


class AnswerStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SUBMITTED = "submitted", _("Chờ duyệt")
    APPROVED = "approved", _("Đã duyệt")
    SENT = "sent", _("Đã gửi")


class Answer(models.Model):
    """The answer to a case: drafted by the handler, approved by a leader, sent and published."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="answers", verbose_name=_("vụ việc"))
    text = models.TextField(_("nội dung trả lời"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=AnswerStatus.choices,
                              default=AnswerStatus.DRAFT)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("người dự thảo"))
    drafted_at = models.DateTimeField(_("dự thảo lúc"))
    submitted_at = models.DateTimeField(_("trình lúc"), null=True, blank=True)
    return_note = models.TextField(_("ý kiến khi trả lại"), blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("người duyệt"))
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    # What the public page shows: the text with personal data masked (see redaction).
    published_text = models.TextField(_("nội dung công khai"), blank=True)

    class Meta:
        verbose_name = _("văn bản trả lời")
        verbose_name_plural = _("văn bản trả lời")
        ordering = ["case", "drafted_at", "id"]

    def __str__(self) -> str:
        return f"{self.case.code} ({self.get_status_display()})"


class IdempotencyKey(models.Model):
    """A client's key for one submission: a retried request returns the same case."""

    key = models.CharField(max_length=200, unique=True)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    # Digest of what was submitted, so a key reused for other content is refused, not merged.
    fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("khóa chống gửi trùng")
        verbose_name_plural = _("khóa chống gửi trùng")

    def __str__(self) -> str:
        return self.key


class CaseRating(models.Model):
    """The citizen's rating of a sent answer: one per answer, so a reopened case is rated again."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("vụ việc"))
    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, related_name="rating",
                                  verbose_name=_("văn bản trả lời"))
    score = models.PositiveSmallIntegerField(_("điểm hài lòng (1–5)"))
    comment = models.TextField(_("nhận xét"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("đánh giá lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("đánh giá của người dân")
        verbose_name_plural = _("đánh giá của người dân")
        constraints = [models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5),
                                              name="case_rating_score_1_5")]

    def __str__(self) -> str:
        return f"{self.case} – {self.score}/5"
