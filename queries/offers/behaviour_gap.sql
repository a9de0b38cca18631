-- The measured gap an offer's expected reduction rests on: churn within the horizon of the customers
-- with the behaviour it changes ({{@exposed}}) and of those with the behaviour it changes it to
-- ({{@changed_to}}), on the landmark view ({{facts}}: exposure before the landmark, churn after it).
SELECT count(*) FILTER (WHERE {{@exposed}}) AS exposed_n,
       count(*) FILTER (WHERE {{@exposed}} AND churned) AS exposed_churned,
       count(*) FILTER (WHERE {{@changed_to}}) AS changed_n,
       count(*) FILTER (WHERE {{@changed_to}} AND churned) AS changed_churned
FROM {{facts}}
