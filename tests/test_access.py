"""The access rules with no Streamlit: the write path trusts an editor's Access only while the
server's grant behind its token lives; a made-up Access is a viewer's, whatever it claims."""

from __future__ import annotations

import pytest

from atlas.database import access


@pytest.fixture(autouse=True)
def grants(monkeypatch):
    monkeypatch.setattr(access, "GRANTS", {})


@pytest.mark.parametrize("method", ["open", "password", "oidc"])
def test_a_made_up_editor_is_a_viewer(method):
    forged = access.Access(True, method != "open", "maria", method, token="made-up")
    assert access.vouched(forged) == access.Access(False, method != "open", None, method)


def test_a_granted_editor_holds_until_the_grant_is_revoked():
    token = access.grant("maria", "password")
    editor = access.Access(True, True, "maria", "password", token)
    assert access.vouched(editor) is editor
    assert not access.vouched(access.Access(True, True, "ana", "password", token)).can_edit  # not her grant
    assert not access.vouched(access.Access(True, True, "maria", "oidc", token)).can_edit
    access.revoke(token)
    assert not access.vouched(editor).can_edit


def test_a_grant_ends_after_its_hours(monkeypatch):
    clock = [0.0]
    monkeypatch.setattr(access, "now", lambda: clock[0])
    token = access.grant(None, "open")
    assert access.holder(token) == (None, "open")
    clock[0] += access.SIGNED_IN_HOURS * 3600
    assert access.holder(token) is None


def test_the_local_operator_and_viewers_are_taken_as_given():
    assert access.vouched(access.LOCAL) is access.LOCAL
    viewer = access.Access(False, True, None, "password")
    assert access.vouched(viewer) is viewer


def test_the_access_rules_do_not_import_streamlit():
    import subprocess
    import sys

    code = "import sys, atlas.database.access, atlas.present.i18n; print('streamlit' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"
