"""Public and officials' pages: forms without JavaScript, honeypot, rate limit, answers shown,
opinion groups computed by the task, exports, scope, and the public API."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from danvan.democracy.consultations.models import Comment, OpinionSnapshot, Statement, StatementStatus
from danvan.democracy.consultations.services import answer_add, comment_submit, report_publish

from .conftest import Setup, make_consultation

pytestmark = pytest.mark.django_db


def _detail(setup: Setup) -> str:
    return reverse("consultations_public:detail", args=[setup.consultation.pk])


def test_public_list_filters_and_empty_state(setup: Setup, client: Client) -> None:
    page = client.get(reverse("consultations_public:list"))
    assert page.status_code == 200 and setup.consultation.title in page.content.decode()
    closed = client.get(reverse("consultations_public:list"), {"period": "closed"}).content.decode()
    assert setup.consultation.title not in closed and "Không có đợt lấy ý kiến nào phù hợp" in closed
    found = client.get(reverse("consultations_public:list"), {"q": "ke hoach su dung dat"}).content.decode()
    assert setup.consultation.title in found


def test_citizen_comments_without_javascript_then_reads_the_answer(setup: Setup, client: Client) -> None:
    section = setup.sections[1]
    response = client.post(reverse("consultations_public:comment", args=[setup.consultation.pk]),
                           {"section": section.pk, "body": "Đề nghị giữ nguyên diện tích đất công viên.",
                            "author_name": "Lê Văn Cường", "contact": "0987654321"})
    assert response.status_code == 302 and response["Location"].endswith(f"#phan-{section.pk}")
    comment = Comment.objects.get(section=section)
    page = client.get(_detail(setup)).content.decode()
    assert "Đề nghị giữ nguyên diện tích đất công viên." in page and "Lê Văn Cường" in page
    assert "0987654321" not in page  # the contact is for follow-up only
    answer_add(actor=setup.leader, section=section, kind="giai_trinh",
               body="Diện tích công viên được giữ nguyên theo quy hoạch chung.", comment_ids=[comment.pk])
    assert "Diện tích công viên được giữ nguyên" not in client.get(_detail(setup)).content.decode()
    setup.consultation.closes_at = timezone.now() - dt.timedelta(minutes=1)
    setup.consultation.save()
    report_publish(actor=setup.leader, consultation=setup.consultation)
    page = client.get(_detail(setup)).content.decode()
    assert "Diện tích công viên được giữ nguyên" in page and "Giải trình" in page
    docx = client.get(reverse("consultations_public:report", args=[setup.consultation.pk, "docx"]))
    assert docx.status_code == 200
    with zipfile.ZipFile(io.BytesIO(docx.content)) as archive:
        xml = archive.read("word/document.xml").decode()
        styles = archive.read("word/styles.xml").decode()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in xml and "Times New Roman" in styles


def test_invalid_comment_keeps_what_was_typed(setup: Setup, client: Client) -> None:
    response = client.post(reverse("consultations_public:comment", args=[setup.consultation.pk]),
                           {"section": setup.sections[0].pk, "body": "ab", "author_name": "Phạm Thị Dung"})
    assert response.status_code == 400
    assert "Phạm Thị Dung" in response.content.decode()
    assert not Comment.objects.exists()


def test_honeypot_and_rate_limit(setup: Setup, client: Client, settings: object) -> None:
    url = reverse("consultations_public:comment", args=[setup.consultation.pk])
    data = {"section": setup.sections[0].pk, "body": "Một ý kiến góp ý hợp lệ."}
    assert client.post(url, {**data, "website": "http://spam"}).status_code == 302
    assert not Comment.objects.exists()
    settings.DANVAN_CONSULT_WRITES_PER_IP = 2  # type: ignore[attr-defined]
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 429
    assert Comment.objects.count() == 2


def test_support_and_section_stance_once_per_browser(setup: Setup, client: Client) -> None:
    section = setup.sections[0]
    vote = reverse("consultations_public:vote_section", args=[setup.consultation.pk, section.pk])
    client.post(vote, {"stance": "support"})
    client.post(vote, {"stance": "oppose"})
    assert list(section.votes.values_list("stance", flat=True)) == ["oppose"]
    comment = comment_submit(section=section, body="Ý kiến để ủng hộ.")
    support = reverse("consultations_public:support", args=[setup.consultation.pk, comment.pk])
    client.post(support)
    client.post(support)
    comment.refresh_from_db()
    assert comment.support_count == 1


def test_comment_page_sorts_paginates_and_searches(setup: Setup, client: Client) -> None:
    for i in range(25):
        comment_submit(section=setup.sections[i % 3], body=f"Ý kiến số {i} về cây xanh đường phố.")
    comment_submit(section=setup.sections[0], body="Đề nghị làm rõ thủ tục bồi thường.")
    page = client.get(_detail(setup), {"q": "boi thuong"}).content.decode()
    assert "thủ tục bồi thường" in page and "Ý kiến số 3 " not in page
    second = client.get(_detail(setup), {"page": 2}).content.decode()
    assert "Trang 2/2" in second


def test_staff_create_sections_moderate_and_export(setup: Setup) -> None:
    client = Client()
    client.force_login(setup.leader)
    now = timezone.localtime()
    response = client.post(reverse("consultations_staff:new"), {
        "unit": setup.unit.pk, "drafting_body": "", "content": "du_thao_van_ban_xa",
        "title": "Dự thảo quyết định về chợ dân sinh", "summary": "",
        "opens_at": (now - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"), "published": "on"})
    assert response.status_code == 302
    new_pk = int(response["Location"].split("/")[-2])
    response = client.post(reverse("consultations_staff:section_new", args=[new_pk]),
                           {"label": "Điều 1", "title": "Phạm vi", "body": "Quy định về chợ dân sinh."})
    assert response.status_code == 302
    manage = client.get(reverse("consultations_staff:manage", args=[new_pk])).content.decode()
    assert "Quy định về chợ dân sinh." in manage and "Dự thảo quyết định về chợ dân sinh" in manage
    comment = comment_submit(section=setup.sections[0], body="Nội dung không phù hợp thuần phong.")
    response = client.post(reverse("consultations_staff:moderate", args=[setup.consultation.pk, comment.pk]),
                           {"action": "hide", "reason": "Vi phạm nội quy góp ý"})
    assert response.status_code == 302
    public = Client().get(_detail(setup)).content.decode()
    assert "Ý kiến đã bị ẩn vì: Vi phạm nội quy góp ý" in public and "thuần phong" not in public
    xlsx = client.get(reverse("consultations_staff:export", args=[setup.consultation.pk, "xlsx"]))
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.worksheets[0]["A5"].value.startswith("Điều 1")
    assert "Ẩn vì: Vi phạm nội quy góp ý" in [c.value for c in book.worksheets[1][2]]


def test_staff_pages_respect_scope(setup: Setup) -> None:
    client = Client()
    client.force_login(setup.outsider)
    assert client.get(reverse("consultations_staff:manage", args=[setup.consultation.pk])).status_code == 404
    assert setup.consultation.title not in client.get(reverse("consultations_staff:list")).content.decode()
    assert client.post(reverse("consultations_staff:publish", args=[setup.consultation.pk])).status_code == 404


def test_front_official_comments_for_the_front(setup: Setup) -> None:
    client = Client()
    client.force_login(setup.front)
    response = client.post(reverse("consultations_staff:organisation_comment", args=[setup.consultation.pk]), {
        "organisation": setup.front_org.pk, "section": setup.sections[2].pk, "stance": "oppose",
        "body": "Ủy ban Mặt trận đề nghị cân nhắc tác động đến hộ kinh doanh."})
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.organisation == setup.front_org and comment.official == setup.front
    assert setup.sections[2].votes.get().voter_key == f"org:{setup.front_org.pk}"
    assert setup.front_org.name in Client().get(_detail(setup)).content.decode()


def test_statements_votes_and_groups(setup: Setup) -> None:
    consultation = make_consultation(actor=setup.leader, unit=setup.unit, statements=True)
    citizen = Client()
    url = reverse("consultations_public:statement_new", args=[consultation.pk])
    for i in range(8):
        assert citizen.post(url, {"text": f"Ý kiến ngắn số {i} về chợ"}).status_code == 302
    staff = Client()
    staff.force_login(setup.leader)
    statements = list(Statement.objects.filter(consultation=consultation))
    for st in statements[:7]:
        staff.post(reverse("consultations_staff:statement_review", args=[consultation.pk, st.pk]),
                   {"action": "accept"})
    staff.post(reverse("consultations_staff:statement_review", args=[consultation.pk, statements[7].pk]),
               {"action": "reject", "reason": "Trùng với ý kiến khác"})
    assert Statement.objects.filter(status=StatementStatus.ACCEPTED).count() == 7
    # Two camps of ten browsers each vote on every accepted statement.
    for camp in (1, -1):
        for _person in range(10):
            browser = Client()
            browser.get(reverse("consultations_public:detail", args=[consultation.pk]))
            for j, st in enumerate(statements[:7]):
                vote = "agree" if (camp if j < 5 else 1) == 1 else "disagree"
                browser.post(reverse("consultations_public:statement_vote", args=[consultation.pk, st.pk]),
                             {"vote": vote})
    assert staff.post(reverse("consultations_staff:compute", args=[consultation.pk])).status_code == 302
    snapshot = OpinionSnapshot.objects.get(consultation=consultation)
    assert snapshot.groups == 2 and snapshot.participants == 20
    assert "<svg" in staff.get(reverse("consultations_staff:manage", args=[consultation.pk])).content.decode()
    page = Client().get(reverse("consultations_public:groups", args=[consultation.pk])).content.decode()
    assert "<svg" in page and "Nhóm A" in page and "Tính lúc" in page
    api = Client().get(f"/api/v1/democracy/consultations/{consultation.pk}/opinion-groups").json()
    assert api["groups"] == 2 and len(api["result"]["points"]) == 20


def test_public_api(setup: Setup, client: Client) -> None:
    comment_submit(section=setup.sections[0], body="Góp ý qua cổng thông tin.", contact="a@example.vn")
    listing = client.get("/api/v1/democracy/consultations").json()
    assert listing["count"] == 1 and listing["results"][0]["period"] == "open"
    detail = client.get(f"/api/v1/democracy/consultations/{setup.consultation.pk}").json()
    assert [s["label"] for s in detail["sections"]] == ["Điều 1", "Điều 2", "Điều 3"]
    assert detail["sections"][0]["comments"] == 1
    comments = client.get(f"/api/v1/democracy/consultations/{setup.consultation.pk}/comments").json()
    assert comments["count"] == 1 and "a@example.vn" not in str(comments)
    setup.consultation.published = False
    setup.consultation.save()
    assert client.get(f"/api/v1/democracy/consultations/{setup.consultation.pk}").status_code == 404


def test_draft_attachment_uploaded_by_staff_and_downloaded_by_the_public(setup: Setup, settings: object,
                                                                         tmp_path: object) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    staff = Client()
    staff.force_login(setup.leader)
    pdf = SimpleUploadedFile("du-thao.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n",
                             content_type="application/pdf")
    response = staff.post(reverse("consultations_staff:upload", args=[setup.consultation.pk]), {"file": pdf})
    assert response.status_code == 302
    page = Client().get(_detail(setup)).content.decode()
    assert "du-thao.pdf" in page
    from danvan.attachments.models import Attachment

    attachment = Attachment.objects.get()
    download = Client().get(reverse("consultations_public:attachment", args=[setup.consultation.pk, attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF-")
    # A file of another record is not reachable through this consultation.
    assert Client().get(reverse("consultations_public:attachment",
                                args=[setup.consultation.pk + 1000, attachment.pk])).status_code == 404
