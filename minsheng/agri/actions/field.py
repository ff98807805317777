"""The field test as one write: 抽样, counting the sample towards a task, and its first rapid reading — all recorded
or none. The phone page and the API both record through it, so they cannot drift apart."""

from typing import Any

from django.db import transaction

from minsheng.accounts.models import User

from ..models import Sample, SamplingTask
from .ledgers import assign_sample, task_accepts
from .samples import record_rapid_test, record_sample


@transaction.atomic
def record_field_test(
    *,
    actor: User,
    reading: dict[str, Any],
    task: SamplingTask | None = None,
    task_if_fits: bool = False,
    **sample_fields: Any,
) -> Sample:
    """`sample_fields` are record_sample's, `reading` record_rapid_test's. `task_if_fits` marks a task the page
    suggested rather than one the person chose: it is skipped when the sample does not fit it, where a chosen task
    that does not fit refuses the whole record."""
    sample = record_sample(actor=actor, **sample_fields)
    if task is not None and not (task_if_fits and task_accepts(task, sample)):
        assign_sample(actor=actor, sample=sample, task=task)
    record_rapid_test(actor=actor, sample=sample, **reading)
    return sample
