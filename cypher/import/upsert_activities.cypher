UNWIND $rows AS r
MATCH (e:Employee {id: r.employee_id})
MERGE (act:Activity {id: r.id})
SET act.kind = r.kind, act.type = r.type, act.at = r.at, act.day = r.day, act.note = r.note
MERGE (act)-[:BY]->(e)
WITH act, r
OPTIONAL MATCH (act)-[w:WITH]->(k:KeyPerson)
WHERE NOT k.id IN r.person_ids
DELETE w
WITH act, r
UNWIND r.person_ids AS pid
MATCH (k:KeyPerson {id: pid})
MERGE (act)-[:WITH]->(k)
