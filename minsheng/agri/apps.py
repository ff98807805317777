from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgriConfig(AppConfig):
    name = "minsheng.agri"
    label = "agri"
    verbose_name = _("农产品质量安全")

    def ready(self) -> None:
        from . import metrics, spreadsheets  # noqa: F401 - registers the app's xlsx resources

        metrics.register_all()
        metrics.register_duties()
