// A logged activity: by one employee, with key persons (checked visible by the caller first).
MATCH (e:Employee {id: $employee_id})
CREATE (act:Activity {id: $id, kind: $kind, type: $type, at: $at, day: $day, note: $note,
                      actor: $actor, recorded_at: $recorded_at})
CREATE (act)-[:BY]->(e)
WITH act
UNWIND $person_ids AS person_id
MATCH (k:KeyPerson {id: person_id})
CREATE (act)-[:WITH]->(k)
RETURN count(*) AS persons
