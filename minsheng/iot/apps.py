from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IotConfig(AppConfig):
    name = "minsheng.iot"
    label = "iot"
    verbose_name = _("智慧大棚")
