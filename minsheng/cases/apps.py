from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "minsheng.cases"
    label = "cases"
    verbose_name = _("民生诉求")

    def ready(self) -> None:
        from . import metrics, oversight

        metrics.register_all()
        oversight.register_all()
        oversight.register_places()
