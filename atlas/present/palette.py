"""The one colour palette of the app: Okabe–Ito, safe for the common forms of colour blindness.

Meaning is never carried by colour alone: charts also use text, symbols or patterns.
"""

BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
GREY = "#767676"  # 4.5:1 on white: the lightest grey allowed for text
LIGHT_GREY = "#D9D9D9"

# Categorical series, in order of distinctness.
CATEGORICAL = [BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY_BLUE, YELLOW, BLACK]

# Coverage states used by every chart and map.
COVERED = BLUE
PLANNED = SKY_BLUE
UNCOVERED = VERMILLION
NO_DATA = LIGHT_GREY

# Groups compared in equity charts.
HIGH_NEED = VERMILLION
OTHER_SCHOOLS = BLUE

# Continuous scale for need (low → high), from the same palette.
NEED_SCALE = [[0.0, "#F7F7F7"], [0.5, ORANGE], [1.0, VERMILLION]]
# Continuous scale for coverage (none → full).
COVERAGE_SCALE = [[0.0, "#F7F7F7"], [0.5, SKY_BLUE], [1.0, BLUE]]
