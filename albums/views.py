"""Album pages: thin views that call selectors to read and services to act."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from albums import contributions, credits, export, forms, policies, selectors, services
from albums.errors import AlbumError
from albums.models import Album, AlbumItem, MemberStatus
from photos import selectors as photo_selectors

PAGE_SIZE = 60


def _report(request, action, success: str = "", **kwargs):
    """Run a service; put its refusal, or the success sentence, in the page's messages."""
    try:
        result = action(**kwargs)
    except AlbumError as exc:
        messages.error(request, exc.message)
        return None
    if success:
        messages.success(request, success)
    return result if result is not None else True


def album_list(request):
    """Show the albums a visitor may find, and the viewer's own."""
    albums = selectors.album_list_visible_to(request.user)
    mine = albums.filter(memberships__user=request.user) if request.user.is_authenticated else []
    page = Paginator(albums.distinct(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "albums/list.html", {"page": page, "mine": mine})


@login_required
@require_http_methods(["GET", "POST"])
def album_create(request):
    """Create an album."""
    form = forms.AlbumForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        album = _report(request, services.album_create, owner=request.user, **form.cleaned_data)
        if album:
            messages.success(request, f"“{album.title}” is ready; add photos from their pages.")
            return redirect(album)
    return render(request, "albums/form.html", {"form": form}, status=400 if form.errors else 200)


def album_detail(request, album_id: int):
    """Show an album: its photos in the chosen order, counts, members and license summary."""
    album = selectors.album_get_for_viewer(album_id, viewer=request.user)
    order = request.GET.get("order", "manual")
    order = order if order in selectors.ORDERINGS else "manual"
    items = selectors.items_visible_to(album, request.user, order=order)
    role = selectors.role_of(album, request.user)
    licenses = list(items.values_list("photo__license", flat=True))
    context = {
        "album": album,
        "items": Paginator(items, PAGE_SIZE).get_page(request.GET.get("page")),
        "order": order,
        "orders": [("manual", "Album order"), ("taken", "Date taken"), ("added", "Date added")],
        "role": role,
        "membership": selectors.membership_of(album, request.user),
        "can": {action: policies.allows(role, action) for action in policies.ACTIONS},
        "summary": credits.license_summary(licenses),
        "members": selectors.members_of(album, None)[:12],
        "member_count": album.memberships.filter(status=MemberStatus.ACTIVE).count(),
        "waiting": selectors.items_waiting_for(album, request.user),
        "sizes": export.SIZES,
    }
    return render(request, "albums/album.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def album_edit(request, album_id: int):
    """Let curators change the words and cover, and the owner the settings and policy."""
    album = selectors.album_get_for_editor(album_id, viewer=request.user, action=policies.EDIT)
    configure = policies.allows(selectors.role_of(album, request.user), policies.CONFIGURE)
    covers = [item.photo for item in selectors.items_visible_to(album, request.user)]
    form = forms.AlbumForm(
        request.POST or None,
        instance=Album.objects.get(pk=album.pk),  # the form edits a copy; the service compares
        configure=configure,
        covers=covers,
    )
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        fields["cover"] = next((p for p in covers if p.pk == fields["cover"]), None)
        if _report(
            request, services.album_update, "Saved.", album=album, actor=request.user, **fields
        ):
            return redirect(album)
    return render(
        request, "albums/form.html", {"form": form, "album": album, "configure": configure}
    )


@login_required
@require_POST
def album_delete(request, album_id: int):
    """Delete an album (the photos stay)."""
    album = selectors.album_get_for_editor(album_id, viewer=request.user, action=policies.DELETE)
    services.album_delete(album=album, actor=request.user)
    messages.success(request, f"“{album.title}” is deleted; its photos are still their owners'.")
    return redirect("albums")


@login_required
@require_POST
def album_join(request, album_id: int):
    """Join, ask to join, or accept an invitation."""
    album = selectors.album_get_for_viewer(album_id, viewer=request.user)
    membership = _report(request, services.album_join, album=album, user=request.user)
    if membership and membership.status == MemberStatus.ACTIVE:
        messages.success(request, f"You are a member of “{album.title}”.")
    elif membership:
        messages.info(request, "You asked to join; a curator will answer.")
    return redirect(album)


@login_required
@require_POST
def album_leave(request, album_id: int):
    """Leave an album, or decline an invitation."""
    album = selectors.album_get_for_viewer(album_id, viewer=request.user)
    if _report(
        request, services.album_leave, "You left the album.", album=album, user=request.user
    ):
        return (
            redirect("albums") if not selectors.can_open(album, request.user) else redirect(album)
        )
    return redirect(album)


def album_members(request, album_id: int):
    """Show members; curators also see requests, invitations, and the invite form."""
    album = selectors.album_get_for_viewer(album_id, viewer=request.user)
    role = selectors.role_of(album, request.user)
    context = {
        "album": album,
        "role": role,
        "members": selectors.members_of(album, request.user),
        "can_manage": policies.allows(role, policies.MANAGE_MEMBERS),
        "assignable": [r for r in policies.ROLES if policies.can_assign(role, None, r)],
        "invite_form": forms.InviteForm(),
    }
    return render(request, "albums/members.html", context)


@login_required
@require_POST
def album_member_action(request, album_id: int):
    """Invite, approve, refuse, change the role of, or remove a member."""
    album = selectors.album_get_for_viewer(album_id, viewer=request.user)
    user = get_user_model().objects.filter(username=request.POST.get("username", "")).first()
    if user is None:
        messages.error(request, "There is nobody by that username.")
        return redirect("album-members", album.pk)
    action = request.POST.get("action")
    common = {"album": album, "actor": request.user, "user": user}
    actions = {
        "invite": (services.album_invite, {"role": request.POST.get("role", "contributor")}),
        "approve": (services.album_approve_member, {}),
        "refuse": (services.album_refuse_member, {}),
        "role": (services.album_change_role, {"role": request.POST.get("role", "")}),
        "remove": (services.album_remove_member, {}),
    }
    if action not in actions:
        messages.error(request, "Unknown action.")
        return redirect("album-members", album.pk)
    service, extra = actions[action]
    _report(request, service, "Done.", **common, **extra)
    return redirect("album-members", album.pk)


@login_required
def album_moderation(request, album_id: int):
    """Show the moderation queue and the photos that no longer fit the license policy."""
    album = selectors.album_get_for_editor(album_id, viewer=request.user, action=policies.MODERATE)
    context = {
        "album": album,
        "pending": selectors.pending_items(album, request.user),
        "flagged": selectors.flagged_items(album, request.user),
        "reject_form": forms.RejectForm(),
    }
    return render(request, "albums/moderation.html", context)


def _item(album: Album, photo_id: int) -> AlbumItem:
    item = AlbumItem.objects.filter(album=album, photo_id=photo_id).select_related("photo").first()
    if item is None:
        raise Http404("This photo is not in this album.")
    return item


@login_required
@require_POST
def album_item_action(request, album_id: int, photo_id: int):
    """Approve, reject, keep, remove, resubmit or move one photo of the album."""
    album = selectors.album_get_for_viewer(album_id, viewer=request.user)
    item, actor, action = _item(album, photo_id), request.user, request.POST.get("action")
    actions = {
        "approve": (contributions.album_moderate, {"decision": "approve"}, "Approved."),
        "reject": (
            contributions.album_moderate,
            {"decision": "reject", "reason": request.POST.get("reason", "")},
            "Rejected; the contributor is told why.",
        ),
        "keep": (contributions.album_keep_flagged, {}, "Kept."),
        "remove": (contributions.album_remove_photo, {}, "Taken out of the album."),
        "resubmit": (contributions.album_resubmit, {}, "Sent again."),
        "up": (contributions.album_move_photo, {"position": _place(item) - 1}, ""),
        "down": (contributions.album_move_photo, {"position": _place(item) + 1}, ""),
    }
    if action not in actions:
        messages.error(request, "Unknown action.")
    else:
        service, extra, success = actions[action]
        _report(request, service, success, item=item, actor=actor, **extra)
    return redirect(request.POST.get("next") or album.get_absolute_url())


def _place(item: AlbumItem) -> int:
    """Return the item's index in the manual order."""
    ids = list(
        item.album.items.filter(status="approved")
        .order_by("position", "id")
        .values_list("pk", flat=True)
    )
    return ids.index(item.pk) if item.pk in ids else 0


@login_required
@require_POST
def album_reorder(request, album_id: int):
    """Take a new manual order from the page's drag and drop ({"photos": [ids]})."""
    album = selectors.album_get_for_viewer(album_id, viewer=request.user)
    try:
        body = json.loads(request.body or b"{}")
        photo_ids = [int(pk) for pk in body.get("photos", [])]
        offset = int(body.get("offset", 0))
    except (ValueError, TypeError, AttributeError):
        return JsonResponse({"ok": False, "message": 'Send {"photos": [ids]}.'}, status=400)
    try:
        contributions.album_reorder(
            album=album, actor=request.user, photo_ids=photo_ids, offset=offset
        )
    except AlbumError as exc:
        return JsonResponse({"ok": False, "message": exc.message}, status=exc.status)
    return JsonResponse({"ok": True, "message": "The new order is saved."})


@login_required
def album_activity(request, album_id: int):
    """Show what members and curators did, newest first (members only)."""
    album = selectors.album_get_for_editor(album_id, viewer=request.user, action=policies.READ_LOG)
    lines = selectors.activity_of(album, request.user)
    page = Paginator(lines, 100).get_page(request.GET.get("page"))
    return render(request, "albums/activity.html", {"album": album, "page": page})


def album_credits(request, album_id: int):
    """Show every photo's attribution, with text, HTML, Markdown and JSON versions."""
    album = selectors.album_get_for_viewer(album_id, viewer=request.user)
    entries = credits.entries(selectors.items_visible_to(album, request.user), request=request)
    fmt = request.GET.get("format")
    if fmt in credits.FORMATS:
        body, content_type = credits.render(fmt, album.title, entries)
        return HttpResponse(body, content_type=content_type)
    context = {
        "album": album,
        "entries": entries,
        "as_text": credits.as_text(album.title, entries),
        "as_html": credits.as_html(album.title, entries),
        "as_markdown": credits.as_markdown(album.title, entries),
    }
    return render(request, "albums/credits.html", context)


def album_export(request, album_id: int):
    """Download the album as a ZIP of one size, with its credits."""
    album = selectors.album_get_for_viewer(album_id, viewer=request.user)
    size = request.GET.get("size", export.DEFAULT_SIZE)
    if size not in export.SIZES:
        messages.error(request, f"Choose a size: {', '.join(export.SIZES)}.")
        return redirect(album)
    return export.response(album, request, size)


@login_required
@require_POST
def album_add_photo(request):
    """Add a photo to an album from the photo's page."""
    photo = photo_selectors.photo_get_for_viewer(
        _int(request.POST.get("photo")), viewer=request.user
    )
    album = selectors.album_get_for_viewer(_int(request.POST.get("album")), viewer=request.user)
    item = _report(
        request, contributions.album_add_photo, album=album, actor=request.user, photo=photo
    )
    if item and item.status == "pending":
        messages.info(request, f"“{album.title}”: {contributions.WAITING}")
    elif item:
        messages.success(request, f"Added to “{album.title}”.")
    return redirect(photo)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("No such album or photo.") from None


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request):
    """Show a person's notifications; POST marks them all read."""
    if request.method == "POST":
        services.notifications_mark_read(user=request.user)
        return redirect("notifications")
    page = Paginator(selectors.notifications_for(request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "albums/notifications.html", {"page": page})
