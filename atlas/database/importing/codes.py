"""The fixed code lists of the import (the others come from the database: partner types, metrics,
districts), the common ways districts write their codes, and the words read as yes and no."""

from __future__ import annotations

# Fixed code lists (the others come from the database: partner types, metrics, districts).
LEVELS = ("elementary", "middle", "high", "other")
TITLE_I = ("schoolwide", "targeted", "none")
STATUSES = ("active", "planned", "ended")
FUNDING = ("title_i", "other_federal", "general_fund", "grant", "partner_funded", "in_kind")

# Common ways districts write these codes (compared normalised: lower case, no accents,
# punctuation as spaces).
CODE_SYNONYMS: dict[str, dict[str, str]] = {
    "level": {
        "elementary school": "elementary",
        "elem": "elementary",
        "es": "elementary",
        "primary": "elementary",
        "primaria": "elementary",
        "escuela primaria": "elementary",
        "k 5": "elementary",
        "middle school": "middle",
        "ms": "middle",
        "junior high": "middle",
        "intermediate": "middle",
        "junior high intermediate middle": "middle",
        "secundaria": "middle",
        "high school": "high",
        "hs": "high",
        "preparatoria": "high",
        "senior high": "high",
        "k 8": "other",
        "k 12": "other",
        "alternative": "other",
        "otro": "other",
        # NCES Common Core of Data (school directory) LEVEL values
        "secondary": "high",
        "prekindergarten": "other",
        "adult education": "other",
        "ungraded": "other",
        "not applicable": "other",
        "not reported": "other",
    },
    "title_i": {
        "sw": "schoolwide",
        "schoolwide program": "schoolwide",
        "title i schoolwide": "schoolwide",
        "yes schoolwide": "schoolwide",
        "swp": "schoolwide",
        "ta": "targeted",
        "targeted assistance": "targeted",
        "title i targeted": "targeted",
        "tas": "targeted",
        "no": "none",
        "not title i": "none",
        "n": "none",
        "not eligible": "none",
        "ninguno": "none",
        # NCES Common Core of Data TITLEI_STATUS codes and their published texts
        "sweligswprog": "schoolwide",
        "title i schoolwide school": "schoolwide",
        "tgelgbtgprog": "targeted",
        "sweligtgprog": "targeted",
        "title i targeted assistance school": "targeted",
        "title i schoolwide eligible title i targeted assistance program": "targeted",
        "swelignoprog": "none",
        "tgelgbnoprog": "none",
        "nottitle1elig": "none",
        "not a title i school": "none",
        "title i schoolwide eligible school no program": "none",
        "title i targeted assistance eligible school no program": "none",
    },
    "status": {
        "current": "active",
        "ongoing": "active",
        "yes": "active",
        "activa": "active",
        "activo": "active",
        "proposed": "planned",
        "pending": "planned",
        "prospective": "planned",
        "planificada": "planned",
        "planeada": "planned",
        "closed": "ended",
        "inactive": "ended",
        "expired": "ended",
        "finished": "ended",
        "terminada": "ended",
        "finalizada": "ended",
    },
    "funding": {
        "title i": "title_i",
        "title 1": "title_i",
        "other federal": "other_federal",
        "federal": "other_federal",
        "general fund": "general_fund",
        "general": "general_fund",
        "district": "general_fund",
        "grant funded": "grant",
        "subvencion": "grant",
        "partner funded": "partner_funded",
        "partner": "partner_funded",
        "in kind": "in_kind",
        "donated": "in_kind",
        "en especie": "in_kind",
    },
}

TRUE_WORDS = frozenset({"true", "t", "yes", "y", "1", "x", "si", "signed", "verdadero", "firmado"})
FALSE_WORDS = frozenset({"false", "f", "no", "n", "0", "not signed", "unsigned", "falso"})
