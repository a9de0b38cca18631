-- The intraday shape of demand: inbound contacts per channel, ISO weekday (1 = Monday) and slot of
-- the local day ($interval_minutes wide) in [$from, $to). The forecast spreads each day's volume
-- over the slots with these shares.
SELECT channel,
       isodow(timezone($tz, occurred_at))::INTEGER AS weekday,
       ((hour(timezone($tz, occurred_at)) * 60 + minute(timezone($tz, occurred_at))) // $interval_minutes::INTEGER)::INTEGER AS slot,
       count(*)::INTEGER AS contacts
FROM events
WHERE type = 'contact'
  AND coalesce(direction, 'inbound') = 'inbound'
  AND occurred_at >= timezone($tz, $from::TIMESTAMP)
  AND occurred_at < timezone($tz, $to::TIMESTAMP)
GROUP BY 1, 2, 3
