"""Who may change data. Viewing never needs a sign-in; importing, editing and undo need the
editor role once sign-in is configured.

Configuration lives in .streamlit/secrets.toml (never committed):

    [atlas.editors]                      # password sign-in: user name = password hash
    maria = "pbkdf2_sha256$600000$<salt>$<hash>"   # python -m atlas hash-password --user maria

or Streamlit's own OpenID Connect sign-in (an [auth] section, see Streamlit's st.login docs)
with the e-mail addresses allowed to edit:

    [atlas]
    editor_emails = ["maria@district.org"]

With neither, the app runs on a local machine with no sign-in: everyone is an editor, and the
Data page says so.

Who is signed in is kept on the server: the session holds only a random token that the server
knows (SIGNED_IN), so setting a session-state value cannot make anyone an editor. Failed
password sign-ins are counted on the server too, per user name (FAILURES), so reloading the page
does not reset them: after MAX_FAILURES the name is locked for LOCK_SECONDS, doubling with each
further failure (up to MAX_LOCK_SECONDS). Every write checks the writer again (atlas.writes).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import secrets as token
import threading
import time
from dataclasses import dataclass
from functools import cache

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

ITERATIONS = 600_000
SESSION_TOKEN = "atlas_sign_in_token"  # the session's key into SIGNED_IN; nothing else is kept in the session
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


# ---- configuration -------------------------------------------------------------------------------


def _secrets() -> dict:
    """st.secrets as a plain dict ({} when there is no secrets file)."""
    try:
        return {key: st.secrets[key] for key in st.secrets}
    except Exception:  # no secrets.toml anywhere: Streamlit raises on first access
        return {}


def _section(name: str) -> dict:
    value = _secrets().get(name) or {}
    try:
        return {key: value[key] for key in value}
    except TypeError:
        return {}


def password_editors() -> dict[str, str]:
    """user name → password hash, from [atlas.editors]."""
    editors = _section("atlas").get("editors") or {}
    try:
        return {str(user): str(editors[user]) for user in editors}
    except TypeError:
        return {}


def oidc_configured() -> bool:
    return bool(_section("auth"))


def editor_emails() -> frozenset[str]:
    emails = _section("atlas").get("editor_emails") or ()
    return frozenset(str(e).strip().lower() for e in emails)


def current_access() -> Access:
    editors = password_editors()
    if editors:
        user = _signed_in_user(st.session_state.get(SESSION_TOKEN))
        signed_in = user in editors
        return Access(signed_in, True, user if signed_in else None, "password")
    if oidc_configured():
        logged_in = bool(getattr(st.user, "is_logged_in", False))
        email = str(st.user.get("email", "")).lower() if logged_in else ""
        return Access(logged_in and email in editor_emails(), True, email or None, "oidc")
    return Access(True, False, None, "open")


def session_access() -> Access | None:
    """current_access() of the Streamlit session running this code; None outside one."""
    if get_script_run_ctx(suppress_warning=True) is None:
        return None
    return current_access()


# ---- signed-in sessions and failed attempts, on the server ---------------------------------------

_lock = threading.Lock()
SIGNED_IN: dict[str, tuple[str, float]] = {}  # token → (user, signed in at)
FAILURES: dict[str, tuple[int, float]] = {}  # user name → (failures in a row, locked until)


def now() -> float:
    """The clock the sign-in timings use (seconds; tests replace it)."""
    return time.monotonic()


def _signed_in_user(session_token) -> str | None:
    if not isinstance(session_token, str):
        return None
    with _lock:
        user, since = SIGNED_IN.get(session_token, (None, 0.0))
    return user if user is not None and now() - since < SIGNED_IN_HOURS * 3600 else None


@dataclass(frozen=True)
class SignIn:
    ok: bool
    wait_seconds: int = 0  # > 0: the name is locked; nothing was checked


def sign_in(user: str, password: str) -> SignIn:
    """Check a password against [atlas.editors]; on success remember the editor for this session.
    A name locked after repeated failures is refused without checking the password."""
    name = user.strip()
    wait = seconds_locked(name)
    if wait:
        return SignIn(False, wait)
    encoded = password_editors().get(name)
    # Verify against a dummy hash for unknown users, so timing does not reveal user names.
    ok = verify_password(password, encoded or _dummy_hash()) and encoded is not None
    if ok:
        session_token = token.token_urlsafe(32)
        with _lock:
            FAILURES.pop(name, None)
            SIGNED_IN[session_token] = (name, now())
            _forget_old_sessions()
        st.session_state[SESSION_TOKEN] = session_token
        return SignIn(True)
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


def _forget_old_sessions() -> None:
    oldest = now() - SIGNED_IN_HOURS * 3600
    for session_token in [k for k, (_, since) in SIGNED_IN.items() if since < oldest]:
        del SIGNED_IN[session_token]


def sign_out() -> None:
    session_token = st.session_state.pop(SESSION_TOKEN, None)
    with _lock:
        SIGNED_IN.pop(session_token, None)


@cache
def _dummy_hash() -> str:
    return hash_password("not a password", salt=b"atlas-dummy-salt")
