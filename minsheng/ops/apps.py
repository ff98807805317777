from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running a deployment: liveness of the background processes, the periodic jobs' exclusivity, `doctor`,
    backup and restore, the county demo. Nothing here is seen by the 街道's users. It sits at the top of the
    layers, like insights: it may read any app; core and the domains reach it only through core.liveness and
    core.periodic's runner, which it registers here."""

    name = "minsheng.ops"
    label = "ops"
    verbose_name = _("运维")

    def ready(self) -> None:
        from minsheng.core import liveness
        from minsheng.core import periodic as core_periodic

        from . import heartbeat, periodic

        liveness.register(heartbeat.beat)
        core_periodic.set_runner(periodic.run_once)
