"""Referral pages: the list by status and a referral's page with its next steps."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.accounts.choices import Cap
from minsheng.core.pagination import paginate
from minsheng.core.scoping import get_visible_or_404

from .. import actions, forms
from ..choices import Partner, ReferralStatus
from ..filtersets import ReferralFilterSet
from ..models import Referral
from .common import PAGE_SIZE, needs, run


@needs(Cap.MEDIATION_VIEW)
def referral_list(request):
    referrals = Referral.objects.visible_to(request.user).select_related("case", "sent_by")
    referrals = ReferralFilterSet(request.GET or None, queryset=referrals).qs
    status, partner = request.GET.get("status", ""), request.GET.get("partner", "")
    page = paginate(request, referrals, per_page=PAGE_SIZE)
    return render(
        request,
        "mediation/referrals/list.html",
        {
            "page_obj": page,
            "statuses": ReferralStatus.choices,
            "partners": Partner.choices,
            "status": status,
            "partner": partner,
        },
    )


@needs(Cap.MEDIATION_VIEW)
def referral_detail(request, pk, verb=None):
    user = request.user
    referral = get_visible_or_404(
        Referral.objects.select_related("case", "sent_by"), user, Cap.MEDIATION_VIEW, pk=pk
    )
    reason = forms.ReasonForm(request.POST if verb in ("reject", "revoke") else None, prefix=verb or "reason")
    done = forms.ReferralDoneForm(request.POST if verb == "done" else None, prefix="done")
    if verb:
        if verb == "accept":
            ok = run(request, None, lambda: actions.do_accept_referral(referral, actor=user), _("已接收"))
        elif verb in ("reject", "revoke") and reason.is_valid():
            fn = actions.do_reject_referral if verb == "reject" else actions.do_revoke_referral
            ok = run(
                request,
                reason,
                lambda: fn(referral, actor=user, reason=reason.cleaned_data.get("reason")),
                _("已保存"),
            )
        elif verb == "done" and done.is_valid():
            d = done.cleaned_data
            ok = run(
                request,
                done,
                lambda: actions.do_complete_referral(
                    referral,
                    actor=user,
                    successful=d["successful"],
                    not_successful_reason=d.get("not_successful_reason") or "",
                    note=d.get("note") or "",
                ),
                _("已办结"),
            )
        elif verb not in ("accept", "reject", "revoke", "done"):
            raise Http404
        else:
            ok = False
        if ok:
            return redirect("mediation:referral", pk=referral.pk)
        referral.refresh_from_db()
    return render(
        request,
        "mediation/referrals/detail.html",
        {
            "r": referral,
            "reject_form": forms.ReasonForm(prefix="reject") if verb != "reject" else reason,
            "revoke_form": forms.ReasonForm(prefix="revoke") if verb != "revoke" else reason,
            "done_form": done,
            "can_act": user.has_cap(Cap.MEDIATION_MEDIATE, referral.node),
        },
    )


@require_POST
@needs(Cap.MEDIATION_MEDIATE)
def referral_act(request, pk, verb):
    return referral_detail(request, pk, verb=verb)
