// Scores are not set here: they arrive as Score records, then refresh_current_scores.
UNWIND $rows AS r
MERGE (k:KeyPerson {id: r.id})
SET k.name = r.name, k.title = r.title, k.decision_role = r.decision_role
WITH k, r
OPTIONAL MATCH (k)-[old:MEMBER_OF]->(d:Department)
WHERE d.id <> r.department_id
DELETE old
WITH k, r
OPTIONAL MATCH (k)-[old:REPORTS_TO]->(m:KeyPerson)
WHERE r.reports_to IS NULL OR m.id <> r.reports_to
DELETE old
