"""The contents people comment on before the commune decides (Art. 25, Law 10/2022/QH15), as data."""

from django.db import migrations

CONTENTS = [
    ("ke_hoach_ktxh", "Dự thảo kế hoạch phát triển kinh tế - xã hội của cấp xã; phương án chuyển dịch cơ cấu "
                      "kinh tế, cơ cấu sản xuất; phương án phát triển ngành nghề"),
    ("quy_hoach_dat", "Dự thảo quy hoạch, kế hoạch sử dụng đất; phương án điều chỉnh, quản lý, sử dụng quỹ đất "
                      "tại địa phương"),
    ("du_an_dau_tu", "Chủ trương, dự án đầu tư lớn tác động trực tiếp đến cộng đồng dân cư"),
    ("boi_thuong_tdc", "Phương án bồi thường, hỗ trợ, tái định cư; phương án di dân, định canh, định cư"),
    ("dat_dai_moi_truong", "Chủ trương, chính sách về đất đai, tài nguyên, bảo vệ môi trường tại địa phương"),
    ("to_chuc_don_vi", "Đề án thành lập, nhập, chia, điều chỉnh địa giới đơn vị hành chính; thành lập, giải thể, "
                       "nhập, chia thôn, tổ dân phố"),
    ("du_thao_van_ban_xa", "Dự thảo nghị quyết của Hội đồng nhân dân, quyết định của Ủy ban nhân dân cấp xã "
                           "liên quan trực tiếp đến quyền và nghĩa vụ của nhân dân"),
    ("danh_gia_cong_tac", "Dự thảo báo cáo, kế hoạch của chính quyền cấp xã trình Hội đồng nhân dân cùng cấp "
                          "có nội dung cần lấy ý kiến nhân dân"),
    ("noi_dung_khac", "Những nội dung khác theo quy định của pháp luật, theo yêu cầu của cơ quan có thẩm quyền "
                      "hoặc chính quyền cấp xã thấy cần thiết"),
]


def load(apps, schema_editor):
    Content = apps.get_model("consultations", "ConsultationContent")
    for order, (code, name) in enumerate(CONTENTS, start=1):
        Content.objects.update_or_create(code=code, defaults={"name": name, "order": order})


def unload(apps, schema_editor):
    apps.get_model("consultations", "ConsultationContent").objects.filter(code__in=[c for c, _ in CONTENTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("consultations", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
