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
        _register_case_sources()


def _register_case_sources() -> None:
    """How a case opened by an alarm names it and links back (cases.sources)."""
    from django.urls import reverse

    from minsheng.cases import sources

    from .models import Alarm, Greenhouse

    sources.register(
        Alarm,
        kind=_("温室告警"),
        label=lambda a: f"{a.greenhouse.name} · {a.sensor.get_kind_display()} · {a.get_severity_display()}",
        url=lambda a: reverse("iot:alarm", args=[a.pk]),
    )
    sources.register(
        Greenhouse, kind=_("大棚"), label=str, url=lambda g: reverse("iot:greenhouse", args=[g.pk])
    )
