"""Tag pages: the cloud, one tag's photos and related tags, a person's tags, the Atom feed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_POST

from licensing import attribution
from photos import selectors, tag_queries, tagging, tags
from photos.attribution import work_of

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
    tag = tag_queries.tag_get(slug)
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


class TagFeed(Feed):
    """Atom feed of the newest public photos with a tag."""

    feed_type = Atom1Feed

    def get_object(self, request, slug: str):
        return tag_queries.tag_get(slug)

    def title(self, tag) -> str:
        return f"Photos tagged “{tag.name}”"

    def link(self, tag) -> str:
        return reverse("tag", args=[tag.slug])

    def subtitle(self, tag) -> str:
        return f"The newest public photos tagged {tag.name}, each with its license."

    def items(self, tag):
        return tag_queries.photos_tagged(tag, viewer=None)[:30]

    def item_title(self, photo) -> str:
        return photo.display_title

    def item_description(self, photo) -> str:
        return attribution.as_html(work_of(photo))

    def item_author_name(self, photo) -> str:
        return work_of(photo).creator_name

    def item_pubdate(self, photo):
        return photo.uploaded_at
