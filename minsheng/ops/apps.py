from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running a deployment: liveness of the background processes, the periodic jobs' exclusivity, `doctor`,
    backup and restore. Nothing here is seen by the 街道's users."""

    name = "minsheng.ops"
    label = "ops"
    verbose_name = _("运维")
