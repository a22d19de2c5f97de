"""Every role against every action: the table in albums/policies.py, read back cell by cell."""

import pytest

from albums import policies as p

# The expected table, written out by hand so that a change to the rules shows up here.
EXPECTED = {
    p.OWNER: {
        p.READ_LOG, p.ADD_OWN, p.ADD_OTHERS, p.SKIP_QUEUE, p.MODERATE, p.REMOVE_ITEM,
        p.REORDER, p.EDIT, p.MANAGE_MEMBERS, p.CONFIGURE, p.DELETE, p.TRANSFER,
    },
    p.CURATOR: {
        p.READ_LOG, p.ADD_OWN, p.ADD_OTHERS, p.SKIP_QUEUE, p.MODERATE, p.REMOVE_ITEM,
        p.REORDER, p.EDIT, p.MANAGE_MEMBERS, p.LEAVE,
    },
    p.CONTRIBUTOR: {p.READ_LOG, p.ADD_OWN, p.LEAVE},
    p.VIEWER: {p.READ_LOG, p.LEAVE},
    None: set(),
}  # fmt: skip


@pytest.mark.parametrize("role", [*p.ROLES, None])
@pytest.mark.parametrize("action", p.ACTIONS)
def test_each_role_may_do_exactly_the_actions_in_the_table(role, action):
    assert p.allows(role, action) is (action in EXPECTED[role])


@pytest.mark.parametrize("action", p.ACTIONS)
def test_every_refusal_is_a_sentence(action):
    assert p.refusal(action).endswith(".")


def test_an_unknown_action_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown album action"):
        p.allows(p.OWNER, "fly")


@pytest.mark.parametrize(
    ("actor", "current", "new", "allowed"),
    [
        (p.OWNER, p.CONTRIBUTOR, p.CURATOR, True),
        (p.OWNER, p.CURATOR, p.VIEWER, True),
        (p.OWNER, p.CURATOR, p.OWNER, True),  # handing ownership over
        (p.OWNER, p.OWNER, p.CURATOR, False),
        (p.CURATOR, p.CONTRIBUTOR, p.VIEWER, True),
        (p.CURATOR, p.VIEWER, p.CONTRIBUTOR, True),
        (p.CURATOR, p.CONTRIBUTOR, p.CURATOR, False),  # not up to their own role
        (p.CURATOR, p.CURATOR, p.VIEWER, False),  # not a peer
        (p.CURATOR, p.CONTRIBUTOR, p.OWNER, False),
        (p.CONTRIBUTOR, p.VIEWER, p.VIEWER, False),
        (p.VIEWER, p.VIEWER, p.VIEWER, False),
        (None, p.VIEWER, p.VIEWER, False),
        (p.OWNER, p.CONTRIBUTOR, "emperor", False),
    ],
)
def test_roles_are_only_assigned_below_the_actors_own(actor, current, new, allowed):
    assert p.can_assign(actor, current, new) is allowed


def test_ranks_order_the_roles():
    assert p.outranks(p.OWNER, p.CURATOR)
    assert p.outranks(p.CURATOR, p.CONTRIBUTOR)
    assert p.outranks(p.CONTRIBUTOR, p.VIEWER)
    assert p.outranks(p.VIEWER, None)
    assert not p.outranks(p.CURATOR, p.CURATOR)
