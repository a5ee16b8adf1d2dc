"""The Plan page's matches and bundles. They are worked out apart, each only for a view that shows
it, and kept until the settings or the database file change."""

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from atlas.domain import planning
from atlas.domain.filters import Filters
from atlas.present import plan_report


@st.cache_data(max_entries=16, show_spinner=False)
def recommended_matches(identity, filters, lang: str, settings: planning.PlanSettings):
    """plan_report.recommend_matches: (matches, n_candidates)."""
    return plan_report.recommend_matches(filters, lang, settings)


@st.cache_data(max_entries=16, show_spinner=False)
def recommended_bundles(identity, filters, lang: str, settings: planning.PlanSettings):
    """plan_report.recommend_bundles: (bundles, bundle_members)."""
    return plan_report.recommend_bundles(filters, lang, settings)


@dataclass(frozen=True)
class Recommendations:
    """The inputs of one plan; its matches and bundles are worked out when first asked for."""

    identity: object  # the database file's identity (db.file_identity): a new file, new results
    filters: Filters
    lang: str
    settings: planning.PlanSettings

    def matches(self) -> tuple[pd.DataFrame, int]:
        """(matches, n_candidates)."""
        return recommended_matches(self.identity, self.filters, self.lang, self.settings)

    def bundles(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(bundles, bundle_members)."""
        return recommended_bundles(self.identity, self.filters, self.lang, self.settings)
