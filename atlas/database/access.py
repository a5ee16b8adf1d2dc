"""Access rules: who may change data, with no Streamlit. The session side (the sign-in form, the
session's token, reading the configuration) is atlas.app.auth; the write path (atlas.database.writes) asks
vouched() here, so it never reads a session.

Who may edit is kept on the server: an editor's Access carries a random token that this module
issued (GRANTS), and a write is allowed only for the token's holder, so neither a session-state
value nor an Access made up in code can make anyone an editor. Failed password sign-ins are counted
here too, per user name (FAILURES), so reloading the page does not reset them: after MAX_FAILURES
the name is locked for LOCK_SECONDS, doubling with each further failure (up to MAX_LOCK_SECONDS).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import secrets as token
import threading
import time
from dataclasses import dataclass, field
from functools import cache

ITERATIONS = 600_000
MAX_FAILURES = 5
LOCK_SECONDS = 30
MAX_LOCK_SECONDS = 3600
SIGNED_IN_HOURS = 12
MAX_NAMES_COUNTED = 10_000  # failures are counted for this many user names at most (oldest forgotten)


@dataclass(frozen=True)
class Access:
    can_edit: bool
    sign_in_configured: bool
    user: str | None  # the signed-in editor (None when sign-in is off or nobody signed in)
    method: str  # 'open' (no sign-in configured), 'password', 'oidc' or 'local' (command line, scripts)
    token: str | None = field(default=None, repr=False, compare=False)  # the grant (GRANTS) behind can_edit


def local(user: str | None = None) -> Access:
    """Whoever runs the command line or a script on the server: they can change the file anyway."""
    return Access(True, False, user, "local")


LOCAL = local()


def hash_password(password: str, *, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    salt = salt or token.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return f"pbkdf2_sha256${iterations}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, encoded: str) -> bool:
    try:
        scheme, iterations, salt, expected = encoded.split("$")
        if scheme != "pbkdf2_sha256":
            return False
        digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), _unb64(salt), int(iterations))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(_b64(digest), expected)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@cache
def _dummy_hash() -> str:
    return hash_password("not a password", salt=b"atlas-dummy-salt")


# ---- grants and failed attempts, on the server -------------------------------------------------------

_lock = threading.Lock()
GRANTS: dict[str, tuple[str | None, str, float]] = {}  # token → (user, method, granted at)
FAILURES: dict[str, tuple[int, float]] = {}  # user name → (failures in a row, locked until)


def now() -> float:
    """The clock the sign-in timings use (seconds; tests replace it)."""
    return time.monotonic()


def grant(user: str | None, method: str) -> str:
    """Record on the server that user may edit (signed in by method); returns the token for the session."""
    granted = token.token_urlsafe(32)
    with _lock:
        GRANTS[granted] = (user, method, now())
        _forget_old_grants()
    return granted


def holder(granted) -> tuple[str | None, str] | None:
    """(user, method) of a live grant; None for an unknown, revoked or expired token."""
    if not isinstance(granted, str):
        return None
    with _lock:
        user, method, since = GRANTS.get(granted, (None, "", 0.0))
    return (user, method) if method and now() - since < SIGNED_IN_HOURS * 3600 else None


def revoke(granted) -> None:
    with _lock:
        GRANTS.pop(granted, None)


def vouched(actor: Access) -> Access:
    """actor as the server vouches for it. The local operator (command line, scripts) is taken as
    given; any other claim to edit holds only with a live grant of the same user and method, and
    otherwise becomes a viewer's Access, whom the write path refuses."""
    if not actor.can_edit or actor.method == "local" or holder(actor.token) == (actor.user, actor.method):
        return actor
    return Access(False, actor.sign_in_configured, None, actor.method)


def _forget_old_grants() -> None:
    oldest = now() - SIGNED_IN_HOURS * 3600
    for granted in [k for k, (_, _, since) in GRANTS.items() if since < oldest]:
        del GRANTS[granted]


@dataclass(frozen=True)
class SignIn:
    ok: bool
    wait_seconds: int = 0  # > 0: the name is locked; nothing was checked
    token: str | None = field(default=None, repr=False)  # the grant, on success


def sign_in(user: str, password: str, editors: dict[str, str]) -> SignIn:
    """Check a password against editors (user name → hash); on success grant the editor a token.
    A name locked after repeated failures is refused without checking the password."""
    name = user.strip()
    wait = seconds_locked(name)
    if wait:
        return SignIn(False, wait)
    encoded = editors.get(name)
    # Verify against a dummy hash for unknown users, so timing does not reveal user names.
    ok = verify_password(password, encoded or _dummy_hash()) and encoded is not None
    if ok:
        with _lock:
            FAILURES.pop(name, None)
        return SignIn(True, token=grant(name, "password"))
    _count_failure(name)
    return SignIn(False, seconds_locked(name))


def seconds_locked(user: str) -> int:
    """How long sign-in stays refused for this user name (0: not locked)."""
    with _lock:
        _, until = FAILURES.get(user.strip(), (0, 0.0))
    left = until - now()
    return math.ceil(left) if left > 0 else 0


def _count_failure(name: str) -> None:
    with _lock:
        count, _ = FAILURES.pop(name, (0, 0.0))
        count += 1
        until = 0.0
        if count >= MAX_FAILURES:
            until = now() + min(LOCK_SECONDS * 2 ** (count - MAX_FAILURES), MAX_LOCK_SECONDS)
        FAILURES[name] = (count, until)  # re-inserted: the dict stays oldest first
        while len(FAILURES) > MAX_NAMES_COUNTED:
            del FAILURES[next(iter(FAILURES))]
