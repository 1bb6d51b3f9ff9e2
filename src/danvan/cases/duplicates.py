"""Similar open cases nearby: shown at submission and in the officials' view before a merge.

Candidates come from one bounded query (same commune subtree, open, received in the time
window; served by the unit_path/status and received_at indexes), then are compared in
Python with a Dice coefficient over folded word uni- and bi-grams: cheap, accent-insensitive
and good enough to catch the same pothole reported twice in different words.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from danvan.core.text import fold_tokens
from danvan.units.models import Level, Unit
from danvan.units.selectors import subtree_q

from .models import OPEN_STATES, Case, Kind
from .redaction import redact
from .selectors import case_visible_q

DEFAULT_THRESHOLD = 0.35
# At most this many recent candidates are compared: a busy commune's month stays bounded.
MAX_CANDIDATES = 300
# Words too common in feedback to say two texts are about the same thing.
_STOPWORDS = frozenset({"de", "nghi", "o", "va", "cua", "cho", "nguoi", "dan", "xa", "phuong", "da", "bi", "nhieu",
                        "ngay", "nay", "la", "co", "khong", "cac", "duoc", "tai", "tu", "xem", "xet", "xu", "ly"})


@dataclass(frozen=True)
class SimilarCase:
    case: Case
    score: float


@dataclass(frozen=True)
class PublicSimilarCase:
    """What the public submission form may show: no code (it lets its holder reopen), no names."""

    title: str
    status: str
    status_label: str
    received_on: dt.date
    score: float


def _features(text: str) -> frozenset[str]:
    words = [w for w in fold_tokens(text) if w not in _STOPWORDS]
    return frozenset(words) | frozenset(f"{a} {b}" for a, b in itertools.pairwise(words))


def similarity(a: str, b: str) -> float:
    """Dice coefficient of two texts' folded word uni/bi-grams (0 = nothing shared, 1 = same)."""
    fa, fb = _features(a), _features(b)
    if not fa or not fb:
        return 0.0
    return 2 * len(fa & fb) / (len(fa) + len(fb))


def _commune(unit: Unit) -> Unit:
    # A village's cases are compared with its whole commune: neighbours report the same thing.
    while unit.level > Level.COMMUNE and unit.parent is not None:
        unit = unit.parent
    return unit


def _ranked(cases: Any, *, text: str, unit: Unit, received_at: dt.datetime | None, window_days: int,
            limit: int, threshold: float) -> list[SimilarCase]:
    moment = received_at or timezone.now()
    window = dt.timedelta(days=window_days)
    candidates = (cases.filter(subtree_q(_commune(unit).path, field="unit_path"), status__in=OPEN_STATES,
                               received_at__gte=moment - window, received_at__lte=moment + window)
                  .order_by("-received_at", "-id")[:MAX_CANDIDATES])
    scored = [SimilarCase(case, round(similarity(text, f"{case.title} {case.description}"), 3))
              for case in candidates]
    scored = [s for s in scored if s.score >= threshold]
    scored.sort(key=lambda s: (-s.score, -s.case.received_at.timestamp()))
    return scored[:limit]


def similar_open_cases(*, actor: Any, text: str, unit: Unit, received_at: dt.datetime | None = None,
                       window_days: int = 30, limit: int = 5, threshold: float = DEFAULT_THRESHOLD,
                       exclude: Case | None = None) -> list[SimilarCase]:
    """Open cases the actor may see, in the same commune and time window, whose text is similar."""
    cases = Case.objects.filter(case_visible_q(actor)).select_related("field")
    if exclude is not None:
        cases = cases.exclude(pk=exclude.pk)
    return _ranked(cases, text=text, unit=unit, received_at=received_at, window_days=window_days, limit=limit,
                   threshold=threshold)


def similar_open_cases_public(*, text: str, unit: Unit, received_at: dt.datetime | None = None,
                              window_days: int = 30, limit: int = 5,
                              threshold: float = DEFAULT_THRESHOLD) -> list[PublicSimilarCase]:
    """For the public form: similar open cases nearby with only their masked title and status."""
    # Denunciations are never hinted at publicly, not even their existence.
    cases = Case.objects.exclude(kind=Kind.DENUNCIATION).only("title", "description", "status", "received_at")
    found = _ranked(cases, text=text, unit=unit, received_at=received_at, window_days=window_days, limit=limit,
                    threshold=threshold)
    return [PublicSimilarCase(title=redact(s.case.title), status=s.case.status,
                              status_label=str(s.case.get_status_display()),
                              received_on=timezone.localdate(s.case.received_at), score=s.score) for s in found]
