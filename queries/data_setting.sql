-- The district settings the importer needs.
-- One row: the small-n suppression threshold.
-- Parameters: none.
SELECT suppression_min_n FROM setting;
