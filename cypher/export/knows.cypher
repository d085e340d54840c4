MATCH (e:Employee)-[r:KNOWS]->(k:KeyPerson)
RETURN e.id AS employee_id, k.id AS person_id, r.strength AS strength, r.since AS since
ORDER BY employee_id, person_id
