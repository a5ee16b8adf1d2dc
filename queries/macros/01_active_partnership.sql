-- Core calculation: partnerships ACTIVE on a date.
-- One row: a partnership (all partnership columns) that is active on on_date.
-- Parameters: on_date DATE.
-- Active = started on or before the date, not ended before it, and status not 'planned'.
-- A partnership whose status is 'ended' still counts on dates before its end_date
-- (so a past date shows the past correctly).
CREATE OR REPLACE MACRO active_partnership(on_date) AS TABLE
SELECT p.*
FROM partnership AS p
WHERE p.status <> 'planned'
  AND p.start_date <= on_date
  AND (p.end_date IS NULL OR p.end_date >= on_date);
