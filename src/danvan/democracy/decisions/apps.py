from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "danvan.democracy.decisions"
    label = "decisions"
    verbose_name = _("Dân bàn và quyết định")
    default_auto_field = "django.db.models.BigAutoField"
