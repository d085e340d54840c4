// A webhook's delivery log, newest first, when the caller may see the webhook.
MATCH (w:Webhook {id: $webhook_id})
WITH w
WHERE $all OR w.scope_employee_id = $scope_employee_id
OPTIONAL MATCH (w)-[:SENDS]->(d:Delivery)
WITH w, d
ORDER BY d.created_at DESC, d.id DESC
LIMIT $limit
RETURN w.id AS webhook_id, collect(d {.id, .alert_id, .status, .attempts, .next_at,
                                      .last_status, .last_error, .created_at, .updated_at,
                                      .delivered_at}) AS deliveries
