"""Good-practice models of the "Dân vận khéo" movement (Plan 70-KH/BDVTW).

A ``Practice`` ("mô hình") is registered by a commune or a province, appraised by a panel
against ``AppraisalCriterion`` rows (data, editable in the admin), certified at commune or
province level, reviewed every year (keep, replicate, drop) and may be commended. Fields of
work (``PracticeField``) are data too, so a province can add "nông thôn mới". Results are
``Indicator`` series measured over time. ``Replication`` links a replica to the model it
copies, which gives every model a family tree across units.

``status`` only changes through ``workflow.practice_transition`` (one transition table).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from danvan.core.models import TimeStampedModel


class PracticeField(models.Model):
    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=150)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    active = models.BooleanField(_("đang sử dụng"), default=True)

    class Meta:
        verbose_name = _("lĩnh vực mô hình")
        verbose_name_plural = _("lĩnh vực mô hình")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Kind(models.TextChoices):
    COLLECTIVE = "tap_the", _("Tập thể")
    INDIVIDUAL = "ca_nhan", _("Cá nhân")


class State(models.TextChoices):
    REGISTERED = "registered", _("Đã đăng ký")
    APPRAISING = "appraising", _("Đang thẩm định")
    CERTIFIED = "certified", _("Đã công nhận")
    NOT_RECOGNISED = "not_recognised", _("Không công nhận")
    DROPPED = "dropped", _("Không duy trì")


class Action(models.TextChoices):
    SUBMIT = "submit", _("Đưa ra thẩm định")
    RETURN = "return", _("Trả lại để hoàn thiện")
    CERTIFY = "certify", _("Công nhận")
    REJECT = "reject", _("Không công nhận")
    REVIEW_KEEP = "review_keep", _("Đánh giá năm: duy trì")
    REVIEW_REPLICATE = "review_replicate", _("Đánh giá năm: nhân rộng")
    REVIEW_DROP = "review_drop", _("Đánh giá năm: không duy trì")


class Level(models.TextChoices):
    COMMUNE = "xa", _("Cấp xã")
    PROVINCE = "tinh", _("Cấp tỉnh")


LEVEL_RANK = {"": 0, Level.COMMUNE: 1, Level.PROVINCE: 2}

# States shown to the public: a recognised model and its history.
PUBLIC_STATES = (State.CERTIFIED,)


class Practice(TimeStampedModel):
    name = models.CharField(_("tên mô hình"), max_length=300)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices, default=Kind.COLLECTIVE)
    holder_name = models.CharField(_("tập thể, cá nhân thực hiện"), max_length=250, blank=True)
    field = models.ForeignKey(PracticeField, on_delete=models.PROTECT, related_name="practices",
                              verbose_name=_("lĩnh vực"))
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="practices",
                             verbose_name=_("đơn vị"))
    # Denormalised from ``unit`` so scope filters are one indexed prefix test (units.selectors).
    unit_path = models.CharField(max_length=160, db_index=True, editable=False)
    # The province of ``unit`` (itself for a province-level model): national statistics group by it.
    province = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("tỉnh, thành phố"))
    village = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("thôn, tổ dân phố"))
    organisations = models.ManyToManyField("units.Organisation", blank=True, related_name="practices",
                                           verbose_name=_("cơ quan, tổ chức thực hiện"))
    started_on = models.DateField(_("ngày bắt đầu"), null=True, blank=True)
    ended_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("năm đăng ký"))
    description = models.TextField(_("nội dung, cách làm"), blank=True)
    results = models.TextField(_("kết quả đạt được"), blank=True)
    participants = models.PositiveIntegerField(_("số người tham gia"), default=0)
    latitude = models.FloatField(_("vĩ độ"), null=True, blank=True)
    longitude = models.FloatField(_("kinh độ"), null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=State.choices, default=State.REGISTERED)
    certified_level = models.CharField(_("cấp công nhận"), max_length=4, choices=Level.choices, blank=True)
    certified_on = models.DateField(_("ngày công nhận"), null=True, blank=True)
    # Appraisals belong to a round; returning the model for completion starts a new one.
    appraisal_round = models.PositiveSmallIntegerField(_("đợt thẩm định"), default=0)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+", verbose_name=_("người đăng ký"))
    # " " + folded name, holder and place: accent-insensitive search (core.search).
    search_text = models.CharField(max_length=800, db_index=True, editable=False)

    class Meta:
        verbose_name = _("mô hình “Dân vận khéo”")
        verbose_name_plural = _("mô hình “Dân vận khéo”")
        ordering = ["-year", "name", "id"]
        indexes = [
            models.Index(fields=["province", "status", "field"], name="practice_province_status"),
            models.Index(fields=["unit", "status"], name="practice_unit_status"),
            models.Index(fields=["status", "year"], name="practice_status_year"),
            # Statistics group a scope's rows by these columns: with all of them in one index
            # (scope path first) each GROUP BY reads the index only, never the wide rows.
            models.Index(fields=["unit_path", "status", "certified_level", "field", "year", "unit", "province"],
                         name="practice_stats_cover"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATES


class Indicator(models.Model):
    """A measurable result followed over time: households helped, money raised, km of road."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="indicators",
                                 verbose_name=_("mô hình"))
    name = models.CharField(_("chỉ tiêu"), max_length=200)
    measure = models.CharField(_("đơn vị tính"), max_length=40)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("chỉ tiêu kết quả")
        verbose_name_plural = _("chỉ tiêu kết quả")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["practice", "name"], name="indicator_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.measure})"


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values",
                                  verbose_name=_("chỉ tiêu"))
    on = models.DateField(_("thời điểm"))
    value = models.DecimalField(_("giá trị"), max_digits=18, decimal_places=2)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("người ghi"))

    class Meta:
        verbose_name = _("số liệu chỉ tiêu")
        verbose_name_plural = _("số liệu chỉ tiêu")
        ordering = ["on"]
        constraints = [models.UniqueConstraint(fields=["indicator", "on"], name="indicator_value_unique_on")]

    def __str__(self) -> str:
        return f"{self.indicator.name} {self.on}: {self.value}"


class AppraisalCriterion(models.Model):
    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tiêu chí"), max_length=250)
    description = models.TextField(_("diễn giải"), blank=True)
    max_score = models.PositiveSmallIntegerField(_("điểm tối đa"), default=10)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    active = models.BooleanField(_("đang sử dụng"), default=True)

    class Meta:
        verbose_name = _("tiêu chí thẩm định")
        verbose_name_plural = _("tiêu chí thẩm định")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class Appraisal(models.Model):
    """One panel member's scores and comment on a model, in one appraisal round."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="appraisals",
                                 verbose_name=_("mô hình"))
    round = models.PositiveSmallIntegerField(_("đợt thẩm định"))
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("thành viên hội đồng"))
    comment = models.TextField(_("nhận xét"), blank=True)
    total = models.PositiveIntegerField(_("tổng điểm"), default=0)
    max_total = models.PositiveIntegerField(_("điểm tối đa"), default=0)
    at = models.DateTimeField(_("thời điểm"))

    class Meta:
        verbose_name = _("phiếu thẩm định")
        verbose_name_plural = _("phiếu thẩm định")
        ordering = ["round", "at", "id"]
        constraints = [models.UniqueConstraint(fields=["practice", "round", "member"],
                                               name="one_appraisal_per_member_round")]

    def __str__(self) -> str:
        return f"{self.practice} – {self.member}"


class AppraisalScore(models.Model):
    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="scores",
                                  verbose_name=_("phiếu thẩm định"))
    criterion = models.ForeignKey(AppraisalCriterion, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("tiêu chí"))
    score = models.PositiveSmallIntegerField(_("điểm"))

    class Meta:
        verbose_name = _("điểm tiêu chí")
        verbose_name_plural = _("điểm tiêu chí")
        constraints = [models.UniqueConstraint(fields=["appraisal", "criterion"], name="one_score_per_criterion")]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"


class Certification(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="certifications",
                                 verbose_name=_("mô hình"))
    level = models.CharField(_("cấp công nhận"), max_length=4, choices=Level.choices)
    decision_number = models.CharField(_("số quyết định"), max_length=60)
    decided_on = models.DateField(_("ngày quyết định"))
    body = models.CharField(_("cơ quan công nhận"), max_length=250)
    certified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("người ghi nhận"))

    class Meta:
        verbose_name = _("quyết định công nhận")
        verbose_name_plural = _("quyết định công nhận")
        ordering = ["decided_on", "id"]

    def __str__(self) -> str:
        return f"{self.decision_number} ({self.get_level_display()})"


class ReviewOutcome(models.TextChoices):
    KEEP = "keep", _("Duy trì")
    REPLICATE = "replicate", _("Nhân rộng")
    DROP = "drop", _("Không duy trì")


class AnnualReview(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="reviews",
                                 verbose_name=_("mô hình"))
    year = models.PositiveSmallIntegerField(_("năm đánh giá"))
    outcome = models.CharField(_("kết quả đánh giá"), max_length=10, choices=ReviewOutcome.choices)
    note = models.TextField(_("nhận xét"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("người đánh giá"))
    at = models.DateTimeField(_("thời điểm"))

    class Meta:
        verbose_name = _("đánh giá hằng năm")
        verbose_name_plural = _("đánh giá hằng năm")
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["practice", "year"], name="one_review_per_year")]

    def __str__(self) -> str:
        return f"{self.practice} – {self.year}: {self.get_outcome_display()}"


class CommendationKind(models.TextChoices):
    CERTIFICATE_OF_MERIT = "giay_khen", _("Giấy khen")
    DIPLOMA_OF_MERIT = "bang_khen", _("Bằng khen")


class Commendation(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="commendations",
                                 verbose_name=_("mô hình"))
    kind = models.CharField(_("hình thức khen thưởng"), max_length=10, choices=CommendationKind.choices)
    body = models.CharField(_("cơ quan khen thưởng"), max_length=250)
    decided_on = models.DateField(_("ngày quyết định"))
    decision_number = models.CharField(_("số quyết định"), max_length=60)
    note = models.TextField(_("ghi chú"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("người ghi nhận"))

    class Meta:
        verbose_name = _("khen thưởng")
        verbose_name_plural = _("khen thưởng")
        ordering = ["decided_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.decision_number}"


class Replication(models.Model):
    """Model ``replica`` replicates model ``source``: one source per replica, so the links form a tree."""

    source = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="replications",
                               verbose_name=_("mô hình gốc"))
    replica = models.OneToOneField(Practice, on_delete=models.CASCADE, related_name="replicates",
                                   verbose_name=_("mô hình nhân rộng"))
    recorded_on = models.DateField(_("ngày ghi nhận"))
    note = models.TextField(_("ghi chú"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("người ghi nhận"))

    class Meta:
        verbose_name = _("nhân rộng mô hình")
        verbose_name_plural = _("nhân rộng mô hình")
        constraints = [models.CheckConstraint(condition=~models.Q(source=models.F("replica")),
                                              name="replication_not_self")]

    def __str__(self) -> str:
        return f"{self.replica} ← {self.source}"
