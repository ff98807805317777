"""Celery tasks for notification delivery. The logic lives in core.notifications; these are the doors to it.

With no broker configured the tasks run in-process at commit time; with one, a worker runs them and Celery beat
runs `deliver_due` every minute (the sweep that sends deferred deliveries and retries failed ones).
"""

from celery import shared_task

from . import notifications


@shared_task(ignore_result=True)
def deliver(delivery_ids: list[int]) -> None:
    """Attempt the deliveries a notify() call just scheduled (each records its own outcome)."""
    for pk in delivery_ids:
        notifications.attempt_delivery(pk)


@shared_task(ignore_result=True)
def deliver_due() -> int:
    """Attempt every delivery whose quiet hours ended or whose retry time came."""
    return notifications.deliver_due()
