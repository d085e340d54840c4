// Alerts on the accounts the viewer sees, newest first: all of them or only the open ones
// (not acknowledged), created at or after $since (a UTC instant or day) when given.
MATCH (al:Alert)
WHERE ($all OR al.account_id IN $visible)
  AND (NOT $open_only OR al.acknowledged_at IS NULL)
  AND ($since IS NULL OR al.created_at >= $since)
WITH al
ORDER BY al.created_at DESC, al.id
LIMIT $limit
RETURN al.id AS id, al.rule AS rule, al.severity AS severity, al.account_id AS account_id,
       al.account_name AS account_name, al.person_id AS person_id,
       al.person_name AS person_name, al.before_json AS before_json,
       al.after_json AS after_json, al.message_zh AS message_zh, al.message_en AS message_en,
       al.path AS path, al.day AS day, al.created_at AS created_at,
       al.acknowledged_by AS acknowledged_by, al.acknowledged_at AS acknowledged_at
