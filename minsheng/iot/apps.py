from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IotConfig(AppConfig):
    name = "minsheng.iot"
    label = "iot"
    verbose_name = _("智慧大棚")

    def ready(self) -> None:
        from minsheng.cases.signals import case_event

        from . import actions, metrics

        metrics.register_all()

        case_event.connect(actions.on_case_event, dispatch_uid="iot.alarms.case_event")
