from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "danvan.practices"
    label = "practices"
    verbose_name = _("Mô hình “Dân vận khéo”")
