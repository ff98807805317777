"""The periodic-job table drives both Celery beat and the in-process scheduler."""

import pytest
from django.conf import settings

from minsheng.core import periodic


def test_beat_schedule_comes_from_the_job_table():
    assert set(settings.CELERY_BEAT_SCHEDULE) == set(settings.MINSHENG_PERIODIC_JOBS)
    entry = settings.CELERY_BEAT_SCHEDULE["cases.deadline_clock"]
    assert entry["task"] == "minsheng.periodic" and entry["args"] == ("cases.deadline_clock",)


@pytest.mark.django_db
def test_the_task_runs_the_named_job():
    # No broker in tests: the task runs eagerly and returns the job's own result.
    result = periodic.run_job.delay("cases.deadline_clock").get()
    assert result == {"warned": 0, "overdue": 0}
