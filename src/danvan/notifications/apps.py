from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "danvan.notifications"
    label = "notifications"
    verbose_name = _("Thông báo")

    def ready(self) -> None:
        from danvan.cases.signals import case_event_committed

        from .receivers import on_case_event

        case_event_committed.connect(on_case_event, dispatch_uid="notifications.on_case_event")
