"""The only place the centre's records change. Each `do_<verb>` validates, checks the actor's capability at the
record's place, changes rows in one transaction and moves the engine's case through `minsheng.cases.actions`.

Illegal steps raise core.errors.IllegalTransition (HTTP 409), bad input django's ValidationError (HTTP 400), a
missing right PermissionDenied (HTTP 403) — before anything is written.
"""

from .disputes import (  # noqa: F401
    do_agree_oral,
    do_agree_written,
    do_assign_mediator,
    do_decide_objection,
    do_fail,
    do_follow_up_performance,
    do_object,
    do_open_dispute,
    do_record_judicial,
    do_record_session,
    do_refuse,
    do_upload_signed,
)
from .petitions import (  # noqa: F401
    do_accept_petition,
    do_book,
    do_create_reception_day,
    do_extend_petition,
    do_mark_received,
    do_register_petition,
    do_reply_petition,
    do_request_review,
)
from .reception import do_register_visit, do_route_visit  # noqa: F401
from .referrals import (  # noqa: F401
    do_accept_referral,
    do_complete_referral,
    do_refer,
    do_reject_referral,
    do_revoke_referral,
)
from .weekly import do_resolve_item, do_submit_weekly, do_take_up_item, propose_early_warnings  # noqa: F401
