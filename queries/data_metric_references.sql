-- What still refers to each measure (a measure with values cannot be removed), and the range of its
-- stored values (a new minimum or maximum must still hold them).
-- One row: a measure id with its metric rows and their lowest and highest value (NULL when none).
-- Parameters: none.
SELECT d.metric_id AS id, count(m.value) AS n_metrics, min(m.value) AS lowest, max(m.value) AS highest
FROM metric_definition AS d
LEFT JOIN metric AS m USING (metric_id)
GROUP BY d.metric_id
ORDER BY d.metric_id;
