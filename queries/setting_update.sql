-- Change one district setting (atlas/database/settings.py; the write path logs it and keeps it undoable).
-- Parameters: $name (a column of the setting table other than setting_id), $value (its new value as text;
-- the table's CHECK constraints refuse a value out of range). A name that is no column changes nothing.
UPDATE setting SET
    need_weight_frl = CASE WHEN $name = 'need_weight_frl' THEN CAST($value AS DOUBLE) ELSE need_weight_frl END,
    need_weight_chronic_absence = CASE WHEN $name = 'need_weight_chronic_absence' THEN CAST($value AS DOUBLE)
                                       ELSE need_weight_chronic_absence END,
    need_weight_non_proficiency = CASE WHEN $name = 'need_weight_non_proficiency' THEN CAST($value AS DOUBLE)
                                       ELSE need_weight_non_proficiency END,
    need_weight_el = CASE WHEN $name = 'need_weight_el' THEN CAST($value AS DOUBLE) ELSE need_weight_el END,
    high_need_top_share = CASE WHEN $name = 'high_need_top_share' THEN CAST($value AS DOUBLE)
                               ELSE high_need_top_share END,
    is_title_i_schoolwide_high_need = CASE WHEN $name = 'is_title_i_schoolwide_high_need'
                                           THEN CAST($value AS BOOLEAN) ELSE is_title_i_schoolwide_high_need END,
    suppression_min_n = CASE WHEN $name = 'suppression_min_n' THEN CAST($value AS INTEGER) ELSE suppression_min_n END,
    travel_radius_miles = CASE WHEN $name = 'travel_radius_miles' THEN CAST($value AS DOUBLE)
                               ELSE travel_radius_miles END,
    need_metric_chronic_absence = CASE WHEN $name = 'need_metric_chronic_absence' THEN trim($value)
                                       ELSE need_metric_chronic_absence END,
    need_metrics_proficiency = CASE WHEN $name = 'need_metrics_proficiency'
                                    THEN trim(regexp_replace($value, '\s*,\s*', ',', 'g'))
                                    ELSE need_metrics_proficiency END
WHERE setting_id = 1;
