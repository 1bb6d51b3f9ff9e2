"""Demo oversight record for the demo communes: boards with members, an inspection, answered and
overdue recommendations, supervised projects, and commitments at every stage.

Made through the services by the demo officials (the province's Ban Tuyên giáo và Dân vận
official stands in for the boards' work, which his scope allows), so every row is audited as
real work would be. Dates are relative to the day of the run, so the demo always looks current.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.demo.names import person
from danvan.demo.registry import DemoContext, register
from danvan.units.models import Level, Organisation, OrganisationKind, Status, Unit

from . import services as s
from .models import CommitmentSource, MemberRole, ProjectStatus, Recommendation

PLANS = [
    ("Kiểm tra việc thu, chi Quỹ Vì người nghèo năm {year}",
     "Việc vận động, quản lý, sử dụng Quỹ Vì người nghèo và công khai thu, chi tại các thôn, tổ dân phố.",
     ["Hai tổ dân phố chưa niêm yết công khai danh sách hộ được hỗ trợ.",
      "Chứng từ chi hỗ trợ sửa nhà cho 3 hộ còn thiếu chữ ký người nhận."]),
    ("Giám sát việc giải quyết đơn thư của công dân quý {quarter}/{year}",
     "Việc tiếp nhận, phân loại và trả lời đơn thư, phản ánh của công dân tại Ủy ban nhân dân.",
     ["Một số phản ánh về trật tự đô thị được trả lời chậm so với thời hạn."]),
]
RECOMMENDATIONS = [
    "Đề nghị niêm yết công khai danh sách hộ được hỗ trợ từ Quỹ Vì người nghèo tại nhà văn hóa các thôn, "
    "tổ dân phố trong 30 ngày.",
    "Đề nghị bổ sung đầy đủ chứng từ chi hỗ trợ sửa nhà và báo cáo kết quả với Ban Thanh tra nhân dân.",
    "Đề nghị chỉ đạo nhà thầu khắc phục đoạn rãnh thoát nước bị nứt trước mùa mưa.",
]
PROJECTS = [
    ("Cải tạo, nâng cấp đường liên thôn", "Ban Quản lý dự án đầu tư xây dựng", "Ngân sách xã và nhân dân đóng góp",
     3_500_000_000),
    ("Xây dựng nhà văn hóa tổ dân phố", "Ủy ban nhân dân", "Ngân sách thành phố hỗ trợ", 1_850_000_000),
]
COMMITMENTS = [
    ("Lắp đặt hệ thống đèn chiếu sáng các ngõ xóm", CommitmentSource.DIALOGUE,
     "Hội nghị đối thoại giữa Chủ tịch UBND với nhân dân", 100),
    ("Nạo vét kênh mương nội đồng trước vụ Đông Xuân", CommitmentSource.COMMUNITY_DECISION,
     "Biên bản họp cộng đồng dân cư", 60),
    ("Công khai danh sách hộ được hỗ trợ từ Quỹ Vì người nghèo", CommitmentSource.RECOMMENDATION,
     "Kiến nghị của Ban Thanh tra nhân dân", 0),
    ("Bố trí điểm tập kết rác thải sinh hoạt có mái che", CommitmentSource.OTHER, "Ý kiến cử tri", 20),
]


def _board(commune: Unit, kind: str) -> Organisation | None:
    return Organisation.objects.filter(unit=commune, kind=kind, active=True).first()


@register("democracy.oversight", order=430,
          labels={"board_members": _("thành viên ban"), "recommendations": _("kiến nghị của ban"),
                  "projects": _("công trình được giám sát"), "commitments": _("cam kết với nhân dân")})
def oversight(ctx: DemoContext) -> dict[str, int]:
    counts = {"board_members": 0, "recommendations": 0, "projects": 0, "commitments": 0}
    board_actor = ctx.officials.get("province.supervisor")
    today = timezone.localdate()
    for index, commune in enumerate(ctx.focus_communes):
        leader = ctx.officials.get(f"commune.{commune.code}.leader")
        inspection = _board(commune, OrganisationKind.PEOPLES_INSPECTION_BOARD)
        supervision = _board(commune, OrganisationKind.INVESTMENT_SUPERVISION_BOARD)
        if leader is None or board_actor is None or inspection is None or supervision is None:
            continue
        if Recommendation.objects.filter(unit_path=commune.path).exists():
            continue  # already made by an earlier run
        rng = ctx.rng_for("oversight", commune.code)
        villages = list(Unit.objects.filter(parent=commune, level=Level.VILLAGE, status=Status.ACTIVE).order_by("code"))
        if villages:
            # The last demo commune is left short of members, so the composition warning shows.
            size = 4 if index == len(ctx.focus_communes) - 1 else min(max(5, len(villages)), 9)
            for board, n in ((inspection, size), (supervision, 5)):
                for i in range(n):
                    someone = person(rng, province_code=ctx.focus_province.code)
                    s.board_member_add(actor=board_actor, board=board, full_name=someone.full_name,
                                       village=villages[i % len(villages)],
                                       role=MemberRole.HEAD if i == 0 else MemberRole.DEPUTY if i == 1
                                       else MemberRole.MEMBER,
                                       joined_on=today - dt.timedelta(days=400 + rng.randint(0, 60)))
                    counts["board_members"] += 1
        quarter = (today.month - 1) // 3 + 1
        plans = []
        for title, subject, findings in PLANS:
            plan = s.plan_create(actor=board_actor, board=inspection,
                                 title=title.format(year=today.year, quarter=quarter), subject=subject,
                                 starts_on=today - dt.timedelta(days=45), ends_on=today + dt.timedelta(days=15))
            for text in findings:
                s.finding_add(actor=board_actor, plan=plan, text=text, found_on=today - dt.timedelta(days=40))
            plans.append(plan)
        s.plan_complete(actor=board_actor, plan=plans[0],
                        conclusion="Việc quản lý quỹ cơ bản đúng quy định; còn tồn tại về công khai và chứng từ.")

        lat, lon = commune.latitude, commune.longitude
        projects = []
        for name, investor, funding, budget in PROJECTS:
            project = s.project_create(
                actor=leader, unit=commune, name=f"{name} – {commune.name}", investor=f"{investor} {commune.name}",
                funding_source=funding, budget_vnd=budget + rng.randint(0, 20) * 50_000_000,
                starts_on=today - dt.timedelta(days=120), planned_end_on=today + dt.timedelta(days=90),
                latitude=lat + rng.uniform(-0.004, 0.004) if lat else None,
                longitude=lon + rng.uniform(-0.004, 0.004) if lon else None)
            s.project_report(actor=leader, project=project, progress_percent=35, status=ProjectStatus.BUILDING,
                             note="Đã hoàn thành phần móng và hệ thống thoát nước.",
                             reported_on=today - dt.timedelta(days=30))
            projects.append(project)
            counts["projects"] += 1
        issue = s.project_issue_raise(actor=board_actor, project=projects[0],
                                      text="Một đoạn rãnh thoát nước bị nứt sau khi đổ bê tông.",
                                      raised_on=today - dt.timedelta(days=20))

        closed = s.recommendation_send(actor=board_actor, board=inspection, plan=plans[0], text=RECOMMENDATIONS[0],
                                       sent_on=today - dt.timedelta(days=35))
        s.recommendation_answer(actor=leader, recommendation=closed,
                                answer="UBND đã chỉ đạo các thôn, tổ dân phố niêm yết trong 30 ngày.")
        s.recommendation_close(actor=board_actor, recommendation=closed, note="Đã niêm yết đầy đủ.")
        answered = s.recommendation_send(actor=board_actor, board=inspection, plan=plans[0],
                                         text=RECOMMENDATIONS[1], sent_on=today - dt.timedelta(days=10))
        s.recommendation_answer(actor=leader, recommendation=answered,
                                answer="Giao bộ phận kế toán bổ sung chứng từ, báo cáo trước ngày hạn.",
                                follow_up_due_on=today + dt.timedelta(days=20))
        # Sent a month ago and never answered: shows as overdue to the commune and the public.
        s.recommendation_send(actor=board_actor, board=supervision, project=projects[0], text=RECOMMENDATIONS[2],
                              sent_on=today - dt.timedelta(days=30))
        counts["recommendations"] += 3
        s.project_issue_resolve(actor=leader, issue=issue, resolution="Nhà thầu đã đục bỏ và đổ lại đoạn rãnh 12 m.")

        for i, (title, source, reference, progress) in enumerate(COMMITMENTS):
            due = today + dt.timedelta(days=60) if i != 2 else today - dt.timedelta(days=5)
            commitment = s.commitment_create(actor=leader, unit=commune, title=title, source_kind=source,
                                             source_reference=reference, responsible=f"Ủy ban nhân dân {commune.name}",
                                             due_on=due, recommendation=closed if i == 2 else None)
            if progress:
                s.commitment_update(actor=leader, commitment=commitment, progress_percent=progress,
                                    note="Đã thực hiện theo kế hoạch; ảnh minh chứng lưu tại bộ phận một cửa.",
                                    reported_on=today - dt.timedelta(days=3))
            counts["commitments"] += 1
    return counts
