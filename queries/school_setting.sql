-- The district settings the school profile uses.
-- One row: the small-n suppression threshold, the travel radius for nearby partners, the high-need top share.
-- Parameters: none.
SELECT suppression_min_n, travel_radius_miles, high_need_top_share
FROM setting;
