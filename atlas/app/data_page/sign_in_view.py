"""The Data page's sign-in panel: who may edit, and signing in (password or the identity
provider) and out."""

from __future__ import annotations

import streamlit as st

from atlas.app import auth
from atlas.app.page_context import current_language, t
from atlas.present import escape
from atlas.present.i18n import format_number


def access_panel() -> auth.Access:
    access = auth.current_access()
    if access.method == "open":
        st.info(t("data.open_access"), icon=":material/lock_open:")
        return access
    if access.can_edit:
        cols = st.columns([4, 1])
        cols[0].success(t("data.signed_in_as", user=access.user), icon=":material/verified_user:")
        if access.method == "password" and cols[1].button(t("data.sign_out"), key="data_sign_out"):
            auth.sign_out()
            st.rerun()
        return access
    if access.method == "oidc":
        if access.user:
            st.warning(t("data.not_an_editor", user=escape.markdown(access.user)), icon=":material/lock:")
        else:
            st.info(t("data.sign_in_needed"), icon=":material/lock:")
            if st.button(t("data.sign_in_oidc"), key="data_sign_in_oidc"):
                st.login()
        return access
    st.info(t("data.sign_in_needed"), icon=":material/lock:")
    with st.form("data_sign_in"):
        user = st.text_input(t("data.user"), key="data_sign_in_user")
        password = st.text_input(t("data.password"), type="password", key="data_sign_in_password")
        if st.form_submit_button(t("data.sign_in")):
            outcome = auth.sign_in(user, password)
            if outcome.ok:
                st.rerun()
            elif outcome.wait_seconds:
                st.error(t("data.locked_out", seconds=format_number(outcome.wait_seconds, current_language())))
            else:
                st.error(t("data.sign_in_failed"))
    return access
