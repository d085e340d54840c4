UNWIND $rows AS r
MERGE (e:Employee {id: r.id})
SET e.name = r.name, e.title = r.title, e.role = r.role
WITH e, r
OPTIONAL MATCH (e)-[old:REPORTS_TO]->(m:Employee)
WHERE r.manager_id IS NULL OR m.id <> r.manager_id
DELETE old
