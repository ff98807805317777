from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "minsheng.org"
    label = "org"
    verbose_name = _("组织与网格")

    def ready(self) -> None:
        from . import spreadsheets  # noqa: F401 - registers the app's xlsx resources
