# The matters people discuss and decide (Law on Grassroots Democracy 10/2022/QH15, Art. 15) and
# the quorum/threshold rules per matter type and form, as data that administrators edit later.
# Values are written out here (not imported from app code) so this migration never changes
# meaning. ``load`` is idempotent: tests call it again after a transactional test flushed it.
import datetime as dt
from decimal import Decimal

from django.db import migrations

LAW_IN_FORCE = dt.date(2023, 7, 1)

# code, name, source, allows_online_vote, is_election
MATTER_TYPES = [
    ("infrastructure", "Chủ trương và mức đóng góp xây dựng, sửa chữa công trình công cộng, cơ sở hạ tầng",
     "Luật Thực hiện dân chủ ở cơ sở 2022, Điều 15 khoản 1", False, False),
    ("community_funds", "Việc thu, chi, quản lý các khoản đóng góp, quỹ của cộng đồng dân cư",
     "Luật Thực hiện dân chủ ở cơ sở 2022, Điều 15 khoản 2", False, False),
    ("village_charter", "Nội dung hương ước, quy ước của cộng đồng dân cư",
     "Luật Thực hiện dân chủ ở cơ sở 2022, Điều 15 khoản 3", False, False),
    ("village_head", "Bầu, cho thôi làm Trưởng thôn, Tổ trưởng tổ dân phố",
     "Luật Thực hiện dân chủ ở cơ sở 2022, Điều 15 khoản 4", False, True),
    ("boards", "Bầu, cho thôi làm thành viên Ban Thanh tra nhân dân, Ban Giám sát đầu tư của cộng đồng",
     "Luật Thực hiện dân chủ ở cơ sở 2022, Điều 15 khoản 5", False, True),
    ("other_self_management", "Các công việc tự quản khác trong nội bộ cộng đồng dân cư",
     "Luật Thực hiện dân chủ ở cơ sở 2022, Điều 15 khoản 6; Nghị định 59/2023/NĐ-CP, Điều 5", True, False),
]

MEETING_SOURCE = (
    "Luật Thực hiện dân chủ ở cơ sở 2022, Điều 18: hội nghị cộng đồng dân cư thông qua khi có trên 50% tổng số "
    "đại diện hộ gia đình tham dự tán thành. Mức tối thiểu số hộ tham dự (trên 50% tổng số hộ) là giá trị mặc "
    "định, chưa đối chiếu văn bản gốc.")
BALLOT_SOURCE = (
    "Nghị định 59/2023/NĐ-CP, Điều 4: phát phiếu lấy ý kiến hộ gia đình. Giá trị mặc định: thông qua khi trên "
    "50% tổng số hộ gia đình trong thôn, tổ dân phố tán thành; chưa đối chiếu văn bản gốc.")
ONLINE_SOURCE = (
    "Nghị định 59/2023/NĐ-CP, Điều 5: biểu quyết trực tuyến, chỉ áp dụng cho các công việc tự quản khác. Giá trị "
    "mặc định: thông qua khi trên 50% tổng số hộ gia đình tán thành; chưa đối chiếu văn bản gốc.")

# form, quorum_percent, threshold_percent, threshold_base, source, unconfirmed
RULES = [
    ("meeting", Decimal("50"), Decimal("50"), "participants", MEETING_SOURCE, True),
    ("household_ballot", None, Decimal("50"), "all_households", BALLOT_SOURCE, True),
    ("online_vote", None, Decimal("50"), "all_households", ONLINE_SOURCE, True),
]


def load(apps, schema_editor):
    MatterType = apps.get_model("decisions", "MatterType")
    VotingRule = apps.get_model("decisions", "VotingRule")
    for order, (code, name, source, online, election) in enumerate(MATTER_TYPES):
        matter, _created = MatterType.objects.get_or_create(
            code=code, defaults={"name": name, "source": source, "allows_online_vote": online,
                                 "is_election": election, "order": order})
        for form, quorum, threshold, base, rule_source, unconfirmed in RULES:
            if form == "online_vote" and not online:
                continue
            VotingRule.objects.get_or_create(
                matter_type=matter, form=form, valid_from=LAW_IN_FORCE,
                defaults={"quorum_percent": quorum, "quorum_strict": True, "threshold_percent": threshold,
                          "threshold_strict": True, "threshold_base": base, "source": rule_source,
                          "unconfirmed": unconfirmed})


class Migration(migrations.Migration):
    dependencies = [("decisions", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
