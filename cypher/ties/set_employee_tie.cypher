// Add or change the tie ($type: KNOWS or INFLUENCES) of our employee $from_id to a visible key
// person. A new or changed strength is also kept as a TieChange record (point-in-time history,
// as the import keeps it). `since`: the sent date, else the tie's own, else today for a new tie.
// No row (and no write) when the person is not visible or the employee does not exist.
MATCH (k:KeyPerson {id: $person_id})-[:MEMBER_OF]->(:Department)-[:PART_OF*1..8]->(a:Account)
WITH DISTINCT k, a WHERE $all OR a.id IN $visible
MATCH (e:Employee {id: $from_id})
OPTIONAL MATCH (e)-[old:INFLUENCES|KNOWS]->(k)
WHERE type(old) = $type
WITH k, a, e, old IS NOT NULL AS existed, old.strength AS before
FOREACH (_ IN CASE WHEN $type = 'KNOWS' THEN [1] ELSE [] END |
  MERGE (e)-[r:KNOWS]->(k)
  SET r.strength = $strength,
      r.since = CASE WHEN $since IS NOT NULL THEN $since WHEN existed THEN r.since ELSE $today END,
      r.since_day = CASE WHEN $since IS NOT NULL THEN $since_day WHEN existed THEN r.since_day
                         ELSE $today END)
FOREACH (_ IN CASE WHEN $type = 'INFLUENCES' THEN [1] ELSE [] END |
  MERGE (e)-[r:INFLUENCES]->(k)
  SET r.strength = $strength,
      r.since = CASE WHEN $since IS NOT NULL THEN $since WHEN existed THEN r.since ELSE $today END,
      r.since_day = CASE WHEN $since IS NOT NULL THEN $since_day WHEN existed THEN r.since_day
                         ELSE $today END)
FOREACH (_ IN CASE WHEN NOT existed OR before <> $strength THEN [1] ELSE [] END |
  CREATE (:TieChange {id: $change_id, type: $type, from_id: e.id, to_id: k.id,
                      strength: $strength, before: before, at: $at, actor: $actor,
                      source: $source}))
RETURN a.id AS account_id, existed, before
