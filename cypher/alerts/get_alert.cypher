// One alert on an account the viewer sees.
MATCH (al:Alert {id: $id})
WITH al
WHERE $all OR al.account_id IN $visible
RETURN al.id AS id, al.rule AS rule, al.severity AS severity, al.account_id AS account_id,
       al.account_name AS account_name, al.person_id AS person_id,
       al.person_name AS person_name, al.before_json AS before_json,
       al.after_json AS after_json, al.message_zh AS message_zh, al.message_en AS message_en,
       al.path AS path, al.day AS day, al.created_at AS created_at,
       al.acknowledged_by AS acknowledged_by, al.acknowledged_at AS acknowledged_at
