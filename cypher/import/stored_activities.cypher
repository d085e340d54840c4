// These activities as stored, in the bundle's columns: the import compares its rows with them.
UNWIND $ids AS id
MATCH (act:Activity {id: id})
OPTIONAL MATCH (act)-[:BY]->(e:Employee)
WITH act, e
OPTIONAL MATCH (act)-[:WITH]->(k:KeyPerson)
WITH act, e, collect(k.id) AS person_ids
RETURN act.id AS id, e.id AS employee_id, act.kind AS kind, act.type AS type, act.at AS at,
       act.note AS note, person_ids
