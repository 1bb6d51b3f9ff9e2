"""Demo disclosure boards for the demo communes: a year of mandatory items, some on time, one quarter
posted late, one missing, one taken down too early, with the forms used (office, portal, radio,
village relays) so the compliance view has something to show.

Made through the services by each commune's demo leader (and village head for the relays), so
every row is audited as real work would be. Dates are relative to the day of the run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.demo.registry import DemoContext, register
from danvan.units.models import Level, Status, Unit

from . import services as s
from .compliance import period_bounds
from .models import ChannelKind, DisclosureCategory, DisclosureItem


def _category(code: str) -> DisclosureCategory:
    return DisclosureCategory.objects.get(code=code)


@dataclass
class _Poster:
    """Posts one item of a commune as its leader, at the office and on the portal."""

    leader: Any
    commune: Unit
    year: int
    today: dt.date
    counts: dict[str, int]

    def post(self, code: str, title: str, content: str, posted_on: dt.date, quarter: int | None = None,
             taken_down_on: dt.date | None = None, reason: str = "") -> DisclosureItem | None:
        if posted_on > self.today:
            return None
        posted = s.item_create(actor=self.leader, commune=self.commune, category=_category(code), title=title,
                               content=content, posted_on=posted_on, year=self.year, quarter=quarter)
        self.counts["items"] += 1
        for kind in (ChannelKind.OFFICE, ChannelKind.PORTAL):
            s.channel_add(actor=self.leader, item=posted.item, kind=kind, starts_on=posted_on)
        self.counts["channels"] += 2
        if taken_down_on is not None and taken_down_on <= self.today:
            s.item_take_down(actor=self.leader, item=posted.item, taken_down_on=taken_down_on, reason=reason)
        return posted.item


@register("democracy.disclosures", order=400,
          labels={"items": _("thông tin công khai"), "channels": _("hình thức công khai")})
def disclosures(ctx: DemoContext) -> dict[str, int]:
    counts = {"items": 0, "channels": 0}
    today = timezone.localdate()
    year = today.year
    for index, commune in enumerate(ctx.focus_communes):
        leader = ctx.officials.get(f"commune.{commune.code}.leader")
        if leader is None or DisclosureItem.objects.filter(unit_path=commune.path).exists():
            continue  # no official to post, or already made by an earlier run
        rng = ctx.rng_for("disclosures", commune.code)
        head = ctx.officials.get(f"commune.{commune.code}.village_head")
        villages = list(Unit.objects.filter(parent=commune, level=Level.VILLAGE, status=Status.ACTIVE).order_by("code"))

        post = _Poster(leader=leader, commune=commune, year=year, today=today, counts=counts).post
        name = commune.name
        post("ke_hoach_kt_xh", f"Kế hoạch phát triển kinh tế - xã hội năm {year} của {name}",
             f"Nghị quyết của Hội đồng nhân dân về kế hoạch phát triển kinh tế - xã hội năm {year}: tốc độ tăng "
             "thu ngân sách, giảm tỷ lệ hộ nghèo, hoàn thành các tiêu chí đô thị văn minh.",
             dt.date(year, 1, 10 + rng.randint(0, 15)),
             # The last demo commune takes its plan down early (the rule only warns), so a short posting shows.
             taken_down_on=dt.date(year, 2, 1) if index == len(ctx.focus_communes) - 1 else None,
             reason="Thay bằng bản kế hoạch đã chỉnh sửa số liệu")
        post("du_toan_ngan_sach", f"Dự toán ngân sách năm {year} của {name}",
             f"Dự toán thu, chi ngân sách năm {year} đã được Hội đồng nhân dân quyết định; biểu chi tiết kèm theo.",
             dt.date(year, 1, 5 + rng.randint(0, 20)))
        for quarter in (1, 2, 3):
            end = period_bounds(year, quarter)[1]
            if index == 0 and quarter == 2:
                continue  # the first demo commune has not posted Q2: the compliance view shows it missing
            delay = 25 if index == 0 and quarter == 1 else rng.randint(3, 12)  # Q1 late in the first commune
            post("thuc_hien_ngan_sach", f"Tình hình thực hiện ngân sách quý {quarter}/{year}",
                 f"Báo cáo thu, chi ngân sách {name} quý {quarter}/{year} so với dự toán.",
                 end + dt.timedelta(days=delay), quarter=quarter)
        land = post("thu_hoi_dat_tai_dinh_cu", f"Phương án bồi thường, hỗ trợ, tái định cư dự án mở rộng đường "
                    f"liên thôn tại {name}",
                    "Danh sách hộ bị thu hồi đất, diện tích, đơn giá bồi thường, mức hỗ trợ và bố trí tái định cư. "
                    "Ý kiến của người dân gửi về bộ phận một cửa trong thời gian niêm yết.",
                    today - dt.timedelta(days=rng.randint(5, 20)))
        if land is not None:
            s.channel_add(actor=leader, item=land, kind=ChannelKind.RADIO, starts_on=land.posted_on, days=3)
            counts["channels"] += 1
            if head is not None and villages:
                village = next((v for v in villages if s.r.can_record_relay(head, v.path)), None)
                if village is not None:
                    s.channel_add(actor=head, item=land, kind=ChannelKind.VILLAGE_MEETING, village=village,
                                  starts_on=land.posted_on + dt.timedelta(days=2), note="Họp tổ dân phố")
                    counts["channels"] += 1
    return counts
