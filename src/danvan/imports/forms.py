from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from . import registry
from .tabular import MAX_BYTES


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại dữ liệu"))
    file = forms.FileField(label=_("Tệp Excel (.xlsx) hoặc CSV"),
                           help_text=_("Dòng đầu tiên là tiêu đề cột. Tối đa 10 MB, 20.000 dòng."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(i.kind, i.label) for i in registry.all_importers()]  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Tệp lớn hơn 10 MB."))
        return upload


class MappingForm(forms.Form):
    """One select per target field: which column of the sheet feeds it."""

    def __init__(self, *args: Any, importer: registry.Importer, headers: list[str], mapping: dict[str, int],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("— không dùng —")), *[(str(i), h or _("Cột %(n)d") % {"n": i + 1})
                                                for i, h in enumerate(headers)]]
        for target in importer.fields:
            self.fields[target.key] = forms.ChoiceField(
                label=target.label, choices=choices, required=target.required,
                initial=str(mapping[target.key]) if target.key in mapping else "")

    def mapping(self) -> dict[str, int]:
        return {key: int(value) for key, value in self.cleaned_data.items() if value not in ("", None)}
