// Webhooks, oldest first: all of them ($all), or those whose scope is one employee's line.
MATCH (w:Webhook)
WHERE $all OR w.scope_employee_id = $scope_employee_id
OPTIONAL MATCH (w)-[:SENDS]->(d:Delivery)
WITH w, count(d) AS deliveries,
     sum(CASE WHEN d.status = 'pending' THEN 1 ELSE 0 END) AS pending,
     sum(CASE WHEN d.status = 'failed' THEN 1 ELSE 0 END) AS failed
RETURN w.id AS id, w.format AS format, w.rules AS rules,
       w.scope_employee_id AS scope_employee_id, w.url_shown AS url_shown,
       w.secret_sealed IS NOT NULL AS signed, w.created_by AS created_by,
       w.created_at AS created_at, deliveries, pending, failed
ORDER BY w.created_at, w.id
