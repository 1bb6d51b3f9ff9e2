from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "danvan.democracy.consultations"
    label = "consultations"
    verbose_name = _("Nhân dân tham gia ý kiến")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .search_index import ensure_comment_search_index

        post_migrate.connect(ensure_comment_search_index, sender=self, dispatch_uid="consultations_search_index")
