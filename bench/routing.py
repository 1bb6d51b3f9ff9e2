"""Routing suggestion budget (≤ 20 ms per call) and a synthetic labelled Vietnamese corpus.

``python -m bench.routing`` migrates a throw-away SQLite database (the fields and their
keywords come from the migrations), trains the router on the synthetic corpus, then times
``router.suggest`` against ``fold`` of the same texts and prints p50/p95 and the ratio.
The corpus generator is also what the router tests train and evaluate on.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time

PLACES = ["ngõ 12 phố Đội Cấn", "đường Hoàng Hoa Thám", "thôn Đông", "tổ dân phố số 5", "khu phố 3",
          "xóm Bãi", "ấp Tân Thới", "đường liên xã", "khu dân cư Nam Sơn", "chợ Hòa Bình", "bản Nà Lừa"]
TIMES = ["nhiều ngày nay", "từ tháng trước", "đã hơn một tuần", "kéo dài nhiều tháng", "gần đây", "hôm qua"]
ASKS = ["Đề nghị chính quyền kiểm tra, xử lý.", "Kính đề nghị UBND xã xem xét giải quyết.",
        "Mong các cơ quan chức năng sớm vào cuộc.", "Người dân rất bức xúc, đề nghị xử lý dứt điểm.", ""]

# Per field code: sentence templates; {place}, {time} and {ask} are filled at random.
TEMPLATES: dict[str, list[str]] = {
    "giao_thong": [
        "Đường {place} bị sụt lún, nhiều ổ gà gây nguy hiểm cho người đi xe máy {time}. {ask}",
        "Mặt đường {place} hư hỏng nặng, xe cộ đi lại khó khăn. {ask}",
        "Đèn tín hiệu giao thông tại ngã tư gần {place} không hoạt động {time}. {ask}",
        "Thường xuyên ùn tắc giao thông giờ cao điểm ở {place}. {ask}",
        "Biển báo tốc độ ở {place} bị đổ, xe tải chạy quá tốc độ. {ask}",
        "Cầu dân sinh ở {place} xuống cấp, học sinh qua lại rất nguy hiểm. {ask}",
    ],
    "boi_thuong_tai_dinh_cu": [
        "Đề nghị bồi thường thỏa đáng khi thu hồi đất làm dự án tại {place}. {ask}",
        "Gia đình tôi chưa nhận được tiền đền bù giải phóng mặt bằng {time}. {ask}",
        "Phương án bồi thường, hỗ trợ tái định cư ở {place} chưa công khai giá đất. {ask}",
        "Khu tái định cư cho các hộ di dời ở {place} chưa có điện nước. {ask}",
        "Kiểm đếm tài sản trên đất bị thu hồi ở {place} không đúng thực tế. {ask}",
    ],
    "dat_dai": [
        "Tranh chấp ranh giới thửa đất với hộ liền kề ở {place} {time}. {ask}",
        "Hồ sơ cấp giấy chứng nhận quyền sử dụng đất (sổ đỏ) của tôi nộp {time} chưa được cấp. {ask}",
        "Hộ dân lấn chiếm đất công, đất nông nghiệp ở {place}. {ask}",
        "Đề nghị chuyển mục đích sử dụng đất vườn sang đất ở tại {place}. {ask}",
        "Việc đo đạc địa chính thửa đất ở {place} sai diện tích. {ask}",
    ],
    "moi_truong": [
        "Rác thải tập kết trái phép ở {place} bốc mùi hôi thối {time}. {ask}",
        "Xưởng sản xuất ở {place} xả nước thải chưa qua xử lý ra kênh mương. {ask}",
        "Khói bụi từ lò đốt rác ở {place} gây ô nhiễm không khí. {ask}",
        "Tiếng ồn từ quán karaoke ở {place} kéo dài đến khuya {time}. {ask}",
        "Cây xanh bị chặt hạ, ô nhiễm môi trường ở {place}. {ask}",
    ],
    "trat_tu_do_thi_xay_dung": [
        "Nhà dân ở {place} xây dựng không phép, cơi nới lấn ra lòng đường. {ask}",
        "Hàng quán lấn chiếm vỉa hè ở {place}, người đi bộ phải xuống lòng đường. {ask}",
        "Công trình ở {place} xây sai giấy phép xây dựng, vượt số tầng. {ask}",
        "Biển quảng cáo dựng trái phép che khuất tầm nhìn ở {place}. {ask}",
        "Hàng rong họp chợ tự phát gây mất trật tự đô thị ở {place} {time}. {ask}",
    ],
    "an_sinh_xa_hoi": [
        "Gia đình tôi thuộc hộ nghèo nhưng chưa được nhận trợ cấp {time}. {ask}",
        "Mẹ tôi là người cao tuổi trên 80 tuổi, chưa được hưởng trợ cấp bảo trợ xã hội. {ask}",
        "Chế độ chính sách cho người có công với cách mạng ở {place} chi trả chậm. {ask}",
        "Con tôi bị khuyết tật nặng, đề nghị xét hưởng trợ cấp hằng tháng. {ask}",
        "Đề nghị xem xét lại danh sách hộ cận nghèo năm nay ở {place}. {ask}",
    ],
    "y_te": [
        "Trạm y tế {place} thiếu thuốc, bác sĩ không có mặt {time}. {ask}",
        "Nhiều ca sốt xuất huyết ở {place}, đề nghị phun thuốc diệt muỗi phòng dịch bệnh. {ask}",
        "Nghi ngộ độc thực phẩm sau bữa ăn ở bếp ăn tập thể {place}. {ask}",
        "Bệnh viện không thanh toán bảo hiểm y tế khi khám chữa bệnh cho tôi. {ask}",
        "Phòng khám tư ở {place} hoạt động không có giấy phép. {ask}",
    ],
    "giao_duc": [
        "Trường tiểu học ở {place} thu nhiều khoản ngoài quy định, có dấu hiệu lạm thu. {ask}",
        "Giáo viên ép học sinh đi học thêm tại nhà {time}. {ask}",
        "Phòng học của điểm trường {place} xuống cấp, mưa dột. {ask}",
        "Con tôi không được tuyển sinh vào trường mầm non đúng tuyến ở {place}. {ask}",
        "Học phí năm học mới ở trường {place} tăng cao bất thường. {ask}",
    ],
    "dien_nuoc": [
        "Khu vực {place} mất điện liên tục {time} mà không có thông báo. {ask}",
        "Nước sinh hoạt ở {place} có màu vàng, mùi lạ, mất nước nhiều ngày. {ask}",
        "Đèn đường chiếu sáng ở {place} bị hỏng, buổi tối tối om. {ask}",
        "Cột điện ở {place} bị nghiêng, dây điện võng thấp rất nguy hiểm. {ask}",
        "Hóa đơn tiền điện tháng này tăng gấp ba, nghi công tơ chạy sai. {ask}",
    ],
    "thu_tuc_hanh_chinh": [
        "Hồ sơ đăng ký khai sinh cho con tôi nộp tại bộ phận một cửa bị trễ hẹn {time}. {ask}",
        "Cán bộ tiếp nhận hồ sơ có thái độ phiền hà, gây khó dễ cho người dân. {ask}",
        "Thủ tục chứng thực giấy tờ ở {place} yêu cầu nhiều giấy tờ không cần thiết. {ask}",
        "Dịch vụ công trực tuyến đăng ký cư trú báo lỗi, không nộp được hồ sơ {time}. {ask}",
        "Chậm trả kết quả hộ tịch, đề nghị xem xét trách nhiệm cán bộ. {ask}",
    ],
}


def synthetic_corpus(n_per_field: int = 60, seed: int = 7) -> list[tuple[str, str]]:
    """(text, field code) pairs: each field's templates with random places, times and requests."""
    rng = random.Random(seed)
    rows: list[tuple[str, str]] = []
    for code, templates in TEMPLATES.items():
        for i in range(n_per_field):
            template = templates[i % len(templates)]
            text = template.format(place=rng.choice(PLACES), time=rng.choice(TIMES), ask=rng.choice(ASKS))
            rows.append((text.strip(), code))
    rng.shuffle(rows)
    return rows


def split(rows: list[tuple[str, str]], eval_share: float = 0.25,
          seed: int = 11) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Train/eval split stratified by label, so every field is in both halves."""
    rng = random.Random(seed)
    train: list[tuple[str, str]] = []
    held: list[tuple[str, str]] = []
    for code in sorted({label for _t, label in rows}):
        group = [row for row in rows if row[1] == code]
        rng.shuffle(group)
        cut = max(1, int(len(group) * eval_share))
        held.extend(group[:cut])
        train.extend(group[cut:])
    return train, held


def time_suggest(texts: list[str], repeat: int = 3) -> dict[str, float]:
    """p50/p95 (ms) of ``router.suggest`` and of ``fold`` (the baseline) on the same texts."""
    from bench.stats import percentile
    from danvan.cases import router
    from danvan.core.text import fold

    router.suggest(texts[0])  # load the model and the fields once, as a running server has
    suggest_ms: list[float] = []
    fold_ms: list[float] = []
    for _round in range(repeat):
        for text in texts:
            start = time.perf_counter()
            router.suggest(text)
            suggest_ms.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            fold(text)
            fold_ms.append((time.perf_counter() - start) * 1000)
    p95 = percentile(suggest_ms, 95)
    base_p95 = percentile(fold_ms, 95)
    return {"n": len(suggest_ms), "p50": percentile(suggest_ms, 50), "p95": p95,
            "baseline_fold_p50": percentile(fold_ms, 50), "baseline_fold_p95": base_p95,
            "ratio_p95": p95 / base_p95 if base_p95 else float("inf"), "budget_p95": 20.0}


def main() -> int:
    """Standalone run in a temporary data directory; prints the figures, exits 1 over budget."""
    with tempfile.TemporaryDirectory() as data_dir:
        os.environ["DANVAN_DATA_DIR"] = data_dir
        os.environ.pop("DATABASE_URL", None)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.config.settings")
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        from danvan.cases import router

        train, held = split(synthetic_corpus())
        model = router.train([t for t, _l in train], [lbl for _t, lbl in train])
        router.save(model)
        quality = router.evaluate(model, [t for t, _l in held], [lbl for _t, lbl in held])
        figures = time_suggest([t for t, _l in held])
        print(f"routing suggest: n={figures['n']} p50={figures['p50']:.3f} ms p95={figures['p95']:.3f} ms "
              f"(budget {figures['budget_p95']:.0f} ms); fold() baseline p50={figures['baseline_fold_p50']:.4f} ms "
              f"p95={figures['baseline_fold_p95']:.4f} ms; ratio p95={figures['ratio_p95']:.1f}x; "
              f"held-out accuracy={quality.accuracy:.3f} macro-F1={quality.macro_f1:.3f}")
        return 0 if figures["p95"] <= figures["budget_p95"] else 1


if __name__ == "__main__":
    sys.exit(main())
