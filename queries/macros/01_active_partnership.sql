-- Core calculation: partnerships ACTIVE on a date.
-- Active = started on or before the date, not ended before it, and status not 'planned'.
-- A partnership whose status is 'ended' still counts on dates before its end_date
-- (so a past date shows the past correctly).

-- Whether one partnership (its status, start_date, end_date) is active on on_date: the rule itself,
-- for queries that test many dates at once (a join on it), e.g. the Outcomes page's school years.
CREATE OR REPLACE MACRO is_active_on(status, start_date, end_date, on_date) AS
    status <> 'planned' AND start_date <= on_date AND (end_date IS NULL OR end_date >= on_date);

-- One row: a partnership (all partnership columns) that is active on on_date.
-- Parameters: on_date DATE.
CREATE OR REPLACE MACRO active_partnership(on_date) AS TABLE
SELECT p.*
FROM partnership AS p
WHERE is_active_on(p.status, p.start_date, p.end_date, on_date);
