"""Demo cases for `danvan demo-data`: feedback, petitions, complaints and denunciations in every
state of the workflow, in the demo communes, with believable Vietnamese texts.

How it works, and why:

- **Plan, then act.** ``case_plans`` turns the run's seed into a list of ``CasePlan`` (kind,
  field, texts, place, who submits, the steps up to the final state, how many days ago each
  step happened). It draws only from ``DemoContext.rng_for`` with one stream per case, so a
  case's plan does not depend on the scale or on the other cases; a large run keeps the
  small run's cases as its first ones.
- **Through the real services.** Every case is submitted with ``case_submit`` and moved with
  the workflow's typed doors (``case_accept``, ``case_assign``…, ``case_extend``,
  ``case_rate``), as the demo officials of ``ctx.officials`` and the citizen holding the
  code; guards, redaction of the published answer, timeline events and audit entries are
  the application's own.
- **History in the past.** The services take "now" from the clock, and demo data must
  look like months of work. The steps run now; each one is remembered with the moment it is
  meant to have happened, and at the end ``_settle`` moves the rows the steps wrote (case
  dates, timeline, answers, information requests, extensions, transfers, ratings, outbox)
  to those moments and recomputes every deadline with ``deadlines`` from the moved dates,
  replaying the timeline (acceptance, pauses, extensions, reopening). The audit trail is
  left alone: it truthfully records when the demo data was made.
- **No notification storm.** Citizens and officials of months-old steps must not be
  e-mailed today. After each step the events it wrote are announced to the receivers at
  once (the same signal the commit would send), so the outbox gets its rows with the right
  content; those rows are then recorded as sent at the step's moment. When the transaction
  commits, the usual after-commit announcement finds every notification already queued
  (dedupe keys) and delivery finds nothing pending.
- **Idempotent.** Each case is submitted with the idempotency key ``demo:<seed>:<unit>:<n>``;
  a re-run skips every key that exists, so it creates nothing and is quick.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.core.text import fold
from danvan.demo.generators import DEMO_EMAIL_DOMAIN
from danvan.demo.names import person, phone
from danvan.demo.registry import DemoContext, register
from danvan.units.models import Level, Organisation, OrganisationKind, Status, Unit

from . import deadlines
from .models import (
    Answer,
    Case,
    CaseEvent,
    CaseRating,
    Channel,
    EventKind,
    Extension,
    Field,
    IdempotencyKey,
    InformationRequest,
    Instance,
    Kind,
    Transfer,
)
from .services import (
    Denouncer,
    Submitter,
    case_accept,
    case_approve_answer,
    case_assign,
    case_close,
    case_draft_answer,
    case_extend,
    case_info_received,
    case_merge,
    case_refuse,
    case_reopen,
    case_request_info,
    case_return_answer,
    case_send_answer,
    case_start,
    case_submit,
    case_submit_answer,
    case_transfer,
)
from .services_citizen import case_rate
from .signals import case_event_committed

# Cases per demo commune (the 2-3 communes with demo officials), plus cases at the province.
CASES_PER_COMMUNE = {"small": 70, "large": 200}
CASES_AT_PROVINCE = {"small": 8, "large": 20}
KEY_PREFIX = "demo"

# --- texts --------------------------------------------------------------------------------

# Per field code: (title, description). {place} is a spot in the commune, {time} how long.
TEXTS: dict[str, list[tuple[str, str]]] = {
    "dat_dai": [
        ("Tranh chấp ranh giới thửa đất với hộ liền kề",
         "Gia đình tôi ở {place} có tranh chấp ranh giới thửa đất với hộ liền kề {time}. Hộ bên cạnh tự ý "
         "xây tường rào lấn sang khoảng 0,8 m. Đề nghị UBND phường kiểm tra, đo đạc lại và hòa giải."),
        ("Chậm cấp giấy chứng nhận quyền sử dụng đất",
         "Tôi nộp hồ sơ đề nghị cấp giấy chứng nhận quyền sử dụng đất cho thửa đất ở {place} {time} nhưng "
         "đến nay chưa có kết quả, cũng không được thông báo lý do. Kính đề nghị xem xét giải quyết."),
        ("Lấn chiếm đất công làm bãi trông giữ xe",
         "Một số hộ dân tự ý quây tôn lấn chiếm khu đất công ở {place} làm bãi trông giữ xe thu tiền {time}. "
         "Đề nghị chính quyền kiểm tra, xử lý và thu hồi đất công."),
    ],
    "boi_thuong_tai_dinh_cu": [
        ("Chưa nhận tiền bồi thường giải phóng mặt bằng",
         "Gia đình tôi bị thu hồi đất để mở rộng đường tại {place} nhưng {time} vẫn chưa nhận được tiền bồi "
         "thường, hỗ trợ theo phương án đã phê duyệt. Đề nghị xem xét chi trả."),
        ("Kiểm đếm tài sản trên đất không đúng thực tế",
         "Biên bản kiểm đếm tài sản trên đất bị thu hồi ở {place} ghi thiếu diện tích nhà và cây trồng của "
         "gia đình tôi. Đề nghị tổ chức kiểm đếm lại có mặt hộ dân."),
    ],
    "moi_truong": [
        ("Rác thải tập kết trái phép bốc mùi",
         "Rác thải sinh hoạt bị đổ trộm ở {place} {time}, bốc mùi hôi thối, ruồi muỗi nhiều, ảnh hưởng sức "
         "khỏe người dân. Đề nghị thu gom và xử lý người đổ rác."),
        ("Quán karaoke gây tiếng ồn đến khuya",
         "Quán karaoke ở {place} mở nhạc to đến 1–2 giờ sáng {time}, người già và trẻ nhỏ không ngủ được. "
         "Đề nghị kiểm tra, xử lý theo quy định về tiếng ồn."),
        ("Xưởng sản xuất xả nước thải ra cống chung",
         "Xưởng sản xuất nhỏ ở {place} xả nước thải có màu, mùi lạ ra cống thoát nước chung {time}. Đề nghị "
         "cơ quan chức năng lấy mẫu kiểm tra."),
    ],
    "trat_tu_do_thi_xay_dung": [
        ("Xây dựng không phép, cơi nới lấn ra ngõ",
         "Nhà số 18 ở {place} đang xây dựng thêm tầng và cơi nới ban công lấn ra ngõ, không treo biển giấy "
         "phép xây dựng. Đề nghị kiểm tra, xử lý."),
        ("Lấn chiếm vỉa hè bán hàng",
         "Các hộ kinh doanh ở {place} bày hàng, để xe kín vỉa hè {time}, người đi bộ phải xuống lòng "
         "đường rất nguy hiểm. Đề nghị lập lại trật tự đô thị."),
    ],
    "giao_thong": [
        ("Mặt đường sụt lún, nhiều ổ gà",
         "Đoạn đường ở {place} bị sụt lún, nhiều ổ gà sâu {time}, trời mưa đọng nước, đã có người đi xe máy "
         "bị ngã. Đề nghị sửa chữa sớm."),
        ("Đèn tín hiệu giao thông không hoạt động",
         "Đèn tín hiệu tại nút giao gần {place} bị hỏng {time}, giờ cao điểm thường xuyên ùn tắc. Đề nghị "
         "khắc phục."),
    ],
    "an_sinh_xa_hoi": [
        ("Chưa được hưởng trợ cấp người cao tuổi",
         "Mẹ tôi năm nay 81 tuổi, cư trú tại {place}, đã làm hồ sơ đề nghị hưởng trợ cấp xã hội {time} nhưng "
         "chưa được giải quyết. Kính đề nghị xem xét."),
        ("Đề nghị xem xét lại danh sách hộ cận nghèo",
         "Danh sách hộ cận nghèo năm nay ở {place} có hộ điều kiện kinh tế khá vẫn được đưa vào, trong khi hộ "
         "khó khăn thực sự lại không có. Đề nghị rà soát công khai."),
    ],
    "y_te": [
        ("Nhiều ca sốt xuất huyết, đề nghị phun thuốc",
         "Khu dân cư {place} có nhiều ca sốt xuất huyết {time}. Đề nghị phun thuốc diệt muỗi và tổ chức "
         "vệ sinh môi trường."),
        ("Trạm y tế thiếu thuốc bảo hiểm y tế",
         "Người dân khám bảo hiểm y tế tại trạm y tế gần {place} thường xuyên phải tự mua thuốc vì trạm "
         "không có thuốc {time}. Đề nghị kiểm tra."),
    ],
    "giao_duc": [
        ("Thu các khoản ngoài quy định đầu năm học",
         "Trường tiểu học gần {place} thu nhiều khoản ngoài quy định đầu năm học (quỹ lớp, tiền điều hòa, "
         "tiền vệ sinh). Đề nghị kiểm tra việc lạm thu."),
        ("Phòng học xuống cấp, mưa dột",
         "Điểm trường mầm non ở {place} có phòng học bị thấm dột {time}, tường nứt. Đề nghị sửa chữa bảo "
         "đảm an toàn cho các cháu."),
    ],
    "dien_nuoc": [
        ("Mất nước sinh hoạt kéo dài",
         "Khu vực {place} mất nước sinh hoạt {time}, không có thông báo trước. Đề nghị đơn vị cấp nước khắc "
         "phục và thông báo lịch cấp nước."),
        ("Đèn chiếu sáng công cộng bị hỏng",
         "Dãy đèn chiếu sáng ở {place} bị hỏng {time}, buổi tối tối om, mất an toàn. Đề nghị sửa chữa."),
    ],
    "thu_tuc_hanh_chinh": [
        ("Hồ sơ đăng ký khai sinh bị trễ hẹn",
         "Tôi nộp hồ sơ đăng ký khai sinh cho con tại bộ phận một cửa {time}, phiếu hẹn đã quá ngày mà chưa "
         "có kết quả. Đề nghị giải quyết và trả lời lý do chậm."),
        ("Yêu cầu nộp thêm giấy tờ không cần thiết",
         "Khi làm thủ tục chứng thực tại bộ phận một cửa, cán bộ yêu cầu nộp thêm nhiều giấy tờ không có "
         "trong quy định. Đề nghị chấn chỉnh."),
    ],
}
PETITIONS: list[tuple[str, str, str]] = [
    ("giao_thong", "Kiến nghị lắp gờ giảm tốc trước cổng trường",
     "Xe máy, ô tô đi rất nhanh qua đoạn đường trước cổng trường ở {place}. Cử tri kiến nghị lắp gờ giảm tốc "
     "và biển báo khu vực trường học."),
    ("moi_truong", "Kiến nghị bố trí thêm điểm thu gom rác",
     "Khu dân cư {place} đông dân nhưng chỉ có một điểm thu gom rác. Kiến nghị bố trí thêm điểm tập kết và "
     "tăng số chuyến thu gom."),
    ("dien_nuoc", "Kiến nghị cải tạo đường ống cấp nước cũ",
     "Đường ống cấp nước ở {place} đã cũ, thường xuyên vỡ, nước yếu. Kiến nghị cải tạo, thay mới."),
    ("giao_duc", "Kiến nghị xây thêm phòng học",
     "Trường mầm non ở {place} quá tải, một lớp hơn 40 cháu. Kiến nghị đầu tư xây thêm phòng học."),
    ("an_sinh_xa_hoi", "Kiến nghị hỗ trợ người lao động mất việc",
     "Nhiều lao động ở {place} mất việc sau khi doanh nghiệp giải thể. Kiến nghị hỗ trợ học nghề, giới thiệu "
     "việc làm."),
]
COMPLAINTS: list[tuple[str, str, str]] = [
    ("dat_dai", "Khiếu nại quyết định xử phạt vi phạm hành chính về đất đai",
     "Tôi khiếu nại Quyết định xử phạt vi phạm hành chính về lấn chiếm đất tại {place}. Phần diện tích bị cho "
     "là lấn chiếm đã được gia đình tôi sử dụng ổn định từ năm 1993, có giấy tờ mua bán viết tay."),
    ("boi_thuong_tai_dinh_cu", "Khiếu nại phương án bồi thường, hỗ trợ",
     "Tôi khiếu nại phương án bồi thường, hỗ trợ khi thu hồi đất tại {place}: đơn giá bồi thường thấp hơn giá "
     "thị trường, chưa tính khoản hỗ trợ chuyển đổi nghề."),
    ("trat_tu_do_thi_xay_dung", "Khiếu nại quyết định cưỡng chế tháo dỡ công trình",
     "Tôi khiếu nại quyết định cưỡng chế tháo dỡ phần công trình phụ của gia đình ở {place}; công trình xây "
     "trên đất của gia đình, không lấn ra ngõ."),
    ("an_sinh_xa_hoi", "Khiếu nại việc không xét hộ cận nghèo",
     "Tôi khiếu nại việc Ban chỉ đạo rà soát không đưa gia đình tôi ở {place} vào danh sách hộ cận nghèo dù "
     "thu nhập bình quân dưới chuẩn."),
]
DENUNCIATIONS: list[tuple[str, str, str]] = [
    ("dat_dai", "Tố cáo cán bộ địa chính nhận tiền để hợp thức hóa đất lấn chiếm",
     "Tôi tố cáo cán bộ địa chính phường có hành vi nhận tiền của một số hộ để xác nhận nguồn gốc đất không "
     "đúng thực tế cho các thửa đất lấn chiếm ở {place}."),
    ("thu_tuc_hanh_chinh", "Tố cáo hành vi sách nhiễu khi giải quyết thủ tục",
     "Tôi tố cáo cán bộ bộ phận một cửa gợi ý người dân nộp thêm tiền \"bồi dưỡng\" để hồ sơ được giải quyết "
     "nhanh."),
    ("trat_tu_do_thi_xay_dung", "Tố cáo việc bao che công trình xây dựng sai phép",
     "Tôi tố cáo cán bộ phụ trách trật tự xây dựng bao che cho công trình xây vượt tầng ở {place}, nhiều lần "
     "người dân phản ánh nhưng không xử lý."),
]
TIMES = ("nhiều ngày nay", "từ tháng trước", "đã hơn hai tuần", "kéo dài mấy tháng nay", "gần một tuần nay")
QUESTIONS = (
    "Đề nghị ông/bà cung cấp thêm ảnh chụp hiện trường và thời điểm cụ thể xảy ra sự việc.",
    "Đề nghị ông/bà cho biết số thửa, số tờ bản đồ của thửa đất liên quan.",
    "Đề nghị ông/bà cung cấp bản sao phiếu hẹn trả kết quả và giấy tờ liên quan.",
)
RESPONSES = ("Tôi đã gửi bổ sung ảnh chụp và thời gian cụ thể qua bộ phận một cửa.",
             "Tôi xin bổ sung: thửa số 125, tờ bản đồ số 07.")
RETURN_NOTES = ("Đề nghị bổ sung căn cứ pháp lý và kết quả kiểm tra thực tế trước khi trình lại.",
                "Nội dung trả lời chưa nêu rõ thời hạn khắc phục; đề nghị chỉnh sửa.")
EXTENSION_REASONS = ("Vụ việc phức tạp, cần phối hợp với đơn vị cấp nước và tổ dân phố kiểm tra thực địa.",
                     "Cần xác minh thêm hồ sơ địa chính lưu trữ qua các thời kỳ.")
REFUSE_REASONS = ("Đơn không đủ điều kiện thụ lý: nội dung đã được giải quyết bằng quyết định có hiệu lực "
                  "pháp luật.",
                  "Đơn không thuộc thẩm quyền giải quyết; đã hướng dẫn người gửi đến cơ quan có thẩm quyền.")
TRANSFER_REASONS = ("Nội dung thuộc địa bàn và thẩm quyền của đơn vị nhận.",
                    "Vụ việc liên quan nhiều địa bàn, vượt thẩm quyền cấp xã: chuyển lên cấp tỉnh.")
COMMENTS = ("Cảm ơn chính quyền đã xử lý nhanh.", "Đã được khắc phục, tôi hài lòng.",
            "Trả lời chậm nhưng đã giải quyết được.", "")
LOW_COMMENTS = ("Sự việc vẫn tiếp diễn sau khi trả lời.", "Chưa giải quyết dứt điểm.")
REOPEN_REASONS = ("Sau khi trả lời, tình trạng vẫn tái diễn; đề nghị kiểm tra lại.",
                  "Việc khắc phục mới làm một phần, đề nghị xử lý dứt điểm.")
INFO_CLOSE_NOTE = ("Đã kiểm tra thông tin phản ánh trong tố cáo không rõ người tố cáo; nội dung đã được "
                   "chuyển bộ phận thanh tra để theo dõi.")


def _answer_text(plan: CasePlan, unit_name: str) -> str:
    """The answer a handler drafts: it names the person and the house, so redaction has work."""
    addressee = f"ông/bà {plan.submitter_name}" if plan.submitter_name else "người phản ánh"
    return (f"{unit_name} trả lời {addressee} như sau:\n"
            f"Ngày làm việc sau khi nhận được nội dung «{plan.title}», tổ công tác đã kiểm tra thực tế tại "
            f"{plan.address or unit_name}. Kết quả: nội dung phản ánh là có cơ sở; đơn vị đã yêu cầu các hộ, "
            "tổ chức liên quan khắc phục và sẽ tiếp tục giám sát. "
            f"Mọi vướng mắc xin liên hệ cán bộ phụ trách [[{plan.handler_hint}]] để được hướng dẫn.")


# --- the plan -----------------------------------------------------------------------------

# Final states of a plan; a plan's steps are derived from its scenario and kind.
FEEDBACK_SCENARIOS: dict[str, float] = {
    "received": 9, "assigned": 7, "in_progress": 8, "awaiting_info": 4, "info_received": 3, "extended": 3,
    "awaiting_approval": 5, "returned": 3, "approved": 3, "answered": 7, "closed": 20, "rated": 10,
    "reopened": 3, "merged": 3, "transfer_sideways": 2, "transfer_up": 2,
}
COMPLAINT_SCENARIOS: dict[str, float] = {
    "received": 3, "accepted": 3, "refused": 2, "assigned": 2, "in_progress": 3, "extended": 2,
    "awaiting_approval": 2, "answered": 2, "closed": 5,
}
DENUNCIATION_SCENARIOS: dict[str, float] = {
    "received": 2, "accepted": 2, "refused": 1, "in_progress": 2, "extended": 2, "answered": 1, "closed": 3,
}
INFORMATION_SCENARIOS: dict[str, float] = {"received": 1, "in_progress": 1, "closed": 2}
# The first cases of the first commune walk through every scenario, so even a tiny run shows all states.
COVERAGE: list[tuple[str, str]] = (
    [(Kind.FEEDBACK, s) for s in FEEDBACK_SCENARIOS]
    + [(Kind.COMPLAINT, s) for s in ("accepted", "refused", "extended", "closed")]
    + [(Kind.DENUNCIATION, s) for s in ("accepted", "in_progress", "closed")]
    + [("information", s) for s in ("received", "closed")]
    + [(Kind.PETITION, "closed")]
)
KIND_WEIGHTS = {Kind.FEEDBACK: 58, Kind.PETITION: 18, Kind.COMPLAINT: 14, Kind.DENUNCIATION: 8, "information": 2}
# Scenarios whose case stays open in a state another case may be merged into.
MERGE_TARGETS = frozenset({"received", "assigned", "in_progress", "extended", "awaiting_approval", "returned"})
FINISHED = frozenset({"answered", "closed", "rated", "reopened", "refused"})


@dataclass
class CasePlan:
    key: str
    unit_code: str
    kind: str
    instance: int | None
    field_code: str
    title: str
    description: str
    address: str
    latitude: float | None
    longitude: float | None
    channel: str
    submitter_name: str
    submitter_phone: str
    submitter_email: str
    wants_updates: bool
    denouncer: Denouncer | None
    scenario: str
    steps: list[str]
    # Days before the run each moment lies: the receipt, then one per step (fractions allowed).
    ages: list[float]
    handler_hint: str = ""
    merge_into: str = ""  # key of the surviving case
    score: int = 0
    comment: str = ""
    choice: int = 0  # which canned reason/question to use
    extra: dict[str, Any] = field(default_factory=dict)


def _weighted(rng: random.Random, table: Mapping[Any, float]) -> Any:
    keys = list(table)
    return rng.choices(keys, weights=[table[k] for k in keys])[0]


def _steps(kind: str, scenario: str, *, at_province: bool) -> list[str]:
    """The workflow steps from submission to ``scenario``'s final state."""
    information = kind == "information"
    needs_accept = kind in (Kind.COMPLAINT, Kind.DENUNCIATION)
    if scenario == "received":
        return []
    if scenario == "accepted":
        return ["accept"]
    if scenario == "refused":
        return ["refuse"]
    if scenario == "merged":
        return ["merge"]
    if scenario == "transfer_sideways":
        return ["transfer_sideways", "assign", "start"]
    if scenario == "transfer_up":
        return ["transfer_up"]
    head = (["accept"] if needs_accept else []) + ["assign"]
    if at_province:
        return head + ({"assigned": [], "in_progress": ["start"]}.get(scenario, ["start"]))
    if information:
        return head + (["start"] if scenario == "in_progress" else ["start", "close_information"])
    work = ["start"]
    answer = ["draft", "submit", "approve"]
    table = {
        "assigned": [],
        "in_progress": [*work, "draft"],
        "awaiting_info": [*work, "request_info"],
        "info_received": [*work, "request_info", "info_received", "draft"],
        "extended": [*work, "extend"],
        "awaiting_approval": [*work, "draft", "submit"],
        "returned": [*work, "draft", "submit", "return"],
        "approved": work + answer,
        "answered": work + answer + ["send"],
        "closed": work + answer + ["send", "close"],
        "rated": work + answer + ["send", "rate", "close"],
        "reopened": work + answer + ["send", "rate", "reopen"],
    }
    return head + table[scenario]


def _limit_days(kind: str) -> float:
    """Rough calendar days a case of this kind has from receipt to answer (for a plausible history)."""
    limits: dict[str, float] = {Kind.FEEDBACK: 21, Kind.PETITION: 21, Kind.COMPLAINT: 40, Kind.DENUNCIATION: 40}
    return limits.get(kind, 20)


def _ages(rng: random.Random, kind: str, scenario: str, n_steps: int) -> list[float]:
    """Days before now of the receipt and each step, oldest first."""
    limit = _limit_days(kind)
    if scenario in FINISHED:
        # Most answers come before the deadline, some after (the on-time table needs both).
        span = limit * (rng.uniform(0.25, 0.95) if rng.random() < 0.85 else rng.uniform(1.05, 1.6))
        age = span + rng.uniform(1, 150)
    elif scenario in ("received", "accepted", "transfer_up"):
        age = rng.uniform(0.2, limit * 0.9) if rng.random() < 0.8 else rng.uniform(limit, limit * 2)
        span = age * rng.uniform(0.1, 0.8)
    else:
        age = rng.uniform(2, limit * 1.1) if rng.random() < 0.8 else rng.uniform(limit, limit * 2.5)
        span = age * rng.uniform(0.3, 0.9)
    span = min(span, age - 0.05)
    points = sorted(rng.uniform(0.02, 1.0) for _ in range(n_steps))
    return [age] + [age - span * p for p in points]


def _place(rng: random.Random, commune: Unit, villages: list[str]) -> tuple[str, float | None, float | None]:
    village = rng.choice(villages) if villages else ""
    address = f"{village}, {commune.name}" if village else commune.name
    if commune.latitude is not None and commune.longitude is not None and rng.random() < 0.8:
        # Within ~600 m of the commune's centroid: inside the commune for all but the smallest.
        return (address, round(commune.latitude + rng.uniform(-0.005, 0.005), 6),
                round(commune.longitude + rng.uniform(-0.005, 0.005), 6))
    return address, None, None


def _plan_one(ctx: DemoContext, unit: Unit, index: int, villages: list[str], *,
              forced: tuple[str, str] | None, at_province: bool) -> CasePlan:
    rng = ctx.rng_for("cases", unit.code, index)
    kind: str
    scenario: str
    if at_province:
        kind, scenario = str(Kind.COMPLAINT), rng.choice(["received", "accepted", "assigned", "in_progress"])
    elif forced is not None:
        kind, scenario = forced
    else:
        kind = _weighted(rng, KIND_WEIGHTS)
        scenario = _weighted(rng, {Kind.FEEDBACK: FEEDBACK_SCENARIOS, Kind.PETITION: FEEDBACK_SCENARIOS,
                                   Kind.COMPLAINT: COMPLAINT_SCENARIOS, Kind.DENUNCIATION: DENUNCIATION_SCENARIOS,
                                   "information": INFORMATION_SCENARIOS}[kind])
    if kind == Kind.FEEDBACK:
        field_code = rng.choice(sorted(TEXTS))
        title, description = rng.choice(TEXTS[field_code])
    else:
        banks: dict[str, list[tuple[str, str, str]]] = {Kind.PETITION: PETITIONS, Kind.COMPLAINT: COMPLAINTS}
        bank = banks.get(kind, DENUNCIATIONS)
        field_code, title, description = rng.choice(bank)
    place, lat, lon = _place(rng, unit, villages)
    description = description.format(place=place, time=rng.choice(TIMES))
    province_code = ctx.focus_province.code
    someone = person(rng, province_code=province_code)
    name = tel = email = ""
    denouncer = None
    if kind in (Kind.DENUNCIATION, "information"):
        if kind == Kind.DENUNCIATION:
            denouncer = Denouncer(name=someone.full_name, address=place, phone=phone(rng),
                                  id_number=f"0010{rng.randrange(10**8):08d}")
    elif kind == Kind.COMPLAINT or rng.random() < 0.8:
        name = someone.full_name
        if rng.random() < 0.7:
            tel = phone(rng)
        if rng.random() < 0.3:
            email = f"{fold(name).replace(' ', '.')}{rng.randrange(100)}@{DEMO_EMAIL_DOMAIN}"
    wants_updates = bool(tel or email) and rng.random() < 0.6
    if kind in (Kind.COMPLAINT, Kind.DENUNCIATION):
        channel = rng.choice([Channel.WALK_IN, Channel.LETTER, Channel.WEB])
    else:
        channel = rng.choices([Channel.WEB, Channel.HOTLINE, Channel.WALK_IN, Channel.API],
                              weights=[60, 15, 15, 10])[0]
    steps = _steps(kind, scenario, at_province=at_province)
    low = scenario == "reopened"
    return CasePlan(
        key=f"{KEY_PREFIX}:{ctx.seed}:{unit.code}:{index:04d}", unit_code=unit.code,
        kind=Kind.DENUNCIATION if kind == "information" else kind,
        instance=(Instance.SECOND if at_province else Instance.FIRST) if kind == Kind.COMPLAINT else None,
        field_code=field_code, title=title, description=description, address=place, latitude=lat, longitude=lon,
        channel=channel, submitter_name=name, submitter_phone=tel, submitter_email=email,
        wants_updates=wants_updates, denouncer=denouncer, scenario=scenario, steps=steps,
        ages=_ages(rng, kind, scenario, len(steps)), handler_hint=person(rng, province_code=province_code).full_name,
        score=rng.choice([1, 2]) if low else rng.choices([3, 4, 5], weights=[2, 4, 4])[0],
        comment=rng.choice(LOW_COMMENTS if low else COMMENTS), choice=rng.randrange(6),
    )


def _limited(ctx: DemoContext) -> bool:
    """Whether the run covers only some communes of the focus province (``--communes-limit``)."""
    province = ctx.focus_province
    covered = sum(1 for c in ctx.communes if c.parent_id == province.pk)
    total = Unit.objects.filter(parent=province, level=Level.COMMUNE, status=Status.ACTIVE).count()
    return covered < total


def case_plans(ctx: DemoContext, villages_by_unit: dict[int, list[str]], *, limited: bool = False) -> list[CasePlan]:
    """Every case of the run, in the order they are made (deterministic for a seed and scale).

    A run limited to a few communes (a quick look, the test suite) gets only the cases that
    walk through every state, in the first demo commune: each case costs a dozen service calls.
    """
    plans: list[CasePlan] = []
    per_commune = CASES_PER_COMMUNE[ctx.scale]
    for number, commune in enumerate(ctx.focus_communes):
        if limited:
            per_commune = len(COVERAGE) if number == 0 else 0
        villages = villages_by_unit.get(commune.pk, [])
        mine: list[CasePlan] = []
        for i in range(per_commune):
            forced = COVERAGE[i] if number == 0 and i < len(COVERAGE) else None
            plan = _plan_one(ctx, commune, i, villages, forced=forced, at_province=False)
            if plan.scenario == "merged":
                # A duplicate repeats an open case of the same kind in the same commune.
                target = next((p for p in reversed(mine) if p.kind == plan.kind and p.scenario in MERGE_TARGETS
                               and not p.merge_into and p.denouncer is None), None)
                if target is None or plan.kind == Kind.DENUNCIATION:
                    plan.scenario, plan.steps = "received", []
                    plan.ages = plan.ages[:1]
                else:
                    plan.merge_into = target.key
                    plan.field_code, plan.title = target.field_code, target.title
                    plan.description = target.description
                    plan.address, plan.latitude, plan.longitude = target.address, target.latitude, target.longitude
                    # The duplicate arrives while the case it repeats is being handled, and is
                    # merged after that case's latest step.
                    rng = ctx.rng_for("cases.merge", commune.code, i)
                    last = max(target.ages[-1], 0.1)
                    arrived = last + (target.ages[0] - last) * rng.uniform(0.1, 0.9)
                    plan.ages = [arrived, last * rng.uniform(0.3, 0.9)]
            mine.append(plan)
        plans.extend(mine)
    if ctx.focus_communes:
        for i in range(2 if limited else CASES_AT_PROVINCE[ctx.scale]):
            plans.append(_plan_one(ctx, ctx.focus_province, i, [], forced=None, at_province=True))
    return plans


# --- acting it out ------------------------------------------------------------------------

class _History:
    """Real time of each step ↔ the moment it is meant to have happened, for ``_settle``."""

    def __init__(self) -> None:
        self.starts: list[dt.datetime] = []
        self.moments: list[dt.datetime] = []
        self.last_event_id = CaseEvent.objects.aggregate(m=Max("id"))["m"] or 0

    def begin(self, moment: dt.datetime) -> None:
        now = timezone.now()
        if self.starts and now <= self.starts[-1]:
            now = self.starts[-1] + dt.timedelta(microseconds=1)
        self.starts.append(now)
        self.moments.append(moment)

    def map(self, value: dt.datetime | None) -> dt.datetime | None:
        if value is None:
            return None
        i = bisect.bisect_right(self.starts, value) - 1
        if i < 0:
            return value
        return self.moments[i] + (value - self.starts[i])

    def announce(self) -> None:
        """Hand this step's events to the receivers now (see the module docstring)."""
        for event in CaseEvent.objects.filter(id__gt=self.last_event_id).order_by("id"):
            case_event_committed.send(sender=CaseEvent, case_id=event.case_id, event_id=event.pk,
                                      kind=event.kind, public=event.public)
            self.last_event_id = event.pk


def _moment(now: dt.datetime, days_ago: float, *, office_hours: bool) -> dt.datetime:
    moment = now - dt.timedelta(days=days_ago)
    if office_hours:
        local = timezone.localtime(moment)
        if local.hour < 8 or local.hour >= 17:
            # Officials act in office hours: the same day's afternoon or the next morning.
            shifted = local.replace(hour=8 + local.minute % 9, minute=local.second)
            moment = shifted if shifted <= timezone.localtime(now) else moment
    return min(moment, now - dt.timedelta(minutes=5))


@dataclass
class _Cast:
    leader: Any
    intake: Any
    handler: Any


def _cast(ctx: DemoContext, unit: Unit) -> _Cast | None:
    if unit.level == Level.PROVINCE:
        leader = ctx.officials.get("province.leader")
        return _Cast(leader, leader, leader) if leader is not None else None
    key = f"commune.{unit.code}"
    leader, intake, handler = (ctx.officials.get(f"{key}.{r}") for r in ("leader", "intake_officer", "handler"))
    if leader is None or intake is None or handler is None:
        return None
    return _Cast(leader, intake, handler)


def _act(plan: CasePlan, case: Case, step: str, *, cast: _Cast, casts: dict[str, _Cast],
         units: dict[str, Unit], cases_by_key: dict[str, Case]) -> Case:
    c = plan.choice
    if step == "accept":
        return case_accept(actor=cast.intake, case=case)
    if step == "refuse":
        return case_refuse(actor=cast.intake, case=case, reason=REFUSE_REASONS[c % len(REFUSE_REASONS)])
    if step == "assign":
        return case_assign(actor=cast.leader, case=case, handler=cast.handler)
    if step == "start":
        return case_start(actor=cast.handler, case=case)
    if step == "request_info":
        return case_request_info(actor=cast.handler, case=case, question=QUESTIONS[c % len(QUESTIONS)])
    if step == "info_received":
        return case_info_received(actor=cast.intake, case=case, response=RESPONSES[c % len(RESPONSES)])
    if step == "extend":
        return case_extend(actor=cast.leader, case=case, reason=EXTENSION_REASONS[c % len(EXTENSION_REASONS)],
                           notice_reference=f"{100 + c * 17}/TB-UBND")
    if step == "draft":
        return case_draft_answer(actor=cast.handler, case=case, text=_answer_text(plan, case.organisation.name))
    if step == "submit":
        return case_submit_answer(actor=cast.handler, case=case)
    if step == "approve":
        return case_approve_answer(actor=cast.leader, case=case)
    if step == "return":
        return case_return_answer(actor=cast.leader, case=case, note=RETURN_NOTES[c % len(RETURN_NOTES)])
    if step == "send":
        return case_send_answer(actor=cast.handler, case=case)
    if step == "close":
        return case_close(actor=cast.handler, case=case)
    if step == "close_information":
        return case_close(actor=cast.handler, case=case, note=INFO_CLOSE_NOTE)
    if step == "rate":
        case_rate(code=case.code, score=plan.score, comment=plan.comment)
        return case
    if step == "reopen":
        return case_reopen(case=case, reason=REOPEN_REASONS[c % len(REOPEN_REASONS)], code=case.code)
    if step == "merge":
        return case_merge(actor=cast.intake, duplicate=case, into=cases_by_key[plan.merge_into])
    if step in ("transfer_sideways", "transfer_up"):
        if step == "transfer_up":
            target_unit = units["province"]
        else:
            others = [u for code, u in units.items() if code not in ("province", case.unit.code)]
            target_unit = others[0] if others else units["province"]
        organisation = Organisation.objects.get(unit=target_unit, kind=OrganisationKind.PEOPLES_COMMITTEE,
                                                active=True)
        moved = case_transfer(actor=cast.intake, case=case, organisation=organisation,
                              reason=TRANSFER_REASONS[1 if step == "transfer_up" else 0])
        # The receiving unit's officials carry on from here.
        plan.extra["cast"] = casts[target_unit.code]
        return moved
    raise ValueError(step)


OFFICE_STEPS = frozenset({"accept", "refuse", "assign", "start", "request_info", "extend", "draft", "submit",
                          "approve", "return", "send", "close", "close_information", "merge", "transfer_sideways",
                          "transfer_up", "info_received"})


def _run_plan(plan: CasePlan, *, ctx: DemoContext, history: _History, now: dt.datetime, units: dict[str, Unit],
              fields: dict[str, Field], casts: dict[str, _Cast], cases_by_key: dict[str, Case]) -> Case:
    unit = units["province"] if plan.unit_code == ctx.focus_province.code else units[plan.unit_code]
    cast = casts[unit.code]
    official_channel = plan.channel in (Channel.WALK_IN, Channel.LETTER, Channel.HOTLINE)
    moments = [_moment(now, plan.ages[0], office_hours=official_channel)]
    moments += [_moment(now, age, office_hours=step in OFFICE_STEPS) for step, age in
                zip(plan.steps, plan.ages[1:], strict=True)]
    # Shifting into office hours may swap two steps of a day: the timeline must stay in order.
    moments.sort()
    for i in range(1, len(moments)):
        moments[i] = max(moments[i], moments[i - 1] + dt.timedelta(minutes=7))
    history.begin(moments[0])
    case = case_submit(
        kind=plan.kind, channel=plan.channel, unit=unit, field=fields[plan.field_code], title=plan.title,
        description=plan.description, instance=plan.instance, address=plan.address, latitude=plan.latitude,
        longitude=plan.longitude,
        submitter=Submitter(name=plan.submitter_name, phone=plan.submitter_phone, email=plan.submitter_email)
        if plan.kind != Kind.DENUNCIATION else None,
        wants_updates=plan.wants_updates, denouncer=plan.denouncer, idempotency_key=plan.key,
        actor=cast.intake if official_channel else None)
    history.announce()
    for step, moment in zip(plan.steps, moments[1:], strict=True):
        history.begin(moment)
        case = _act(plan, case, step, cast=plan.extra.get("cast", cast), casts=casts, units=units,
                    cases_by_key=cases_by_key)
        history.announce()
    return case


# --- moving the history into the past -----------------------------------------------------

_MOVED: tuple[tuple[type, tuple[str, ...], str], ...] = (
    (Case, ("received_at", "accepted_at", "answered_at", "closed_at", "created_at", "updated_at"), "pk__in"),
    (CaseEvent, ("at",), "case_id__in"),
    (Answer, ("drafted_at", "submitted_at", "approved_at", "sent_at"), "case_id__in"),
    (InformationRequest, ("requested_at", "received_at"), "case_id__in"),
    (Extension, ("at",), "case_id__in"),
    (Transfer, ("at",), "case_id__in"),
    (CaseRating, ("created_at",), "case_id__in"),
)


def _settle(case_ids: list[int], history: _History) -> None:
    """Move every row the steps wrote to its step's moment, then recompute the deadlines."""
    if not case_ids:
        return
    for model, names, lookup in _MOVED:
        rows = list(model.objects.filter(**{lookup: case_ids}))  # type: ignore[attr-defined]
        for row in rows:
            for name in names:
                setattr(row, name, history.map(getattr(row, name)))
        model.objects.bulk_update(rows, list(names), batch_size=500)  # type: ignore[attr-defined]
    if apps.is_installed("danvan.notifications"):
        outbox = apps.get_model("notifications", "Outbox")
        rows = list(outbox.objects.filter(case_id__in=case_ids))
        for row in rows:
            row.created_at = history.map(row.created_at)
            if row.status == "pending":
                # Notifications of steps made "months ago" are history, not news to send today.
                row.status, row.sent_at, row.attempts, row.next_attempt_at = "sent", row.created_at, 1, None
        outbox.objects.bulk_update(rows, ["created_at", "status", "sent_at", "attempts", "next_attempt_at"],
                                   batch_size=500)
    for case in Case.objects.filter(pk__in=case_ids).select_related("unit"):
        _replay_deadlines(case)


def _replay_deadlines(case: Case) -> None:
    """Walk the (moved) timeline and set the clock fields as the services would have then."""
    day = deadlines.local_date
    needs = deadlines.needs_acceptance(case)
    events = list(case.events.order_by("at", "id"))
    requests = list(case.information_requests.order_by("requested_at", "id"))
    extensions = list(case.extension_rows.order_by("number"))
    case.accepted_at = next((e.at for e in events if e.kind == EventKind.ACCEPTED), None)
    case.clock_started_on = None if needs else day(case.received_at)
    case.paused_days = 0
    case.extensions = 0
    complex_by_extension = case.kind == Kind.COMPLAINT and bool(extensions)
    if complex_by_extension:
        case.is_complex = False
    case.paused_since = None
    pending_request: InformationRequest | None = None
    changed_events: list[CaseEvent] = []
    accepted_seen = False
    for event in events:
        if event.kind == EventKind.ACCEPTED and not accepted_seen:
            accepted_seen = True
            saved_accepted, case.accepted_at = case.accepted_at, event.at
            if needs:
                case.clock_started_on = day(event.at)
            event.data = {**event.data, "due_on": deadlines.case_due_on(case)}
            case.accepted_at = saved_accepted
            changed_events.append(event)
        elif event.kind == EventKind.INFO_REQUESTED:
            pending_request = next((r for r in requests if r.received_at is None or r.received_at >= event.at), None)
            case.paused_since = day(event.at)
        elif event.kind == EventKind.INFO_RECEIVED and case.paused_since is not None:
            paused = deadlines.paused_days_until(case, day(event.at))
            case.paused_days += paused
            case.paused_since = None
            if pending_request is not None:
                pending_request.paused_days = paused
                pending_request.save(update_fields=["paused_days"])
                pending_request = None
            event.data = {**event.data, "paused_days": paused, "due_on": deadlines.case_due_on(case)}
            changed_events.append(event)
        elif event.kind == EventKind.EXTENDED:
            row = next((r for r in extensions if r.pk == event.data.get("extension_id")), None)
            previous = deadlines.case_due_on(case)
            if complex_by_extension:
                case.is_complex = True
            else:
                case.extensions += 1
            new = deadlines.case_due_on(case)
            if row is not None and new is not None:
                row.previous_due_on, row.new_due_on = previous, new
                row.save(update_fields=["previous_due_on", "new_due_on"])
                note = _("Gia hạn giải quyết đến ngày %(day)s. Lý do: %(reason)s") % {
                    "day": new.strftime("%d/%m/%Y"), "reason": row.reason}
                if row.notice_reference:
                    note += " " + _("(Văn bản thông báo số %(ref)s.)") % {"ref": row.notice_reference}
                event.note = note
            event.data = {**event.data, "due_on": new}
            changed_events.append(event)
        elif event.kind == EventKind.REOPENED:
            case.clock_started_on = day(event.at)
            case.paused_days = 0
            case.extensions = 0
            case.paused_since = None
            event.data = {**event.data, "due_on": deadlines.case_due_on(case)}
            changed_events.append(event)
    if not case.paused:
        case.paused_since = None
    case.acceptance_due_on = deadlines.case_acceptance_due_on(case)
    case.due_on = deadlines.case_due_on(case)
    Case.objects.filter(pk=case.pk).update(
        accepted_at=case.accepted_at, clock_started_on=case.clock_started_on, paused_days=case.paused_days,
        paused_since=case.paused_since, extensions=case.extensions, is_complex=case.is_complex,
        acceptance_due_on=case.acceptance_due_on, due_on=case.due_on)
    CaseEvent.objects.bulk_update(changed_events, ["note", "data"])


# --- the generator ------------------------------------------------------------------------

@register("cases.cases", order=200, labels={
    "cases": gettext_lazy("vụ việc phản ánh, kiến nghị, khiếu nại, tố cáo"),
    "steps": gettext_lazy("bước xử lý vụ việc"),
})
def demo_cases(ctx: DemoContext) -> dict[str, int]:
    """Cases in every workflow state in the demo communes (and a few at the province)."""
    casts: dict[str, _Cast] = {}
    units: dict[str, Unit] = {}
    for unit in [ctx.focus_province, *ctx.focus_communes]:
        cast = _cast(ctx, unit)
        if cast is None or unit.status != Status.ACTIVE:
            return {"cases": 0, "steps": 0}
        casts[unit.code] = cast
        units["province" if unit.level == Level.PROVINCE else unit.code] = unit
    villages: dict[int, list[str]] = {}
    for parent_id, name in (Unit.objects.filter(parent__in=ctx.focus_communes, status=Status.ACTIVE)
                            .order_by("code").values_list("parent_id", "name")):
        villages.setdefault(parent_id, []).append(name)
    plans = case_plans(ctx, villages, limited=_limited(ctx))
    existing = dict(IdempotencyKey.objects.filter(key__startswith=f"{KEY_PREFIX}:{ctx.seed}:")
                    .values_list("key", "case_id"))
    todo = [p for p in plans if p.key not in existing]
    if not todo:
        return {"cases": 0, "steps": 0}
    fields = {f.code: f for f in Field.objects.all()}
    cases_by_key: dict[str, Case] = {}
    needed = {p.merge_into for p in todo if p.merge_into and p.merge_into in existing}
    for key in needed:
        cases_by_key[key] = Case.objects.get(pk=existing[key])
    now = timezone.now()
    history = _History()
    made: list[int] = []
    steps = 0
    for plan in todo:
        case = _run_plan(plan, ctx=ctx, history=history, now=now, units=units, fields=fields, casts=casts,
                         cases_by_key=cases_by_key)
        cases_by_key[plan.key] = case
        made.append(case.pk)
        steps += len(plan.steps)
    _settle(made + [c.pk for k, c in cases_by_key.items() if k in needed], history)
    return {"cases": len(made), "steps": steps}
