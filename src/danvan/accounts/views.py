"""Login for officials: password (or the national OpenID Connect provider), then a TOTP
code when the account has one; lockout after repeated failures by django-axes."""

from __future__ import annotations

import base64
import logging
import time
from typing import Any

import segno
from authlib.integrations.base_client.errors import OAuthError
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from joserfc.errors import JoseError
from requests import RequestException

from danvan.audit.services import audit_record
from danvan.core.errors import DomainError

from .forms import LoginForm, TokenForm
from .models import User
from .oidc import oidc_claims, oidc_client, oidc_config, oidc_enabled, user_from_oidc_claims
from .services import totp_confirm, totp_disable, totp_start

logger = logging.getLogger(__name__)

_PENDING = "danvan_pending_user"
_PENDING_NEXT = "danvan_pending_next"
_PENDING_AT = "danvan_pending_at"
_OTP_FAILURES = "danvan_otp_failures"
_OIDC_NEXT = "danvan_oidc_next"
MAX_OTP_FAILURES = 5
# The password step is only good for a short while: a half-finished login left open on a
# shared computer must not let the next person in with a code.
PENDING_MAX_AGE = 300
# Sessions are signed in with the model backend: it is the one that reloads the user on
# later requests, whichever way (password, provider) the login was proven.
_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return reverse("web:workspace")


def lockout_response(request: HttpRequest, credentials: Any = None, *args: Any,
                     **kwargs: Any) -> HttpResponse:
    """What axes shows after too many failed logins (HTTP 429)."""
    return render(request, "accounts/locked.html", status=429)


def _finish_first_factor(request: HttpRequest, user: User, next_url: str) -> HttpResponse:
    """After the password (or the provider): sign in, or ask for the TOTP code first."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        # Cycle the session key now, as login() would, so the pending state cannot be planted.
        request.session.cycle_key()
        request.session[_PENDING] = user.pk
        request.session[_PENDING_NEXT] = next_url
        request.session[_PENDING_AT] = int(time.time())
        request.session[_OTP_FAILURES] = 0
        return redirect("accounts:otp")
    login(request, user, backend=_BACKEND)
    return HttpResponseRedirect(next_url)


def _clear_pending(request: HttpRequest) -> None:
    for key in (_PENDING, _PENDING_NEXT, _PENDING_AT, _OTP_FAILURES):
        request.session.pop(key, None)


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """Username and password; a locked-out pair never reaches the form (axes answers 429)."""
    next_url = request.POST.get("next") or request.GET.get("next")
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        assert isinstance(user, User)
        return _finish_first_factor(request, user, _safe_next(request, next_url))
    return render(request, "accounts/login.html", {"form": form, "next": next_url or "",
                                                   "oidc_enabled": oidc_enabled(),
                                                   "oidc_provider": oidc_config().provider})


@require_http_methods(["GET", "POST"])
def otp_view(request: HttpRequest) -> HttpResponse:
    """Second step: a code from the authenticator app; five wrong codes end the attempt."""
    user_id = request.session.get(_PENDING)
    user = User.objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None:
        return redirect("accounts:login")
    if time.time() - request.session.get(_PENDING_AT, 0) > PENDING_MAX_AGE:
        _clear_pending(request)
        messages.error(request, _("Phiên đăng nhập đã hết hạn. Hãy đăng nhập lại."))
        return redirect("accounts:login")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].replace(" ", "")
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
        device = next((d for d in devices if d.verify_token(token)), None)
        if device is not None:
            next_url = request.session.get(_PENDING_NEXT) or reverse("web:workspace")
            _clear_pending(request)
            login(request, user, backend=_BACKEND)
            otp_login(request, device)
            return HttpResponseRedirect(next_url)
        failures = request.session.get(_OTP_FAILURES, 0) + 1
        request.session[_OTP_FAILURES] = failures
        if failures >= MAX_OTP_FAILURES:
            request.session.flush()
            audit_record(actor=None, action="accounts.otp_locked", obj=user)
            messages.error(request, _("Nhập sai mã xác thực quá nhiều lần. Hãy đăng nhập lại."))
            return redirect("accounts:login")
        form.add_error("token", _("Mã xác thực không đúng hoặc đã hết hạn. Còn %(n)d lần thử.")
                       % {"n": MAX_OTP_FAILURES - failures})
    return render(request, "accounts/otp.html", {"form": form})


@require_http_methods(["POST"])
def logout_view(request: HttpRequest) -> HttpResponse:
    """Sign out (POST only, so a link on another site cannot sign anyone out)."""
    logout(request)
    messages.info(request, _("Bạn đã đăng xuất."))
    return redirect("web:home")


@login_required
@require_http_methods(["GET", "POST"])
def security_view(request: HttpRequest) -> HttpResponse:
    """Turn the TOTP second factor on (scan, confirm with a code) or off (with a current code)."""
    user = request.user
    assert isinstance(user, User)
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    form = TokenForm(request.POST or None)
    action = request.POST.get("action")
    if request.method == "POST" and action == "disable" and confirmed and form.is_valid():
        if totp_disable(user=user, token=form.cleaned_data["token"]):
            messages.success(request, _("Đã tắt xác thực hai lớp."))
            return redirect("accounts:security")
        form.add_error("token", _("Mã không đúng. Hãy kiểm tra giờ trên điện thoại và thử lại."))
    device = None
    if not confirmed:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or totp_start(user=user)
        if request.method == "POST" and action == "confirm" and form.is_valid():
            if totp_confirm(user=user, device=device, token=form.cleaned_data["token"]):
                messages.success(request, _("Đã bật xác thực hai lớp. Lần đăng nhập sau sẽ hỏi mã 6 số."))
                return redirect("accounts:security")
            form.add_error("token", _("Mã không đúng. Hãy kiểm tra giờ trên điện thoại và thử lại."))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4) if device else ""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=") if device else ""
    if request.method == "GET":
        form = TokenForm()
    return render(request, "accounts/security.html",
                  {"confirmed": confirmed, "device": device, "qr_svg": qr_svg, "form": form,
                   "secret": secret})


# --- national OpenID Connect login (docs/oidc.md) ---------------------------------------

def _oidc_failed(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.warning("OIDC login failed: %s: %s", type(exc).__name__, exc)
    messages.error(request, _("Không đăng nhập được qua tài khoản định danh. Hãy thử lại hoặc đăng nhập bằng "
                              "tên đăng nhập và mật khẩu."))
    return redirect("accounts:login")


@require_http_methods(["GET"])
def oidc_start(request: HttpRequest) -> HttpResponse:
    """Send the browser to the provider (authorization code with PKCE); 404 when not configured."""
    if not oidc_enabled():
        raise Http404
    config = oidc_config()
    next_url = request.GET.get("next")
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        request.session[_OIDC_NEXT] = next_url
    else:
        request.session.pop(_OIDC_NEXT, None)
    redirect_uri = config.redirect_uri or request.build_absolute_uri(reverse("accounts:oidc_callback"))
    try:
        response: HttpResponse = oidc_client().authorize_redirect(request, redirect_uri)
    except (OAuthError, RequestException, RuntimeError, ValueError) as exc:
        return _oidc_failed(request, exc)
    return response


@require_http_methods(["GET"])
def oidc_callback(request: HttpRequest) -> HttpResponse:
    """The provider's answer: check state, exchange the code, verify the ID token, sign in."""
    if not oidc_enabled():
        raise Http404
    client = oidc_client()
    try:
        token = client.authorize_access_token(request)
        claims = oidc_claims(client, token)
        user = user_from_oidc_claims(claims)
    except (OAuthError, JoseError, RequestException, DomainError, KeyError, ValueError) as exc:
        return _oidc_failed(request, exc)
    if user is None:
        messages.error(request, _("Tài khoản định danh này chưa được liên kết với tài khoản nào trên hệ "
                                  "thống, hoặc tài khoản đã bị khóa. Hãy liên hệ quản trị viên."))
        return redirect("accounts:login")
    default_next = reverse("web:workspace" if user.is_official else "web:home")
    next_url = request.session.pop(_OIDC_NEXT, None) or default_next
    return _finish_first_factor(request, user, next_url)
