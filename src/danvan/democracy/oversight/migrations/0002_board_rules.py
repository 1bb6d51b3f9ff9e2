"""Composition rules of the two boards, as dated data an administrator can change."""

import datetime as dt

from django.db import migrations

RULES = [
    # Law 10/2022/QH15: the people's inspection board has at least 5 members and every village
    # is represented. The answer period for its recommendations is a working default, flagged.
    {"board_kind": "ban_ttnd", "min_members": 5, "every_village": True, "answer_days": 15,
     "valid_from": dt.date(2023, 7, 1), "unconfirmed": True,
     "source": "Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15 (thành phần Ban Thanh tra nhân dân); "
               "thời hạn trả lời kiến nghị 15 ngày: chưa xác nhận"},
    {"board_kind": "ban_gsdtcd", "min_members": 5, "every_village": False, "answer_days": 15,
     "valid_from": dt.date(2023, 7, 1), "unconfirmed": True,
     "source": "Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15 (giám sát đầu tư của cộng đồng); "
               "số thành viên tối thiểu và thời hạn trả lời: chưa xác nhận"},
]


def load(apps, schema_editor):
    BoardRule = apps.get_model("oversight", "BoardRule")
    for row in RULES:
        BoardRule.objects.update_or_create(board_kind=row["board_kind"], valid_from=row["valid_from"],
                                           defaults=row)


def unload(apps, schema_editor):
    BoardRule = apps.get_model("oversight", "BoardRule")
    for row in RULES:
        BoardRule.objects.filter(board_kind=row["board_kind"], valid_from=row["valid_from"]).delete()


class Migration(migrations.Migration):
    dependencies = [("oversight", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
