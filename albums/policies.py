"""What each album role may do: pure functions of roles, no database.

A stranger (or an anonymous visitor) has no role: ``None``. Members with a pending request or
an open invitation have no role either until they are in.
"""

from __future__ import annotations

OWNER, CURATOR, CONTRIBUTOR, VIEWER = "owner", "curator", "contributor", "viewer"
ROLES = (OWNER, CURATOR, CONTRIBUTOR, VIEWER)
RANK = {VIEWER: 1, CONTRIBUTOR: 2, CURATOR: 3, OWNER: 4}

READ_LOG = "read_log"  # read the activity log and the member list
ADD_OWN = "add_own"  # add one's own photos
ADD_OTHERS = "add_others"  # add other people's public, redistributable photos
SKIP_QUEUE = "skip_queue"  # contributions appear at once in a moderated album
MODERATE = "moderate"  # approve or reject pending photos, decide on flagged ones
REMOVE_ITEM = "remove_item"  # take anyone's photo out of the album
REORDER = "reorder"
EDIT = "edit"  # title, description, cover
MANAGE_MEMBERS = "manage_members"  # approve requests, invite, change roles below one's own
CONFIGURE = "configure"  # visibility, joining, moderation, license policy
DELETE = "delete"
TRANSFER = "transfer"  # hand ownership over
LEAVE = "leave"

ACTIONS = (
    READ_LOG, ADD_OWN, ADD_OTHERS, SKIP_QUEUE, MODERATE, REMOVE_ITEM, REORDER, EDIT,
    MANAGE_MEMBERS, CONFIGURE, DELETE, TRANSFER, LEAVE,
)  # fmt: skip

_VIEWER = frozenset({READ_LOG, LEAVE})
_CONTRIBUTOR = _VIEWER | {ADD_OWN}
_CURATOR = _CONTRIBUTOR | {
    ADD_OTHERS, SKIP_QUEUE, MODERATE, REMOVE_ITEM, REORDER, EDIT, MANAGE_MEMBERS,
}  # fmt: skip
_OWNER = (_CURATOR | {CONFIGURE, DELETE, TRANSFER}) - {LEAVE}

PERMISSIONS: dict[str | None, frozenset[str]] = {
    OWNER: frozenset(_OWNER),
    CURATOR: frozenset(_CURATOR),
    CONTRIBUTOR: frozenset(_CONTRIBUTOR),
    VIEWER: _VIEWER,
    None: frozenset(),
}

_REFUSALS = {
    READ_LOG: "Only members can read this album's activity.",
    ADD_OWN: "Only contributors, curators and the owner can add photos to this album.",
    ADD_OTHERS: "Only curators can add other people's photos to this album.",
    SKIP_QUEUE: "Contributions wait for a curator in this album.",
    MODERATE: "Only curators can approve or reject photos in this album.",
    REMOVE_ITEM: "Only curators, or the photo's owner, can take a photo out of this album.",
    REORDER: "Only curators can change the order of this album.",
    EDIT: "Only curators can edit this album's title, description and cover.",
    MANAGE_MEMBERS: "Only curators can manage this album's members.",
    CONFIGURE: "Only the album's owner can change its visibility, joining, moderation or "
    "license policy.",
    DELETE: "Only the album's owner can delete it.",
    TRANSFER: "Only the album's owner can hand ownership over.",
    LEAVE: "The owner cannot leave their album; hand ownership over to a member first.",
}


def allows(role: str | None, action: str) -> bool:
    """Say whether a role may perform an action."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown album action {action!r}.")
    return action in PERMISSIONS.get(role, frozenset())


def refusal(action: str) -> str:
    """Return the sentence that explains why an action was refused."""
    return _REFUSALS[action]


def outranks(actor_role: str | None, other_role: str | None) -> bool:
    """Say whether one role stands strictly above another."""
    return RANK.get(actor_role, 0) > RANK.get(other_role, 0)


def can_assign(actor_role: str | None, current: str | None, new: str) -> bool:
    """Say whether an actor may give a member (of role `current`) the role `new`.

    Curators and owners change roles strictly below their own, for members strictly below
    them; handing over the owner role is the owner's alone (see TRANSFER).
    """
    if new not in ROLES or not allows(actor_role, MANAGE_MEMBERS):
        return False
    if new == OWNER:
        return allows(actor_role, TRANSFER) and current != OWNER
    return outranks(actor_role, new) and outranks(actor_role, current)
