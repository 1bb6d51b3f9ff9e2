"""Routing suggestion: keyword cold start, the learnt model, and `danvan cases train-router`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from bench.routing import split, synthetic_corpus
from django.core.management import CommandError, call_command

from danvan.cases import router
from danvan.cases.models import Field
from danvan.cases.services import default_organisation
from danvan.units.models import Unit
from tests.cases.conftest import SubmitFn

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, settings: object) -> Iterator[Path]:
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    router.clear_cache()
    yield tmp_path
    router.clear_cache()


def _write(path: Path, rows: list[tuple[str, str]]) -> Path:
    path.write_text("".join(json.dumps({"text": t, "label": lbl}, ensure_ascii=False) + "\n" for t, lbl in rows),
                    encoding="utf-8")
    return path


def test_keywords_cold_start_without_model(data_dir: Path) -> None:
    assert not router.model_path().exists()
    s = router.suggest("Đường liên xã bị sụt lún, nhiều ổ gà nguy hiểm")
    assert s is not None and s.source == "keywords" and s.field_code == "giao_thong"
    assert s.field_name == "Giao thông" and 0 < s.confidence <= 1
    # Accent-free typing folds the same way; a longer phrase outweighs a generic word.
    s = router.suggest("De nghi boi thuong khi thu hoi dat lam du an")
    assert s is not None and s.field_code == "boi_thuong_tai_dinh_cu"
    assert router.suggest("Xin chào quý cơ quan") is None


def test_organisation_suggested_from_unit(ba_dinh: Unit) -> None:
    s = router.suggest("Mất nước sinh hoạt ba ngày", unit=ba_dinh)
    assert s is not None and s.field_code == "dien_nuoc"
    assert s.organisation_id == default_organisation(ba_dinh).pk and s.organisation_name


def test_keywords_follow_field_edits() -> None:
    Field.objects.filter(code="y_te").update(keywords=["vắc xin"])
    router.clear_cache()
    s = router.suggest("Trẻ chưa được tiêm vắc xin")
    assert s is not None and s.field_code == "y_te"


def test_model_learns_and_generalises_to_held_out_data() -> None:
    train, held = split(synthetic_corpus())
    model = router.train([t for t, _l in train], [lbl for _t, lbl in train])
    quality = router.evaluate(model, [t for t, _l in held], [lbl for _t, lbl in held])
    assert quality.macro_f1 >= 0.8 and quality.count == len(held)
    router.save(model)
    s = router.suggest("Hàng quán lấn chiếm vỉa hè trước chợ, người đi bộ phải đi xuống lòng đường")
    assert s is not None and s.source == "model" and s.field_code == "trat_tu_do_thi_xay_dung"
    assert len(s.alternatives) == 2 and all(a.confidence <= s.confidence for a in s.alternatives)


def test_model_of_another_version_is_ignored(data_dir: Path) -> None:
    import joblib

    path = router.model_path()
    path.parent.mkdir(parents=True)
    joblib.dump({"version": router.MODEL_VERSION + 1, "model": None}, path)
    s = router.suggest("Mất điện liên tục cả tuần")
    assert s is not None and s.source == "keywords" and s.field_code == "dien_nuoc"


def test_train_router_command_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    train, held = split(synthetic_corpus(n_per_field=30))
    call_command("cases", "train-router", "--train", str(_write(tmp_path / "t.jsonl", train)),
                 "--eval", str(_write(tmp_path / "e.jsonl", held)), "--json")
    result = json.loads(capsys.readouterr().out)
    assert result["train_count"] == len(train) and result["eval_count"] == len(held)
    assert result["macro_f1"] >= 0.8 and result["accuracy"] >= 0.8
    assert Path(result["model"]).exists()
    assert router.suggest("Trạm y tế thiếu thuốc").source == "model"  # type: ignore[union-attr]


def test_train_router_command_vietnamese_output_and_errors(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    train, held = split(synthetic_corpus(n_per_field=20))
    call_command("cases", "train-router", "--train", str(_write(tmp_path / "t.jsonl", train)),
                 "--eval", str(_write(tmp_path / "e.jsonl", held)))
    out = capsys.readouterr().out
    assert "Đã huấn luyện bộ gợi ý" in out and "độ chính xác" in out
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "a"}\n', encoding="utf-8")
    with pytest.raises(CommandError, match="Dòng không hợp lệ"):
        call_command("cases", "train-router", "--train", str(bad))
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        call_command("cases", "train-router", "--train", str(tmp_path / "missing.jsonl"))


def test_train_router_from_db(submit: SubmitFn, capsys: pytest.CaptureFixture[str]) -> None:
    fields = {f.code: f for f in Field.objects.all()}
    for text, label in synthetic_corpus(n_per_field=4):
        submit(field=fields[label], title=text[:60], description=text)
    call_command("cases", "train-router", "--from-db", "--json")
    result = json.loads(capsys.readouterr().out)
    assert result["train_count"] == 40 and "giao_thong" in result["labels"]
    assert router.model_path().exists()
