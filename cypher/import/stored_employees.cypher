// These employees as stored, in the bundle's columns: the import compares its rows with them.
UNWIND $ids AS id
MATCH (e:Employee {id: id})
OPTIONAL MATCH (e)-[:REPORTS_TO]->(m:Employee)
RETURN e.id AS id, e.name AS name, e.title AS title, e.role AS role, m.id AS manager_id
