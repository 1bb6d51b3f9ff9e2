"""Demo consultations in the first demo commune: a draft open for comment, a finished one whose
report (tiếp thu / giải trình) is published, and a statements-mode one with a few hundred votes
from two planted camps and its opinion groups computed.

Made through the services by the commune's demo leader and the province's Front official, so
every row is audited as real work would be. Dates are relative to the day of the run.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from danvan.demo.names import person
from danvan.demo.registry import DemoContext, register
from danvan.units.models import Organisation, OrganisationKind

from . import services as s
from .models import AnswerKind, Consultation, ConsultationContent, Section, Stance, StatementVote

OPEN_TITLE = "Dự thảo Kế hoạch sử dụng đất năm {year} của {commune}"
CLOSED_TITLE = "Dự thảo Quy định về quản lý chợ dân sinh {commune}"
STATEMENTS_TITLE = "Chỉnh trang tuyến phố và bãi đỗ xe khu dân cư {commune}"
SECTIONS = [
    ("Điều 1", "Phạm vi điều chỉnh", "Kế hoạch xác định diện tích các loại đất phân bổ trong năm, vị trí các công "
     "trình, dự án sử dụng đất và diện tích đất cần thu hồi."),
    ("Điều 2", "Đất dành cho công trình công cộng", "Bố trí 1,2 ha đất xây dựng trường mầm non và 0,8 ha đất "
     "công viên, sân chơi cho trẻ em tại các tổ dân phố."),
    ("Điều 3", "Đất thu hồi để mở rộng đường", "Thu hồi 2,1 ha đất ở và đất vườn dọc tuyến đường liên thôn để "
     "mở rộng mặt đường lên 7,5 m."),
    ("Điều 4", "Bồi thường, hỗ trợ, tái định cư", "Hộ gia đình có đất bị thu hồi được bồi thường theo bảng giá "
     "đất và được bố trí tái định cư tại chỗ."),
    ("Điều 5", "Tổ chức thực hiện", "Ủy ban nhân dân giao các phòng chuyên môn, trưởng thôn, tổ trưởng tổ dân phố "
     "phổ biến kế hoạch đến từng hộ gia đình."),
]
COMMENTS = [
    (1, "Đề nghị bổ sung sân chơi cho trẻ em tại tổ dân phố số 3, hiện trẻ em phải chơi dưới lòng đường."),
    (1, "Nhất trí bố trí đất xây trường mầm non, đề nghị ưu tiên vị trí gần trạm y tế."),
    (2, "Đề nghị công khai bản đồ ranh giới thu hồi đất đến từng hộ trước khi phê duyệt."),
    (2, "Mở rộng đường là cần thiết nhưng cần giữ lại hàng cây xanh hai bên."),
    (3, "Giá bồi thường cần sát giá thị trường; đề nghị tổ chức đối thoại với các hộ bị thu hồi."),
    (3, "Đề nghị bố trí tái định cư trước khi giải phóng mặt bằng."),
    (4, "Đề nghị niêm yết kế hoạch tại nhà văn hóa các thôn và thông báo trên loa truyền thanh."),
    (0, "Đề nghị làm rõ căn cứ xác định diện tích các loại đất."),
]
STATEMENTS = [
    "Cần có bãi đỗ xe chung cho khu dân cư.",
    "Không nên thu phí đỗ xe ban đêm đối với người dân trong khu.",
    "Vỉa hè phải dành cho người đi bộ, không để xe.",
    "Nên cho phép hộ kinh doanh để xe trên vỉa hè theo giờ.",
    "Cần trồng thêm cây xanh dọc tuyến phố.",
    "Nên ưu tiên lát lại mặt đường trước khi làm bãi đỗ xe.",
    "Bãi đỗ xe nên đặt ở khu đất trống cạnh nhà văn hóa.",
    "Cần lắp camera an ninh tại bãi đỗ xe.",
    "Kinh phí chỉnh trang nên có đóng góp tự nguyện của nhân dân.",
    "Cần lấy ý kiến các hộ kinh doanh trước khi cấm để xe trên vỉa hè.",
    "Nên cấm xe tải lớn vào khu dân cư giờ cao điểm.",
    "Cần bố trí đèn chiếu sáng ở các ngõ nhỏ.",
]


def _key(*parts: object) -> str:
    return hashlib.sha256(":".join(str(p) for p in parts).encode()).hexdigest()


def _sections(leader: object, consultation: Consultation) -> list[Section]:
    return [s.section_add(actor=leader, consultation=consultation, label=label, title=title, body=body)
            for label, title, body in SECTIONS]


@register("democracy.consultations", order=420,
          labels={"consultations": _("đợt lấy ý kiến"), "comments": _("ý kiến góp ý"),
                  "votes": _("lượt biểu quyết ý kiến ngắn")})
def consultations(ctx: DemoContext) -> dict[str, int]:
    counts = {"consultations": 0, "comments": 0, "votes": 0}
    if not ctx.focus_communes:
        return counts
    commune = ctx.focus_communes[0]
    leader = ctx.officials.get(f"commune.{commune.code}.leader")
    front = ctx.officials.get("province.fatherland_front")
    if leader is None:
        return counts
    now = timezone.now()
    year = timezone.localdate().year + 1
    open_title = OPEN_TITLE.format(year=year, commune=commune.name)
    if Consultation.objects.filter(unit=commune, title=open_title).exists():
        return counts  # made by an earlier run
    rng = ctx.rng_for("consultations", commune.code)
    ubnd = Organisation.objects.filter(unit=commune, kind=OrganisationKind.PEOPLES_COMMITTEE, active=True).first()
    front_org = Organisation.objects.filter(unit=ctx.focus_province, kind=OrganisationKind.FATHERLAND_FRONT,
                                            active=True).first()

    # 1. Open for comment: citizens' comments and stances, one hidden with its reason, the Front's view.
    land = s.consultation_create(
        actor=leader, unit=commune, content=ConsultationContent.objects.get(code="quy_hoach_dat"), title=open_title,
        summary="Ủy ban nhân dân lấy ý kiến nhân dân về dự thảo kế hoạch sử dụng đất trước khi trình Hội đồng "
                "nhân dân thông qua.", opens_at=now - dt.timedelta(days=10), closes_at=now + dt.timedelta(days=20),
        drafting_body=ubnd)
    sections = _sections(leader, land)
    for n, (index, text) in enumerate(COMMENTS):
        someone = person(rng, province_code=ctx.focus_province.code)
        comment = s.comment_submit(section=sections[index], body=text,
                                   author_name=someone.full_name if n % 3 else "")
        for v in range(rng.randint(0, 12)):
            s.comment_support(comment=comment, voter_key=_key("demo-support", comment.pk, v))
        counts["comments"] += 1
    for section in sections:
        for v in range(rng.randint(8, 30)):
            s.section_vote(section=section, voter_key=_key("demo-stance", section.pk, v),
                           stance=Stance.SUPPORT if rng.random() < 0.7 else Stance.OPPOSE)
    rude = s.comment_submit(section=sections[3], body="Nội dung quảng cáo dịch vụ cầm đồ, không liên quan dự thảo.")
    s.comment_hide(actor=leader, comment=rude, reason="Quảng cáo, không liên quan đến nội dung dự thảo")
    counts["comments"] += 1
    if front is not None and front_org is not None and s.speaks_for_organisation(front, front_org):
        s.comment_submit(section=sections[3], actor=front, organisation=front_org,
                         body="Ủy ban Mặt trận Tổ quốc đề nghị công khai phương án bồi thường và tổ chức hội nghị "
                              "đối thoại với các hộ bị thu hồi đất trước khi phê duyệt (phản biện xã hội).")
        counts["comments"] += 1
    counts["consultations"] += 1

    # 2. Finished: the drafting body answered every group of comments and published its report.
    market = s.consultation_create(
        actor=leader, unit=commune, content=ConsultationContent.objects.get(code="du_thao_van_ban_xa"),
        title=CLOSED_TITLE.format(commune=commune.name), opens_at=now - dt.timedelta(days=40),
        closes_at=now + dt.timedelta(days=1), drafting_body=ubnd,
        summary="Dự thảo quyết định của Ủy ban nhân dân về quản lý, khai thác chợ dân sinh.")
    rules = [s.section_add(actor=leader, consultation=market, label=label, body=body) for label, body in (
        ("Điều 1", "Chợ mở cửa từ 5 giờ đến 19 giờ hằng ngày."),
        ("Điều 2", "Hộ kinh doanh nộp phí sử dụng diện tích bán hàng theo tháng."),
        ("Điều 3", "Ban quản lý chợ bố trí khu vực thu gom rác thải riêng."))]
    asked = s.comment_submit(section=rules[0], body="Đề nghị mở cửa chợ từ 4 giờ 30 để bà con bán rau sớm.",
                             author_name="Nguyễn Thị Hoa")
    fee = s.comment_submit(section=rules[1], body="Đề nghị cho nộp phí theo quý để giảm thủ tục.")
    counts["comments"] += 2
    Consultation.objects.filter(pk=market.pk).update(closes_at=now - dt.timedelta(days=5))
    market.refresh_from_db()
    s.answer_add(actor=leader, section=rules[0], kind=AnswerKind.ACCEPTED, comment_ids=[asked.pk],
                 body="Tiếp thu: sửa thời gian mở cửa thành từ 4 giờ 30 đến 19 giờ.")
    s.answer_add(actor=leader, section=rules[1], kind=AnswerKind.EXPLAINED, comment_ids=[fee.pk],
                 body="Giải trình: phí thu theo tháng theo nghị quyết của Hội đồng nhân dân thành phố; hộ kinh doanh "
                      "có thể nộp trước nhiều tháng.")
    s.report_publish(actor=leader, consultation=market)
    counts["consultations"] += 1

    # 3. Statements mode: two planted camps (residents, shop owners) vote; groups computed.
    street = s.consultation_create(
        actor=leader, unit=commune, content=ConsultationContent.objects.get(code="du_an_dau_tu"),
        title=STATEMENTS_TITLE.format(commune=commune.name), statements_enabled=True, drafting_body=ubnd,
        summary="Người dân gửi ý kiến ngắn và biểu quyết đồng ý / không đồng ý với ý kiến của người khác.",
        opens_at=now - dt.timedelta(days=7), closes_at=now + dt.timedelta(days=14))
    s.section_add(actor=leader, consultation=street, label="Mục I", title="Phương án chỉnh trang",
                  body="Lát lại vỉa hè, trồng cây xanh, bố trí bãi đỗ xe chung cho khu dân cư.")
    statements = []
    for i, text in enumerate(STATEMENTS):
        statement = s.statement_submit(consultation=street, text=text, author_key=_key("demo-author", i))
        statements.append(s.statement_moderate(actor=leader, statement=statement, accept=True))
    pending = s.statement_submit(consultation=street, text="Nên làm thêm mái che cho khu chợ tạm.",
                                 author_key=_key("demo-author", "pending"))
    s.statement_moderate(actor=leader, statement=pending, accept=False,
                         reason="Không thuộc nội dung lấy ý kiến (đã có đợt lấy ý kiến về chợ)")
    # Residents agree with 0, 1, 2, 4; shop owners with 0, 3, 9; everyone agrees with 4 and 11.
    leaning = {"residents": [1, 1, 1, -1, 1, 0, 1, 1, 0, -1, 1, 1], "shops": [1, -1, -1, 1, 1, 1, 0, 1, -1, 1, -1, 1]}
    votes = []
    for camp, stance in leaning.items():
        for p in range(35 if camp == "residents" else 25):
            key = _key("demo-participant", street.pk, camp, p)
            for j in rng.sample(range(len(statements)), rng.randint(7, len(statements))):
                want = stance[j]
                draw = rng.random()
                vote = (rng.choice((-1, 0, 1)) if want == 0 else want if draw < 0.8 else 0 if draw < 0.9 else -want)
                votes.append(StatementVote(statement=statements[j], participant_key=key, vote=vote))
    StatementVote.objects.bulk_create(votes)
    counts["votes"] += len(votes)
    s.opinion_compute(consultation_id=street.pk, actor=leader)
    counts["consultations"] += 1
    return counts
