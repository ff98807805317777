"""Open311's changes: a POST requests call becomes a case through the engine's own do_register.

The case is an ordinary 诉求 from the 居民线上 channel; it points back at its Submission (the engine's generic
`source` link), which is how staff see which client sent it. There is no acting user — the client is not a
person with a role — so the case starts without a 首问责任人, like any other online appeal.
"""

import hmac

from django.db import transaction

from minsheng.cases import actions as case_actions
from minsheng.cases.choices import Channel, Urgency
from minsheng.cases.models import Case, Category
from minsheng.org.models import Node

from .models import Open311Key, Submission


def find_key(raw: str) -> Open311Key | None:
    """The active key equal to `raw`, compared in constant time against every key so timing reveals nothing."""
    if not raw:
        return None
    found = None
    for key in Open311Key.objects.filter(active=True):
        if hmac.compare_digest(key.key.encode(), raw.encode()):
            found = key
    return found


@transaction.atomic
def do_submit(
    *,
    key: Open311Key,
    category: Category,
    description: str,
    node: Node,
    lat: float | None = None,
    lng: float | None = None,
    address: str = "",
    urgency: str = Urgency.NORMAL,
    reporter_name: str = "",
    reporter_phone: str = "",
    media_url: str = "",
) -> Case:
    """Register the appeal; a ValidationError from the engine rolls the Submission back with it."""
    submission = Submission.objects.create(key=key, media_url=media_url)
    return case_actions.do_register(
        actor=None,
        kind="appeal",
        channel=Channel.ONLINE,
        category=category,
        description=description,
        node=node,
        lat=lat,
        lng=lng,
        address=address,
        urgency=urgency,
        reporter_name=reporter_name,
        reporter_phone=reporter_phone,
        anonymous=not (reporter_name or reporter_phone),
        source=submission,
    )
