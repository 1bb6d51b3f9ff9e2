"""The public disclosure board of each commune (dân biết): no account needed.

Shown: what the commune has posted (never an item scheduled for a later day), its period, when it
went up and came down, its files and the forms it was disclosed in. A citizen can follow the board
(confirmed e-mail or phone) and ask a question on an item, which becomes a case of the commune.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from danvan.cases.services_citizen import submission_rate_count, submission_rate_limited
from danvan.core.errors import DomainError
from danvan.core.pagination import paginate
from danvan.core.views import not_found_as_404
from danvan.units.models import Level, Unit
from danvan.units.selectors import unit_search

from . import forms as f
from . import selectors, services
from .models import Subscription


def _year(value: str) -> int | None:
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else None


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@require_GET
@not_found_as_404
def index(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    results = ([u for u in unit_search(query=query, max_level=Level.COMMUNE, limit=30) if u.level == Level.COMMUNE]
               if query else [])
    return render(request, "disclosures/public/index.html", {"query": query, "results": results})


def _board(request: HttpRequest, unit: Unit, subscribe_form: f.SubscribeForm | None = None,
           status: int = 200) -> HttpResponse:
    category = request.GET.get("noi_dung", "")
    year = _year(request.GET.get("nam", ""))
    state = request.GET.get("trang_thai", "")
    query = request.GET.get("q", "").strip()[:100]
    page = paginate(request, selectors.board(commune=unit, category=category, year=year, state=state, query=query),
                    per_page=20)
    return render(request, "disclosures/public/board.html", {
        "commune": unit, "page": page, "categories": selectors.categories(),
        "years": selectors.board_years(commune=unit),
        "category": category, "year": year, "state": state, "query": query, "today": timezone.localdate(),
        "filtered": bool(category or year or state or query),
        "subscribe_form": subscribe_form or f.SubscribeForm(prefix="sub"),
    }, status=status)


@require_GET
@not_found_as_404
def board(request: HttpRequest, code: str) -> HttpResponse:
    return _board(request, selectors.commune_by_code(code))


@require_POST
@not_found_as_404
def subscribe(request: HttpRequest, code: str) -> HttpResponse:
    unit = selectors.commune_by_code(code)
    form = f.SubscribeForm(request.POST, prefix="sub")
    if form.is_valid():
        try:
            sub = services.subscription_create(commune=unit, channel=form.cleaned_data["channel"],
                                               address=form.cleaned_data["address"], base_url=_base_url(request))
        except DomainError as exc:
            form.add_error("address", exc.message)
        else:
            if sub.active:
                messages.info(request, _("Địa chỉ này đã đăng ký nhận tin của %(unit)s.") % {"unit": unit.name})
                return redirect("disclosures_public:board", unit.code)
            if sub.channel == "sms":
                messages.success(request, _("Mã xác nhận đã được gửi đến số điện thoại của ông/bà."))
                return redirect("disclosures_public:confirm_code", unit.code)
            messages.success(request, _("Thư xác nhận đã được gửi: vui lòng mở đường dẫn trong thư để bắt đầu "
                                        "nhận tin."))
            return redirect("disclosures_public:board", unit.code)
    return _board(request, unit, subscribe_form=form, status=400)


@require_GET
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        sub = services.subscription_confirm(token=token)
    except DomainError as exc:
        return render(request, "disclosures/public/subscription.html", {"error": exc.message}, status=404)
    return render(request, "disclosures/public/subscription.html", {"sub": sub, "confirmed": True})


@require_http_methods(["GET", "POST"])
@not_found_as_404
def confirm_code(request: HttpRequest, code: str) -> HttpResponse:
    unit = selectors.commune_by_code(code)
    form = f.ConfirmCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sub = services.subscription_confirm(commune=unit, address=form.cleaned_data["address"],
                                                code=form.cleaned_data["code"])
        except DomainError as exc:
            form.add_error("code", exc.message)
        else:
            return render(request, "disclosures/public/subscription.html", {"sub": sub, "confirmed": True})
    return render(request, "disclosures/public/confirm_code.html", {"commune": unit, "form": form},
                  status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for confirmation (a link in a message must not cancel by itself); POST cancels."""
    sub = Subscription.objects.filter(token=token).select_related("unit").first()
    if sub is None:
        return render(request, "disclosures/public/subscription.html",
                      {"error": _("Không tìm thấy đăng ký.")}, status=404)
    if request.method == "POST":
        services.subscription_cancel(token=token)
        return render(request, "disclosures/public/subscription.html", {"sub": sub, "cancelled": True})
    return render(request, "disclosures/public/subscription.html", {"sub": sub, "ask_cancel": True})


def _item_page(request: HttpRequest, code: str, pk: int, form: f.QuestionForm | None = None,
               status: int = 200) -> HttpResponse:
    unit = selectors.commune_by_code(code)
    item = selectors.public_item(commune=unit, pk=pk)
    return render(request, "disclosures/public/item.html", {
        "commune": unit, "item": item, "files": selectors.attachments(item),
        "channels": item.channels.select_related("village"), "today": timezone.localdate(),
        "form": form or f.QuestionForm(prefix="q"),
    }, status=status)


@require_GET
@not_found_as_404
def item(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    return _item_page(request, code, pk)


@require_POST
@not_found_as_404
def ask(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    unit = selectors.commune_by_code(code)
    obj = selectors.public_item(commune=unit, pk=pk)
    form = f.QuestionForm(request.POST, prefix="q")
    if not form.is_valid():
        return _item_page(request, code, pk, form=form, status=400)
    data = form.cleaned_data
    ip, phone = request.META.get("REMOTE_ADDR", "") or "unknown", re.sub(r"\D", "", data["phone"])
    if submission_rate_limited(ip=ip, phone=phone):
        return render(request, "cases/public/rate_limited.html", status=429)
    try:
        question = services.question_ask(item=obj, kind=data["kind"], text=data["text"], name=data["name"],
                                         phone=data["phone"], email=data["email"],
                                         wants_updates=data["wants_updates"], base_url=_base_url(request))
    except DomainError as exc:
        form.add_error(None, exc.message)
        return _item_page(request, code, pk, form=form, status=400)
    submission_rate_count(ip=ip, phone=phone)
    return render(request, "disclosures/public/asked.html", {
        "commune": unit, "item": obj, "case": question.case,
        "lookup_url": reverse("cases_public:lookup")})


@require_GET
@not_found_as_404
def download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = selectors.public_file(pk=pk)
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.mime_type,
                            as_attachment=attachment.mime_type == "application/pdf",
                            filename=attachment.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
