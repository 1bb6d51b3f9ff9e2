from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosuresConfig(AppConfig):
    name = "danvan.democracy.disclosures"
    label = "disclosures"
    verbose_name = _("Công khai thông tin ở cấp xã")

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers the permissions)
