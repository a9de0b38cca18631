-- Rejected rows that carry a customer's id: JSON rows (NDJSON, JSON, Arrow) by their customer_id
-- field, CSV rows (raw text without the header) by a cell equal to the id, quoted or not. Erring on
-- the side of erasing: a rejected row that merely mentions the id as a whole cell goes too.
DELETE FROM rejected_rows
WHERE raw IS NOT NULL AND (
  (json_valid(raw) AND json_extract_string(raw, '$.customer_id') = $customer_id)
  OR list_contains(list_transform(string_split(raw, ','), x -> trim(x, ' "')), $customer_id)
)
