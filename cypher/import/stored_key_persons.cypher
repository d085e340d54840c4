// These key persons as stored, in the bundle's columns (their scores are Score records,
// compared apart): the import compares its rows with them.
UNWIND $ids AS id
MATCH (k:KeyPerson {id: id})
OPTIONAL MATCH (k)-[:MEMBER_OF]->(d:Department)
OPTIONAL MATCH (k)-[:REPORTS_TO]->(m:KeyPerson)
RETURN k.id AS id, d.id AS department_id, k.name AS name, k.title AS title,
       k.decision_role AS decision_role, m.id AS reports_to
