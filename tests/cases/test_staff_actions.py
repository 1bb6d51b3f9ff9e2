"""Handling a case from the officials' case page: each action by the right role through the
view, refusals for the wrong role or scope, errors that keep what was typed, the redaction
preview, the audited reading of a denouncer's identity, and bulk assignment from the inbox."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from danvan.audit.models import AuditEntry
from danvan.cases import services as s
from danvan.cases.models import Answer, AnswerStatus, Case, CaseEvent, EventKind, Extension, Kind, State
from danvan.cases.services import Submitter
from danvan.units.models import Organisation, OrganisationKind, Unit
from tests.cases.conftest import Clock, People, SubmitFn

pytestmark = pytest.mark.django_db

SEALED_NAME = "Lê Văn Cường"  # the denouncer in conftest.submit
SEALED_ID = "001085012345"


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def detail_url(case: Case) -> str:
    return reverse("cases_staff:detail", args=[case.code])


def action_url(case: Case, key: str) -> str:
    return reverse("cases_staff:action", args=[case.code, key])


def post(client: Client, case: Case, key: str, **data: Any) -> Any:
    return client.post(action_url(case, key), {f"{key}-{k}": v for k, v in data.items()})


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def success_messages(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def action_keys(response: Any) -> list[str]:
    return [a["key"] for a in response.context["actions"]]


def no_store(response: Any) -> bool:
    return "no-store" in response.get("Cache-Control", "")


# --- what the page offers ------------------------------------------------------------------

def test_page_offers_only_the_actors_actions(client: Client, clock: Clock, people: People,
                                            submit: SubmitFn) -> None:
    case = submit()
    login(client, people.leader)
    response = client.get(detail_url(case))
    assert response.status_code == 200 and no_store(response)
    # A feedback case runs its clock from receipt, so its leader may already extend it.
    assert action_keys(response) == ["accept", "refuse", "assign", "merge", "transfer", "extend", "note"]
    html = response.content.decode()
    assert 'id="action-assign"' in html and 'name="csrfmiddlewaretoken"' in html
    assert f'action="{action_url(case, "assign")}"' in html

    login(client, people.intake)
    assert action_keys(client.get(detail_url(case))) == ["accept", "refuse", "merge", "transfer", "note"]
    login(client, people.handler)
    assert action_keys(client.get(detail_url(case))) == ["note"]
    login(client, people.viewer)
    response = client.get(detail_url(case))
    assert action_keys(response) == []
    assert "Bạn không có thao tác nào" in response.content.decode()


def test_assign_lists_handlers_in_scope_and_assigns(client: Client, clock: Clock, people: People,
                                                    submit: SubmitFn) -> None:
    case = submit()
    login(client, people.leader)
    form = client.get(detail_url(case)).context["actions"][2]["form"]
    choices = set(form.fields["handler"].queryset)
    assert {people.handler, people.other_handler, people.leader, people.deputy} <= choices
    assert people.neighbour_handler not in choices and people.intake not in choices
    assert people.province_leader not in choices  # above the commune leader's own scope

    # A handler outside the list is refused by the form, nothing changes.
    response = post(client, case, "assign", handler=people.neighbour_handler.pk)
    assert response.status_code == 400
    assert "Cán bộ đã chọn không có trong danh sách." in response.content.decode()
    assert fresh(case).status == State.RECEIVED

    response = post(client, case, "assign", handler=people.handler.pk)
    assert response.status_code == 302 and response["Location"] == detail_url(case)
    assert fresh(case).handler == people.handler and fresh(case).status == State.ASSIGNED
    page = client.get(response["Location"])
    assert "Đã giao hồ sơ cho cán bộ xử lý." in page.content.decode()


def test_wrong_role_out_of_scope_and_method(client: Client, clock: Clock, people: People,
                                            submit: SubmitFn) -> None:
    case = submit()
    login(client, people.handler)  # sees the case, may not assign
    response = post(client, case, "assign", handler=people.handler.pk)
    assert response.status_code == 403
    assert "Bạn không thể thực hiện «Giao xử lý»" in response.content.decode()
    login(client, people.neighbour_leader)
    assert post(client, case, "assign", handler=people.neighbour_handler.pk).status_code == 404
    login(client, people.citizen)
    assert post(client, case, "note", note="x").status_code == 403
    client.logout()
    response = post(client, case, "note", note="x")
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    login(client, people.leader)
    assert client.get(action_url(case, "note")).status_code == 405
    assert post(client, case, "khong-co", note="x").status_code == 404
    # A move the state does not allow (already accepted) is a conflict, not a permission issue.
    s.case_accept(actor=people.leader, case=case)
    assert post(client, case, "accept").status_code == 409
    assert fresh(case).status == State.ACCEPTED
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.ASSIGNED).exists()


def test_accept_and_refuse(client: Client, clock: Clock, people: People, submit: SubmitFn) -> None:
    complaint = submit(kind=Kind.COMPLAINT)
    login(client, people.intake)
    response = post(client, complaint, "accept", is_complex="on")
    assert response.status_code == 302
    complaint = fresh(complaint)
    assert complaint.status == State.ACCEPTED and complaint.is_complex and complaint.accepted_at
    assert success_messages(response) == ["Đã thụ lý hồ sơ."]

    other = submit(kind=Kind.COMPLAINT)
    response = post(client, other, "refuse", reason="")
    assert response.status_code == 400
    assert "Phải nêu lý do không thụ lý." in response.content.decode()
    response = post(client, other, "refuse", reason="Đơn đã được giải quyết bằng quyết định có hiệu lực.")
    assert response.status_code == 302 and fresh(other).status == State.REFUSED


def test_note_request_info_and_info_received(client: Client, clock: Clock, people: People,
                                             submit: SubmitFn) -> None:
    case = s.case_assign(actor=people.leader, case=submit(), handler=people.handler)
    login(client, people.handler)
    assert post(client, case, "note", note="Đã gọi điện cho tổ trưởng.").status_code == 302
    note = CaseEvent.objects.get(case=case, kind=EventKind.NOTE)
    assert not note.public and note.note == "Đã gọi điện cho tổ trưởng."

    assert post(client, case, "start").status_code == 302
    response = post(client, case, "request_info", question="Đề nghị gửi ảnh chụp vị trí đổ rác.")
    assert response.status_code == 302
    assert fresh(case).status == State.AWAITING_INFO and fresh(case).paused
    clock.advance(3)
    login(client, people.intake)  # the intake officer records what arrived at the desk
    assert post(client, case, "info_received", response="Đã nhận 3 ảnh.").status_code == 302
    case = fresh(case)
    assert case.status == State.IN_PROGRESS and not case.paused and case.paused_days == 3


def test_domain_error_keeps_what_was_typed(client: Client, clock: Clock, people: People,
                                           submit: SubmitFn) -> None:
    case = submit()
    login(client, people.intake)
    typed = "Chuyển lại cho chính Ủy ban nhân dân phường"
    response = post(client, case, "transfer", organisation=case.organisation_id, reason=typed)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Vụ việc đang do chính cơ quan này giải quyết." in html
    assert typed in html
    assert 'id="action-transfer" open' in html  # the form that failed is the one shown open
    assert fresh(case).organisation_id == case.organisation_id


def test_guards_hide_moves_that_cannot_succeed(client: Client, clock: Clock, people: People,
                                               submit: SubmitFn) -> None:
    complaint = submit(kind=Kind.COMPLAINT)
    login(client, people.leader)
    assert "assign" not in action_keys(client.get(detail_url(complaint)))  # to be accepted first
    case = s.case_start(actor=people.handler,
                        case=s.case_assign(actor=people.leader, case=submit(), handler=people.handler))
    login(client, people.handler)
    assert "close" not in action_keys(client.get(detail_url(case)))  # no answer sent yet
    response = post(client, case, "close", note="Kết thúc")
    assert response.status_code == 409
    assert "Bạn không thể thực hiện «Kết thúc hồ sơ»" in response.content.decode()
    assert fresh(case).status == State.IN_PROGRESS
    # The drafter, although a leader, is not offered to approve their own answer.
    case = s.case_draft_answer(actor=people.leader, case=case, text="Đã xử lý.")
    case = s.case_submit_answer(actor=people.leader, case=case)
    login(client, people.leader)
    assert "approve_answer" not in action_keys(client.get(detail_url(case)))
    login(client, people.deputy)
    assert "approve_answer" in action_keys(client.get(detail_url(case)))


def test_answer_drafted_approved_with_redaction_and_sent(client: Client, clock: Clock, people: People,
                                                         submit: SubmitFn) -> None:
    case = submit(submitter=Submitter(name="Nguyễn Văn An", phone="0912345678"), wants_updates=True)
    case = s.case_assign(actor=people.leader, case=case, handler=people.handler)
    login(client, people.handler)
    assert post(client, case, "start").status_code == 302
    draft = ("Trả lời ông Nguyễn Văn An (ĐT 0912345678): UBND phường đã cho thu gom rác tại ngõ 12. "
             "Tổ trưởng Phạm Thị Hoa sẽ theo dõi.")
    assert post(client, case, "draft_answer", text=draft).status_code == 302
    # The draft form now shows the saved text for further editing.
    page = client.get(detail_url(case))
    assert next(a for a in page.context["actions"] if a["key"] == "draft_answer")["form"].initial["text"] == draft
    assert post(client, case, "submit_answer").status_code == 302
    assert fresh(case).status == State.ANSWER_DRAFTED

    # The drafter's own leader role does not matter here: the deputy approves.
    login(client, people.deputy)
    page = client.get(detail_url(case))
    approve = next(a for a in page.context["actions"] if a["key"] == "approve_answer")
    preview = approve["form"].initial["published_text"]
    assert "Nguyễn Văn An" not in preview and "0912345678" not in preview and "***" in preview
    assert "Phạm Thị Hoa" in preview  # a name the masking cannot know: left to the leader
    html = page.content.decode()
    assert "redaction-preview-hint" in html and "Phạm Thị Hoa" in html

    edited = preview.replace("Phạm Thị Hoa", "[[Phạm Thị Hoa]]") + " Trân trọng."
    response = post(client, case, "approve_answer", published_text=edited)
    assert response.status_code == 302
    answer = Answer.objects.get(case=case)
    assert answer.status == AnswerStatus.APPROVED
    assert "Phạm Thị Hoa" not in answer.published_text and answer.published_text.endswith("Trân trọng.")
    assert "0912345678" not in answer.published_text

    login(client, people.handler)
    assert post(client, case, "send_answer").status_code == 302
    assert fresh(case).status == State.ANSWERED
    public = client.get(reverse("cases_public:detail", args=[case.code])).content.decode()
    assert "Trân trọng." in public
    for secret in ("Nguyễn Văn An", "0912345678", "Phạm Thị Hoa"):
        assert secret not in public

    login(client, people.leader)
    assert post(client, case, "close").status_code == 302
    assert fresh(case).status == State.CLOSED


def test_leader_returns_answer_with_reason(client: Client, clock: Clock, people: People,
                                          submit: SubmitFn) -> None:
    case = s.case_assign(actor=people.leader, case=submit(), handler=people.handler)
    case = s.case_draft_answer(actor=people.handler, case=case, text="Đã xử lý.")
    case = s.case_submit_answer(actor=people.handler, case=case)
    login(client, people.handler)
    assert post(client, case, "approve_answer", published_text="Đã xử lý.").status_code == 403
    login(client, people.leader)
    response = post(client, case, "return_answer", note="")
    assert response.status_code == 400
    assert "Phải nêu ý kiến khi trả lại dự thảo." in response.content.decode()
    assert post(client, case, "return_answer", note="Bổ sung căn cứ pháp lý.").status_code == 302
    assert fresh(case).status == State.IN_PROGRESS
    login(client, people.handler)
    html = client.get(detail_url(case)).content.decode()
    assert "Bổ sung căn cứ pháp lý." in html and 'id="answer-return-note"' in html


def test_extension_by_the_leader_with_notice(client: Client, clock: Clock, people: People,
                                             submit: SubmitFn) -> None:
    case = submit(kind=Kind.DENUNCIATION)
    clock.set("2025-03-05")
    case = s.case_accept(actor=people.leader, case=case)
    clock.set("2025-04-01")
    login(client, people.intake)
    assert "extend" not in action_keys(client.get(detail_url(case)))
    assert post(client, case, "extend", reason="x").status_code == 403
    login(client, people.leader)
    assert "extend" in action_keys(client.get(detail_url(case)))
    response = post(client, case, "extend", reason="Cần xác minh thêm", notice_reference="15/TB-UBND")
    assert response.status_code == 302
    assert fresh(case).due_on == dt.date(2025, 5, 5)
    assert Extension.objects.get(case=case).notice_reference == "15/TB-UBND"
    assert post(client, case, "extend", reason="Đặc biệt phức tạp").status_code == 302
    # The law allows two extensions of a denunciation: the third is refused, the reason kept.
    response = post(client, case, "extend", reason="Lần thứ ba", notice_reference="20/TB-UBND")
    assert response.status_code == 409
    html = response.content.decode()
    assert "Đã gia hạn đủ 2 lần" in html and "Lần thứ ba" in html and "20/TB-UBND" in html


def test_transfer_with_search_and_reason(client: Client, clock: Clock, people: People, submit: SubmitFn,
                                         ngoc_ha: Unit) -> None:
    case = submit()
    target = Organisation.objects.get(unit=ngoc_ha, kind=OrganisationKind.PEOPLES_COMMITTEE, active=True)
    login(client, people.intake)
    page = client.get(detail_url(case))
    assert target not in page.context["transfer_targets"]  # another commune: found by searching
    assert case.organisation not in page.context["transfer_targets"]
    page = client.get(detail_url(case) + "?co_quan=uy+ban+ngoc+ha")
    assert target in page.context["transfer_targets"]
    assert f'<option value="{target.pk}"' in page.content.decode()

    response = post(client, case, "transfer", reason="Vị trí thuộc phường Ngọc Hà")
    assert response.status_code == 400
    assert "Phải chọn cơ quan, tổ chức nhận vụ việc." in response.content.decode()
    assert "Vị trí thuộc phường Ngọc Hà" in response.content.decode()

    # A choice found by searching survives an error elsewhere in the form.
    response = post(client, case, "transfer", organisation=target.pk, reason="")
    assert response.status_code == 400
    assert f'<option value="{target.pk}" selected>' in response.content.decode()

    response = post(client, case, "transfer", organisation=target.pk, reason="Vị trí thuộc phường Ngọc Hà")
    # The case has left Ba Đình: its intake officer goes back to the inbox.
    assert response.status_code == 302 and response["Location"] == reverse("cases_staff:inbox")
    case = fresh(case)
    assert case.organisation == target and case.unit == ngoc_ha
    login(client, people.neighbour_leader)
    assert client.get(detail_url(case)).status_code == 200


def test_merge_suggests_similar_and_asks_confirmation(client: Client, clock: Clock, people: People,
                                                      submit: SubmitFn) -> None:
    first = submit(title="Rác thải tập kết trái phép đầu ngõ 12 Đội Cấn")
    clock.advance(1)
    second = submit(title="Rác thải tập kết trái phép ở ngõ 12 phố Đội Cấn")
    login(client, people.intake)
    page = client.get(detail_url(second))
    assert first in [sc.case for sc in page.context["merge_suggestions"]]
    assert 'id="merge-suggestions"' in page.content.decode()

    response = post(client, second, "merge", into="PA2025ZZZZZZZZ")
    assert response.status_code == 400
    assert "Không tìm thấy hồ sơ có mã này" in response.content.decode()
    assert "PA2025ZZZZZZZZ" in response.content.decode()

    response = post(client, second, "merge", into=first.code.lower())
    assert response.status_code == 200
    assert response.context["merge_target"] == first
    assert 'id="merge-confirm"' in response.content.decode()
    assert fresh(second).status == State.RECEIVED  # nothing happens before the confirmation

    response = post(client, second, "merge", into=first.code, confirm="on")
    assert response.status_code == 302
    second = fresh(second)
    assert second.status == State.MERGED and second.duplicate_of == first
    assert CaseEvent.objects.filter(case=first, kind=EventKind.MERGED_IN).exists()


def test_merge_into_itself_is_refused(client: Client, clock: Clock, people: People, submit: SubmitFn) -> None:
    case = submit()
    login(client, people.intake)
    response = post(client, case, "merge", into=case.code, confirm="on")
    assert response.status_code == 409
    assert "Không thể gộp một vụ việc vào chính nó." in response.content.decode()


def test_reopen_by_leader(client: Client, clock: Clock, people: People, submit: SubmitFn) -> None:
    case = s.case_assign(actor=people.leader, case=submit(), handler=people.handler)
    case = s.case_draft_answer(actor=people.handler, case=case, text="Đã xử lý.")
    case = s.case_submit_answer(actor=people.handler, case=case)
    case = s.case_approve_answer(actor=people.leader, case=case)
    case = s.case_send_answer(actor=people.handler, case=case)
    login(client, people.leader)
    assert post(client, case, "reopen", reason="Người dân phản ánh rác vẫn còn.").status_code == 302
    assert fresh(case).status == State.REOPENED


# --- the denouncer's identity -------------------------------------------------------------

def test_identity_read_is_cleared_purposed_audited_and_not_cached(client: Client, clock: Clock, people: People,
                                                                  submit: SubmitFn) -> None:
    case = s.case_accept(actor=people.leader, case=submit(kind=Kind.DENUNCIATION))
    case = s.case_assign(actor=people.leader, case=case, handler=people.handler)
    identity_url = reverse("cases_staff:identity", args=[case.code])

    login(client, people.handler)  # handles the case but is not cleared
    html = client.get(detail_url(case)).content.decode()
    assert "Xem danh tính người tố cáo" not in html
    assert client.get(identity_url).status_code == 404
    assert client.post(identity_url, {"purpose": "Xác minh"}).status_code == 404

    login(client, people.leader)
    page = client.get(detail_url(case))
    html = page.content.decode()
    assert "Xem danh tính người tố cáo" in html and SEALED_NAME not in html and no_store(page)
    form = client.get(identity_url)
    assert form.status_code == 200 and no_store(form) and SEALED_NAME not in form.content.decode()

    response = client.post(identity_url, {"purpose": "  "})
    assert response.status_code == 400 and SEALED_NAME not in response.content.decode()
    assert "Phải nêu mục đích" in response.content.decode()

    before = AuditEntry.objects.filter(action="cases.identity_read").count()
    response = client.post(identity_url, {"purpose": "Mời người tố cáo đến làm việc"})
    assert response.status_code == 200 and no_store(response)
    html = response.content.decode()
    assert SEALED_NAME in html and SEALED_ID in html
    entry = AuditEntry.objects.filter(action="cases.identity_read").latest("id")
    assert AuditEntry.objects.filter(action="cases.identity_read").count() == before + 1
    assert entry.actor == people.leader and entry.after == {"purpose": "Mời người tố cáo đến làm việc"}
    # Shown on that response only: the case page still does not carry it.
    assert SEALED_NAME not in client.get(detail_url(case)).content.decode()

    # An intake officer sees the case but reads the identity only once cleared for the unit.
    login(client, people.intake)
    assert "Xem danh tính người tố cáo" not in client.get(detail_url(case)).content.decode()
    assert client.post(identity_url, {"purpose": "Xác minh"}).status_code == 404
    s.identity_clearance_grant(actor=people.leader, user=people.intake, unit=case.unit)
    assert "Xem danh tính người tố cáo" in client.get(detail_url(case)).content.decode()
    response = client.post(identity_url, {"purpose": "Gửi thông báo thụ lý cho người tố cáo"})
    assert response.status_code == 200 and SEALED_NAME in response.content.decode()
    assert AuditEntry.objects.filter(action="cases.identity_read", actor=people.intake).count() == 1

    login(client, people.leader)
    # A feedback case has no identity page at all.
    assert client.get(reverse("cases_staff:identity", args=[submit().code])).status_code == 404


# --- bulk assignment ----------------------------------------------------------------------

def test_bulk_assign_reports_successes_and_failures(client: Client, clock: Clock, people: People,
                                                    submit: SubmitFn, ngoc_ha: Unit) -> None:
    one, two = submit(title="Đèn đường hỏng"), submit(title="Cây đổ chắn lối")
    complaint = submit(kind=Kind.COMPLAINT)  # must be accepted before it is assigned
    elsewhere = submit(unit=ngoc_ha)
    login(client, people.leader)
    inbox = client.get(reverse("cases_staff:inbox") + "?sort=received_at")
    html = inbox.content.decode()
    assert 'id="bulk-assign"' in html and f'value="{one.code}" form="bulk-assign"' in html
    assert people.handler in list(inbox.context["bulk_handlers"])

    back = reverse("cases_staff:inbox") + "?sort=received_at"
    response = client.post(reverse("cases_staff:bulk_assign"), {
        "handler": people.handler.pk, "cases": [one.code, two.code, complaint.code, elsewhere.code], "next": back})
    assert response.status_code == 302 and response["Location"] == back
    texts = success_messages(response)
    assert "Đã giao 2 hồ sơ cho xuly." in texts[0] or texts[0].startswith("Đã giao 2 hồ sơ")
    assert "2 hồ sơ chưa giao được:" in texts
    assert any(t.startswith(complaint.code) and "phải được thụ lý" in t for t in texts)
    assert any(t.startswith(elsewhere.code) and "không tìm thấy" in t for t in texts)
    assert fresh(one).handler == people.handler and fresh(two).handler == people.handler
    assert fresh(complaint).handler is None and fresh(elsewhere).handler is None
    client.get(back)  # shows (and so uses up) the messages

    response = client.post(reverse("cases_staff:bulk_assign"), {"handler": people.handler.pk,
                                                                "next": "https://evil.example/"})
    assert response["Location"] == reverse("cases_staff:inbox")
    assert success_messages(response) == ["Hãy chọn ít nhất một hồ sơ để giao xử lý."]
    client.get(back)
    response = client.post(reverse("cases_staff:bulk_assign"), {"cases": [one.code]})
    assert success_messages(response) == ["Hãy chọn cán bộ xử lý."]

    login(client, people.handler)  # not a leader: no checkboxes, no bulk assignment
    assert 'id="bulk-assign"' not in client.get(reverse("cases_staff:inbox")).content.decode()
    assert client.post(reverse("cases_staff:bulk_assign"), {"handler": people.handler.pk,
                                                            "cases": [one.code]}).status_code == 403


def test_detail_query_count_is_bounded(client: Client, clock: Clock, people: People, submit: SubmitFn,
                                       django_assert_max_num_queries: Any) -> None:
    case = submit()
    for i in range(5):
        s.case_note_add(actor=people.leader, case=case, note=f"Ghi chú {i}")
    login(client, people.leader)
    with django_assert_max_num_queries(30):
        response = client.get(detail_url(case))
    assert response.status_code == 200
    assert len(re.findall(r'class="card case-action"', response.content.decode())) == 7


def test_action_responses_never_carry_the_identity(client: Client, clock: Clock, people: People,
                                                   submit: SubmitFn) -> None:
    """Every action route, posted empty or not, by everyone who sees the case: no identity."""
    from danvan.cases.views_case import SPECS

    case = s.case_accept(actor=people.leader, case=submit(kind=Kind.DENUNCIATION))
    case = s.case_assign(actor=people.leader, case=case, handler=people.handler)
    identity_url = reverse("cases_staff:identity", args=[case.code])
    for user in (people.handler, people.leader, people.intake, people.neighbour_leader):
        login(client, user)
        responses = [client.post(action_url(case, key), {}, follow=True) for key in SPECS]
        responses += [client.get(detail_url(case)), client.get(identity_url),
                      client.post(identity_url, {"purpose": ""}), client.get(reverse("cases_staff:inbox"))]
        for response in responses:
            body = response.content.decode()
            assert SEALED_NAME not in body and SEALED_ID not in body, (user, response.request)


def test_actions_need_the_csrf_token(clock: Clock, people: People, submit: SubmitFn) -> None:
    case = submit()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(people.leader)
    assert strict.post(action_url(case, "note"), {"note-note": "Ghi chú"}).status_code == 403
    assert strict.post(reverse("cases_staff:bulk_assign"), {"handler": people.handler.pk,
                                                            "cases": [case.code]}).status_code == 403
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.NOTE).exists()
    page = strict.get(detail_url(case))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token is not None
    response = strict.post(action_url(case, "note"), {"note-note": "Ghi chú", "csrfmiddlewaretoken": token.group(1)})
    assert response.status_code == 302
