// Pending deliveries due at $now, oldest first, with their webhook (sealed) and their alert.
MATCH (w:Webhook)-[:SENDS]->(d:Delivery)
WHERE d.status = 'pending' AND d.next_at <= $now
WITH w, d
ORDER BY d.next_at, d.id
LIMIT $limit
MATCH (al:Alert {id: d.alert_id})
RETURN d.id AS id, d.attempts AS attempts, w.id AS webhook_id, w.format AS format,
       w.url_sealed AS url_sealed, w.secret_sealed AS secret_sealed,
       al.id AS alert_id, al.rule AS rule, al.severity AS severity,
       al.account_id AS account_id, al.account_name AS account_name,
       al.person_id AS person_id, al.person_name AS person_name,
       al.before_json AS before_json, al.after_json AS after_json,
       al.message_zh AS message_zh, al.message_en AS message_en, al.path AS path,
       al.day AS day, al.created_at AS created_at, al.acknowledged_by AS acknowledged_by,
       al.acknowledged_at AS acknowledged_at
