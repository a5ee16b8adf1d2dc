"""The Data page's bulk tagging: tag every untagged partnership of one partner type with the
strategies chosen (one commit), and the list of untagged partnerships (fetched only when its
section is opened, at most atlas.app.ui.SCREEN_ROWS rows on screen, the whole list only for its CSV)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas.app import auth, ui
from atlas.app.data_page.views import db_path, flash, lazy_expander
from atlas.app.page_context import t
from atlas.database.importing import transaction as committing
from atlas.domain.query import data as q
from atlas.domain.query.common import strategies
from atlas.present import escape
from atlas.present.i18n import format_number, translate
from atlas.present.import_messages import sentence


def tagging_section(context, access: auth.Access) -> None:
    """Tag every untagged partnership of one partner type with the strategies chosen (one commit),
    and the list of untagged partnerships."""
    framework_id = context.filters.framework_id
    by_type = q.untagged_by_partner_type(framework_id, context.lang)
    total = int(by_type["n_untagged"].sum()) if len(by_type) else 0
    if total == 0:
        st.success(t("data.all_tagged"), icon=":material/task_alt:")
        return
    st.markdown(t("data.untagged_intro", count=format_number(total, context.lang)))
    options = by_type[by_type["n_untagged"] > 0]
    _untagged_by_type_table(options)
    labels = dict(zip(options["partner_type_id"], options["partner_type"], strict=True))
    counts = dict(zip(options["partner_type_id"], options["n_untagged"], strict=True))
    chosen_type = st.selectbox(t("data.tag_type"), list(labels), format_func=lambda v: labels[v], key="tag_type")
    names = _strategy_names(framework_id, context.lang)
    chosen = st.multiselect(t("data.tag_strategies"), list(names), format_func=names.get, key="tag_strategies")
    count = int(counts.get(chosen_type, 0))
    if st.button(
        t("data.tag_apply", count=format_number(count, context.lang), type=labels.get(chosen_type, "")),
        key="tag_apply",
        disabled=not chosen,
        type="primary",
        icon=":material/label:",
    ):
        _tag(chosen_type, chosen, framework_id, context.lang, access)
        st.rerun()
    _untagged_list_section(framework_id, total, context.lang)


def _untagged_by_type_table(options: pd.DataFrame) -> None:
    table = options[["partner_type", "n_untagged", "n_partnerships"]].rename(
        columns={
            "partner_type": t("data.col_partner_type"),
            "n_untagged": t("data.col_untagged"),
            "n_partnerships": t("data.col_partnerships"),
        }
    )
    st.dataframe(table, hide_index=True, key="data_untagged_by_type")


def _strategy_names(framework_id, lang: str) -> dict:
    """The framework's strategies, id → "number · short name"."""
    framework_strategies = strategies(framework_id, lang)
    return dict(
        zip(
            framework_strategies["strategy_id"],
            framework_strategies["strategy_number"].astype(str) + " · " + framework_strategies["short_name"],
            strict=True,
        )
    )


def _tag(chosen_type, chosen: list, framework_id, lang: str, access: auth.Access) -> None:
    """Check and commit the tagging; what came of it is flashed for the next run."""
    prepared = committing.prepare_tagging(db_path(), chosen_type, chosen, framework_id)
    if not prepared.ok:
        flash("error", escape.markdown("; ".join(sentence(p, lang) for p in prepared.checked.problems)))
        return
    try:
        import_id = committing.commit(db_path(), prepared, actor=access)
    except committing.Refused as refused:
        flash("error", "; ".join(sentence(p, lang) for p in refused.problems))
    except committing.NotAllowed:
        flash("error", t("common.not_allowed"))
    else:
        flash("success", t("data.tagged", count=prepared.diff.n_changed, id=import_id))


def _untagged_list_section(framework_id, total: int, lang: str) -> None:
    section = lazy_expander(t("data.untagged_list"), key="data_untagged_open")
    if section.open:
        with section:
            ui.show_table(
                lambda: untagged_table(q.untagged_partnerships(framework_id, lang), lang),
                first_rows=untagged_table(q.untagged_partnerships(framework_id, lang, ui.SCREEN_ROWS), lang),
                total_rows=total,
                key="data_untagged",
                file_name="untagged",
            )


def untagged_table(untagged: pd.DataFrame, lang: str) -> pd.DataFrame:
    return untagged.assign(strategy=translate("data.not_yet_tagged", lang)).drop(columns=["partner_type_id"])
