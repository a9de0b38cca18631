-- How many customers a drill-down list holds (drilled = drill_down.sql over the filtered base).
SELECT count(*) AS total FROM drilled
