"""Celery application. With no broker configured the tasks run eagerly in-process (settings.CELERY_*)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minsheng.settings")

app = Celery("minsheng")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The periodic-job task lives in core.periodic, not in a `tasks` module: without this a worker discarded every job
# beat sent ("unregistered task minsheng.periodic").
app.autodiscover_tasks(["minsheng.core"], related_name="periodic")
