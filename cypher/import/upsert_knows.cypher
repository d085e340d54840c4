// A changed strength is also kept as a TieChange record (point-in-time history).
UNWIND $rows AS r
MATCH (e:Employee {id: r.employee_id})
MATCH (k:KeyPerson {id: r.person_id})
OPTIONAL MATCH (e)-[old:KNOWS]->(k)
WITH e, k, r, old.strength AS before
MERGE (e)-[rel:KNOWS]->(k)
SET rel.strength = r.strength, rel.since = r.since, rel.since_day = r.since_day
WITH r, before
WHERE before IS NULL OR before <> r.strength
CREATE (:TieChange {id: r.change_id, type: 'KNOWS', from_id: r.employee_id, to_id: r.person_id,
                    strength: r.strength, before: before, at: $at, actor: $actor, source: $source})
