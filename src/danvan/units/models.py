"""The administrative tree of Vietnam, its organisations, villages and households.

Every unit carries a materialised path of official codes ending in a dot
("VN.01.00004.T003."), so "everything under this unit" is one indexed prefix query on
SQLite and PostgreSQL alike (see ``units.selectors.subtree_q``). Two trees live side by
side: the current one (34 provinces / 3,321 communes since 1 July 2025, root "VN") and the
legacy one (63 provinces / 696 districts / 10,051 communes, root "VNL."), kept readable
for history and linked to the current one by ``UnitSuccession``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from danvan.core.models import TimeStampedModel


class Level(models.IntegerChoices):
    NATION = 0, _("Quốc gia")
    PROVINCE = 1, _("Cấp tỉnh")
    DISTRICT = 2, _("Cấp huyện (trước 01/7/2025)")
    COMMUNE = 3, _("Cấp xã")
    VILLAGE = 4, _("Thôn, tổ dân phố")


class Kind(models.TextChoices):
    NATION = "quoc_gia", _("Quốc gia")
    CITY = "thanh_pho_tw", _("Thành phố trực thuộc trung ương")
    PROVINCE = "tinh", _("Tỉnh")
    URBAN_DISTRICT = "quan", _("Quận")
    RURAL_DISTRICT = "huyen", _("Huyện")
    TOWN = "thi_xa", _("Thị xã")
    PROVINCIAL_CITY = "thanh_pho", _("Thành phố thuộc tỉnh")
    COMMUNE = "xa", _("Xã")
    WARD = "phuong", _("Phường")
    TOWNLET = "thi_tran", _("Thị trấn")
    SPECIAL_ZONE = "dac_khu", _("Đặc khu")
    VILLAGE = "thon", _("Thôn")
    HAMLET = "ap", _("Ấp")
    HILL_VILLAGE = "ban", _("Bản")
    RESIDENTIAL_GROUP = "to_dan_pho", _("Tổ dân phố")
    QUARTER = "khu_pho", _("Khu phố")


class Era(models.TextChoices):
    CURRENT = "current", _("Hiện hành (từ 01/7/2025)")
    LEGACY = "legacy", _("Trước 01/7/2025")


class Status(models.TextChoices):
    ACTIVE = "active", _("Đang hoạt động")
    DISSOLVED = "dissolved", _("Đã giải thể, sáp nhập")


class Unit(TimeStampedModel):
    code = models.CharField(_("mã"), max_length=20)
    name = models.CharField(_("tên"), max_length=200)
    level = models.PositiveSmallIntegerField(_("cấp"), choices=Level.choices)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    era = models.CharField(_("hệ thống"), max_length=10, choices=Era.choices, default=Era.CURRENT)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    parent = models.ForeignKey(
        "self", verbose_name=_("đơn vị cấp trên"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("đường dẫn mã"), max_length=160, unique=True)
    # " " + folded name, written by services: see core.search.
    search_text = models.CharField(max_length=250, db_index=True, editable=False)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    dissolved_on = models.DateField(_("giải thể ngày"), null=True, blank=True)
    latitude = models.FloatField(_("vĩ độ"), null=True, blank=True)
    longitude = models.FloatField(_("kinh độ"), null=True, blank=True)

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["path"]
        indexes = [
            models.Index(fields=["era", "level", "code"], name="unit_era_level_code"),
            models.Index(fields=["parent", "name"], name="unit_parent_name"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["era", "level", "code"], name="unit_code_unique_per_level",
                                    condition=models.Q(level__lt=4)),
            models.UniqueConstraint(fields=["parent", "code"], name="unit_code_unique_in_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == Status.ACTIVE


class SuccessionKind(models.TextChoices):
    MERGE = "merge", _("Sáp nhập")
    SPLIT = "split", _("Chia tách")
    REORGANISATION_2025 = "reorg_2025", _("Sắp xếp đơn vị hành chính 2025")


class UnitSuccession(models.Model):
    """Where a unit went: the old→new mapping of a reorganisation."""

    predecessor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="successions_out",
                                    verbose_name=_("đơn vị cũ"))
    successor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="successions_in",
                                  verbose_name=_("đơn vị mới"))
    kind = models.CharField(_("hình thức"), max_length=12, choices=SuccessionKind.choices)
    partial = models.BooleanField(_("một phần"), default=False,
                                  help_text=_("Chỉ một phần địa bàn của đơn vị cũ chuyển sang đơn vị mới."))
    effective_on = models.DateField(_("hiệu lực"))
    decision = models.CharField(_("văn bản"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("kế thừa đơn vị")
        verbose_name_plural = _("kế thừa đơn vị")
        constraints = [models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_unique")]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class UnitRename(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="renames", verbose_name=_("đơn vị"))
    old_name = models.CharField(_("tên cũ"), max_length=200)
    new_name = models.CharField(_("tên mới"), max_length=200)
    effective_on = models.DateField(_("hiệu lực"))
    decision = models.CharField(_("văn bản"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("đổi tên đơn vị")
        verbose_name_plural = _("đổi tên đơn vị")
        ordering = ["-effective_on"]

    def __str__(self) -> str:
        return f"{self.old_name} → {self.new_name}"


class OrganisationKind(models.TextChoices):
    PEOPLES_COMMITTEE = "ubnd", _("Ủy ban nhân dân")
    PEOPLES_COUNCIL = "hdnd", _("Hội đồng nhân dân")
    PARTY_COMMITTEE = "dang_uy", _("Đảng ủy")
    FATHERLAND_FRONT = "mttq", _("Ủy ban Mặt trận Tổ quốc Việt Nam")
    PROPAGANDA_MOBILIZATION = "ban_tgdv", _("Ban Tuyên giáo và Dân vận")
    WOMENS_UNION = "hoi_lhpn", _("Hội Liên hiệp Phụ nữ")
    YOUTH_UNION = "doan_tn", _("Đoàn Thanh niên Cộng sản Hồ Chí Minh")
    FARMERS_UNION = "hoi_nd", _("Hội Nông dân")
    VETERANS_ASSOCIATION = "hoi_ccb", _("Hội Cựu chiến binh")
    TRADE_UNION = "cong_doan", _("Công đoàn")
    PEOPLES_INSPECTION_BOARD = "ban_ttnd", _("Ban Thanh tra nhân dân")
    INVESTMENT_SUPERVISION_BOARD = "ban_gsdtcd", _("Ban Giám sát đầu tư của cộng đồng")


# Organisations created with every province and commune; boards exist at commune level only.
STANDARD_ORGANISATIONS: dict[int, list[str]] = {
    Level.PROVINCE: [
        OrganisationKind.PEOPLES_COMMITTEE, OrganisationKind.PEOPLES_COUNCIL, OrganisationKind.PARTY_COMMITTEE,
        OrganisationKind.FATHERLAND_FRONT, OrganisationKind.PROPAGANDA_MOBILIZATION,
        OrganisationKind.WOMENS_UNION, OrganisationKind.YOUTH_UNION, OrganisationKind.FARMERS_UNION,
        OrganisationKind.VETERANS_ASSOCIATION, OrganisationKind.TRADE_UNION,
    ],
    Level.COMMUNE: [
        OrganisationKind.PEOPLES_COMMITTEE, OrganisationKind.PEOPLES_COUNCIL, OrganisationKind.PARTY_COMMITTEE,
        OrganisationKind.FATHERLAND_FRONT, OrganisationKind.WOMENS_UNION, OrganisationKind.YOUTH_UNION,
        OrganisationKind.FARMERS_UNION, OrganisationKind.VETERANS_ASSOCIATION,
        OrganisationKind.PEOPLES_INSPECTION_BOARD, OrganisationKind.INVESTMENT_SUPERVISION_BOARD,
    ],
}


class Organisation(TimeStampedModel):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="organisations",
                             verbose_name=_("đơn vị"))
    kind = models.CharField(_("loại tổ chức"), max_length=12, choices=OrganisationKind.choices)
    name = models.CharField(_("tên"), max_length=250)
    search_text = models.CharField(max_length=300, db_index=True, editable=False)
    active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("cơ quan, tổ chức")
        verbose_name_plural = _("cơ quan, tổ chức")
        ordering = ["unit__path", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind"], condition=models.Q(active=True),
                                    name="one_active_organisation_kind_per_unit"),
        ]

    def __str__(self) -> str:
        return self.name


class Household(TimeStampedModel):
    """A household of a village register: who represents it, nothing about anyone's opinions."""

    village = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="households",
                                verbose_name=_("thôn, tổ dân phố"))
    number = models.CharField(_("số hộ"), max_length=20)
    head_name = models.CharField(_("chủ hộ"), max_length=120)
    representative_name = models.CharField(_("người đại diện hộ"), max_length=120)
    representative_phone = models.CharField(_("số điện thoại người đại diện"), max_length=20, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=250, blank=True)
    members = models.PositiveSmallIntegerField(_("số nhân khẩu"), default=1)
    active = models.BooleanField(_("còn sinh sống"), default=True)

    class Meta:
        verbose_name = _("hộ gia đình")
        verbose_name_plural = _("hộ gia đình")
        ordering = ["village", "number"]
        constraints = [models.UniqueConstraint(fields=["village", "number"], name="household_number_unique")]

    def __str__(self) -> str:
        return f"{self.number} – {self.head_name}"
