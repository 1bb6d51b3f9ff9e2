"""Boards, inspections, recommendations, supervised projects and commitments of a commune.

A board is the commune's `units.Organisation` of kind Ban Thanh tra nhân dân or Ban Giám sát
đầu tư của cộng đồng (created with every commune); this app adds its members and its work.
Every row carries the commune's unit path so scope checks are one indexed prefix test.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from danvan.core.models import TimeStampedModel
from danvan.units.models import Organisation, OrganisationKind, Unit

BOARD_KINDS = (OrganisationKind.PEOPLES_INSPECTION_BOARD, OrganisationKind.INVESTMENT_SUPERVISION_BOARD)


class BoardRule(models.Model):
    """How a board must be composed, and how long the commune has to answer it, from a date on."""

    board_kind = models.CharField(_("loại ban"), max_length=12,
                                  choices=[(k.value, k.label) for k in BOARD_KINDS])
    min_members = models.PositiveSmallIntegerField(_("số thành viên tối thiểu"))
    every_village = models.BooleanField(_("mỗi thôn, tổ dân phố có thành viên"), default=True)
    answer_days = models.PositiveSmallIntegerField(
        _("thời hạn trả lời kiến nghị (ngày)"),
        help_text=_("Số ngày để chính quyền trả lời kiến nghị của ban, tính từ ngày nhận."))
    valid_from = models.DateField(_("hiệu lực từ"))
    source = models.CharField(_("căn cứ"), max_length=250)
    unconfirmed = models.BooleanField(_("chưa được xác nhận"), default=False,
                                      help_text=_("Quy định cần được xác minh lại với văn bản gốc."))

    class Meta:
        verbose_name = _("quy định về ban")
        verbose_name_plural = _("quy định về ban")
        ordering = ["board_kind", "-valid_from"]
        constraints = [models.UniqueConstraint(fields=["board_kind", "valid_from"], name="one_board_rule_per_day")]

    def __str__(self) -> str:
        return f"{self.get_board_kind_display()} – {self.valid_from:%d/%m/%Y}"


class MemberRole(models.TextChoices):
    HEAD = "truong_ban", _("Trưởng ban")
    DEPUTY = "pho_ban", _("Phó Trưởng ban")
    MEMBER = "thanh_vien", _("Thành viên")


class BoardMember(TimeStampedModel):
    board = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="board_members",
                              verbose_name=_("ban"))
    full_name = models.CharField(_("họ và tên"), max_length=120)
    village = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("thôn, tổ dân phố"))
    role = models.CharField(_("chức vụ trong ban"), max_length=12, choices=MemberRole.choices,
                            default=MemberRole.MEMBER)
    # Shown to officials only: members are public people, their phone numbers are not.
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    joined_on = models.DateField(_("ngày tham gia"))
    left_on = models.DateField(_("ngày thôi tham gia"), null=True, blank=True)
    left_reason = models.CharField(_("lý do thôi tham gia"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("thành viên ban")
        verbose_name_plural = _("thành viên ban")
        ordering = ["board", "left_on", "role", "full_name"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_role_display()})"


class PlanStatus(models.TextChoices):
    PLANNED = "planned", _("Đã lập kế hoạch")
    IN_PROGRESS = "in_progress", _("Đang kiểm tra, giám sát")
    COMPLETED = "completed", _("Đã kết thúc")


class InspectionPlan(TimeStampedModel):
    board = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="inspection_plans",
                              verbose_name=_("ban"))
    unit_path = models.CharField(max_length=160, db_index=True, editable=False)
    title = models.CharField(_("tên kế hoạch"), max_length=250)
    subject = models.TextField(_("nội dung kiểm tra, giám sát"))
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    status = models.CharField(_("trạng thái"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.PLANNED)
    conclusion = models.TextField(_("kết luận"), blank=True)

    class Meta:
        verbose_name = _("kế hoạch kiểm tra, giám sát")
        verbose_name_plural = _("kế hoạch kiểm tra, giám sát")
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class Finding(TimeStampedModel):
    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="findings",
                             verbose_name=_("kế hoạch"))
    found_on = models.DateField(_("ngày ghi nhận"))
    text = models.TextField(_("nội dung phát hiện"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("kết quả kiểm tra")
        verbose_name_plural = _("kết quả kiểm tra")
        ordering = ["found_on", "pk"]


class ProjectStatus(models.TextChoices):
    PREPARING = "preparing", _("Chuẩn bị đầu tư")
    BUILDING = "building", _("Đang thi công")
    COMPLETED = "completed", _("Đã hoàn thành")
    SUSPENDED = "suspended", _("Tạm dừng")


class InvestmentProject(TimeStampedModel):
    """A public investment in the commune that the community supervision board follows."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="investment_projects",
                             verbose_name=_("xã, phường, đặc khu"))
    unit_path = models.CharField(max_length=160, db_index=True, editable=False)
    name = models.CharField(_("tên công trình, dự án"), max_length=250)
    search_text = models.CharField(max_length=300, editable=False, db_index=True)
    investor = models.CharField(_("chủ đầu tư"), max_length=250)
    funding_source = models.CharField(_("nguồn vốn"), max_length=250)
    budget_vnd = models.BigIntegerField(_("tổng mức đầu tư (đồng)"))
    starts_on = models.DateField(_("ngày khởi công"), null=True, blank=True)
    planned_end_on = models.DateField(_("ngày dự kiến hoàn thành"), null=True, blank=True)
    status = models.CharField(_("tình trạng"), max_length=12, choices=ProjectStatus.choices,
                              default=ProjectStatus.PREPARING)
    progress_percent = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    description = models.TextField(_("mô tả"), blank=True)
    latitude = models.FloatField(_("vĩ độ"), null=True, blank=True)
    longitude = models.FloatField(_("kinh độ"), null=True, blank=True)

    class Meta:
        verbose_name = _("công trình, dự án đầu tư")
        verbose_name_plural = _("công trình, dự án đầu tư")
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return self.name


class ProjectReport(TimeStampedModel):
    project = models.ForeignKey(InvestmentProject, on_delete=models.CASCADE, related_name="reports",
                                verbose_name=_("công trình"))
    reported_on = models.DateField(_("ngày báo cáo"))
    progress_percent = models.PositiveSmallIntegerField(_("tiến độ (%)"))
    status = models.CharField(_("tình trạng"), max_length=12, choices=ProjectStatus.choices)
    note = models.TextField(_("nội dung báo cáo"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = _("báo cáo tiến độ")
        ordering = ["-reported_on", "-pk"]


class ProjectIssue(TimeStampedModel):
    project = models.ForeignKey(InvestmentProject, on_delete=models.CASCADE, related_name="issues",
                                verbose_name=_("công trình"))
    raised_on = models.DateField(_("ngày phát hiện"))
    text = models.TextField(_("vấn đề phát hiện"))
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    resolved_on = models.DateField(_("ngày khắc phục"), null=True, blank=True)
    resolution = models.TextField(_("kết quả khắc phục"), blank=True)

    class Meta:
        verbose_name = _("vấn đề của công trình")
        verbose_name_plural = _("vấn đề của công trình")
        ordering = ["resolved_on", "-raised_on", "-pk"]


class RecommendationStatus(models.TextChoices):
    SENT = "sent", _("Đã gửi, chờ trả lời")
    ANSWERED = "answered", _("Đã trả lời, đang theo dõi")
    CLOSED = "closed", _("Đã thực hiện xong")


class Recommendation(TimeStampedModel):
    """A board's recommendation (kiến nghị) to the commune authority, answered and followed up."""

    board = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="recommendations",
                              verbose_name=_("ban"))
    unit_path = models.CharField(max_length=160, db_index=True, editable=False)
    plan = models.ForeignKey(InspectionPlan, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="recommendations", verbose_name=_("theo kế hoạch"))
    project = models.ForeignKey(InvestmentProject, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="recommendations", verbose_name=_("về công trình"))
    addressed_to = models.CharField(_("gửi tới"), max_length=250)
    text = models.TextField(_("nội dung kiến nghị"))
    sent_on = models.DateField(_("ngày gửi"))
    answer_due_on = models.DateField(_("hạn trả lời"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=RecommendationStatus.choices,
                              default=RecommendationStatus.SENT)
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    answered_on = models.DateField(_("ngày trả lời"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    follow_up_due_on = models.DateField(_("hạn thực hiện"), null=True, blank=True)
    closed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    closing_note = models.TextField(_("kết quả thực hiện"), blank=True)

    class Meta:
        verbose_name = _("kiến nghị của ban")
        verbose_name_plural = _("kiến nghị của ban")
        ordering = ["-sent_on", "-pk"]

    def __str__(self) -> str:
        return self.text[:80]


class CommitmentSource(models.TextChoices):
    COMMUNITY_DECISION = "decision", _("Quyết định của cộng đồng dân cư")
    PROJECT = "project", _("Công trình, dự án")
    RECOMMENDATION = "recommendation", _("Kiến nghị của Ban Thanh tra nhân dân, Ban Giám sát")
    DIALOGUE = "dialogue", _("Đối thoại, tiếp xúc với nhân dân")
    OTHER = "other", _("Khác")


class CommitmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")
    CANCELLED = "cancelled", _("Hủy bỏ")


class Commitment(TimeStampedModel):
    """What the authority promised the people (dân thụ hưởng), tracked to completion in public."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="commitments",
                             verbose_name=_("đơn vị"))
    unit_path = models.CharField(max_length=160, db_index=True, editable=False)
    title = models.CharField(_("nội dung cam kết"), max_length=250)
    search_text = models.CharField(max_length=300, editable=False, db_index=True)
    description = models.TextField(_("mô tả"), blank=True)
    source_kind = models.CharField(_("nguồn"), max_length=16, choices=CommitmentSource.choices)
    source_reference = models.CharField(_("văn bản, sự kiện làm căn cứ"), max_length=250, blank=True)
    recommendation = models.ForeignKey(Recommendation, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="commitments", verbose_name=_("kiến nghị"))
    project = models.ForeignKey(InvestmentProject, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="commitments", verbose_name=_("công trình"))
    responsible = models.CharField(_("cơ quan, người chịu trách nhiệm"), max_length=250)
    due_on = models.DateField(_("hạn hoàn thành"))
    status = models.CharField(_("trạng thái"), max_length=12, choices=CommitmentStatus.choices,
                              default=CommitmentStatus.NOT_STARTED)
    progress_percent = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)

    class Meta:
        verbose_name = _("cam kết với nhân dân")
        verbose_name_plural = _("cam kết với nhân dân")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["unit_path", "status"], name="oversight_commit_scope")]

    def __str__(self) -> str:
        return self.title


class CommitmentUpdate(TimeStampedModel):
    """A progress report with its evidence (photos, documents as attachments of this row)."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="updates",
                                   verbose_name=_("cam kết"))
    reported_on = models.DateField(_("ngày cập nhật"))
    progress_percent = models.PositiveSmallIntegerField(_("tiến độ (%)"))
    note = models.TextField(_("kết quả, minh chứng"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("cập nhật tiến độ cam kết")
        verbose_name_plural = _("cập nhật tiến độ cam kết")
        ordering = ["-reported_on", "-pk"]
