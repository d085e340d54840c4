// The demo's holder of a role: the highest in our line (fewest managers above), ties by id.
MATCH (e:Employee)
WHERE e.role = $role
OPTIONAL MATCH (e)-[:REPORTS_TO*1..12]->(boss:Employee)
WITH e, count(DISTINCT boss) AS depth
ORDER BY depth, e.id
LIMIT 1
RETURN e.id AS id
