// One employee with their management chain (themselves first, then up the REPORTS_TO line).
MATCH (e:Employee {id: $employee_id})
OPTIONAL MATCH (e)-[:REPORTS_TO*0..12]->(m:Employee)
RETURN e.id AS id, e.name AS name, e.role AS role, collect(DISTINCT m.id) AS chain
