from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "minsheng.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self) -> None:
        from . import audit, bulk  # noqa: F401 (bulk registers the field__any lookup)

        audit.connect_signals()
