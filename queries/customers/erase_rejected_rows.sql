-- Rejected rows that carry a customer's id: JSON rows (NDJSON, JSON, Arrow) by their customer_id
-- field; any row, valid JSON or not (a truncated line, a row_too_large prefix), whose raw text
-- holds the id as a JSON string ($quoted_id: the id JSON-encoded, quotes included, so "C1" never
-- matches "C10"); CSV rows (raw text without the header) by a cell equal to the id, quoted or not.
-- Erring on the side of erasing: a rejected row that merely mentions the id that way goes too.
DELETE FROM rejected_rows
WHERE raw IS NOT NULL AND (
  (json_valid(raw) AND json_extract_string(raw, '$.customer_id') = $customer_id)
  OR contains(raw, $quoted_id)
  OR list_contains(list_transform(string_split(raw, ','), x -> trim(x, ' "')), $customer_id)
)
