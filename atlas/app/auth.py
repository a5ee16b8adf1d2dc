"""Sign-in, the session side: the configuration, the sign-in form's calls and the session's
token. The rules themselves (password hashes, grants, the lockout) are atlas.database.access, with no
Streamlit. Viewing never needs a sign-in; importing, editing and undo need the
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

Who may edit is kept on the server (atlas.database.access.GRANTS): the session holds only the random token
of its grant, so setting a session-state value cannot make anyone an editor. Every write checks
the writer's token again (atlas.database.writes, atlas.database.access.vouched).
"""

from __future__ import annotations

import streamlit as st

from atlas.database import access
from atlas.database.access import (  # noqa: F401  (the names pages and tests use with the session side)
    LOCAL,
    MAX_FAILURES,
    MAX_LOCK_SECONDS,
    Access,
    SignIn,
    hash_password,
    local,
    seconds_locked,
)

SESSION_TOKEN = (
    "atlas_sign_in_token"  # the session's grant (atlas.database.access); nothing else is kept in the session
)


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


# ---- this session ----------------------------------------------------------------------------------


def current_access() -> Access:
    """Who this session is; an editor's Access carries the session's grant, which the write path checks."""
    editors = password_editors()
    if editors:
        held = access.holder(st.session_state.get(SESSION_TOKEN))
        user = held[0] if held and held[1] == "password" else None
        if user in editors:
            return Access(True, True, user, "password", st.session_state[SESSION_TOKEN])
        return Access(False, True, None, "password")
    if oidc_configured():
        logged_in = bool(getattr(st.user, "is_logged_in", False))
        email = str(st.user.get("email", "")).lower() if logged_in else ""
        if logged_in and email in editor_emails():
            return Access(True, True, email, "oidc", _session_grant(email, "oidc"))
        return Access(False, True, email or None, "oidc")
    return Access(True, False, None, "open", _session_grant(None, "open"))


def _session_grant(user: str | None, method: str) -> str:
    """The session's grant for user, reused while it lives, or a new one."""
    held = st.session_state.get(SESSION_TOKEN)
    if access.holder(held) != (user, method):
        held = st.session_state[SESSION_TOKEN] = access.grant(user, method)
    return held


def sign_in(user: str, password: str) -> SignIn:
    """Check a password against [atlas.editors]; on success keep the editor's grant in this session."""
    outcome = access.sign_in(user, password, password_editors())
    if outcome.ok:
        st.session_state[SESSION_TOKEN] = outcome.token
    return outcome


def sign_out() -> None:
    access.revoke(st.session_state.pop(SESSION_TOKEN, None))
