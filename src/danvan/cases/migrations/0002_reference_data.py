# Reference data the case system needs from its first day: the 11 fields (lĩnh vực) of
# issue 3 with keyword lists for the cold-start router, the deadline rules of LEGAL.md, and
# the public holidays 2025–2027. Administrators edit all three afterwards; the values are
# written out here (not imported from app code) so this migration never changes meaning.
import datetime as dt

from django.db import migrations

FIELDS = [
    ("dat_dai", "Đất đai", "Quản lý, sử dụng đất; cấp giấy chứng nhận; tranh chấp, lấn chiếm đất.", [
        "đất", "đất đai", "sổ đỏ", "sổ hồng", "giấy chứng nhận quyền sử dụng đất", "tranh chấp đất",
        "lấn chiếm đất", "ranh giới", "thửa đất", "chuyển mục đích sử dụng đất", "quy hoạch sử dụng đất",
        "địa chính", "đo đạc", "cấp sổ", "đất nông nghiệp", "đất ở"]),
    ("boi_thuong_tai_dinh_cu", "Bồi thường, hỗ trợ, tái định cư",
     "Thu hồi đất, giải phóng mặt bằng, phương án bồi thường, hỗ trợ và tái định cư.", [
        "bồi thường", "hỗ trợ", "tái định cư", "giải phóng mặt bằng", "thu hồi đất", "đền bù",
        "phương án bồi thường", "khu tái định cư", "giá đất bồi thường", "kiểm đếm", "di dời", "dự án"]),
    ("moi_truong", "Môi trường", "Ô nhiễm, rác thải, nước thải, tiếng ồn, cây xanh.", [
        "môi trường", "ô nhiễm", "rác", "rác thải", "nước thải", "khói", "bụi", "tiếng ồn", "mùi hôi",
        "xả thải", "chất thải", "đốt rác", "kênh mương", "cây xanh", "ngập úng", "vệ sinh"]),
    ("trat_tu_do_thi_xay_dung", "Trật tự đô thị – xây dựng",
     "Xây dựng không phép, sai phép; lấn chiếm vỉa hè, lòng đường; quảng cáo; trật tự công cộng.", [
        "xây dựng", "xây dựng trái phép", "không phép", "sai phép", "giấy phép xây dựng", "cơi nới",
        "lấn chiếm vỉa hè", "vỉa hè", "lòng đường", "trật tự đô thị", "công trình", "biển quảng cáo",
        "hàng rong", "lấn chiếm"]),
    ("giao_thong", "Giao thông", "Đường sá, cầu, đèn tín hiệu, biển báo, an toàn giao thông, ùn tắc.", [
        "giao thông", "đường", "ổ gà", "mặt đường", "đèn tín hiệu", "đèn giao thông", "ùn tắc", "tai nạn",
        "cầu", "biển báo", "xe quá tải", "đỗ xe", "vạch kẻ đường", "xe buýt", "cầu dân sinh"]),
    ("an_sinh_xa_hoi", "An sinh xã hội",
     "Trợ cấp, hộ nghèo, người có công, bảo trợ xã hội, bảo hiểm xã hội, việc làm.", [
        "trợ cấp", "hộ nghèo", "cận nghèo", "bảo trợ xã hội", "người có công", "chế độ chính sách",
        "bảo hiểm xã hội", "lương hưu", "khuyết tật", "người cao tuổi", "trẻ em", "việc làm", "thất nghiệp",
        "hỗ trợ khó khăn", "nhà tình nghĩa"]),
    ("y_te", "Y tế", "Khám chữa bệnh, bảo hiểm y tế, dịch bệnh, an toàn thực phẩm.", [
        "y tế", "bệnh viện", "trạm y tế", "khám chữa bệnh", "bảo hiểm y tế", "dịch bệnh", "sốt xuất huyết",
        "thuốc", "an toàn thực phẩm", "ngộ độc", "tiêm chủng", "bác sĩ", "phòng khám"]),
    ("giao_duc", "Giáo dục", "Trường học, học phí, tuyển sinh, dạy thêm, cơ sở vật chất trường lớp.", [
        "giáo dục", "trường học", "học sinh", "giáo viên", "học phí", "lạm thu", "tuyển sinh", "mầm non",
        "sách giáo khoa", "dạy thêm", "lớp học", "điểm trường", "nhà trường"]),
    ("dien_nuoc", "Điện, nước", "Cấp điện, cấp nước sạch, chiếu sáng công cộng, hóa đơn điện nước.", [
        "điện", "mất điện", "cúp điện", "tiền điện", "giá điện", "nước sạch", "mất nước", "nước sinh hoạt",
        "đường ống nước", "chiếu sáng", "đèn đường", "cột điện", "dây điện", "công tơ", "tiền nước"]),
    ("thu_tuc_hanh_chinh", "Thủ tục hành chính",
     "Giải quyết hồ sơ, bộ phận một cửa, dịch vụ công, thái độ phục vụ của cán bộ.", [
        "thủ tục hành chính", "hồ sơ", "một cửa", "chứng thực", "hộ tịch", "khai sinh", "cư trú",
        "trễ hẹn", "chậm trả kết quả", "dịch vụ công", "phiền hà", "sách nhiễu", "giấy tờ", "căn cước",
        "thái độ cán bộ"]),
    ("khac", "Khác", "Các nội dung không thuộc lĩnh vực nào ở trên.", []),
]

LUAT_KHIEU_NAI = dt.date(2012, 7, 1)
LUAT_TO_CAO = dt.date(2019, 1, 1)
LUAT_TIEP_CONG_DAN = dt.date(2014, 7, 1)
# Local feedback rules have no national start: the default covers every receipt date.
LOCAL_DEFAULT = dt.date(2000, 1, 1)

# key, days, complex, remote, remote_complex, working_days, max_ext, ext_days, valid_from, source, unconfirmed
RULES = [
    ("complaint.accept", 10, None, None, None, False, 0, 0, LUAT_KHIEU_NAI,
     "Luật Khiếu nại 2011, Điều 27: thụ lý trong 10 ngày kể từ ngày nhận được khiếu nại.", False),
    ("complaint.first.resolve", 30, 45, 45, 60, False, 0, 0, LUAT_KHIEU_NAI,
     "Luật Khiếu nại 2011, Điều 28: không quá 30 ngày kể từ ngày thụ lý, vụ việc phức tạp không quá 45 ngày; "
     "vùng sâu, vùng xa đi lại khó khăn không quá 45 ngày, phức tạp không quá 60 ngày.", False),
    ("complaint.second.resolve", 45, 60, 60, 70, False, 0, 0, LUAT_KHIEU_NAI,
     "Luật Khiếu nại 2011, Điều 37: không quá 45 ngày kể từ ngày thụ lý, vụ việc phức tạp không quá 60 ngày; "
     "vùng sâu, vùng xa đi lại khó khăn không quá 60 ngày, phức tạp không quá 70 ngày.", False),
    ("denunciation.accept", 7, None, None, None, True, 0, 0, LUAT_TO_CAO,
     "Luật Tố cáo 2018, Điều 24: tiếp nhận, xử lý ban đầu thông tin tố cáo trong 07 ngày làm việc "
     "(chưa đối chiếu văn bản gốc).", True),
    ("denunciation.resolve", 30, None, None, None, False, 2, 30, LUAT_TO_CAO,
     "Luật Tố cáo 2018, Điều 30: không quá 30 ngày kể từ ngày thụ lý; vụ việc phức tạp gia hạn một lần, "
     "đặc biệt phức tạp gia hạn hai lần, mỗi lần không quá 30 ngày; việc gia hạn phải thông báo bằng văn bản.",
     False),
    ("petition.reception", 10, None, None, None, False, 0, 0, LUAT_TIEP_CONG_DAN,
     "Luật Tiếp công dân 2013: đơn nhận tại nơi tiếp công dân được xử lý trong 10 ngày kể từ ngày nhận.", False),
    ("feedback.resolve", 15, None, None, None, True, 1, 15, LOCAL_DEFAULT,
     "Quy định địa phương: không có thời hạn chung toàn quốc cho phản ánh, kiến nghị. Giá trị mặc định "
     "15 ngày làm việc, gia hạn một lần 15 ngày làm việc; mỗi tỉnh khai báo quy định riêng.", True),
    ("feedback.urgent", 1, None, None, None, True, 0, 0, LOCAL_DEFAULT,
     "Quy định địa phương; ví dụ Đà Nẵng: phản ánh khẩn cấp xử lý trong 01 ngày làm việc, phản ánh kiểm tra "
     "được trong 03 ngày làm việc (Quyết định 960/QĐ-UBND năm 2021). Giá trị mặc định, cần khai báo theo tỉnh.",
     True),
]

BLLD = "Bộ luật Lao động 2019, Điều 112"
# date, name, working_day, unconfirmed, source
HOLIDAYS = [
    (dt.date(2025, 1, 1), "Tết Dương lịch", False, False, BLLD),
    *[(dt.date(2025, 1, d), "Tết Nguyên đán Ất Tỵ", False, False,
       "Nghỉ Tết Ất Tỵ từ 25/01 đến hết 02/02/2025") for d in range(27, 32)],
    (dt.date(2025, 4, 7), "Giỗ Tổ Hùng Vương (10/3 âm lịch)", False, False, BLLD),
    (dt.date(2025, 4, 26), "Làm bù cho ngày nghỉ 02/5/2025", True, False,
     "Hoán đổi ngày làm việc thứ Sáu 02/5 sang thứ Bảy 26/4/2025"),
    (dt.date(2025, 4, 30), "Ngày Chiến thắng", False, False, BLLD),
    (dt.date(2025, 5, 1), "Ngày Quốc tế Lao động", False, False, BLLD),
    (dt.date(2025, 5, 2), "Nghỉ hoán đổi dịp 30/4 – 1/5", False, False,
     "Hoán đổi ngày làm việc thứ Sáu 02/5 sang thứ Bảy 26/4/2025"),
    (dt.date(2025, 9, 1), "Quốc khánh (ngày liền kề)", False, False, BLLD),
    (dt.date(2025, 9, 2), "Quốc khánh", False, False, BLLD),
    (dt.date(2026, 1, 1), "Tết Dương lịch", False, False, BLLD),
    (dt.date(2026, 1, 2), "Nghỉ hoán đổi dịp Tết Dương lịch", False, True,
     "Văn bản 12729/VPCP-KGVX ngày 25/12/2025: hoán đổi thứ Sáu 02/01 sang thứ Bảy 10/01/2026"),
    (dt.date(2026, 1, 10), "Làm bù cho ngày nghỉ 02/01/2026", True, True,
     "Văn bản 12729/VPCP-KGVX ngày 25/12/2025: hoán đổi thứ Sáu 02/01 sang thứ Bảy 10/01/2026"),
    *[(dt.date(2026, 2, d), "Tết Nguyên đán Bính Ngọ", False, False,
       "Nghỉ Tết Bính Ngọ từ thứ Bảy 14/02 đến hết Chủ nhật 22/02/2026") for d in range(16, 21)],
    (dt.date(2026, 4, 26), "Giỗ Tổ Hùng Vương (10/3 âm lịch)", False, False, BLLD),
    (dt.date(2026, 4, 27), "Nghỉ bù Giỗ Tổ Hùng Vương (trùng Chủ nhật)", False, True,
     "Bộ luật Lao động 2019, Điều 111: nghỉ bù khi ngày lễ trùng ngày nghỉ hằng tuần"),
    (dt.date(2026, 4, 30), "Ngày Chiến thắng", False, False, BLLD),
    (dt.date(2026, 5, 1), "Ngày Quốc tế Lao động", False, False, BLLD),
    (dt.date(2026, 9, 1), "Quốc khánh (ngày liền kề, dự kiến)", False, True, BLLD),
    (dt.date(2026, 9, 2), "Quốc khánh", False, False, BLLD),
    (dt.date(2027, 1, 1), "Tết Dương lịch", False, False, BLLD),
    *[(dt.date(2027, 2, d), "Tết Nguyên đán Đinh Mùi (dự kiến)", False, True,
       "Mùng 1 Tết Đinh Mùi là thứ Bảy 06/02/2027; ngày nghỉ cụ thể chờ Thủ tướng quyết định")
      for d in (4, 5, 8, 9, 10)],
    (dt.date(2027, 4, 16), "Giỗ Tổ Hùng Vương (10/3 âm lịch)", False, False, BLLD),
    (dt.date(2027, 4, 30), "Ngày Chiến thắng", False, False, BLLD),
    (dt.date(2027, 5, 1), "Ngày Quốc tế Lao động", False, False, BLLD),
    (dt.date(2027, 5, 3), "Nghỉ bù Ngày Quốc tế Lao động (trùng thứ Bảy)", False, True,
     "Bộ luật Lao động 2019, Điều 111: nghỉ bù khi ngày lễ trùng ngày nghỉ hằng tuần"),
    (dt.date(2027, 9, 2), "Quốc khánh", False, False, BLLD),
    (dt.date(2027, 9, 3), "Quốc khánh (ngày liền kề, dự kiến)", False, True, BLLD),
]


def load(apps, schema_editor):
    Field = apps.get_model("cases", "Field")
    LegalRule = apps.get_model("cases", "LegalRule")
    Holiday = apps.get_model("cases", "Holiday")
    for order, (code, name, description, keywords) in enumerate(FIELDS, start=1):
        Field.objects.update_or_create(code=code, defaults={
            "name": name, "description": description, "order": order * 10, "keywords": keywords, "active": True})
    for (key, days, complex_days, remote_days, remote_complex_days, working_days, max_extensions, extension_days,
         valid_from, source, unconfirmed) in RULES:
        LegalRule.objects.update_or_create(key=key, valid_from=valid_from, province=None, defaults={
            "days": days, "complex_days": complex_days, "remote_days": remote_days,
            "remote_complex_days": remote_complex_days, "working_days": working_days,
            "max_extensions": max_extensions, "extension_days": extension_days, "source": source,
            "unconfirmed": unconfirmed})
    for day, name, working_day, unconfirmed, source in HOLIDAYS:
        Holiday.objects.update_or_create(date=day, defaults={
            "name": name, "working_day": working_day, "unconfirmed": unconfirmed, "source": source})


def unload(apps, schema_editor):
    apps.get_model("cases", "Holiday").objects.filter(date__in=[h[0] for h in HOLIDAYS]).delete()
    apps.get_model("cases", "LegalRule").objects.filter(province=None, key__in=[r[0] for r in RULES]).delete()
    apps.get_model("cases", "Field").objects.filter(code__in=[f[0] for f in FIELDS], cases__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
