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
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets as token
from dataclasses import dataclass
from functools import cache

import streamlit as st

ITERATIONS = 600_000
SESSION_USER = "atlas_editor"
SESSION_FAILURES = "atlas_sign_in_failures"
MAX_FAILURES = 5


@dataclass(frozen=True)
class Access:
    can_edit: bool
    sign_in_configured: bool
    user: str | None  # the signed-in editor (None when sign-in is off or nobody signed in)
    method: str  # 'open' (no sign-in configured), 'password' or 'oidc'


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
        user = st.session_state.get(SESSION_USER)
        signed_in = user in editors
        return Access(signed_in, True, user if signed_in else None, "password")
    if oidc_configured():
        logged_in = bool(getattr(st.user, "is_logged_in", False))
        email = str(st.user.get("email", "")).lower() if logged_in else ""
        return Access(logged_in and email in editor_emails(), True, email or None, "oidc")
    return Access(True, False, None, "open")


def sign_in(user: str, password: str) -> bool:
    """Check a password against [atlas.editors]; remember the editor for this session."""
    failures = st.session_state.get(SESSION_FAILURES, 0)
    if failures >= MAX_FAILURES:
        return False
    encoded = password_editors().get(user.strip())
    # Verify against a dummy hash for unknown users, so timing does not reveal user names.
    ok = verify_password(password, encoded or _dummy_hash()) and encoded is not None
    if ok:
        st.session_state[SESSION_USER] = user.strip()
        st.session_state[SESSION_FAILURES] = 0
    else:
        st.session_state[SESSION_FAILURES] = failures + 1
    return ok


def locked_out() -> bool:
    return st.session_state.get(SESSION_FAILURES, 0) >= MAX_FAILURES


def sign_out() -> None:
    st.session_state.pop(SESSION_USER, None)


@cache
def _dummy_hash() -> str:
    return hash_password("not a password", salt=b"atlas-dummy-salt")
