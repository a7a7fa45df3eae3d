"""Users of the web chat, read from an auth file: one `user:password:role` per line.

Roles: `admin` (may upload files and re-index) or `user` (may ask, browse and
give feedback). Blank lines and lines starting with `#` are ignored; the
password may contain `:` (the role is the last field). Keep the file
readable only by the service account (`chmod 600`).

    # vanban users
    an:mật-khẩu-dài:admin
    binh:một:mật:khẩu:user

>>> users = parse_auth("# x\\nan:pw:admin\\nbinh:a:b:user\\n")
>>> users.check("binh", "a:b"), users.check("binh", "x"), users.role("an")
(True, False, 'admin')
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from pathlib import Path

from vanban.errors import VanbanError

ROLES = ("admin", "user")


@dataclass(frozen=True)
class Users:
    passwords: dict[str, str]
    roles: dict[str, str]

    def check(self, user: str, password: str) -> bool:
        """Gradio's `auth` callable: constant-time password comparison."""
        want = self.passwords.get(user)
        if want is None:
            hmac.compare_digest(password.encode(), password.encode())  # same work either way
            return False
        return hmac.compare_digest(want.encode(), password.encode())

    def role(self, user: str | None) -> str | None:
        return self.roles.get(user) if user else None


def parse_auth(text: str, where: str = "auth file") -> Users:
    """Parse auth-file text; VanbanError naming the line for anything malformed."""
    passwords: dict[str, str] = {}
    roles: dict[str, str] = {}
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        user, sep1, rest = line.partition(":")
        password, sep2, role = rest.rpartition(":")
        role = role.strip().lower()
        if not (sep1 and sep2) or not user.strip() or not password:
            raise VanbanError(f"{where}:{n}: expected `user:password:role`, got {line!r}")
        if role not in ROLES:
            raise VanbanError(f"{where}:{n}: role {role!r} is not one of {', '.join(ROLES)}")
        user = user.strip()
        if user in passwords:
            raise VanbanError(f"{where}:{n}: user {user!r} is listed twice; keep one line")
        passwords[user], roles[user] = password, role
    if not passwords:
        raise VanbanError(f"{where}: no users; add lines `user:password:role`")
    return Users(passwords, roles)


def load_auth(path: str | Path) -> Users:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise VanbanError(f"{path}: cannot read auth file ({e.strerror or e})") from e
    return parse_auth(text, str(path))


def may_upload(users: Users | None, user: str | None, allow_upload: bool) -> bool:
    """With an auth file only admins upload; without one, only when --allow-upload was given.

    >>> may_upload(None, None, False), may_upload(None, None, True)
    (False, True)
    """
    if users is None:
        return allow_upload
    return users.role(user) == "admin"
