-- The small-n suppression threshold: a metric value whose n is below it is never shown.
-- One row: suppression_min_n from the setting row.
-- Parameters: none.
SELECT suppression_min_n FROM setting;
