-- Customers whose only contact is the invoice: active through the whole year before the as-of
-- date, with no contact in it (docs/domain.md: telecom 67 %, broadband ~80 %, energy 83 %).
SELECT vertical, count(*) AS customers,
       count(*) FILTER (WHERE last_contact_at IS NULL OR last_contact_at < $as_of_end::TIMESTAMPTZ - INTERVAL 365 DAY) AS without_contact
FROM filtered
WHERE tenure_start <= $as_of_end::TIMESTAMPTZ - INTERVAL 365 DAY AND NOT churned
GROUP BY vertical ORDER BY vertical
