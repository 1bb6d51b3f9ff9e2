"""Officials' and public pages, the API (published results only) and the DOCX minutes."""

from __future__ import annotations

import io
from typing import Any

from django.test import Client
from django.urls import reverse
from docx import Document

from danvan.democracy.decisions.models import BallotReceipt, Channel, Decision, Form, Outcome, Status
from danvan.democracy.decisions.services import Action, decision_transition, voting_codes_issue

from .conftest import World, new_decision


def staff(world: World, user: Any = None) -> Client:
    client = Client()
    client.force_login(user or world.head)
    return client


def test_village_head_records_a_meeting_vote_that_passes(world: World) -> None:
    client = staff(world)
    new = client.get(reverse("decisions_staff:new"))
    assert new.status_code == 200 and "Tạo biểu quyết" in new.content.decode()
    # A refused online vote keeps what was typed and says why, in Vietnamese.
    from danvan.democracy.decisions.models import MatterType

    infra = MatterType.objects.get(code="infrastructure")
    refused = client.post(reverse("decisions_staff:new"), {
        "village": world.village.pk, "title": "Làm đường ngõ 7", "matter_type": infra.pk, "form": Form.ONLINE_VOTE})
    body = refused.content.decode()
    assert refused.status_code == 400 and "Chỉ được biểu quyết trực tuyến" in body and "Làm đường ngõ 7" in body
    created = client.post(reverse("decisions_staff:new"), {
        "village": world.village.pk, "title": "Làm đường ngõ 7", "matter_type": infra.pk, "form": Form.MEETING})
    decision = Decision.objects.get(title="Làm đường ngõ 7")
    url = reverse("decisions_staff:detail", args=[decision.pk])
    assert created.status_code == 302 and created["Location"] == url
    client.post(reverse("decisions_staff:action", args=[decision.pk]), {"action": Action.OPEN})
    client.post(reverse("decisions_staff:attendance", args=[decision.pk]),
                {"household": [h.pk for h in world.households[:8]]})
    agree = decision.options.get(is_agree=True)
    disagree = decision.options.get(is_agree=False)
    bad = client.post(reverse("decisions_staff:tallies", args=[decision.pk]),
                      {f"option_{agree.pk}": "9", f"option_{disagree.pk}": "0"})
    assert bad.status_code == 400 and "từ 0 đến số đại diện hộ tham dự" in bad.content.decode()
    client.post(reverse("decisions_staff:tallies", args=[decision.pk]),
                {f"option_{agree.pk}": "6", f"option_{disagree.pk}": "2"})
    client.post(reverse("decisions_staff:meeting", args=[decision.pk]),
                {"held_on": "2026-03-15", "location": "Nhà văn hóa", "chair": "Nguyễn Văn Tổ Trưởng",
                 "secretary": "Lê Thị Thư Ký", "minutes": "Hội nghị thống nhất làm đường."})
    # Counting without the confirmation box does nothing.
    client.post(reverse("decisions_staff:action", args=[decision.pk]), {"action": Action.COUNT})
    assert Decision.objects.get(pk=decision.pk).status == Status.OPEN
    client.post(reverse("decisions_staff:action", args=[decision.pk]), {"action": Action.COUNT, "confirm": "1"})
    client.post(reverse("decisions_staff:action", args=[decision.pk]), {"action": Action.PUBLISH, "confirm": "1"})
    page = client.get(url).content.decode()
    assert "Được thông qua" in page and "khớp với kết quả" in page
    client.post(reverse("decisions_staff:action", args=[decision.pk]),
                {"action": Action.REPORT, "note": "Kính báo cáo UBND phường."})
    assert Decision.objects.get(pk=decision.pk).status == Status.REPORTED
    docx = client.get(reverse("decisions_staff:docx", args=[decision.pk]))
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "BIÊN BẢN" in text and "Làm đường ngõ 7" in text and "Được thông qua" in text
    # The commune leader sees it; another commune's leader gets a 404.
    assert staff(world, world.leader).get(url).status_code == 200
    assert staff(world, world.outsider).get(url).status_code == 404
    assert "Làm đường ngõ 7" in staff(world, world.leader).get(reverse("decisions_staff:index")).content.decode()
    assert "Làm đường ngõ 7" not in staff(world, world.outsider).get(
        reverse("decisions_staff:index")).content.decode()
    # The commune leader reads but does not record.
    refused_action = staff(world, world.leader).post(reverse("decisions_staff:action", args=[decision.pk]),
                                                     {"action": Action.CANCEL, "confirm": "1"})
    assert refused_action.status_code == 302
    assert Decision.objects.get(pk=decision.pk).status == Status.REPORTED


def test_a_household_votes_online_once_and_is_refused_the_second_time(world: World) -> None:
    decision = new_decision(world, form=Form.HOUSEHOLD_BALLOT, channel=Channel.ONLINE)
    url = reverse("decisions_public:detail", args=[decision.pk])
    assert Client().get(url).status_code == 404  # a draft is not public
    decision_transition(actor=world.head, decision=decision, action=Action.OPEN)
    codes = voting_codes_issue(actor=world.head, decision=decision).codes
    code = codes[world.households[0].pk]
    agree = decision.options.get(is_agree=True)
    citizen = Client()
    page = citizen.get(url)
    assert page.status_code == 200 and "Mã biểu quyết của hộ" in page.content.decode()
    missing = citizen.post(url, {"code": code})
    assert missing.status_code == 400 and "Hãy chọn một phương án" in missing.content.decode()
    first = citizen.post(url, {"code": f"{code[:4]}-{code[4:]}", "options": agree.pk})
    assert first.status_code == 200 and "Đã ghi nhận biểu quyết" in first.content.decode()
    second = Client().post(url, {"code": code, "options": agree.pk})
    assert second.status_code == 409 and "đã biểu quyết" in second.content.decode()
    assert BallotReceipt.objects.filter(decision=decision).count() == 1
    # The head's register shows who voted, never the choice.
    register = staff(world).get(reverse("decisions_staff:detail", args=[decision.pk])).content.decode()
    assert "Đã biểu quyết" in register and "Đồng ý</td>" not in register


def test_wrong_codes_are_limited(world: World, settings: Any) -> None:
    settings.DANVAN_VOTE_CODE_ATTEMPTS = 2
    decision = new_decision(world, form=Form.ONLINE_VOTE)
    decision_transition(actor=world.head, decision=decision, action=Action.OPEN)
    voting_codes_issue(actor=world.head, decision=decision)
    url = reverse("decisions_public:detail", args=[decision.pk])
    agree = decision.options.get(is_agree=True)
    client = Client()
    for _ in range(2):
        wrong = client.post(url, {"code": "ZZZZ-ZZZZ", "options": agree.pk})
        assert wrong.status_code == 400 and "Mã biểu quyết không đúng" in wrong.content.decode()
    limited = client.post(url, {"code": "ZZZZ-ZZZZ", "options": agree.pk})
    assert limited.status_code == 429 and "quá nhiều lần" in limited.content.decode()


def test_public_results_pages_and_api_show_published_results_only(world: World, ba_dinh: Any) -> None:
    published = new_decision(world, form=Form.MEETING)
    decision_transition(actor=world.head, decision=published, action=Action.OPEN)
    from danvan.democracy.decisions.services import attendance_set, tallies_enter

    attendance_set(actor=world.head, decision=published, household_ids=[h.pk for h in world.households[:6]])
    agree = published.options.get(is_agree=True)
    disagree = published.options.get(is_agree=False)
    tallies_enter(actor=world.head, decision=published, votes={agree.pk: 3, disagree.pk: 3})
    decision_transition(actor=world.head, decision=published, action=Action.COUNT)
    decision_transition(actor=world.head, decision=published, action=Action.PUBLISH)
    counted_only = new_decision(world, form=Form.MEETING, matter_code="community_funds")
    counted_only.title = "Chưa công bố"
    counted_only.save()

    commune_page = Client().get(reverse("decisions_public:commune", args=[ba_dinh.code])).content.decode()
    assert published.title in commune_page and "Không được thông qua" in commune_page
    assert "Chưa công bố" not in commune_page
    detail = Client().get(reverse("decisions_public:detail", args=[published.pk])).content.decode()
    assert "Không được thông qua" in detail and "Tổng số hộ gia đình: 10" in detail
    assert Client().get(reverse("decisions_public:commune", args=["99999"])).status_code == 404

    data = Client().get("/api/v1/democracy/decisions", {"commune": ba_dinh.code}).json()
    assert data["count"] == 1
    row = data["results"][0]
    assert row["outcome"] == Outcome.REJECTED and row["participants"] == 6
    assert [(o["label"], o["votes"]) for o in row["options"]] == [("Đồng ý", 3), ("Không đồng ý", 3)]
    assert set(row) >= {"eligible_households", "participants"} and "receipts" not in row and "codes" not in row
    assert Client().get(f"/api/v1/democracy/decisions/{published.pk}").status_code == 200
    missing = Client().get(f"/api/v1/democracy/decisions/{counted_only.pk}")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert Client().get("/api/v1/democracy/decisions", {"commune": "99999"}).status_code == 404


def test_paper_ballot_pages(world: World) -> None:
    decision = new_decision(world, form=Form.HOUSEHOLD_BALLOT, channel=Channel.PAPER)
    decision_transition(actor=world.head, decision=decision, action=Action.OPEN)
    client = staff(world)
    client.post(reverse("decisions_staff:issue", args=[decision.pk]))
    assert decision.issues.count() == 10
    agree = decision.options.get(is_agree=True)
    ok = client.post(reverse("decisions_staff:paper", args=[decision.pk]), {"number": "1", "options": [agree.pk]})
    assert ok.status_code == 302
    again = client.post(reverse("decisions_staff:paper", args=[decision.pk]), {"number": "1", "options": [agree.pk]})
    assert again.status_code == 400 and "Phiếu số 1 đã được nhập" in again.content.decode()
    assert 'value="1"' in again.content.decode()  # the form keeps what was typed


def test_excel_export_of_the_officials_list(world: World) -> None:
    from openpyxl import load_workbook

    decision = new_decision(world)
    response = staff(world, world.leader).get(reverse("decisions_staff:index"), {"format": "xlsx"})
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["Thôn, tổ dân phố", "Xã, phường, đặc khu", "Nội dung biểu quyết"]
    assert values[1][2] == decision.title and values[1][5] == "Dự thảo"
    outsider = staff(world, world.outsider).get(reverse("decisions_staff:index"), {"format": "xlsx"})
    assert len(list(load_workbook(io.BytesIO(outsider.content)).active.iter_rows())) == 1
