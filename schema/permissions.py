"""How a field declares its permission: `extensions=requires(Permission.X)`.

The same declaration serves root fields, mutations and sensitive fields (costs, terms, bank
data), so every domain guards its graph the same way. A denied nullable field resolves to
null with a FORBIDDEN (or UNAUTHENTICATED) error at its path; the rest of the query runs.
For a permission the viewer holds only for its own records, a field of an object checks
that the object is the viewer's (its node type declares the `Owner`); at the root, OWN
passes and the lists filter to the viewer's own rows where they are loaded.
"""

from __future__ import annotations

from typing import Any

from strawberry.extensions import FieldExtension
from strawberry.permission import BasePermission, PermissionExtension
from strawberry.types import Info

from auth.access import deny_not_owned, owns, require
from auth.actor import Actor
from auth.permissions import Permission, Scope, grant
from schema.context import request_context
from schema.node import owner_of


class Requires(BasePermission):
    def __init__(self, permission: Permission) -> None:
        self.permission = permission

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        actor = request_context(info).actor
        if may_read(actor, self.permission, source):
            return True
        # Denied: the path is only built now (it costs more than the check). Without the
        # permission at all `require` raises; with it, the record is not the viewer's.
        path = info.path.as_list()
        require(actor, self.permission, path)
        raise deny_not_owned(actor, self.permission, path)


def may_read(actor: Actor, permission: Permission, source: Any) -> bool:
    """What `Requires(permission)` decides for a field of `source` (None at the root),
    without raising: the permission for every record, or for the viewer's own and
    `source` is the viewer's."""
    scope = grant(actor.role, permission)
    if scope is None:
        return False
    if scope is Scope.OWN and source is not None:
        owner, owner_id = owner_of(source)
        return owner is not None and owns(actor, permission, owner, owner_id)
    return True


def requires(permission: Permission) -> list[FieldExtension]:
    """The extensions of a field guarded by `permission`."""
    return [PermissionExtension([Requires(permission)], use_directives=False)]


def permission_of(field: Any) -> Permission | None:
    """The permission a strawberry field declares, if any (for tests and docs)."""
    for extension in getattr(field, "extensions", ()):
        if isinstance(extension, PermissionExtension):
            for permission in extension.permissions:
                if isinstance(permission, Requires):
                    return permission.permission
    return None
