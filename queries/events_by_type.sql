-- Stored events per type.
SELECT type, count(*) AS events FROM events GROUP BY type ORDER BY events DESC, type
