-- The private values in the database (partner contacts, partnership notes), read only to check that
-- the board packet contains none of them: they are never written anywhere.
-- One row: the kind of private value ('contact_name', 'contact_email', 'contact_phone', 'notes') and the value.
-- Parameters: none.
SELECT 'contact_name' AS kind, contact_name AS value FROM partner WHERE contact_name IS NOT NULL
UNION ALL
SELECT 'contact_email', contact_email FROM partner WHERE contact_email IS NOT NULL
UNION ALL
SELECT 'contact_phone', contact_phone FROM partner WHERE contact_phone IS NOT NULL
UNION ALL
SELECT 'notes', notes FROM partnership WHERE notes IS NOT NULL AND trim(notes) <> '';
