"""Committed case events become outbox rows for the right people, and never for denouncers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from danvan.cases import services as s
from danvan.cases.models import Kind
from danvan.cases.services import Submitter
from danvan.notifications.models import Outbox, OutboxStatus
from tests.cases.conftest import People, SubmitFn

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _file_sms(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    settings.DANVAN_SMS_BACKEND = "danvan.notifications.backends.FileSmsBackend"


def rows() -> list[tuple[str, str]]:
    return list(Outbox.objects.order_by("id").values_list("channel", "recipient"))


def test_citizen_hears_public_milestones(people: People, submit: SubmitFn, clock: Any,
                                         django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        case = submit(submitter=Submitter(name="Nguyễn Văn An", phone="0912345678", email="an@example.vn"),
                      wants_updates=True)
        assert Outbox.objects.count() == 0  # submission itself is answered on screen, not by SMS
        case = s.case_accept(actor=people.intake, case=case)
    assert rows() == [("sms", "0912345678"), ("email", "an@example.vn")]
    sms = Outbox.objects.get(channel="sms")
    assert sms.status == OutboxStatus.SENT
    assert case.code in sms.body and "thụ lý" in sms.body
    assert "&" not in sms.body  # plain text, not HTML-escaped

    with django_capture_on_commit_callbacks(execute=True):
        case = s.case_assign(actor=people.leader, case=case, handler=people.handler)
        case = s.case_start(actor=people.handler, case=case)
        case = s.case_draft_answer(actor=people.handler, case=case, text="UBND phường đã chỉ đạo thu gom rác.")
        case = s.case_submit_answer(actor=people.handler, case=case)
        case = s.case_approve_answer(actor=people.leader, case=case)
        case = s.case_send_answer(actor=people.leader, case=case)
    recipients = rows()
    # The handler on assignment; both leaders of the commune when the answer is submitted.
    assert ("email", people.handler.email) in recipients
    assert ("email", people.leader.email) in recipients and ("email", people.deputy.email) in recipients
    assert ("email", people.province_leader.email) not in recipients
    answered = Outbox.objects.filter(recipient="0912345678").order_by("id").last()
    assert answered is not None and "văn bản trả lời" in answered.body
    assert Outbox.objects.filter(recipient="0912345678").count() == 2


def test_no_updates_without_consent(people: People, submit: SubmitFn, clock: Any,
                                    django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        case = submit(submitter=Submitter(name="Nguyễn Văn An", phone="0912345678"), wants_updates=False)
        s.case_accept(actor=people.intake, case=case)
    assert rows() == []


def test_merged_submitter_is_told_the_surviving_code(people: People, submit: SubmitFn, clock: Any,
                                                     django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        survivor = submit()
        duplicate = submit(submitter=Submitter(phone="0911111111"), wants_updates=True,
                           description="Rác đổ ở đầu ngõ 12 phố Đội Cấn, bốc mùi.")
        s.case_merge(actor=people.intake, duplicate=duplicate, into=survivor)
    message = Outbox.objects.get(recipient="0911111111")
    assert duplicate.code in message.body and survivor.code in message.body


def test_denouncer_is_never_notified(people: People, submit: SubmitFn, clock: Any,
                                     django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        case = submit(kind=Kind.DENUNCIATION, wants_updates=True)
        s.case_accept(actor=people.leader, case=case)
    assert not Outbox.objects.filter(recipient__in=["0987654321"]).exists()
    assert all("Lê Văn Cường" not in body for body in Outbox.objects.values_list("body", flat=True))
