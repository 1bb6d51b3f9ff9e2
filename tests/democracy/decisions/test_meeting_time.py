"""The start time of a community meeting: recorded by the village head, shown on the officials' and
public pages, in the SMS inviting household representatives, in the DOCX minutes and in the API."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document

from danvan.audit.models import AuditEntry
from danvan.core.errors import DomainError
from danvan.democracy.decisions.models import Decision, Form, Meeting, Status, when_text
from danvan.democracy.decisions.services import (
    NOTICE_OPEN,
    Action,
    attendance_set,
    decision_transition,
    meeting_record,
    notice_text,
    tallies_enter,
)
from danvan.notifications.models import Outbox
from danvan.units.models import Unit

from .conftest import World, new_decision
from .test_services import options
from .test_views import staff

DAY = dt.date(2026, 3, 15)
EVENING = dt.time(19, 30)


def record(world: World, decision: Decision, *, held_on: dt.date | None = DAY,
           starts_at: dt.time | None = EVENING) -> Meeting:
    return meeting_record(actor=world.head, decision=decision, held_on=held_on, starts_at=starts_at,
                          location="Nhà văn hóa tổ dân phố số 1", chair="Nguyễn Văn Tổ Trưởng",
                          secretary="Lê Thị Thư Ký", minutes="Hội nghị thống nhất làm đường.")


def published_meeting(world: World, *, starts_at: dt.time | None = EVENING) -> Decision:
    decision = new_decision(world, form=Form.MEETING)
    decision_transition(actor=world.head, decision=decision, action=Action.OPEN)
    record(world, decision, starts_at=starts_at)
    attendance_set(actor=world.head, decision=decision, household_ids=[h.pk for h in world.households[:7]])
    agree, disagree = options(decision)
    tallies_enter(actor=world.head, decision=decision, votes={agree: 6, disagree: 1})
    decision_transition(actor=world.head, decision=decision, action=Action.COUNT)
    return decision_transition(actor=world.head, decision=decision, action=Action.PUBLISH)


def test_vietnamese_wording_of_day_and_time() -> None:
    assert when_text(DAY, EVENING) == "19 giờ 30, ngày 15/03/2026"
    assert when_text(DAY, dt.time(7, 5)) == "7 giờ 05, ngày 15/03/2026"
    assert when_text(DAY, dt.time(19, 0)) == "19 giờ 00, ngày 15/03/2026"
    assert when_text(DAY, None) == "ngày 15/03/2026"
    assert when_text(None, EVENING) == "19 giờ 30"
    assert when_text(None, None) == ""


def test_service_stores_the_start_time_to_the_minute_and_audits_it(world: World) -> None:
    decision = new_decision(world, form=Form.MEETING)
    meeting = record(world, decision, starts_at=dt.time(19, 30, 42, 5))
    assert Meeting.objects.get(pk=meeting.pk).starts_at == EVENING
    entry = AuditEntry.objects.filter(action="decisions.meeting").latest("id")
    assert entry.after is not None and entry.after["starts_at"] == "19:30:00"
    # Optional: a meeting recorded without a time keeps none, and an edit can clear it.
    assert record(world, decision, starts_at=None).starts_at is None
    assert Meeting.objects.get(pk=meeting.pk).starts_at is None
    # A meeting created before the field existed (no time) stays valid.
    assert Meeting.objects.filter(starts_at__isnull=True).count() == 1


def test_service_refuses_an_invalid_start_time_in_vietnamese(world: World) -> None:
    decision = new_decision(world, form=Form.MEETING)
    with pytest.raises(DomainError) as not_a_time:
        record(world, decision, starts_at="19h30")  # type: ignore[arg-type]
    assert not_a_time.value.code == "time_invalid" and "Giờ bắt đầu không hợp lệ" in not_a_time.value.message
    aware = dt.time(19, 30, tzinfo=dt.UTC)
    with pytest.raises(DomainError) as zoned:
        record(world, decision, starts_at=aware)
    assert zoned.value.code == "time_invalid"
    with pytest.raises(DomainError) as no_day:
        record(world, decision, held_on=None)
    assert no_day.value.code == "day_required" and "Hãy nhập ngày họp" in no_day.value.message
    assert Meeting.objects.get(decision=decision).starts_at is None


def test_invitation_sms_names_the_start_time(world: World) -> None:
    decision = new_decision(world, form=Form.MEETING)
    meeting_record(actor=world.head, decision=decision, held_on=dt.date(2026, 3, 8), starts_at=dt.time(19, 0),
                   location="Nhà văn hóa tổ dân phố số 1", chair="", secretary="", minutes="")
    decision_transition(actor=world.head, decision=decision, action=Action.OPEN)
    bodies = set(Outbox.objects.filter(dedupe_key__contains=f":notice:{NOTICE_OPEN}:").values_list("body", flat=True))
    assert len(bodies) == 1
    body = bodies.pop()
    assert "“Đóng góp làm đường bê tông ngõ 5” lúc 19 giờ 00, ngày 08/03/2026, địa điểm: Nhà văn hóa" in body
    # Without a time the invitation still gives the day (as before).
    other = new_decision(world, form=Form.MEETING)
    meeting_record(actor=world.head, decision=other, held_on=dt.date(2026, 3, 8), location="",
                   chair="", secretary="", minutes="")
    text = notice_text(other, NOTICE_OPEN)
    assert "” ngày 08/03/2026, địa điểm: sẽ thông báo sau." in text and "giờ" not in text


def test_officials_form_and_page_show_the_start_time(world: World) -> None:
    decision = new_decision(world, form=Form.MEETING)
    decision_transition(actor=world.head, decision=decision, action=Action.OPEN)
    client = staff(world)
    url = reverse("decisions_staff:detail", args=[decision.pk])
    page = client.get(url).content.decode()
    assert '<label for="id_starts_at">Giờ bắt đầu</label>' in page
    assert 'type="time" name="starts_at"' in page
    bad = client.post(reverse("decisions_staff:meeting", args=[decision.pk]),
                      {"held_on": "2026-03-15", "starts_at": "25:99", "location": "Nhà văn hóa"})
    assert bad.status_code == 400 and "Giờ bắt đầu không hợp lệ: hãy nhập giờ và phút, ví dụ 19:30." in (
        bad.content.decode())
    no_day = client.post(reverse("decisions_staff:meeting", args=[decision.pk]),
                         {"starts_at": "19:30", "location": "Nhà văn hóa"})
    assert no_day.status_code == 400 and "Hãy nhập ngày họp cùng với giờ bắt đầu." in no_day.content.decode()
    saved = client.post(reverse("decisions_staff:meeting", args=[decision.pk]),
                        {"held_on": "2026-03-15", "starts_at": "19:30", "location": "Nhà văn hóa"})
    assert saved.status_code == 302
    assert Meeting.objects.get(decision=decision).starts_at == EVENING
    # The form comes back with the stored time in the input's HH:MM format.
    assert 'name="starts_at" value="19:30"' in client.get(url).content.decode()
    # The commune leader reads the meeting (no form): day and time in Vietnamese wording.
    leader_page = staff(world, world.leader).get(url).content.decode()
    assert "19 giờ 30, ngày 15/03/2026 · Nhà văn hóa" in leader_page


def test_moving_an_announced_meeting_says_who_was_texted(world: World) -> None:
    decision = new_decision(world, form=Form.MEETING)
    decision_transition(actor=world.head, decision=decision, action=Action.OPEN)
    client = staff(world)
    day = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    saved = client.post(reverse("decisions_staff:meeting", args=[decision.pk]),
                        {"held_on": day, "starts_at": "19:30", "location": "Nhà văn hóa"}, follow=True)
    with_phone = sum(1 for h in world.households if h.representative_phone)
    assert f"Đã nhắn tin báo lịch mới cho {with_phone} đại diện hộ gia đình." in saved.content.decode()


def test_public_page_docx_and_api_show_the_start_time(world: World, ba_dinh: Unit) -> None:
    decision = published_meeting(world)
    assert decision.status == Status.PUBLISHED
    public = Client().get(reverse("decisions_public:detail", args=[decision.pk])).content.decode()
    assert "Thời gian họp: 19 giờ 30, ngày 15/03/2026 · Địa điểm: Nhà văn hóa tổ dân phố số 1" in public

    docx = staff(world).get(reverse("decisions_staff:docx", args=[decision.pk]))
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "Thời gian: 19 giờ 30, ngày 15/03/2026." in text and "Địa điểm: Nhà văn hóa tổ dân phố số 1." in text

    one = Client().get(f"/api/v1/democracy/decisions/{decision.pk}").json()
    assert one["meeting"] == {"held_on": "2026-03-15", "starts_at": "19:30:00",
                              "location": "Nhà văn hóa tổ dân phố số 1"}
    listed = Client().get("/api/v1/democracy/decisions", {"commune": ba_dinh.code}).json()
    assert [row["meeting"]["starts_at"] for row in listed["results"]] == ["19:30:00"]
    spec = Client().get("/api/v1/openapi.json").json()
    assert "starts_at" in spec["components"]["schemas"]["MeetingOut"]["properties"]


def test_meeting_without_a_time_reads_as_before(world: World) -> None:
    decision = published_meeting(world, starts_at=None)
    public = Client().get(reverse("decisions_public:detail", args=[decision.pk])).content.decode()
    assert "Thời gian họp: ngày 15/03/2026 · Địa điểm" in public
    docx = staff(world).get(reverse("decisions_staff:docx", args=[decision.pk]))
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "Thời gian: ngày 15/03/2026." in text and "giờ" not in text
    one = Client().get(f"/api/v1/democracy/decisions/{decision.pk}").json()
    assert one["meeting"]["starts_at"] is None and one["meeting"]["held_on"] == "2026-03-15"
