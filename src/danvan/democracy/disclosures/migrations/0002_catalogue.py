"""The Art. 11 catalogue (Law 10/2022/QH15 on grassroots democracy, in force 1 July 2023) and its
posting rules, as data an administrator can edit.

Fourteen contents, numbered in the order the commune posts them (the numbering follows the
summary in LEGAL.md and is marked unconfirmed where it decides a rule). Where the law lists budget
execution "quarterly, 6-month and annual", one quarterly item covers it (Q2 is the 6-month
report, Q4 the annual one). Durations: 30 days at least when the law names none (Law on Access
to Information 2016, Art. 21 as summarised in LEGAL.md); items 7–12 at least 3 consecutive days
on the commune radio (Law 10/2022, Art. 12). Due dates are this platform's reading of the budget
rules (quarterly execution within 15 days of the quarter's end, the estimate within 30 days of
the year's start, the settlement by the end of July of the next year): they are marked
unconfirmed so an administrator checks them against the province's instructions.
"""

import datetime as dt

from django.db import migrations

LAW = "Luật Thực hiện dân chủ ở cơ sở 2022, Điều 11, 12"
FALLBACK = "Luật Tiếp cận thông tin 2016, Điều 21 (ít nhất 30 ngày)"
VALID_FROM = dt.date(2023, 7, 1)

# code, law item, name, recurrence, mandatory, case field, (due anchor, due days) or None, enforcement
CATEGORIES = [
    ("ke_hoach_kt_xh", 1, "Kế hoạch phát triển kinh tế - xã hội hằng năm của cấp xã và kết quả thực hiện",
     "annual", True, "khac", ("start", 31), "warn"),
    ("du_toan_ngan_sach", 2, "Dự toán ngân sách nhà nước hằng năm của cấp xã",
     "annual", True, "khac", ("start", 30), "refuse"),
    ("thuc_hien_ngan_sach", 3, "Tình hình thực hiện ngân sách cấp xã hằng quý, 6 tháng, năm",
     "quarterly", True, "khac", ("end", 15), "refuse"),
    ("quyet_toan_ngan_sach", 4, "Quyết toán ngân sách nhà nước của cấp xã",
     "annual", True, "khac", ("end", 212), "refuse"),
    ("kien_nghi_kiem_toan", 5, "Kết quả thực hiện kiến nghị của Kiểm toán nhà nước, cơ quan thanh tra "
     "đối với ngân sách cấp xã", "on_event", True, "khac", None, "warn"),
    ("du_an_dau_tu", 6, "Chủ trương, chương trình, dự án, công trình đầu tư trên địa bàn cấp xã; thứ tự ưu "
     "tiên, tiến độ thực hiện", "on_event", True, "trat_tu_do_thi_xay_dung", None, "warn"),
    ("thu_hoi_dat_tai_dinh_cu", 7, "Kế hoạch thu hồi đất; phương án bồi thường, hỗ trợ, tái định cư liên quan "
     "đến dự án, công trình trên địa bàn cấp xã", "on_event", True, "boi_thuong_tai_dinh_cu", None, "refuse"),
    ("quy_hoach_su_dung_dat", 8, "Quy hoạch, kế hoạch sử dụng đất chi tiết; phương án điều chỉnh quy hoạch "
     "liên quan đến cấp xã", "on_event", True, "dat_dai", None, "refuse"),
    ("quy_dong_gop", 9, "Việc quản lý, sử dụng các quỹ, khoản tài trợ và các khoản huy động Nhân dân đóng góp",
     "annual", True, "khac", ("end", 31), "warn"),
    ("phi_le_phi", 10, "Đối tượng, mức thu các loại phí, lệ phí và nghĩa vụ tài chính khác do chính quyền cấp "
     "xã trực tiếp thu", "on_event", True, "thu_tuc_hanh_chinh", None, "warn"),
    ("chinh_sach_an_sinh", 11, "Chính sách, chương trình hỗ trợ người có công, hộ nghèo, hộ cận nghèo, đối "
     "tượng bảo trợ xã hội và danh sách người được hưởng", "on_event", True, "an_sinh_xa_hoi", None, "warn"),
    ("thu_tuc_hanh_chinh", 12, "Thủ tục hành chính, quy trình giải quyết công việc; nhiệm vụ, quyền hạn của "
     "cán bộ, công chức cấp xã trực tiếp giải quyết công việc của Nhân dân", "on_event", True,
     "thu_tuc_hanh_chinh", None, "warn"),
    ("lay_y_kien_nhan_dan", 13, "Kết quả tiếp thu ý kiến của Nhân dân về những nội dung chính quyền cấp xã "
     "đưa ra lấy ý kiến", "on_event", True, "khac", None, "warn"),
    ("ket_qua_thanh_tra_tin_nhiem", 14, "Kết quả thanh tra, kiểm tra, giải quyết vụ việc tiêu cực, tham nhũng "
     "của cán bộ, công chức cấp xã, cán bộ thôn; kết quả lấy phiếu tín nhiệm", "on_event", True, "khac", None,
     "warn"),
]
# Items of Art. 11 whose announcement on the commune radio lasts at least 3 consecutive days.
RADIO_ITEMS = {7, 8, 9, 10, 11, 12}


def seed(apps, schema_editor):
    Category = apps.get_model("disclosures", "DisclosureCategory")
    Rule = apps.get_model("disclosures", "DisclosureRule")
    for order, (code, item, name, recurrence, mandatory, field, due, enforcement) in enumerate(CATEGORIES, 1):
        category, _ = Category.objects.update_or_create(code=code, defaults={
            "law_item": item, "name": name, "recurrence": recurrence, "mandatory": mandatory,
            "case_field_code": field, "order": order * 10})
        Rule.objects.update_or_create(category=category, valid_from=VALID_FROM, defaults={
            "min_days": 30, "radio_min_days": 3 if item in RADIO_ITEMS else None, "enforcement": enforcement,
            "due_anchor": due[0] if due else "end", "due_days": due[1] if due else None,
            "source": f"{LAW}; {FALLBACK}", "unconfirmed": due is not None or item in RADIO_ITEMS})


def unseed(apps, schema_editor):
    apps.get_model("disclosures", "DisclosureCategory").objects.filter(
        code__in=[c[0] for c in CATEGORIES], items__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("disclosures", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
