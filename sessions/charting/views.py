"""Views for SOAP charting. Every one fetches the client through `intake.access`, a note
through `sessions.access.note_get_for_user`.

Who may do what: the owning therapist and the manager read notes; only the client's own
therapist writes them (`clinical_write_check`: the manager gets 403): a note's author edits
and signs it while it is a draft, and amends it once signed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.form_tokens import submit_once
from core.limits import AMENDMENTS_FULL, AMENDMENTS_PER_NOTE_MAX
from intake.access import (
    client_get_for_clinical_write,
    client_get_for_user,
    clinical_write_allowed,
)
from intake.services import client_safety
from sessions.access import appointment_of_client, note_get_for_user
from sessions.charting import services as charting
from sessions.charting.forms import (
    AmendmentForm,
    NoteStartForm,
    SessionNoteForm,
    TechniqueFormSet,
    technique_formset_initial,
)
from sessions.charting.rules import note_no_treatment_notice
from sessions.planning.selectors import plan_latest_accepted

NOTES_PER_PAGE = 25

NOTE_SIGNED_WHILE_EDITING = (
    "This note was signed while you were editing it, so nothing was saved. Your text is kept "
    "below: copy what is still needed into an amendment on the signed note."
)
NOTE_SAVED = "Note saved. It is still a draft until you sign it."
NOTE_SIGNED = "Note signed. It can no longer be changed; add an amendment to correct it."
NOTE_SIGNED_VISIT_COMPLETED = "Note signed and the visit completed. Add an amendment to correct it."
NOTE_SAVED_NOT_SIGNED = "Note saved as a draft, but not signed:"
AMENDMENT_SAVED = "Amendment added beneath the note."


@require_GET
@login_required
def note_list(request, client_id: int):
    client = client_get_for_user(request.user, client_id)
    notes = (
        client.session_notes.select_related("therapist")
        .annotate(amendment_count=Count("amendments"))
        .order_by("-visit_date", "-id")
    )
    page = Paginator(notes, NOTES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "sessions/note_list.html",
        {
            "client": client,
            "page": page,
            "notes": page.object_list,
            "progress": charting.client_progress(client=client),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def note_create(request, client_id: int):
    client = client_get_for_clinical_write(request.user, client_id)
    safety_status = client_safety(client=client).status
    form = NoteStartForm(
        request.POST or None,
        client=client,
        safety_status=safety_status,
        initial=_start_initial(request, client, safety_status=safety_status),
        form_token_user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            note = submit_once(
                form,
                create=lambda: charting.note_start(
                    client=client,
                    therapist=request.user,
                    visit_date=form.cleaned_data["visit_date"],
                    appointment=form.cleaned_data["appointment"],
                    plan=form.cleaned_data["plan"],
                    start_from_last=form.cleaned_data["start_from_last"],
                ),
                url=lambda note: reverse("sessions:note_edit", args=[client.pk, note.pk]),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("sessions:note_edit", client.pk, note.pk)
    return render(request, "sessions/note_start.html", {"client": client, "form": form})


def _start_initial(request, client, *, safety_status) -> dict:
    """Today and the latest accepted plan; or, for ?appointment= (a link from the day view),
    that appointment's day and the plan accepted for it. No plan while the client's safety
    status forbids treatment: the note then records the refusal, not the plan's techniques."""
    offer_plan = note_no_treatment_notice(safety_status=safety_status) is None
    latest = plan_latest_accepted(client=client) if offer_plan else None
    initial = {"visit_date": timezone.localdate(), "plan": latest.pk if latest else None}

    appointment = appointment_of_client(
        client=client, appointment_id=request.GET.get("appointment")
    )
    if appointment is not None:
        initial["appointment"] = appointment.pk
        initial["visit_date"] = timezone.localtime(appointment.starts_at).date()
        for_visit = plan_latest_accepted(client=client, appointment=appointment)
        if for_visit is not None and offer_plan:
            initial["plan"] = for_visit.pk
    # A returning client's note starts from the last one (copied forward, marked).
    previous = charting.note_previous(
        client=client, therapist=request.user, before=initial["visit_date"]
    )
    initial["start_from_last"] = previous is not None
    return initial


@require_GET
@login_required
def note_detail(request, client_id: int, note_id: int):
    note = note_get_for_user(request.user, client_id=client_id, note_id=note_id)
    return _note_detail_render(request, note, AmendmentForm(form_token_user=request.user))


def _note_detail_render(request, note, amendment_form):
    """The note page; `amendment_form` bound when an amendment was refused, so the page shows
    why beside the text as it was typed."""
    client = note.client
    may_write = clinical_write_allowed(request.user, client)
    amendments = list(note.amendments.select_related("author"))
    return render(
        request,
        "sessions/note_detail.html",
        {
            "client": client,
            "note": note,
            "techniques": list(note.techniques.all()),
            "amendments": amendments,
            "amendments_full": AMENDMENTS_FULL
            if len(amendments) >= AMENDMENTS_PER_NOTE_MAX
            else "",
            "may_edit": may_write and charting.note_may_edit(note=note, user=request.user),
            "may_amend": may_write and charting.note_may_amend(note=note, user=request.user),
            "amendment_form": amendment_form,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def note_edit(request, client_id: int, note_id: int):
    note = note_get_for_user(
        request.user, client_id=client_id, note_id=note_id, clinical_write=True
    )
    client = note.client
    if note.is_signed and request.method != "POST":
        messages.error(request, charting.NOTE_SIGNED_LOCKED)
        return redirect(note)
    if note.therapist_id != request.user.pk:
        raise PermissionDenied(charting.NOTE_NOT_AUTHOR)
    safety_status = client_safety(client=client).status
    if note.is_signed:
        return _note_signed_while_editing(request, note, safety_status)
    copied = charting.note_copied_forward(note=note)
    if request.method == "POST":
        form = SessionNoteForm(request.POST, instance=note, copied=copied)
        formset = TechniqueFormSet(request.POST, prefix="techniques", safety_status=safety_status)
        if form.is_valid() and formset.is_valid():
            try:
                charting.note_update(
                    note=note,
                    user=request.user,
                    soap={name: form.cleaned_data[name] for name in charting.NOTE_FIELDS},
                    techniques=formset.technique_rows(),
                )
            except ValidationError as error:
                if error.code == "locked":
                    return _note_signed_while_editing(request, note, safety_status)
                form.add_error(None, error)
            else:
                if "sign" in request.POST:
                    return _sign(request, note, saved=True)
                messages.success(request, NOTE_SAVED)
                return redirect(_after_note(note))
    else:
        form = SessionNoteForm(instance=note, copied=copied)
        formset = TechniqueFormSet(
            initial=technique_formset_initial(note),
            prefix="techniques",
            safety_status=safety_status,
        )
        notice = note_no_treatment_notice(safety_status=safety_status)
        if notice:
            messages.warning(request, notice)
    return render(
        request,
        "sessions/note_form.html",
        {"client": client, "note": note, "form": form, "formset": formset, "copied": copied},
    )


def _note_signed_while_editing(request, note, safety_status):
    """The note was signed while this edit was typed: nothing is saved, and the typed text
    comes back on the page with why, so it can go into an amendment instead of being lost."""
    note.refresh_from_db()
    form = SessionNoteForm(request.POST, instance=note)
    formset = TechniqueFormSet(request.POST, prefix="techniques", safety_status=safety_status)
    form.is_valid()
    form.add_error(None, NOTE_SIGNED_WHILE_EDITING)
    return render(
        request,
        "sessions/note_form.html",
        {"client": note.client, "note": note, "form": form, "formset": formset},
        status=409,
    )


@require_POST
@login_required
def note_sign(request, client_id: int, note_id: int):
    note = note_get_for_user(
        request.user, client_id=client_id, note_id=note_id, clinical_write=True
    )
    return _sign(request, note, saved=False)


def _sign(request, note, *, saved: bool):
    """Sign, then back to the visit's workspace (or the note, for a note without a visit).
    Refused: the note's page, or its form when it was just saved there, with every reason."""
    try:
        charting.note_sign(note=note, user=request.user)
    except ValidationError as error:
        if saved:
            messages.warning(request, NOTE_SAVED_NOT_SIGNED)
        for message in error.messages:
            messages.error(request, message)
        if saved:
            return redirect("sessions:note_edit", note.client_id, note.pk)
        return redirect(note)
    completed = note.appointment is not None and note.appointment.status == "completed"
    messages.success(request, NOTE_SIGNED_VISIT_COMPLETED if completed else NOTE_SIGNED)
    return redirect(_after_note(note))


def _after_note(note) -> str:
    """Where saving or signing a note leads: its visit's workspace, which says what is next;
    the note itself when it records no booked visit."""
    if note.appointment_id is not None:
        return reverse("sessions:appointment_detail", args=[note.appointment_id])
    return note.get_absolute_url()


@require_POST
@login_required
def note_amend(request, client_id: int, note_id: int):
    note = note_get_for_user(
        request.user, client_id=client_id, note_id=note_id, clinical_write=True
    )
    form = AmendmentForm(request.POST, form_token_user=request.user)
    if form.is_valid():
        try:
            submit_once(
                form,
                create=lambda: charting.note_amend(
                    note=note, author=request.user, text=form.cleaned_data["text"]
                ),
                url=note.get_absolute_url(),
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                # Not about the text (the note is not signed, or has all its amendments).
                for message in error.messages:
                    messages.error(request, message)
                return redirect(note)
            form.add_error(
                None, error if set(error.error_dict) <= set(form.fields) else error.messages
            )
        else:
            messages.success(request, AMENDMENT_SAVED)
            return redirect(note)
    # Refused (too long, a NUL character, empty, an expired token): the page again with
    # the reason and the text as typed, nothing saved.
    return _note_detail_render(request, note, form)
