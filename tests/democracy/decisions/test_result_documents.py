"""Documents of results (Art. 21 of Law 10/2022/QH15, issue 4 item 7): a published decision's result report
downloads as DOCX in the Decree 30 layout, and the Excel export carries the results."""

from __future__ import annotations

import io

from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from danvan.democracy.decisions.models import Channel, Decision, Form
from danvan.democracy.decisions.services import (
    Action,
    ballots_issue,
    decision_transition,
    paper_ballot_enter,
)

from .conftest import World, new_decision
from .test_services import options
from .test_views import staff


def published_ballot(world: World) -> Decision:
    decision = new_decision(world, form=Form.HOUSEHOLD_BALLOT, channel=Channel.PAPER, matter_code="community_funds")
    decision_transition(actor=world.head, decision=decision, action=Action.OPEN)
    ballots_issue(actor=world.head, decision=decision)
    agree, disagree = options(decision)
    for number in range(1, 7):
        paper_ballot_enter(actor=world.head, decision=decision, number=number, option_ids=[agree])
    paper_ballot_enter(actor=world.head, decision=decision, number=7, option_ids=[disagree])
    decision_transition(actor=world.head, decision=decision, action=Action.COUNT)
    return decision_transition(actor=world.head, decision=decision, action=Action.PUBLISH)


def test_result_report_docx_in_decree_30_layout(world: World) -> None:
    decision = published_ballot(world)
    client = staff(world, world.leader)
    page = client.get(reverse("decisions_staff:detail", args=[decision.pk])).content.decode()
    assert "Tải báo cáo kết quả (DOCX)" in page and reverse("decisions_staff:docx", args=[decision.pk]) in page
    response = client.get(reverse("decisions_staff:docx", args=[decision.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.docx"')
    doc = Document(io.BytesIO(response.content))
    section = doc.sections[0]
    assert round(section.left_margin.mm) == 30 and round(section.right_margin.mm) == 15
    motto, issuer = doc.tables[0].rows[0].cells[1], doc.tables[0].rows[0].cells[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in motto.text and "Độc lập - Tự do - Hạnh phúc" in motto.text
    assert "Ba Đình, ngày" in motto.text and "TỔ DÂN PHỐ SỐ 1" in issuer.text and "PHƯỜNG BA ĐÌNH" in issuer.text
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "BIÊN BẢN" in text and "Kết quả lấy ý kiến hộ gia đình: Đóng góp làm đường bê tông ngõ 5" in text
    assert "Tổng số hộ gia đình: 10; số hộ tham gia: 7." in text and decision.get_outcome_display() in text
    results = [[c.text for c in row.cells] for row in doc.tables[1].rows]
    assert results[0] == ["Phương án", "Số biểu quyết", "Kết quả"]
    assert sorted(row[1] for row in results[1:]) == ["1", "6"]
    # Outside the official's scope: not found.
    assert staff(world, world.outsider).get(reverse("decisions_staff:docx", args=[decision.pk])).status_code == 404


def test_excel_export_carries_the_results(world: World) -> None:
    decision = published_ballot(world)
    response = staff(world, world.leader).get(reverse("decisions_staff:index"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    header, row = [[c.value for c in r] for r in sheet.iter_rows()][:2]
    record = dict(zip(header, row, strict=True))
    assert record["Nội dung biểu quyết"] == decision.title
    assert (record["Tổng số hộ"], record["Số hộ tham gia"]) == (10, 7)
    assert record["Kết quả"] == decision.get_outcome_display()
    agree = decision.options.get(is_agree=True)
    assert f"{agree.label}: 6" in record["Kết quả theo phương án"] and record["Ngày công bố"]
