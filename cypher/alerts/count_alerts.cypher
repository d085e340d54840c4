// How many alerts list_alerts would find without its limit.
MATCH (al:Alert)
WHERE ($all OR al.account_id IN $visible)
  AND (NOT $open_only OR al.acknowledged_at IS NULL)
  AND ($since IS NULL OR al.created_at >= $since)
RETURN count(al) AS count
