"""Reads of cases, always for an actor: officials see their scope, citizens see by code.

``case_visible_q`` is the queryset twin of ``rules.can_view_case``; the citizen's view
(``case_public_get``) carries only public events and the published answer, never a
submitter's contact or a denouncer's identity.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F, Q, QuerySet, TextField, Value
from django.db.models.functions import Concat
from django.utils import timezone

from danvan.accounts.selectors import is_system_admin, scope_q
from danvan.core import pagination
from danvan.core.errors import NotFoundOrForbidden
from danvan.core.search import word_prefix_filter
from danvan.units.selectors import subtree_q

from .codes import looks_like_code, normalize_code
from .models import RUNNING_STATES, AnswerStatus, Case, CaseEvent, Field, Kind, State
from .rules import CASE_VIEW_ROLES, DENUNCIATION_VIEW_ROLES, HANDLER_ROLES, acting, can_view_case

# Sort keys an inbox may ask for → ORDER BY; the id breaks ties so pages never overlap.
SORTS: dict[str, tuple[Any, ...]] = {
    "due_on": (F("due_on").asc(nulls_last=True), "-received_at", "-id"),
    "-due_on": (F("due_on").desc(nulls_last=True), "-received_at", "-id"),
    "received_at": ("received_at", "id"),
    "-received_at": ("-received_at", "-id"),
    "-updated_at": ("-updated_at", "-id"),
}
DEFAULT_SORT = "due_on"
# A search with no chosen order shows the newest matches first: a common word matches tens of
# thousands of cases, and walking them newest first stops after one page, where sorting them
# by deadline has to read and sort every match (docs/performance.md, issue 3).
SEARCH_SORT = "-received_at"


def case_visible_q(actor: Any) -> Q:
    """Condition for the cases the actor may see (same rule as ``rules.can_view_case``)."""
    if not acting(actor):
        return Q(pk__in=[])
    not_denunciation = ~Q(kind=Kind.DENUNCIATION)
    if is_system_admin(actor):
        general = not_denunciation
    else:
        general = not_denunciation & scope_q(actor, field="unit_path", roles=CASE_VIEW_ROLES)
    denunciations = Q(kind=Kind.DENUNCIATION) & (
        scope_q(actor, field="unit_path", roles=DENUNCIATION_VIEW_ROLES)
        | (Q(handler=actor) & scope_q(actor, field="unit_path", roles=HANDLER_ROLES)))
    return general | denunciations


@dataclass(frozen=True)
class CaseFilters:
    """What an inbox asks for; every filter is optional."""

    status: tuple[str, ...] = ()
    kind: str = ""
    field: str = ""  # Field.code
    unit_path: str = ""  # restrict to a subtree within the actor's scope
    overdue: bool = False
    mine: bool = False
    awaiting_approval: bool = False
    q: str = ""
    sort: str = ""  # a key of SORTS; empty: by deadline, or newest first for a search
    today: dt.date | None = None  # "overdue" relative to this day (default: today)


def case_list(*, actor: Any, filters: CaseFilters | None = None) -> QuerySet[Case]:
    """Cases the actor may see, filtered and sorted for an inbox (nothing for anonymous users)."""
    filters = filters or CaseFilters()
    qs = Case.objects.filter(case_visible_q(actor))
    if filters.status:
        qs = qs.filter(status__in=filters.status)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.field:
        # The field's id, not a join on its code: the planner then knows which field it is and
        # how many cases it has (measured on 1,000,000 cases: 402 → 99 ms for a first page).
        field_id = Field.objects.filter(code=filters.field).values_list("pk", flat=True).first()
        qs = qs.filter(field_id=field_id) if field_id is not None else qs.none()
    if filters.unit_path:
        qs = qs.filter(subtree_q(filters.unit_path, field="unit_path"))
    if filters.overdue:
        today = filters.today or timezone.localdate()
        # A paused clock (awaiting the citizen) is not overdue; closed cases no longer run.
        qs = qs.filter(status__in=RUNNING_STATES, due_on__lt=today)
    if filters.mine:
        qs = qs.filter(handler=actor) if acting(actor) else qs.none()
    if filters.awaiting_approval:
        qs = qs.filter(status=State.ANSWER_DRAFTED)
    if filters.q.strip():
        code = normalize_code(filters.q)
        words = word_prefix_filter("search_text", filters.q)
        if looks_like_code(code):
            qs = qs.filter(code=code)
        elif words is not None:
            qs = qs.filter(words)
        else:
            qs = qs.none()
    order = SORTS.get(filters.sort or _automatic_sort(filters), SORTS[DEFAULT_SORT])
    return qs.select_related("field", "unit", "organisation", "handler").defer("search_text").order_by(*order)


# The officials' inbox tabs, each a set of CaseFilters flags: (mine, overdue, awaiting_approval).
INBOX_TABS: dict[str, tuple[bool, bool, bool]] = {
    "mine": (True, False, False),  # assigned to me
    "unit": (False, False, False),  # everything in my scope
    "overdue": (False, True, False),
    "approval": (False, False, True),  # answers awaiting approval
}


def with_inbox_tab(filters: CaseFilters, tab: str) -> CaseFilters:
    """``filters`` narrowed to one inbox tab (a key of ``INBOX_TABS``); the other filters are kept."""
    mine, overdue, awaiting = INBOX_TABS[tab]
    return dataclasses.replace(filters, mine=mine, overdue=overdue, awaiting_approval=awaiting)


@dataclass(frozen=True)
class CappedCount:
    """A count that stops at a cap: exact when ``capped`` is false, else "more than ``count``"."""

    count: int
    capped: bool


def case_tab_counts(*, actor: Any, filters: CaseFilters, cap: int | None = None) -> dict[str, CappedCount]:
    """Cases per inbox tab the actor may see, with the list's other filters, each counted up to ``cap``.

    Like the list's own count (``core.pagination.CappedPaginator``), each tab reads at most
    ``cap`` + 1 rows (default ``COUNT_CAP``): a provincial leader sees a million cases, and the
    exact ``COUNT … FILTER (WHERE id IN …)`` over all of them ran for minutes (PostgreSQL cannot
    hash a million ids in ``work_mem`` and rescans them per row); capped, 20–110 ms. Each tab is
    the list ``case_list`` gives; the tabs are counted in one statement,
    ``SELECT (SELECT COUNT(*) FROM (… LIMIT cap + 1)), …``.
    """
    cap = pagination.COUNT_CAP if cap is None else cap
    parts: list[str] = []
    params: list[Any] = []
    using = Case.objects.db
    for tab in INBOX_TABS:
        capped = case_list(actor=actor, filters=with_inbox_tab(filters, tab)).order_by().values("pk")[: cap + 1]
        try:
            sql, tab_params = capped.query.get_compiler(using=using).as_sql()
        except EmptyResultSet:  # a list that cannot match anything (qs.none())
            parts.append("0")
            continue
        # Django compiled ``sql`` from the queryset; every value is in ``tab_params``.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS tab_{len(parts)})")  # noqa: S608
        params.extend(tab_params)
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return {tab: CappedCount(count=min(int(counted), cap), capped=int(counted) > cap)
            for tab, counted in zip(INBOX_TABS, row, strict=True)}


# How many of the newest visible cases a word search looks at first (``case_search_page_ids``).
SEARCH_WINDOW = 5000


def case_search_page_ids(*, actor: Any, filters: CaseFilters) -> Callable[[int, int], list[int] | None] | None:
    """For a newest-first word search: a function giving the ids of matches [bottom:top] found
    among the newest ``SEARCH_WINDOW`` cases the actor may see, or None when fewer lie there.

    A common phrase ("bồi thường tái định cư") matches ~1 % of a million cases, but PostgreSQL
    multiplies the odds of its words as if they were unrelated, expects one match, and fetches
    and sorts all 10,000 through the trigram index (250 ms). Its newest matches lie among the
    newest few thousand cases: reading those in order finds a page in ~10 ms. The words are
    matched on an expression the trigram index cannot serve, so the window is always what is
    read; when the page is not all there, the caller runs the ordinary query. Exact either way:
    the window is a prefix of the visible cases in the search order, so the first matches in
    it are the first matches overall. None when the list is not a newest-first word search.
    """
    if not filters.q.strip() or looks_like_code(normalize_code(filters.q)):
        return None
    if (filters.sort or _automatic_sort(filters)) != SEARCH_SORT:
        return None
    plain = dataclasses.replace(filters, q="")
    words = word_prefix_filter("search_text_scan", filters.q)
    if words is None:
        return None

    def page_ids(bottom: int, top: int) -> list[int] | None:
        if top > SEARCH_WINDOW:
            return None
        # The receipt time of the window's last case: every case received at or after it is a
        # prefix of the search order, and an index range PostgreSQL reads newest first and
        # leaves as soon as the page is found.
        oldest = (Case.objects.filter(case_visible_q(actor)).order_by(*SORTS[SEARCH_SORT])
                  .values_list("received_at", flat=True)[SEARCH_WINDOW - 1:SEARCH_WINDOW].first())
        matches = case_list(actor=actor, filters=plain)
        if oldest is not None:
            matches = matches.filter(received_at__gte=oldest)
        ids = list(matches.annotate(search_text_scan=Concat("search_text", Value(""), output_field=TextField()))
                   .filter(words).order_by(*SORTS[SEARCH_SORT]).values_list("pk", flat=True)[:top])
        return ids[bottom:top] if len(ids) >= top else None

    return page_ids


def _automatic_sort(filters: CaseFilters) -> str:
    """The order of an inbox whose sort was not chosen: newest first for a search by words."""
    if filters.q.strip() and not looks_like_code(normalize_code(filters.q)):
        return SEARCH_SORT
    return DEFAULT_SORT


def case_get(*, actor: Any, code_or_id: str | int) -> Case:
    """One case the actor may see, by code or id; NotFoundOrForbidden otherwise."""
    qs = Case.objects.select_related("field", "unit", "organisation", "handler", "duplicate_of")
    if isinstance(code_or_id, int) or str(code_or_id).isdigit():
        case = qs.filter(pk=int(code_or_id)).first()
    else:
        case = qs.filter(code=normalize_code(str(code_or_id))).first()
    if case is None or not can_view_case(actor, case):
        raise NotFoundOrForbidden()
    return case


def case_timeline(*, actor: Any, case: Case) -> QuerySet[CaseEvent]:
    """Every event of a case the actor may see, internal ones included, oldest first."""
    if not can_view_case(actor, case):
        raise NotFoundOrForbidden()
    return case.events.select_related("actor").order_by("at", "id")


@dataclass(frozen=True)
class PublicEvent:
    at: dt.datetime
    kind: str
    label: str
    note: str


@dataclass(frozen=True)
class PublicCase:
    """What the holder of a case's code may read: no contact data, no identity, no internal notes."""

    code: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    title: str
    description: str
    field_name: str
    unit_name: str
    organisation_name: str
    received_at: dt.datetime
    due_on: dt.date | None
    answered_at: dt.datetime | None
    answer_text: str
    merged_into_code: str
    events: list[PublicEvent] = field(default_factory=list)


def case_public_get(*, code: str) -> PublicCase:
    """The citizen's view of a case by its code (the code is the only key)."""
    normalized = normalize_code(code)
    case = None
    if looks_like_code(normalized):
        case = (Case.objects.select_related("field", "unit", "organisation", "duplicate_of")
                .filter(code=normalized).first())
    if case is None:
        raise NotFoundOrForbidden()
    events = [PublicEvent(at=e.at, kind=e.kind, label=e.get_kind_display(), note=e.note)
              for e in case.events.filter(public=True).order_by("at", "id")]
    answer = case.answers.filter(status=AnswerStatus.SENT).order_by("-sent_at", "-id").first()
    denunciation = case.kind == Kind.DENUNCIATION
    return PublicCase(
        code=case.code, kind=case.kind, kind_label=case.get_kind_display(), status=case.status,
        status_label=case.get_status_display(), title=case.title,
        # A denunciation's text may describe its author; its holder wrote it and needs only the progress.
        description="" if denunciation else case.description,
        field_name=case.field.name, unit_name=case.unit.name, organisation_name=case.organisation.name,
        received_at=case.received_at, due_on=case.due_on, answered_at=case.answered_at,
        answer_text=answer.published_text if answer else "",
        merged_into_code=case.duplicate_of.code if case.duplicate_of_id and case.duplicate_of else "",
        events=events,
    )


@dataclass(frozen=True)
class Follower:
    """Someone to tell about a case's progress: a submitter who asked for updates."""

    case_code: str
    name: str
    phone: str
    email: str


def case_followers(*, case: Case) -> list[Follower]:
    """Submitters who asked for updates on ``case`` or on a case merged into it.

    For the notification system, not for display: denouncers are not listed (their contact
    is sealed and read only through ``services.denouncer_identity_read``).
    """
    rows = (Case.objects.filter(Q(pk=case.pk) | Q(duplicate_of=case), wants_updates=True)
            .exclude(kind=Kind.DENUNCIATION).order_by("received_at", "id")
            .values_list("code", "submitter_name", "submitter_phone", "submitter_email"))
    return [Follower(*row) for row in rows if row[2] or row[3]]
