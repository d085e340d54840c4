// Remove a webhook and its delivery log: all of them ($all) or one of an employee's line.
// No row when there is no such webhook for the caller.
MATCH (w:Webhook {id: $id})
WITH w
WHERE $all OR w.scope_employee_id = $scope_employee_id
OPTIONAL MATCH (w)-[:SENDS]->(d:Delivery)
WITH w, w.id AS id, collect(d) AS log
FOREACH (d IN log | DETACH DELETE d)
DETACH DELETE w
RETURN id
