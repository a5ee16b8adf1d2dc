"""Partners: a searchable directory, counts by type and by strategy, and one partner's schools
on a small offline map with its partnerships. Contacts are private: shown only outside
presentation mode, never downloaded."""

from atlas.views import partners

partners.render()
