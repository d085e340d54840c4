// Alerts on the accounts the viewer sees, newest first: all of them or only the open ones
// (not acknowledged), created at or after $since (a UTC instant or day) when given. One row:
// how many there are, and the first $limit of them.
MATCH (al:Alert)
WHERE ($all OR al.account_id IN $visible)
  AND (NOT $open_only OR al.acknowledged_at IS NULL)
  AND ($since IS NULL OR al.created_at >= $since)
WITH al
ORDER BY al.created_at DESC, al.id
WITH collect(al) AS found
RETURN size(found) AS count,
       [al IN found[0..$limit] | al {.id, .rule, .severity, .account_id, .account_name,
                                     .person_id, .person_name, .before_json, .after_json,
                                     .message_zh, .message_en, .path, .day, .created_at,
                                     .acknowledged_by, .acknowledged_at}] AS alerts
