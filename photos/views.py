"""Photo pages: thin views that call selectors to read and services to act."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django.views.static import serve

from config import ratelimit
from licensing import attribution as credit
from licensing import catalogue
from photos import duplicates, forms, licenses, renditions, selectors, services, storage, tags
from photos.attribution import work_of
from photos.ingest import PhotoRejected
from photos.models import Photo, Status

PAGE_SIZE = 48


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def home(request):
    """Show the newest public photos."""
    photos = _page(request, selectors.photo_list_visible_to(None))
    return render(request, "photos/home.html", {"page": photos})


def person(request, username: str):
    """Show a person's profile and photostream."""
    owner = selectors.person_get(username)
    photos = _page(request, selectors.photo_stream_of(owner, viewer=request.user))
    context = {
        "owner": owner,
        "profile": selectors.profile_of(owner),
        "page": photos,
        "license_choices": forms.license_choices(),
    }
    return render(request, "photos/person.html", context)


def photo_detail(request, photo_id: int):
    """Show one photo with its credit, license history, details, tags and comments."""
    photo = selectors.photo_get_for_viewer(photo_id, viewer=request.user)
    newer, older = selectors.neighbours(photo, viewer=request.user)
    urls = renditions.urls_for(photo)
    work = work_of(photo, request=request)
    context = {
        "photo": photo,
        "license": catalogue.get(photo.license),
        "credit": {
            "text": credit.as_text(work),
            "html": credit.as_html(work),
            "markdown": credit.as_markdown(work),
        },
        "history": licenses.history(photo),
        "structured_data": structured_data(photo, work, urls, request),
        "display_url": urls.get("large") or urls.get("medium") or urls.get("small"),
        "webp_srcset": renditions.srcset(photo, "webp"),
        "is_owner": selectors.can_edit(photo, request.user),
        "is_favorite": request.user.is_authenticated
        and photo.favorites.filter(user=request.user).exists(),
        "sources": [link.source for link in photo.source_links.all()],
        **_tag_context(photo, request.user),
        "near_duplicates": duplicates.flagged_for_owner(photo, viewer=request.user),
        "derivatives": selectors.derivatives_of(photo, viewer=request.user),
        "newer": newer,
        "older": older,
        "comment_form": forms.CommentForm(),
    }
    return render(request, "photos/photo.html", context)


def _tag_context(photo, user) -> dict:
    """Return the photo's tags split into plain and machine groups, and who may do what."""
    plain, machine = [], {}
    for item in photo.tagged.all():
        if item.tag.is_machine:
            machine.setdefault(item.tag.namespace, []).append(item)
        else:
            plain.append(item)
    is_owner = selectors.can_edit(photo, user)
    return {
        "plain_tags": plain,
        "machine_tags": sorted(machine.items()),
        "can_tag": tags.can_tag(photo, user),
        "is_moderator": user.has_perm("photos.moderate_tags"),
        "suggestions": photo.tag_suggestions.select_related("tag", "added_by") if is_owner else [],
    }


def structured_data(photo, work, urls: dict, request) -> dict:
    """Return schema.org ImageObject data (Google's licensable-image fields)."""
    lic = catalogue.get(photo.license)
    data = {
        "@context": "https://schema.org",
        "@type": "ImageObject",
        "name": photo.display_title,
        "contentUrl": request.build_absolute_uri(urls.get("large") or urls.get("medium", "")),
        "acquireLicensePage": request.build_absolute_uri(photo.get_absolute_url()),
        "creditText": work.creator_name,
        "creator": {"@type": "Person", "name": work.creator_name, "url": work.creator_url},
        "copyrightNotice": credit.as_text(work),
    }
    if lic.url:
        data["license"] = lic.url
    return data


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit.limit("upload", ratelimit.person_key)
def upload(request):
    """Take one or many files; the page's script sends them one by one with progress."""
    form = forms.UploadForm(request.POST or None, initial=_upload_defaults(request.user))
    if request.method == "GET":
        return render(request, "photos/upload.html", _upload_context(form))
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    files = request.FILES.getlist("file")
    if not form.is_valid() or not files:
        return _upload_form_error(request, form, wants_json, has_files=bool(files))
    data = dict(form.cleaned_data)
    try:
        data["sources"] = [
            selectors.photo_get_for_viewer(pk, viewer=request.user) for pk in data["sources"]
        ]
    except Http404:
        form.add_error("sources", "One of these photos does not exist or is not visible to you.")
        return _upload_form_error(request, form, wants_json, has_files=True)
    results = [_upload_one(request.user, f, data) for f in files]
    if wants_json:
        result = results[0]
        return JsonResponse(result, status=result.pop("status"))
    for result in results:
        level = messages.SUCCESS if result["ok"] else messages.ERROR
        messages.add_message(request, level, f"{result['name']}: {result['message']}")
    return redirect("person", request.user.username)


def _upload_context(form) -> dict:
    return {
        "form": form,
        "direct_upload": storage.is_s3(),
        "max_bytes": settings.BROUETTE_MAX_UPLOAD_BYTES,
    }


def _upload_defaults(user) -> dict:
    profile = selectors.profile_of(user)
    return {"license": profile.default_license, "visibility": profile.default_visibility}


def _upload_form_error(request, form, wants_json: bool, *, has_files: bool):
    message = "Choose at least one file to upload." if not has_files else "Check the fields below."
    if wants_json:
        return JsonResponse({"ok": False, "message": message, "fields": form.errors}, status=400)
    messages.error(request, message)
    return render(request, "photos/upload.html", _upload_context(form), status=400)


def _upload_one(user, uploaded, data: dict) -> dict:
    """Upload one file and describe the outcome for the page."""
    name = uploaded.name
    try:
        photo = services.photo_upload(owner=user, file=uploaded, original_name=name, **data)
    except licenses.LicenseNotAllowed as exc:
        return {"ok": False, "name": name, "message": str(exc), "status": 400}
    except PhotoRejected as exc:
        return {"ok": False, "name": name, "message": exc.message, "status": exc.status}
    except services.DuplicatePhoto as exc:
        url = exc.photo.get_absolute_url()
        message = "You already uploaded this file; here is the existing photo."
        return {"ok": True, "name": name, "message": message, "url": url, "status": 200}
    except storage.StorageUnavailable as exc:
        return {"ok": False, "name": name, "message": exc.message, "status": 503}
    url = photo.get_absolute_url()
    return {"ok": True, "name": name, "message": "Uploaded.", "url": url, "status": 201}


@login_required
@require_http_methods(["GET", "POST"])
def photo_edit(request, photo_id: int):
    """Let the owner change a photo's words, license and visibility."""
    photo = selectors.photo_get_for_editor(photo_id, viewer=request.user)
    # The form edits a copy: the service compares the stored photo with the changes.
    form = forms.PhotoEditForm(request.POST or None, instance=Photo.objects.get(pk=photo.pk))
    context = {"form": form, "photo": photo, "disabled": licenses.disabled_choices(photo)}
    if request.method == "POST" and form.is_valid():
        confirm = request.POST.get("confirm") == "yes"
        try:
            services.photo_update(
                photo=photo, actor=request.user, confirm=confirm, **form.cleaned_data
            )
        except licenses.ConfirmationRequired as exc:
            return render(request, "photos/edit.html", {**context, "confirmation": exc})
        except licenses.LicenseNotAllowed as exc:
            form.add_error("license", str(exc))
        else:
            messages.success(request, "Your changes are saved.")
            return redirect(photo)
    return render(request, "photos/edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def photo_delete(request, photo_id: int):
    """Ask, then delete a photo and its files."""
    photo = selectors.photo_get_for_editor(photo_id, viewer=request.user)
    if request.method == "POST":
        services.photo_delete(photo=photo)
        messages.success(request, f"“{photo.display_title}” is deleted.")
        return redirect("person", request.user.username)
    return render(request, "photos/delete.html", {"photo": photo})


@login_required
@require_POST
def photo_retry(request, photo_id: int):
    """Queue a failed photo's renditions again."""
    photo = selectors.photo_get_for_editor(photo_id, viewer=request.user)
    if photo.status == Status.FAILED:
        services.photo_retry(photo=photo)
        messages.info(request, "Trying again; the photo will be ready shortly.")
    return redirect(photo)


@login_required
@require_POST
def photo_favorite(request, photo_id: int):
    """Toggle the viewer's star on a photo."""
    photo = selectors.photo_get_for_viewer(photo_id, viewer=request.user)
    if not services.photo_favorite(photo=photo, user=request.user):
        services.photo_unfavorite(photo=photo, user=request.user)
    return redirect(photo)


@login_required
@require_POST
def photo_comment(request, photo_id: int):
    """Add a comment under a photo."""
    photo = selectors.photo_get_for_viewer(photo_id, viewer=request.user)
    form = forms.CommentForm(request.POST)
    if form.is_valid():
        services.photo_comment(photo=photo, author=request.user, body=form.cleaned_data["body"])
        messages.success(request, "Your comment is posted.")
    else:
        messages.error(request, "A comment needs some text, at most 4000 characters.")
    return redirect(photo)


def rendition(request, photo_id: int, name: str, fmt: str):
    """Serve a rendition of a non-public photo from local disk, after the visibility check."""
    photo = selectors.photo_get_for_viewer(photo_id, viewer=request.user)
    row = photo.renditions.filter(name=name, format=fmt).first()
    if row is None:
        raise Http404("No such size for this photo.")
    url = storage.rendition_url(row.key, public=photo.is_public)
    if url:
        return redirect(url)
    fh = storage.open_rendition(row.key, public=photo.is_public)
    response = FileResponse(fh, content_type="image/jpeg" if fmt == "jpg" else "image/webp")
    response["Cache-Control"] = "private, max-age=3600"
    return response


def public_rendition(request, path: str):
    """Serve a public rendition from local disk (S3 mode links to the bucket instead)."""
    root = storage.local_public_root()
    if root is None:
        raise Http404("Renditions are served by the photo store.")
    response = serve(request, path, document_root=root)
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@login_required
@require_POST
def photos_relicense(request):
    """Change the license of several photos, after a confirmation listing every change."""
    mine = selectors.photo_stream_of(request.user, viewer=request.user)
    form = forms.RelicenseForm(request.POST, owner_photos=mine)
    if not form.is_valid():
        messages.error(request, "Choose at least one of your photos and a license.")
        return redirect("person", request.user.username)
    chosen = [p for p in mine if p.pk in set(form.cleaned_data["photos"])]
    new = catalogue.get(form.cleaned_data["license"])
    if request.POST.get("confirm") != "yes":
        changes = [(p, catalogue.get(p.license)) for p in chosen if p.license != new.id]
        restrictive = {p.pk for p in licenses.needs_confirmation(chosen, new.id)}
        context = {"form": form, "changes": changes, "new": new, "restrictive": restrictive}
        return render(request, "photos/relicense_confirm.html", context)
    try:
        count = services.photos_relicense(
            owner=request.user, photos=chosen, license=new.id, confirm=True
        )
    except licenses.LicenseNotAllowed as exc:
        messages.error(request, str(exc))
        return redirect("person", request.user.username)
    messages.success(request, f"{count} photo{'s' if count != 1 else ''} now under {new.name}.")
    return redirect("person", request.user.username)
