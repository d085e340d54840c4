MATCH (act:Activity)-[:BY]->(e:Employee)
OPTIONAL MATCH (act)-[:WITH]->(k:KeyPerson)
WITH act, e, collect(k.id) AS person_ids
RETURN act.id AS id, e.id AS employee_id, act.kind AS kind, act.type AS type, act.at AS at,
       act.note AS note, person_ids
ORDER BY id
