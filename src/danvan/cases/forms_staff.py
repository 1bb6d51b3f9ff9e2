"""Forms of the officials' case page: one small form per handling action, and bulk assignment.

The forms only check what a person typed (present, not too long, a choice from the list);
whether the move is allowed, and every legal rule, stays with the services, whose
``DomainError`` messages the views show on the same form.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from danvan.accounts.models import Role, RoleAssignment, User
from danvan.accounts.selectors import scope_paths
from danvan.core.search import word_prefix_filter
from danvan.units.models import Era, Level, Organisation, OrganisationKind, Status
from danvan.units.selectors import subtrees_q

from .codes import normalize_code
from .models import Case
from .rules import HANDLER_ROLES
from .workflow import ANSWER_MAX_LENGTH, NOTE_MAX_LENGTH

TRANSFER_SEARCH_LIMIT = 30


def _text(label: Any, *, required: bool = True, max_length: int = NOTE_MAX_LENGTH, rows: int = 3,
          required_message: Any = "", help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=max_length, help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": required_message or _("Hãy nhập nội dung."),
                        "max_length": _("Nội dung quá dài: tối đa %(limit_value)d ký tự.")})


def _ancestor_paths(path: str) -> list[str]:
    """"VN.01.00004." → ["VN.", "VN.01.", "VN.01.00004."]: every unit whose scope reaches it."""
    parts = path.rstrip(".").split(".")
    return [".".join(parts[: i + 1]) + "." for i in range(len(parts))]


def handler_candidates(*, actor: Any, case: Case) -> QuerySet[User]:
    """Officials who may be assigned ``case``, among those the actor leads.

    A handler must hold a handling role on the case's unit or above (the service checks the
    same); the list keeps to grants within the actor's own scope, so a commune leader picks
    among the commune's staff, not the province's.
    """
    roots = scope_paths(actor, roles=(Role.LEADER,))
    if not roots:
        return User.objects.none()
    grants = RoleAssignment.objects.filter(
        subtrees_q(roots, field="unit__path"), active=True, role__in=HANDLER_ROLES,
        unit__status=Status.ACTIVE, unit__path__in=_ancestor_paths(case.unit_path))
    return User.objects.filter(pk__in=grants.values("user_id"), is_active=True, is_official=True).order_by(
        "full_name", "username")


def bulk_handler_candidates(*, actor: Any) -> QuerySet[User]:
    """Officials holding a handling role anywhere the actor leads (the service checks each case)."""
    roots = scope_paths(actor, roles=(Role.LEADER,))
    if not roots:
        return User.objects.none()
    grants = RoleAssignment.objects.filter(subtrees_q(roots, field="unit__path"), active=True,
                                           role__in=HANDLER_ROLES, unit__status=Status.ACTIVE)
    return User.objects.filter(pk__in=grants.values("user_id"), is_active=True, is_official=True).order_by(
        "full_name", "username")


def _transfer_queryset() -> QuerySet[Organisation]:
    # The service accepts only active bodies of a current province or commune.
    return Organisation.objects.filter(active=True, unit__era=Era.CURRENT, unit__status=Status.ACTIVE,
                                       unit__level__in=(Level.PROVINCE, Level.COMMUNE)).select_related("unit")


def transfer_targets(*, case: Case, query: str = "", chosen: str = "") -> list[Organisation]:
    """Bodies offered for a transfer: those of the case's province and commune, or a search's
    matches, plus the one already ``chosen`` (a form sent back with an error keeps its choice)."""
    qs = _transfer_queryset().exclude(pk=case.organisation_id)
    words = word_prefix_filter("search_text", query) if query.strip() else None
    if words is not None:
        found = list(qs.filter(words).order_by("unit__path", "name")[:TRANSFER_SEARCH_LIMIT])
    else:
        found = list(qs.filter(unit__path__in=_ancestor_paths(case.unit_path)))
    if chosen.isdigit() and all(str(o.pk) != chosen for o in found):
        found.extend(qs.filter(pk=int(chosen)))
    # Each unit's People's Committee first: it answers most cases (services.default_organisation).
    return sorted(found, key=lambda o: (o.unit.path, o.kind != OrganisationKind.PEOPLES_COMMITTEE, o.name))


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class EmptyForm(forms.Form):
    """An action without anything to type (start, submit for approval, send)."""


class AcceptForm(forms.Form):
    is_complex = forms.BooleanField(label=_("Vụ việc phức tạp"), required=False,
                                    help_text=_("Thời hạn giải quyết dài hơn theo quy định."))
    is_remote = forms.BooleanField(label=_("Vùng sâu, vùng xa, đi lại khó khăn"), required=False)


class RefuseForm(forms.Form):
    reason = _text(_("Lý do không thụ lý"), required_message=_("Phải nêu lý do không thụ lý."),
                   help_text=_("Người gửi sẽ đọc lý do này."))


class AssignForm(forms.Form):
    handler = UserChoiceField(label=_("Cán bộ xử lý"), queryset=User.objects.none(), empty_label=_("– Chọn cán bộ –"),
                              error_messages={"required": _("Hãy chọn cán bộ xử lý."),
                                              "invalid_choice": _("Cán bộ đã chọn không có trong danh sách.")})

    def __init__(self, *args: Any, handlers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["handler"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = handlers


class NoteForm(forms.Form):
    note = _text(_("Ghi chú nội bộ"), required_message=_("Ghi chú không được để trống."),
                 help_text=_("Chỉ cán bộ xem được; người gửi không thấy ghi chú này."))


class RequestInfoForm(forms.Form):
    question = _text(_("Thông tin cần người gửi bổ sung"), required_message=_("Phải nêu thông tin cần bổ sung."),
                     help_text=_("Nội dung này được gửi cho người gửi và hiển thị ở trang tra cứu; "
                                 "thời hạn giải quyết tạm dừng cho đến khi nhận được thông tin."))


class InfoReceivedForm(forms.Form):
    response = _text(_("Thông tin đã nhận (ghi tóm tắt)"), required=False,
                     help_text=_("Chỉ lưu nội bộ. Thời hạn giải quyết được tính tiếp."))


class ExtendForm(forms.Form):
    reason = _text(_("Lý do gia hạn"), required_message=_("Phải nêu lý do gia hạn."))
    notice_reference = forms.CharField(
        label=_("Số văn bản thông báo gia hạn"), max_length=100, required=False,
        help_text=_("Việc gia hạn phải được thông báo bằng văn bản cho người gửi, ví dụ: 12/TB-UBND."),
        error_messages={"max_length": _("Số văn bản quá dài: tối đa %(limit_value)d ký tự.")})


class TransferForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Cơ quan, tổ chức nhận"), queryset=Organisation.objects.none(), empty_label=_("– Chọn cơ quan –"),
        error_messages={"required": _("Phải chọn cơ quan, tổ chức nhận vụ việc."),
                        "invalid_choice": _("Cơ quan, tổ chức đã chọn không hợp lệ.")})
    reason = _text(_("Lý do chuyển"), required_message=_("Phải nêu lý do chuyển vụ việc."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = _transfer_queryset()


class DraftAnswerForm(forms.Form):
    text = _text(_("Nội dung văn bản trả lời"), max_length=ANSWER_MAX_LENGTH, rows=8,
                 required_message=_("Nội dung văn bản trả lời không được để trống."),
                 help_text=_("Đặt trong [[...]] những chữ cần che khi công khai (ngoài tên, số điện thoại, "
                             "số định danh, số nhà được che tự động)."))


class ApproveAnswerForm(forms.Form):
    published_text = _text(
        _("Nội dung công khai (đã che thông tin cá nhân)"), max_length=ANSWER_MAX_LENGTH, rows=8,
        required_message=_("Nội dung công khai không được để trống."),
        help_text=_("Đã che tự động tên người gửi, số điện thoại, số định danh, thư điện tử, số nhà. "
                    "Hãy sửa hoặc đặt trong [[...]] những chữ cần che thêm; việc che tự động vẫn áp dụng lại."))


class ReturnAnswerForm(forms.Form):
    note = _text(_("Ý kiến khi trả lại dự thảo"), required_message=_("Phải nêu ý kiến khi trả lại dự thảo."))


class CloseForm(forms.Form):
    note = _text(_("Ghi chú khi kết thúc"), required=False,
                 help_text=_("Bắt buộc nêu lý do nếu vụ việc kết thúc khi chưa có văn bản trả lời."))


class ReopenForm(forms.Form):
    reason = _text(_("Lý do mở lại"), required_message=_("Phải nêu lý do mở lại."))


class MergeForm(forms.Form):
    into = forms.CharField(label=_("Mã hồ sơ được gộp vào"), max_length=40,
                           error_messages={"required": _("Hãy nhập mã hồ sơ được gộp vào.")})
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_into(self) -> str:
        return normalize_code(self.cleaned_data["into"])


class BulkAssignForm(forms.Form):
    handler = UserChoiceField(label=_("Giao cho cán bộ"), queryset=User.objects.none(),
                              empty_label=_("– Chọn cán bộ –"),
                              error_messages={"required": _("Hãy chọn cán bộ xử lý."),
                                              "invalid_choice": _("Cán bộ đã chọn không có trong danh sách.")})
    cases = forms.MultipleChoiceField(required=False)

    def __init__(self, *args: Any, handlers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["handler"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = handlers
        codes = self.data.getlist("cases") if hasattr(self.data, "getlist") else []
        # The choices are whatever was ticked; the view resolves each within the actor's scope.
        self.fields["cases"].choices = [(c, c) for c in codes[:500]]  # type: ignore[attr-defined]
