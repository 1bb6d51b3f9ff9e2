# Fields of the movement and the typical appraisal criteria (Plan 70-KH/BDVTW and the
# provinces' guidance for "Dân vận khéo"), loaded as data: a province adds its own field
# (e.g. "Nông thôn mới") or criterion in the admin.
from django.db import migrations

FIELDS = [
    ("kinh-te", "Kinh tế", 10),
    ("van-hoa-xa-hoi", "Văn hóa – xã hội", 20),
    ("quoc-phong-an-ninh", "Quốc phòng – an ninh", 30),
    ("xay-dung-he-thong-chinh-tri", "Xây dựng hệ thống chính trị", 40),
]

CRITERIA = [
    ("ten-dia-chi-cu-the", "Có tên gọi, địa chỉ cụ thể, thuộc một lĩnh vực",
     "Mô hình có tên gọi rõ ràng, địa bàn thực hiện cụ thể và thuộc một lĩnh vực.", 10, 10),
    ("lanh-dao-dang-ky", "Có sự lãnh đạo của cấp ủy, quản lý của chính quyền và được đăng ký",
     "Cấp ủy lãnh đạo, chính quyền quản lý, Mặt trận và các đoàn thể phối hợp; mô hình được đăng ký từ đầu năm.",
     10, 20),
    ("huy-dong-luc-luong", "Huy động được nhiều lực lượng tham gia, được Nhân dân đồng tình",
     "Phát huy vai trò chủ thể của Nhân dân; đông đảo người dân tự nguyện tham gia, đồng tình ủng hộ.", 20, 30),
    ("giai-quyet-nhiem-vu", "Giải quyết được nhiệm vụ cấp bách, khó khăn của địa phương",
     "Mang lại kết quả cụ thể, đo đếm được về kinh tế, xã hội, quốc phòng – an ninh hoặc xây dựng hệ thống chính trị.",
     30, 40),
    ("duoc-cong-nhan", "Được cấp có thẩm quyền ghi nhận",
     "Kết quả được cấp ủy, chính quyền, cơ quan có thẩm quyền đánh giá, ghi nhận.", 10, 50),
    ("ben-vung-lan-toa", "Bền vững, có khả năng nhân rộng",
     "Mô hình duy trì lâu dài, có sức lan tỏa và khả năng nhân rộng ở địa bàn khác.", 20, 60),
]


def load(apps, schema_editor):
    PracticeField = apps.get_model("practices", "PracticeField")
    AppraisalCriterion = apps.get_model("practices", "AppraisalCriterion")
    for code, name, order in FIELDS:
        PracticeField.objects.update_or_create(code=code, defaults={"name": name, "order": order})
    for code, name, description, max_score, order in CRITERIA:
        AppraisalCriterion.objects.update_or_create(
            code=code, defaults={"name": name, "description": description, "max_score": max_score, "order": order})


def unload(apps, schema_editor):
    apps.get_model("practices", "PracticeField").objects.filter(code__in=[f[0] for f in FIELDS]).delete()
    apps.get_model("practices", "AppraisalCriterion").objects.filter(code__in=[c[0] for c in CRITERIA]).delete()


class Migration(migrations.Migration):
    dependencies = [("practices", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
