// A changed strength is also kept as a TieChange record (point-in-time history).
UNWIND $rows AS r
MATCH (e:KeyPerson {id: r.source})
MATCH (k:KeyPerson {id: r.target})
OPTIONAL MATCH (e)-[old:INFLUENCES]->(k)
WITH e, k, r, old.strength AS before
MERGE (e)-[rel:INFLUENCES]->(k)
SET rel.strength = r.strength, rel.since = r.since, rel.since_day = r.since_day
WITH r, before
WHERE before IS NULL OR before <> r.strength
CREATE (:TieChange {id: r.change_id, type: 'INFLUENCES', from_id: r.source, to_id: r.target,
                    strength: r.strength, before: before, at: $at, actor: $actor, source: $source})
