"""Petition pages: visible only with a 信访 capability (petition.view) — a grid worker gets 403 on the list and
404 on a petition, exactly as if it did not exist."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from minsheng.accounts.choices import Cap
from minsheng.core.calendar import TZ
from minsheng.core.masking import mask_id_number, mask_phone
from minsheng.core.pagination import paginate
from minsheng.core.scoping import get_visible_or_404

from .. import actions, forms
from ..choices import Acceptance, PetitionForm, PetitionStage
from ..filtersets import PetitionFilterSet
from ..models import Booking, Petition, ReceptionDay
from .common import PAGE_SIZE, needs, run
from .disputes import DOCX, _file


@needs(Cap.PETITION_VIEW)
def petition_list(request):
    petitions = Petition.objects.visible_to(request.user).select_related("case", "node")
    petitions = PetitionFilterSet(request.GET or None, queryset=petitions).qs
    stage, form = request.GET.get("stage", ""), request.GET.get("form", "")
    if request.GET.get("open") == "1":
        petitions = petitions.filter(replied_at__isnull=True).exclude(acceptance=Acceptance.NOT_ACCEPTED)
    page = paginate(request, petitions, per_page=PAGE_SIZE)
    return render(
        request,
        "mediation/petitions/list.html",
        {
            "page_obj": page,
            "rows": [(p, mask_phone(p.phone)) for p in page],
            "stages": PetitionStage.choices,
            "forms_": PetitionForm.choices,
            "stage": stage,
            "form_": form,
            "can_handle": request.user.has_cap(Cap.PETITION_HANDLE),
            "now": timezone.now(),
        },
    )


@needs(Cap.PETITION_HANDLE)
def petition_create(request):
    user = request.user
    form = forms.PetitionRegisterForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        made = {}

        def step():
            made["p"] = actions.do_register_petition(
                actor=user,
                form=d["form"],
                kind=d["kind"],
                node=d["node"],
                petitioner=d.get("petitioner") or "",
                phone=d.get("phone") or "",
                id_number=d.get("id_number") or "",
                people=d.get("people") or 1,
                matter=d.get("matter") or "",
                acknowledge_final=d.get("acknowledge_final"),
            )

        if run(request, form, step, _("信访事项已登记")):
            return redirect("mediation:petition", pk=made["p"].pk)
    return render(request, "mediation/petitions/form.html", {"form": form})


def _visible(request, pk) -> Petition:
    return get_visible_or_404(
        Petition.objects.select_related(
            "case", "node", "previous", "extension_approved_by", "repeats_final__case"
        ),
        request.user,
        Cap.PETITION_VIEW,
        pk=pk,
    )


def _chain(p: Petition) -> list[Petition]:
    root = p.root()
    chain = [root]
    while True:
        nxt = Petition.objects.filter(previous=chain[-1]).select_related("case").first()
        if nxt is None:
            return chain
        chain.append(nxt)


@needs(Cap.PETITION_VIEW)
def petition_detail(request, pk, verb=None):
    user = request.user
    petition = _visible(request, pk)
    makers = {
        "accept": lambda data: forms.AcceptForm(data, prefix="accept"),
        "extend": lambda data: forms.ReasonForm(data, prefix="extend"),
        "reply": lambda data: forms.ReplyForm(data, prefix="reply"),
        "review": lambda data: forms.ReasonForm(data, prefix="review"),
    }
    all_forms = {name: make(request.POST if verb == name else None) for name, make in makers.items()}
    if verb:
        form = all_forms.get(verb)
        if form is None:
            raise Http404
        made = {}

        def step():
            d = form.cleaned_data
            if verb == "accept":
                actions.do_accept_petition(
                    petition, actor=user, accept=d["accept"], notice_text=d.get("notice_text")
                )
            elif verb == "extend":
                actions.do_extend_petition(petition, actor=user, reason=d.get("reason"))
            elif verb == "reply":
                actions.do_reply_petition(petition, actor=user, text=d.get("text"))
            else:
                made["next"] = actions.do_request_review(petition, actor=user, reason=d.get("reason"))

        if form.is_valid() and run(request, form, step, _("已保存")):
            return redirect("mediation:petition", pk=made["next"].pk if "next" in made else petition.pk)
    petition.refresh_from_db()
    now = timezone.now()
    return render(
        request,
        "mediation/petitions/detail.html",
        {
            "p": petition,
            "phone": mask_phone(petition.phone),
            "id_number": mask_id_number(petition.id_number),
            "chain": _chain(petition),
            "forms": all_forms,
            "open_verb": verb,
            "can_handle": user.has_cap(Cap.PETITION_HANDLE, petition.node),
            "can_approve": user.has_cap(Cap.PETITION_APPROVE, petition.node),
            "can_review": petition.replied_at is not None
            and not petition.final
            and petition.stage != "re_review"
            and petition.request_due
            and now <= petition.request_due
            and not Petition.objects.filter(previous=petition).exists(),
            "now": now,
        },
    )


@require_POST
@needs(Cap.PETITION_HANDLE)
def petition_act(request, pk, verb):
    return petition_detail(request, pk, verb=verb)


@needs(Cap.PETITION_VIEW)
def petition_reply_file(request, pk):
    from .. import documents

    petition = _visible(request, pk)
    if not petition.replied_at:
        raise Http404
    return _file(documents.petition_reply_docx(petition), f"{petition.reply_number}.docx", DOCX)


@needs(Cap.PETITION_VIEW)
def reception_days(request):
    user = request.user
    form = (
        forms.ReceptionDayForm(request.POST or None, user=user) if user.has_cap(Cap.PETITION_HANDLE) else None
    )
    if request.method == "POST" and form is not None and form.is_valid():
        d = form.cleaned_data
        from minsheng.org.models import Node

        street = Node.objects.visible_to(user, Cap.PETITION_HANDLE).order_by("depth").first()

        def step():
            actions.do_create_reception_day(
                actor=user,
                leader=d["leader"],
                node=street,
                date=d["date"],
                place=d.get("place") or "",
                topic=d.get("topic") or "",
                capacity=d.get("capacity") or 10,
            )

        if run(request, form, step, _("已排定公开接访")):
            return redirect("mediation:reception_days")
    today = timezone.localtime(timezone.now(), TZ).date()
    days = (
        ReceptionDay.objects.visible_to(user, Cap.PETITION_VIEW)
        .select_related("leader")
        .prefetch_related("bookings")
    )
    return render(
        request,
        "mediation/petitions/reception_days.html",
        {
            "upcoming": days.filter(date__gte=today).order_by("date"),
            "past": days.filter(date__lt=today).order_by("-date")[:10],
            "form": form,
            "booking_form": forms.BookingForm(),
            "can_handle": user.has_cap(Cap.PETITION_HANDLE),
        },
    )


@require_POST
@needs(Cap.PETITION_HANDLE)
def reception_book(request, pk):
    user = request.user
    day = get_visible_or_404(ReceptionDay, user, Cap.PETITION_VIEW, pk=pk)
    form = forms.BookingForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        run(
            request,
            None,
            lambda: actions.do_book(
                day, actor=user, name=d.get("name"), phone=d.get("phone") or "", matter=d.get("matter")
            ),
            _("已预约"),
        )
    return redirect("mediation:reception_days")


@require_POST
@needs(Cap.PETITION_HANDLE)
def booking_mark(request, pk):
    booking = Booking.objects.filter(
        pk=pk, day__in=ReceptionDay.objects.visible_to(request.user, Cap.PETITION_VIEW)
    ).first()
    if booking is None:
        raise Http404
    received = request.POST.get("received") == "1"
    run(
        request,
        None,
        lambda: actions.do_mark_received(booking, actor=request.user, received=received),
        _("已更新"),
    )
    return redirect("mediation:reception_days")
