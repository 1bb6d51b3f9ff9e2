"""Following a case by its code: lookup, public timeline only, reopen within the window."""

from __future__ import annotations

from typing import Any

from django.test import Client

from danvan.cases import services as s
from danvan.cases.models import CaseEvent, EventKind, State
from tests.cases.conftest import Clock, People, SubmitFn
from tests.cases.test_workflow import drive


def test_lookup_redirects_to_the_case_and_refuses_unknown_codes(client: Client, clock: Clock,
                                                                 submit: SubmitFn) -> None:
    case = submit()
    response = client.get("/phan-anh/tra-cuu/", {"code": case.code.lower()})
    assert response.status_code == 302 and response["Location"] == f"/phan-anh/{case.code}/"
    unknown = client.get("/phan-anh/tra-cuu/", {"code": "PA2025XXXXXXXX"})
    assert unknown.status_code == 400 and "Không tìm thấy vụ việc" in unknown.content.decode()
    assert client.get("/phan-anh/PA2025XXXXXXXX/").status_code == 404


def test_follow_page_shows_public_events_and_answer_only(client: Client, clock: Clock, submit: SubmitFn,
                                                        people: People) -> None:
    case = submit()
    s.case_note_add(actor=people.leader, case=case, note="Ghi chú nội bộ: liên hệ ông Tổ trưởng")
    case = drive(case, State.ANSWERED, people)
    page = client.get(f"/phan-anh/{case.code}/").content.decode()
    assert "Ghi chú nội bộ" not in page
    assert "UBND phường đã chỉ đạo thu gom rác." in page
    for event in CaseEvent.objects.filter(case=case, public=True):
        assert event.get_kind_display() in page
    assert "Đề nghị mở lại" in page


def test_citizen_reopens_with_the_code(client: Client, clock: Clock, submit: SubmitFn, people: People) -> None:
    case = drive(submit(), State.ANSWERED, people)
    empty = client.post(f"/phan-anh/{case.code}/", {"reason": ""})
    assert empty.status_code == 400 and "Phải nêu lý do" in empty.content.decode()
    response = client.post(f"/phan-anh/{case.code}/", {"reason": "Rác vẫn còn"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == State.REOPENED
    assert CaseEvent.objects.get(case=case, kind=EventKind.REOPENED).note == "Rác vẫn còn"


def test_reopen_after_the_window_is_refused_in_vietnamese(client: Client, clock: Clock, submit: SubmitFn,
                                                          people: People, settings: Any) -> None:
    settings.DANVAN_CASE_REOPEN_DAYS = 10
    case = drive(submit(), State.ANSWERED, people)
    clock.advance(11)
    response = client.post(f"/phan-anh/{case.code}/", {"reason": "Rác vẫn còn"})
    assert response.status_code == 400 and "Đã quá 10 ngày" in response.content.decode()
    case.refresh_from_db()
    assert case.status == State.ANSWERED


def test_citizen_rates_the_answer_once(client: Client, clock: Clock, submit: SubmitFn, people: People) -> None:
    from danvan.audit.models import AuditEntry
    from danvan.cases.models import CaseRating

    case = submit()
    before = client.get(f"/phan-anh/{case.code}/").content.decode()
    assert 'id="rating-form"' not in before  # nothing to rate before an answer is sent
    case = drive(case, State.ANSWERED, people)
    assert 'id="rating-form"' in client.get(f"/phan-anh/{case.code}/").content.decode()

    bad = client.post(f"/phan-anh/{case.code}/", {"action": "rate", "score": "9", "comment": "Giữ lại lời này"})
    assert bad.status_code == 400
    assert "Mức độ hài lòng phải từ 1 đến 5" in bad.content.decode() and "Giữ lại lời này" in bad.content.decode()

    ok = client.post(f"/phan-anh/{case.code}/", {"action": "rate", "score": "4", "comment": "Xử lý nhanh"})
    assert ok.status_code == 302
    rating = CaseRating.objects.get(case=case)
    assert (rating.score, rating.comment) == (4, "Xử lý nhanh")
    assert AuditEntry.objects.filter(action="cases.rate", object_id=str(case.pk)).exists()

    page = client.get(f"/phan-anh/{case.code}/").content.decode()
    assert 'id="rating-given"' in page and 'id="rating-form"' not in page
    again = client.post(f"/phan-anh/{case.code}/", {"action": "rate", "score": "1"})
    assert again.status_code == 400 and "đã đánh giá" in again.content.decode()
    assert CaseRating.objects.filter(case=case).count() == 1
