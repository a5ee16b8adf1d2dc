-- One partner's facts, for the partner detail on the Partners page.
-- One row (none when $partner_id is unknown): the partner with its type label in $lang, address,
-- coordinates, capacity, languages and contact (PRIVATE: contact_name, contact_email, contact_phone).
-- Parameters: $partner_id, $lang.
SELECT pa.partner_id, pa.name, pa.partner_type_id,
       coalesce(CASE WHEN $lang = 'es' THEN ty.label_es END, ty.label_en) AS partner_type,
       pa.address, pa.latitude, pa.longitude, pa.capacity_schools, pa.languages,
       pa.contact_name, pa.contact_email, pa.contact_phone
FROM partner AS pa JOIN partner_type AS ty USING (partner_type_id)
WHERE pa.partner_id = $partner_id;
