"""Tag pages: the cloud, one tag's photos and related tags, a person's tags (feeds: feeds.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from photos import selectors, tag_queries, tagging, tags

PAGE_SIZE = 48


def tag_cloud(request):
    """Show the most used tags, sized by use."""
    found = tag_queries.cloud()
    top = max((t.count for t in found), default=1)
    for tag in found:
        tag.weight = 1 + round(4 * tag.count / top)
    return render(request, "photos/tag_cloud.html", {"tags": found})


def tag_detail(request, slug: str):
    """Show the photos with a tag that the viewer may see, and its related tags."""
    tag = tag_queries.tag_get(slug, viewer=request.user)
    order = "favorites" if request.GET.get("sort") == "favorites" else "newest"
    photos = tag_queries.photos_tagged(tag, viewer=request.user, order=order)
    page = Paginator(photos, PAGE_SIZE).get_page(request.GET.get("page"))
    machine = tagging.machine(tag.name)
    context = {
        "tag": tag,
        "page": page,
        "order": order,
        "related": tag_queries.related(tag),
        "machine": machine,
    }
    return render(request, "photos/tag.html", context)


def person_tags(request, username: str):
    """Show one person's tags over the photos the viewer may see."""
    owner = selectors.person_get(username)
    found = tag_queries.tags_of(owner, viewer=request.user)
    context = {"owner": owner, "profile": selectors.profile_of(owner), "tags": found}
    return render(request, "photos/person_tags.html", context)


@login_required
@require_POST
def bulk_tag(request):
    """Add or remove tags on several of the viewer's own photos."""
    mine = selectors.photo_stream_of(request.user, viewer=request.user)
    ids = {int(i) for i in request.POST.getlist("photos") if i.isdigit()}
    chosen = [p for p in mine if p.pk in ids]
    try:
        add = tagging.parse(request.POST.get("add", ""))
        remove = tagging.parse(request.POST.get("remove", ""))
        count = tags.photos_bulk_tag(owner=request.user, photos=chosen, add=add, remove=remove)
    except tagging.TagError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Tags updated on {count} photo{'s' if count != 1 else ''}.")
    return redirect("person", request.user.username)


@login_required
@require_POST
def tag_remove_everywhere(request, slug: str):
    """Let a moderator take a tag off every photo on the site."""
    tag = tag_queries.tag_get_for_moderator(slug)
    count = tags.tag_remove_everywhere(tag=tag, moderator=request.user)
    messages.success(request, f"“{tag.name}” was removed from {count} photo(s).")
    return redirect("tags")
