"""The access-control world: one site holding something of every visibility, built once.

Every photo, album and album item that someone must not see carries unique markers (a word
in its title, its description and its tag, and its page path), so a leak is found by looking
for the markers in a response body. Everything is made through the real services.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.test import TestCase

from albums import contributions
from albums import services as album_services
from photos import services, tags
from tests.factories import jpeg_bytes, upload

# Who looks. "blocked" is a person the owner blocked (photos.models.TagBlock); "deactivated"
# was a curator of every album until the account was switched off (is_active=False).
PERSONAS = ("owner", "curator", "contributor", "stranger", "anonymous", "blocked", "deactivated")
USERNAMES = {
    "owner": "alice",
    "curator": "bob",
    "contributor": "dave",
    "stranger": "carol",
    "blocked": "mallory",
    "deactivated": "zed",
}
SHARED_WORD = "harbour"  # in the title of every photo of the owner, for searches
SHARED_TAG = "sharedmk"  # on every photo of the owner


@dataclass
class Thing:
    """Something that may be seen or not: a photo, an album or an album item."""

    name: str
    kind: str  # "photo", "album", "item" (in an album) or "suggestion" (of a tag)
    obj: object = None
    markers: dict[str, str] = field(default_factory=dict)
    item: object = None  # the album item, for items

    @property
    def pk(self) -> int:
        return self.obj.pk

    def all_markers(self) -> list[str]:
        return list(self.markers.values())


@dataclass
class World:
    users: dict[str, object]
    things: dict[str, Thing]

    def photo(self, name: str):
        return self.things[name].obj


# Photos of the owner: (visibility, size, license). Non-public photos use licenses and
# shapes no public photo has, so a facet count that includes them shows.
OWNER_PHOTOS = {
    "pub": ("public", (640, 480), "CC-BY-4.0"),
    "unl": ("unlisted", (480, 640), "CC-BY-NC-4.0"),
    "priv": ("private", (500, 500), "CC-BY-NC-ND-4.0"),
    "gone": ("public", (481, 641), "CC-BY-NC-SA-4.0"),  # made private once in an album
}
ALBUMS = {"apub": "public", "aunl": "unlisted", "apriv": "private"}


def _person(username: str):
    user = services.user_signup(
        username=username, email=f"{username}@example.org", password="correct horse battery"
    )
    user.profile.display_name = username.title()
    user.profile.save()
    return user


def _photo(owner, name: str, colour: int, *, visibility: str, size, license: str, extra=""):
    words = f"ttl{name}x"
    photo = upload(
        owner,
        jpeg_bytes(size, color=(colour, 255 - colour, (colour * 7) % 256)),
        name=f"{name}.jpg",
        title=f"{SHARED_WORD.title() if extra else 'Photo'} {words}",
        description=f"About dsc{name}x.",
        tags=f"tag{name}x {extra}".strip(),
        license=license,
        visibility=visibility,
    )
    return Thing(
        name,
        "photo",
        photo,
        {
            "title": words,
            "desc": f"dsc{name}x",
            "tag": f"tag{name}x",
            "url": f"/photos/{photo.pk}/",
        },
    )


def _album(owner, name: str, visibility: str) -> Thing:
    album = album_services.album_create(
        owner=owner,
        title=f"Album ttl{name}x",
        description=f"About dsc{name}x.",
        visibility=visibility,
        join_policy="invite",
        moderated=True,
    )
    markers = {"title": f"ttl{name}x", "desc": f"dsc{name}x", "url": f"/albums/{album.pk}/"}
    return Thing(name, "album", album, markers)


def build() -> World:
    """Make the personas, the owner's photos in every visibility, the albums and their items."""
    users = {persona: _person(username) for persona, username in USERNAMES.items()}
    owner = users["owner"]
    things: dict[str, Thing] = {}
    for n, (name, (visibility, size, license)) in enumerate(OWNER_PHOTOS.items()):
        things[name] = _photo(
            owner,
            name,
            40 + 50 * n,
            visibility=visibility,
            size=size,
            license=license,
            extra=SHARED_TAG,
        )
    for name in ALBUMS:
        things[name] = _album(owner, name, ALBUMS[name])
    for name in ALBUMS:
        album = things[name].obj
        for persona, role in (
            ("curator", "curator"),
            ("contributor", "contributor"),
            ("deactivated", "curator"),
        ):
            album_services.album_invite(album=album, actor=owner, user=users[persona], role=role)
            album_services.album_join(album=album, user=users[persona])
        contributions.album_add_photo(album=album, actor=owner, photo=things["pub"].obj)
    apub = things["apub"].obj
    for name in ("unl", "gone"):
        contributions.album_add_photo(album=apub, actor=owner, photo=things[name].obj)
    album_services.album_update(album=apub, actor=owner, cover=things["gone"].obj)
    # The contributor's public photos: one waits for a curator, one was rejected.
    for n, name in enumerate(("pend", "rej")):
        thing = _photo(
            users["contributor"],
            name,
            210 + 20 * n,
            visibility="public",
            size=(640, 480),
            license="CC-BY-4.0",
        )
        item = contributions.album_add_photo(
            album=apub, actor=users["contributor"], photo=thing.obj
        )
        assert item.status == "pending"
        thing.kind, thing.item = "item", item
        things[name] = thing
    contributions.album_moderate(
        item=apub.items.get(photo=things["rej"].obj),
        actor=users["curator"],
        decision="reject",
        reason="Out of focus.",
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.photo_update(photo=things["gone"].obj, actor=owner, visibility="private")
    # Tags others suggested for the public photo: one waits for the owner, one was dropped
    # when the owner blocked the person who suggested it.
    for name, persona in (("sug", "stranger"), ("blk", "blocked")):
        result = tags.photo_tag(photo=things["pub"].obj, user=users[persona], names=[f"tag{name}x"])
        assert result.suggested, result
        markers = {"title": f"tag{name}x", "tag": f"tag{name}x"}
        things[name] = Thing(name, "suggestion", things["pub"].obj, markers)
    tags.tag_block(owner=owner, user=users["blocked"])
    for thing in things.values():
        thing.obj.refresh_from_db()
        if thing.item is not None:
            thing.item.refresh_from_db()
    return World(users=users, things=things)


def deactivate(world: World) -> None:
    """Switch off the deactivated persona's account (after its session and token were made)."""
    from rest_framework.authtoken.models import Token

    user = world.users["deactivated"]
    Token.objects.get_or_create(user=user)
    user.is_active = False
    user.save(update_fields=["is_active"])
