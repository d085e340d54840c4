MATCH (e:Employee)
OPTIONAL MATCH (e)-[:REPORTS_TO]->(m:Employee)
RETURN e.id AS id, e.name AS name, e.title AS title, e.role AS role, m.id AS manager_id
ORDER BY id
