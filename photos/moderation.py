"""Moderators' pages: near-duplicates across people, waiting for a look."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from photos import duplicates
from photos.models import NearDuplicate


@staff_member_required
def duplicate_queue(request):
    """List new photos that look like earlier photos of other people."""
    return render(request, "photos/duplicates.html", {"matches": duplicates.moderation_queue()})


@staff_member_required
@require_POST
def duplicate_reviewed(request, match_id: int):
    """Mark one near-duplicate as looked at."""
    NearDuplicate.objects.filter(pk=match_id).update(reviewed=True)
    messages.success(request, "Marked as reviewed.")
    return redirect("moderation-duplicates")
