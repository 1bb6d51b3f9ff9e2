"""Routing suggestion: the likely field (lĩnh vực) of a case from its title and description.

Two sources, both offline. A linear classifier (TF-IDF over folded word uni/bi-grams,
logistic regression) learnt from past routed cases, stored in DATA_DIR/router/model.joblib;
before any history exists, the keyword lists of ``Field.keywords`` (cold start). The
model is loaded once per process and reloaded only when the file changes, so a call stays
well under the 20 ms budget (bench/routing.py).
"""

from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import joblib
from django.conf import settings
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.pipeline import Pipeline

from danvan.core.errors import DomainError
from danvan.core.text import fold

from .models import Field

MODEL_VERSION = 1
# Field lists change rarely (administrators edit them): re-read them at most this often.
_FIELDS_TTL_SECONDS = 60.0
# Under this probability the model's answer is no better than the keywords: fall back.
MIN_MODEL_CONFIDENCE = 0.25


@dataclass(frozen=True)
class Alternative:
    field_code: str
    field_name: str
    confidence: float


@dataclass(frozen=True)
class Suggestion:
    """The suggested field, how sure we are (0–1), where it came from and the runners-up."""

    field_code: str
    field_name: str
    confidence: float
    source: str  # "model" | "keywords"
    alternatives: list[Alternative] = field(default_factory=list)
    # The body that answers by default in the case's commune (its People's Committee), if known.
    organisation_id: int | None = None
    organisation_name: str = ""


@dataclass(frozen=True)
class Evaluation:
    accuracy: float
    macro_f1: float
    count: int


def model_path() -> Path:
    """Where the trained router lives."""
    return Path(settings.DATA_DIR) / "router" / "model.joblib"


def _pipeline() -> Pipeline:
    return Pipeline([
        ("tfidf", TfidfVectorizer(preprocessor=fold, ngram_range=(1, 2), sublinear_tf=True, min_df=1,
                                  token_pattern=r"(?u)\b\w+\b")),  # noqa: S106 (a regex, not a secret)
        ("clf", LogisticRegression(C=10.0, max_iter=2000)),
    ])


def train(texts: list[str], labels: list[str]) -> Pipeline:
    """Fit the classifier on labelled texts (labels are field codes)."""
    if len(set(labels)) < 2:
        raise ValueError("need at least two labels")
    model = _pipeline()
    model.fit(texts, labels)
    return model


def evaluate(model: Pipeline, texts: list[str], labels: list[str]) -> Evaluation:
    """Accuracy and macro-F1 of ``model`` on held-out labelled texts."""
    predicted = list(model.predict(texts))
    return Evaluation(accuracy=float(accuracy_score(labels, predicted)),
                      macro_f1=float(f1_score(labels, predicted, average="macro", zero_division=0)),
                      count=len(labels))


def save(model: Pipeline, path: Path | None = None) -> Path:
    """Write the model atomically (a reader never sees half a file), with its format version."""
    path = path or model_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    joblib.dump({"version": MODEL_VERSION, "model": model, "trained_at": time.time()}, tmp)
    os.replace(tmp, path)
    _cache.clear()
    return path


def read_jsonl(path: str | Path) -> tuple[list[str], list[str]]:
    """Texts and labels from {"text", "label"} lines; blank lines are skipped."""
    texts: list[str] = []
    labels: list[str] = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                text, label = str(row["text"]), str(row["label"])
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}:{number}") from exc
            texts.append(text)
            labels.append(label)
    return texts, labels


class _Cache:
    """The loaded model (keyed by file mtime) and the active fields, shared by a process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.model: Any = None
        self.model_key: tuple[str, float] | None = None
        self.fields: dict[str, tuple[str, list[tuple[str, int]]]] = {}
        self.fields_loaded_at = 0.0

    def clear(self) -> None:
        with self.lock:
            self.model, self.model_key = None, None
            self.fields, self.fields_loaded_at = {}, 0.0

    def get_model(self) -> Any:
        path = model_path()
        try:
            mtime = path.stat().st_mtime
        except FileNotFoundError:
            return None
        key = (str(path), mtime)
        if self.model_key != key:
            with self.lock:
                payload = joblib.load(path)
                # A file from another format version is ignored, not trusted: keywords take over.
                ok = isinstance(payload, dict) and payload.get("version") == MODEL_VERSION
                self.model = payload["model"] if ok else None
                self.model_key = key
        return self.model

    def get_fields(self) -> dict[str, tuple[str, list[tuple[str, int]]]]:
        now = time.monotonic()
        if not self.fields or now - self.fields_loaded_at > _FIELDS_TTL_SECONDS:
            fields: dict[str, tuple[str, list[tuple[str, int]]]] = {}
            for code, name, keywords in Field.objects.filter(active=True).values_list("code", "name", "keywords"):
                phrases = {fold(k) for k in (keywords or []) if fold(k)}
                # A phrase weighs by its length: "thu hoi dat" says more than "dat".
                fields[code] = (name, [(f" {p} ", len(p.split())) for p in phrases])
            with self.lock:
                self.fields, self.fields_loaded_at = fields, now
        return self.fields


_cache = _Cache()


def clear_cache() -> None:
    """Forget the loaded model and field lists (after training or editing fields)."""
    _cache.clear()


def _keyword_scores(folded: str, fields: dict[str, tuple[str, list[tuple[str, int]]]]) -> dict[str, float]:
    padded = f" {folded} "
    scores: dict[str, float] = {}
    for code, (_name, phrases) in fields.items():
        score = sum(weight * padded.count(phrase) for phrase, weight in phrases)
        if score:
            scores[code] = float(score)
    return scores


def suggest(text: str, *, unit: Any = None, limit: int = 3) -> Suggestion | None:
    """The most likely field for a case's text (and, given its unit, the answering body), or None."""
    found = _suggest_field(text, limit)
    if found is None or unit is None:
        return found
    from .services import default_organisation  # services import much; only needed with a unit

    try:
        organisation = default_organisation(unit)
    except DomainError:
        return found
    return replace(found, organisation_id=organisation.pk, organisation_name=organisation.name)


def _suggest_field(text: str, limit: int) -> Suggestion | None:
    fields = _cache.get_fields()
    model = _cache.get_model()
    if model is not None and fold(text):
        probabilities = model.predict_proba([text])[0]
        ranked = sorted(zip(model.classes_, probabilities, strict=True), key=lambda pair: -pair[1])
        # Labels of fields since deactivated or deleted are skipped.
        ranked = [(str(code), float(p)) for code, p in ranked if code in fields]
        if ranked and ranked[0][1] >= MIN_MODEL_CONFIDENCE:
            return _suggestion(ranked, fields, "model", limit)
    scores = _keyword_scores(fold(text), fields)
    if not scores:
        return None
    total = sum(scores.values())
    ranked = sorted(((code, score / total) for code, score in scores.items()), key=lambda pair: (-pair[1], pair[0]))
    return _suggestion(ranked, fields, "keywords", limit)


def _suggestion(ranked: list[tuple[str, float]], fields: dict[str, tuple[str, list[tuple[str, int]]]],
                source: str, limit: int) -> Suggestion:
    best_code, best_p = ranked[0]
    alternatives = [Alternative(code, fields[code][0], round(p, 3)) for code, p in ranked[1:limit]]
    return Suggestion(best_code, fields[best_code][0], round(best_p, 3), source, alternatives)
