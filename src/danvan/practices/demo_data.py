"""Demo "Dân vận khéo" models for the demo province: realistic names, every field, every
stage of the workflow, results over time, recognitions, reviews, commendations and
replication trees across communes.

Scale: small gives 2–4 models per commune of the run (a few hundred in a province); large
gives about 5,200 models across all communes of the demo province. Each model is drawn from
its own stream (``rng_for("practices", commune, n)``), so a large run keeps the small run's
models as its first ones and only adds more, and a re-run creates nothing. Rows are written
in bulk for speed; the run itself is audited by ``demo.services.demo_data_generate``.
Coordinates are invented around approximate province centres: demo data, not a survey.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from danvan.demo.names import person
from danvan.demo.registry import DemoContext, register
from danvan.units.models import Era, Level, Organisation, OrganisationKind, Status, Unit

from .models import (
    AnnualReview,
    Certification,
    Commendation,
    CommendationKind,
    Indicator,
    IndicatorValue,
    Kind,
    Practice,
    PracticeField,
    Replication,
    ReviewOutcome,
    State,
)
from .models import Level as PracticeLevel
from .services import practice_search_text

PER_COMMUNE_SMALL = (2, 4)
LARGE_TOTAL = 5200
FIRST_DEMO_YEAR, LAST_DEMO_YEAR = 2019, 2025
BATCH = 2000

# Approximate centres of the 34 provinces and cities (2025 codes), for invented demo locations.
PROVINCE_CENTRES: dict[str, tuple[float, float]] = {
    "01": (21.03, 105.85), "04": (22.67, 106.26), "08": (22.25, 105.05), "11": (21.45, 103.05),
    "12": (22.35, 103.45), "14": (21.3, 103.95), "15": (22.0, 104.4), "19": (21.65, 105.8),
    "20": (21.85, 106.75), "22": (21.1, 107.3), "24": (21.2, 106.15), "25": (21.25, 105.3),
    "31": (20.85, 106.6), "33": (20.6, 106.2), "37": (20.25, 105.95), "38": (19.9, 105.5),
    "40": (19.2, 104.9), "42": (18.35, 105.85), "44": (17.3, 106.5), "46": (16.45, 107.55),
    "48": (15.85, 108.05), "51": (14.9, 108.4), "52": (14.0, 108.4), "56": (12.0, 109.0),
    "66": (12.9, 108.5), "68": (11.75, 108.1), "75": (11.1, 107.1), "79": (10.78, 106.68),
    "80": (10.95, 106.2), "82": (10.45, 105.9), "86": (10.1, 106.2), "91": (10.3, 105.1),
    "92": (9.9, 105.75), "96": (9.2, 105.2),
}
DEFAULT_CENTRE = (16.0, 106.0)

# Typical model names per field (from provinces' reports on the movement).
NAMES: dict[str, list[str]] = {
    "kinh-te": [
        "Tổ hợp tác trồng rau an toàn", "Hội viên nông dân giúp nhau phát triển kinh tế",
        "Nuôi bò sinh sản giúp hội viên nghèo", "Chi hội phụ nữ tiết kiệm, giúp nhau thoát nghèo",
        "Vận động Nhân dân hiến đất làm đường giao thông nông thôn",
        "Cánh đồng lớn liên kết sản xuất lúa chất lượng cao",
        "Vườn mẫu nông thôn mới", "Tổ vay vốn tín chấp giúp hộ cận nghèo", "Cựu chiến binh làm kinh tế giỏi",
        "Thanh niên khởi nghiệp với sản phẩm OCOP", "Góp vốn xoay vòng giúp phụ nữ nghèo",
        "Chuyển đổi số trong tiêu thụ nông sản",
    ],
    "van-hoa-xa-hoi": [
        "Thắp sáng đường quê", "Tủ sách cộng đồng", "Bữa cơm nghĩa tình", "Mái ấm tình thương cho hội viên khó khăn",
        "Tuyến đường hoa, đường cây xanh kiểu mẫu", "Phân loại rác thải tại nguồn",
        "Câu lạc bộ dân ca, dân vũ", "Mẹ đỡ đầu trẻ em mồ côi", "Heo đất tiết kiệm giúp học sinh nghèo",
        "Khu dân cư sạch, đẹp, văn minh", "Dạy bơi miễn phí cho trẻ em", "Nước sạch cho khu dân cư",
    ],
    "quoc-phong-an-ninh": [
        "Camera an ninh khu dân cư", "Tổ tự quản đảm bảo an ninh trật tự",
        "Khu dân cư không có tội phạm và tệ nạn xã hội", "Nhóm Zalo an ninh trật tự",
        "Dòng họ không có người vi phạm pháp luật", "Tổ hòa giải ở cơ sở giỏi",
        "Cựu chiến binh tham gia giữ gìn an ninh trật tự", "Tiếng kẻng an ninh",
        "Thanh niên tình nguyện tuần tra đêm", "Tuyến đường an toàn giao thông",
    ],
    "xay-dung-he-thong-chinh-tri": [
        "Dân vận khéo trong giải phóng mặt bằng", "Ngày thứ bảy cùng dân",
        "Đối thoại trực tiếp giữa người đứng đầu với Nhân dân", "Cán bộ, đảng viên gần dân, sát dân",
        "Tiếp nhận, trả lời phản ánh của người dân qua mạng xã hội", "Chi bộ gắn với khu dân cư",
        "Đảng viên phụ trách hộ gia đình", "Thực hiện tốt dân chủ ở cơ sở",
        "Hội viên nòng cốt tuyên truyền chính sách", "Cán bộ Mặt trận lắng nghe ý kiến Nhân dân",
    ],
}

INDICATORS: dict[str, list[tuple[str, str, int, int]]] = {
    # (name, measure, first value range low, high): values grow from the first year on.
    "kinh-te": [("Số hộ được giúp đỡ thoát nghèo", "hộ", 5, 40), ("Số tiền vận động", "đồng", 50, 900),
                ("Chiều dài đường giao thông được làm mới", "km", 1, 8)],
    "van-hoa-xa-hoi": [("Số hộ tham gia", "hộ", 40, 300), ("Chiều dài tuyến đường được thắp sáng", "km", 1, 6),
                       ("Số tiền vận động", "đồng", 20, 400)],
    "quoc-phong-an-ninh": [("Số camera được lắp đặt", "chiếc", 5, 60), ("Số vụ việc được hòa giải thành", "vụ", 3, 25)],
    "xay-dung-he-thong-chinh-tri": [("Số cuộc đối thoại với Nhân dân", "cuộc", 2, 12),
                                    ("Số kiến nghị được giải quyết", "kiến nghị", 10, 80),
                                    ("Diện tích đất được bàn giao", "m²", 500, 9000)],
}

PROBLEMS: dict[str, str] = {
    "kinh-te": "nhiều hộ còn khó khăn, thiếu vốn và kinh nghiệm sản xuất",
    "van-hoa-xa-hoi": "đời sống văn hóa, cảnh quan và vệ sinh môi trường ở khu dân cư còn nhiều hạn chế",
    "quoc-phong-an-ninh": "tình hình an ninh trật tự, trộm cắp vặt ở địa bàn có lúc còn phức tạp",
    "xay-dung-he-thong-chinh-tri": "một số kiến nghị của Nhân dân chưa được tiếp nhận, giải quyết kịp thời",
}

_COLLECTIVE_VILLAGE = ("Chi hội Phụ nữ", "Chi hội Nông dân", "Chi hội Cựu chiến binh", "Chi đoàn thanh niên",
                       "Ban công tác Mặt trận")
_COLLECTIVE_COMMUNE = {
    OrganisationKind.WOMENS_UNION: "Hội Liên hiệp Phụ nữ", OrganisationKind.FARMERS_UNION: "Hội Nông dân",
    OrganisationKind.VETERANS_ASSOCIATION: "Hội Cựu chiến binh", OrganisationKind.YOUTH_UNION: "Đoàn Thanh niên",
    OrganisationKind.FATHERLAND_FRONT: "Ủy ban Mặt trận Tổ quốc Việt Nam",
}
_HOLDER_ORG = {"Chi hội Phụ nữ": OrganisationKind.WOMENS_UNION, "Chi hội Nông dân": OrganisationKind.FARMERS_UNION,
               "Chi hội Cựu chiến binh": OrganisationKind.VETERANS_ASSOCIATION,
               "Chi đoàn thanh niên": OrganisationKind.YOUTH_UNION,
               "Ban công tác Mặt trận": OrganisationKind.FATHERLAND_FRONT}


def _targets(ctx: DemoContext, communes: list[Unit], all_communes: int) -> dict[int, int]:
    """How many models each commune should have at this scale (stable per commune and scale)."""
    if ctx.scale == "large":
        mean = math.ceil(LARGE_TOTAL / max(all_communes, 1))
        lo, hi = max(1, mean - 3), mean + 3
    else:
        lo, hi = PER_COMMUNE_SMALL
    return {c.pk: ctx.rng_for("practices.count", ctx.scale, c.code).randint(lo, hi) for c in communes}


def _place(ctx: DemoContext, province: Unit, commune: Unit, rng: random.Random) -> tuple[float, float]:
    lat0, lon0 = PROVINCE_CENTRES.get(province.code, DEFAULT_CENTRE)
    spot = ctx.rng_for("practices.place", commune.code)
    lat, lon = lat0 + spot.uniform(-0.3, 0.3), lon0 + spot.uniform(-0.3, 0.3)
    return round(lat + rng.uniform(-0.02, 0.02), 6), round(lon + rng.uniform(-0.02, 0.02), 6)


def _status(rng: random.Random, year: int) -> tuple[str, str]:
    """(status, certified level) with a realistic mix: recent years are still in the pipeline."""
    roll = rng.random()
    if year >= LAST_DEMO_YEAR:
        if roll < 0.35:
            return State.REGISTERED, ""
        if roll < 0.6:
            return State.APPRAISING, ""
    elif roll < 0.05:
        return State.NOT_RECOGNISED, ""
    elif roll < 0.12:
        return State.DROPPED, PracticeLevel.COMMUNE
    level = PracticeLevel.PROVINCE if rng.random() < 0.15 else PracticeLevel.COMMUNE
    return State.CERTIFIED, level


def _description(field_code: str, holder: str, commune: Unit, rng: random.Random, households: int) -> str:
    problem = PROBLEMS.get(field_code, "nhiều việc khó của địa phương cần sự chung tay của Nhân dân")
    return (f"Xuất phát từ thực tế {problem}, {holder or 'cấp ủy, chính quyền ' + commune.name} đã chủ động "
            f"tuyên truyền, vận động Nhân dân cùng bàn, cùng làm. Mô hình được cấp ủy lãnh đạo, chính quyền "
            f"hỗ trợ, Mặt trận và các đoàn thể phối hợp thực hiện, với {households} hộ gia đình tự nguyện tham gia.\n"
            f"Cách làm: họp dân để thống nhất nội dung, công khai đóng góp, phân công hội viên nòng cốt phụ trách "
            f"từng nhóm hộ; định kỳ {rng.choice(['hằng tháng', 'hằng quý', 'sáu tháng'])} sơ kết, rút kinh nghiệm.")


@register("practices.models", order=300,
          labels={"practices": _("mô hình “Dân vận khéo”"), "indicator_values": _("số liệu kết quả"),
                  "replications": _("liên kết nhân rộng"), "commendations": _("khen thưởng")})
def practices(ctx: DemoContext) -> dict[str, int]:
    """Models in every commune of the demo province that the run covers, in every field."""
    province = ctx.focus_province
    fields = {f.code: f for f in PracticeField.objects.filter(code__in=list(NAMES), active=True)}
    if province is None or not fields:
        return {"practices": 0}
    communes = [c for c in ctx.communes if c.parent_id == province.pk]
    all_communes = Unit.objects.filter(parent=province, level=Level.COMMUNE, era=Era.CURRENT,
                                       status=Status.ACTIVE).count()
    targets = _targets(ctx, communes, all_communes)
    have: dict[int, int] = {}
    for unit_id in Practice.objects.filter(unit__in=communes).values_list("unit_id", flat=True):
        have[unit_id] = have.get(unit_id, 0) + 1
    villages: dict[int, list[Unit]] = {}
    for v in Unit.objects.filter(parent__in=communes, level=Level.VILLAGE, status=Status.ACTIVE).order_by("code"):
        villages.setdefault(v.parent_id or 0, []).append(v)
    orgs: dict[tuple[int, str], Organisation] = {
        (o.unit_id, o.kind): o for o in Organisation.objects.filter(unit__in=communes, active=True)}
    field_codes = sorted(fields)

    new: list[tuple[Practice, random.Random, list[Organisation]]] = []
    for commune in communes:
        for n in range(have.get(commune.pk, 0), targets[commune.pk]):
            rng = ctx.rng_for("practices", commune.code, n)
            field = fields[field_codes[rng.randrange(len(field_codes))]]
            new.append(_one(ctx, rng, province, commune, field, villages.get(commune.pk, []), orgs))
    if not new:
        return {"practices": 0, "indicator_values": 0, "replications": 0, "commendations": 0}
    Practice.objects.bulk_create([p for p, _r, _o in new], batch_size=BATCH)
    through = Practice.organisations.through
    through.objects.bulk_create([through(practice_id=p.pk, organisation_id=o.pk) for p, _r, os in new for o in os],
                                batch_size=BATCH)
    values = _results(new)
    commendations = _recognitions(new, province)
    replications = _replications(ctx, [p for p, _r, _o in new], province)
    return {"practices": len(new), "indicator_values": values, "replications": replications,
            "commendations": commendations}


def _one(ctx: DemoContext, rng: random.Random, province: Unit, commune: Unit, field: PracticeField,
         villages: list[Unit], orgs: dict[tuple[int, str], Organisation]) -> tuple[Practice, random.Random,
                                                                                   list[Organisation]]:
    year = rng.randint(FIRST_DEMO_YEAR, LAST_DEMO_YEAR)
    village = rng.choice(villages) if villages and rng.random() < 0.7 else None
    individual = rng.random() < 0.15
    backing: list[Organisation] = []
    if individual:
        someone = person(rng, province_code=province.code)
        holder = f"{'Bà' if someone.female else 'Ông'} {someone.full_name}"
        kind = Kind.INDIVIDUAL
    elif village is not None:
        prefix = rng.choice(_COLLECTIVE_VILLAGE)
        holder = f"{prefix} {village.name}"
        kind = Kind.COLLECTIVE
        org = orgs.get((commune.pk, _HOLDER_ORG[prefix]))
        backing = [org] if org else []
    else:
        org_kind = rng.choice(list(_COLLECTIVE_COMMUNE))
        holder = f"{_COLLECTIVE_COMMUNE[org_kind]} {commune.name}"
        kind = Kind.COLLECTIVE
        org = orgs.get((commune.pk, org_kind))
        backing = [org] if org else []
    party = orgs.get((commune.pk, OrganisationKind.PARTY_COMMITTEE))
    if party is not None and rng.random() < 0.4:
        backing.append(party)
    title = rng.choice(NAMES[field.code])
    # "Thắp sáng đường quê thôn Đông": the village's type word in lower case, its name as written.
    name = f"{title} {village.name[:1].lower()}{village.name[1:]}" if village is not None and rng.random() < 0.5 \
        else title
    households = rng.randint(12, 320)
    status, level = _status(rng, year)
    lat, lon = _place(ctx, province, commune, rng)
    started = dt.date(year, rng.randint(1, 6), rng.randint(1, 28))
    practice = Practice(
        name=name, kind=kind, holder_name=holder, field=field, unit=commune, unit_path=commune.path,
        province=province, village=village, year=year, started_on=started,
        ended_on=dt.date(min(year + rng.randint(1, 4), LAST_DEMO_YEAR), 12, 31) if status == State.DROPPED else None,
        description=_description(field.code, holder, commune, rng, households),
        results=(f"Sau {LAST_DEMO_YEAR - year + 1} năm thực hiện, mô hình thu hút {households} hộ tham gia, "
                 "được Nhân dân đồng tình, ủng hộ." if status in (State.CERTIFIED, State.DROPPED) else ""),
        participants=households * rng.randint(2, 4), latitude=lat, longitude=lon, status=status,
        certified_level=level, appraisal_round=0 if status == State.REGISTERED else 1,
        certified_on=dt.date(year, rng.randint(9, 12), rng.randint(1, 28)) if level else None)
    practice.search_text = practice_search_text(practice)
    return practice, rng, backing


def _results(new: list[tuple[Practice, random.Random, list[Organisation]]]) -> int:
    """1–2 indicators per recognised model, with one value per year since it started."""
    indicators: list[tuple[Indicator, random.Random, Practice]] = []
    for practice, rng, _orgs in new:
        if practice.status not in (State.CERTIFIED, State.DROPPED):
            continue
        choices = INDICATORS[practice.field.code]
        for order, (name, measure, _lo, _hi) in enumerate(rng.sample(choices, k=min(len(choices), rng.randint(1, 2))),
                                                        start=1):
            indicators.append((Indicator(practice=practice, name=name, measure=measure, order=order), rng, practice))
    Indicator.objects.bulk_create([i for i, _r, _p in indicators], batch_size=BATCH)
    values: list[IndicatorValue] = []
    bounds = {name: (lo, hi) for rows in INDICATORS.values() for name, _m, lo, hi in rows}
    for indicator, rng, practice in indicators:
        lo, hi = bounds[indicator.name]
        amount = Decimal(rng.randint(lo, hi))
        if indicator.measure == "đồng":
            amount *= 1_000_000  # demo sums of tens to hundreds of millions of đồng
        last = practice.ended_on.year if practice.ended_on else LAST_DEMO_YEAR
        for year in range(practice.year, last + 1):
            values.append(IndicatorValue(indicator=indicator, on=dt.date(year, 12, 15), value=amount))
            amount = (amount * Decimal(1 + rng.uniform(0.05, 0.45))).quantize(Decimal(1))
    IndicatorValue.objects.bulk_create(values, batch_size=BATCH)
    return len(values)


def _recognitions(new: list[tuple[Practice, random.Random, list[Organisation]]], province: Unit) -> int:
    """Decisions of recognition, yearly reviews and a few commendations, consistent with each status."""
    certifications, reviews, commendations = [], [], []
    at = dt.datetime(LAST_DEMO_YEAR, 12, 20, 9, tzinfo=dt.UTC)
    for practice, rng, _orgs in new:
        if not practice.certified_on:
            continue
        commune_body = f"Ủy ban nhân dân {practice.unit.name}"
        certifications.append(Certification(
            practice=practice, level=PracticeLevel.COMMUNE, decision_number=f"{rng.randint(10, 480)}/QĐ-UBND",
            decided_on=practice.certified_on, body=commune_body))
        if practice.certified_level == PracticeLevel.PROVINCE:
            certifications.append(Certification(
                practice=practice, level=PracticeLevel.PROVINCE, decision_number=f"{rng.randint(100, 3900)}/QĐ-UBND",
                decided_on=practice.certified_on + dt.timedelta(days=20), body=f"Ủy ban nhân dân {province.name}"))
        last = practice.ended_on.year if practice.ended_on else LAST_DEMO_YEAR
        for year in range(practice.certified_on.year + 1, last + 1):
            dropping = practice.status == State.DROPPED and year == last
            outcome = ReviewOutcome.DROP if dropping else (
                ReviewOutcome.REPLICATE if rng.random() < 0.2 else ReviewOutcome.KEEP)
            reviews.append(AnnualReview(
                practice=practice, year=year, outcome=outcome, at=at,
                note="Mô hình không còn phù hợp với tình hình thực tế của địa phương." if dropping else ""))
        if practice.status == State.CERTIFIED and rng.random() < 0.08:
            provincial = practice.certified_level == PracticeLevel.PROVINCE
            commendations.append(Commendation(
                practice=practice,
                kind=CommendationKind.DIPLOMA_OF_MERIT if provincial else CommendationKind.CERTIFICATE_OF_MERIT,
                body=f"Ủy ban nhân dân {province.name}" if provincial else commune_body,
                decided_on=practice.certified_on + dt.timedelta(days=45),
                decision_number=f"{rng.randint(10, 2500)}/QĐ-UBND"))
    Certification.objects.bulk_create(certifications, batch_size=BATCH)
    AnnualReview.objects.bulk_create(reviews, batch_size=BATCH)
    Commendation.objects.bulk_create(commendations, batch_size=BATCH)
    return len(commendations)


def _replications(ctx: DemoContext, created: list[Practice], province: Unit) -> int:
    """About one recognised model in eight replicates an older recognised one of another commune."""
    sources: dict[int, list[Practice]] = {}
    for p in (Practice.objects.filter(province=province, status=State.CERTIFIED)
              .only("id", "field_id", "unit_id", "year").order_by("year", "unit_path", "name", "id")):
        sources.setdefault(p.field_id, []).append(p)
    links: list[Replication] = []
    for practice in created:
        if practice.status != State.CERTIFIED:
            continue
        rng = ctx.rng_for("practices.replica", practice.unit.code, practice.name, practice.year, practice.started_on)
        if rng.random() >= 0.12:
            continue
        older = [s for s in sources.get(practice.field_id, [])
                 if s.year < practice.year and s.unit_id != practice.unit_id]
        if not older:
            continue
        source = older[rng.randrange(len(older))]
        links.append(Replication(source=source, replica=practice, note="",
                                 recorded_on=practice.certified_on or dt.date(practice.year, 12, 31)))
    Replication.objects.bulk_create(links, batch_size=BATCH)
    return len(links)

