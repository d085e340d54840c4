// These acquaintances ($keys: {employee_id, person_id}) as stored.
UNWIND $keys AS key
MATCH (e:Employee {id: key.employee_id})-[r:KNOWS]->(k:KeyPerson {id: key.person_id})
RETURN e.id AS employee_id, k.id AS person_id, r.strength AS strength, r.since AS since
