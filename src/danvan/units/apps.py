from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "danvan.units"
    label = "units"
    verbose_name = _("Đơn vị hành chính")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .search_index import ensure_unit_search_index

        post_migrate.connect(ensure_unit_search_index, sender=self, dispatch_uid="units_search_index")
