"""`danvan cases train-router`: learn the routing suggestion from labelled history.

Sources: a JSONL file of {"text", "label"} lines (label = field code) or, with --from-db,
the cases already routed in the database (merged cases excluded: they repeat the survivor).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from danvan.cases import router
from danvan.cases.models import Case, State


class Command(BaseCommand):
    help = _("Quản lý vụ việc: huấn luyện bộ gợi ý lĩnh vực")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        train = sub.add_parser("train-router", help=_("Huấn luyện bộ gợi ý lĩnh vực từ dữ liệu đã phân loại"))
        source = train.add_mutually_exclusive_group(required=True)
        source.add_argument("--train", metavar="FILE.jsonl", help=_("Tệp huấn luyện, mỗi dòng {\"text\", \"label\"}"))
        source.add_argument("--from-db", action="store_true",
                            help=_("Học từ các vụ việc đã phân loại trong cơ sở dữ liệu"))
        train.add_argument("--eval", metavar="FILE.jsonl", help=_("Tệp đánh giá, cùng định dạng"))
        train.add_argument("--json", action="store_true", help=_("In kết quả dạng JSON"))

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "train-router":
            self._train(opts)

    def _read(self, path: str) -> tuple[list[str], list[str]]:
        try:
            return router.read_jsonl(path)
        except FileNotFoundError as exc:
            raise CommandError(_("Không tìm thấy tệp %(path)s.") % {"path": path}) from exc
        except ValueError as exc:
            raise CommandError(_("Dòng không hợp lệ (cần {\"text\", \"label\"}): %(where)s.") % {"where": exc}) from exc

    def _train(self, opts: dict[str, Any]) -> None:
        if opts["from_db"]:
            rows = (Case.objects.exclude(status=State.MERGED).order_by("id")
                    .values_list("title", "description", "field__code"))
            texts = [f"{title}. {description}" for title, description, _code in rows]
            labels = [code for _t, _d, code in rows]
        else:
            texts, labels = self._read(opts["train"])
        if len(set(labels)) < 2:
            raise CommandError(_("Cần dữ liệu của ít nhất hai lĩnh vực để huấn luyện."))
        model = router.train(texts, labels)
        path = router.save(model)
        result: dict[str, Any] = {"model": str(path), "train_count": len(texts), "labels": sorted(set(labels))}
        if opts["eval"]:
            eval_texts, eval_labels = self._read(opts["eval"])
            evaluation = router.evaluate(model, eval_texts, eval_labels)
            result.update({"eval_count": evaluation.count, "accuracy": round(evaluation.accuracy, 4),
                           "macro_f1": round(evaluation.macro_f1, 4)})
        if opts["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        self.stdout.write(_("Đã huấn luyện bộ gợi ý từ %(count)d mẫu thuộc %(labels)d lĩnh vực; lưu tại %(path)s.")
                          % {"count": len(texts), "labels": len(result["labels"]), "path": path})
        if "accuracy" in result:
            self.stdout.write(_("Đánh giá trên %(count)d mẫu: độ chính xác %(accuracy).1f%%, F1 trung bình "
                                "(macro) %(f1).1f%%.") % {"count": result["eval_count"],
                                                        "accuracy": result["accuracy"] * 100,
                                                        "f1": result["macro_f1"] * 100})
