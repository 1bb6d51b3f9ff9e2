from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "danvan.imports"
    label = "imports"
    verbose_name = _("Nhập dữ liệu từ bảng tính")

    def ready(self) -> None:
        # Each domain app plugs its importer in from an `importer.py` next to its models.
        autodiscover_modules("importer")
