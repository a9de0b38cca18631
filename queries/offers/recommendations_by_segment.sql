-- Each offer's audience broken down by one segment dimension ({{by}}, from an allow-list).
SELECT {{by}}::VARCHAR AS segment, offer_id,
       count(*) AS audience, avg(risk) AS mean_risk,
       sum(expected_reduction) AS saved, sum(expected_value) AS value
FROM filtered GROUP BY ALL ORDER BY segment, offer_id
