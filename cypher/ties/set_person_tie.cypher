// Add or change the INFLUENCES tie from key person $from_id to key person $person_id: influence
// inside the customer, so both belong to the same visible account. A new or changed strength is
// also kept as a TieChange record. `since`: the sent date, else the tie's own, else today for a
// new tie. No row (and no write) when either person is missing, foreign or of another account.
MATCH (k:KeyPerson {id: $person_id})-[:MEMBER_OF]->(:Department)-[:PART_OF*1..8]->(a:Account)
WITH DISTINCT k, a WHERE $all OR a.id IN $visible
MATCH (src:KeyPerson {id: $from_id})-[:MEMBER_OF]->(:Department)-[:PART_OF*1..8]->(a)
WITH DISTINCT k, a, src
OPTIONAL MATCH (src)-[old:INFLUENCES]->(k)
WITH k, a, src, old IS NOT NULL AS existed, old.strength AS before
MERGE (src)-[r:INFLUENCES]->(k)
SET r.strength = $strength,
    r.since = CASE WHEN $since IS NOT NULL THEN $since WHEN existed THEN r.since ELSE $today END,
    r.since_day = CASE WHEN $since IS NOT NULL THEN $since_day WHEN existed THEN r.since_day
                       ELSE $today END
FOREACH (_ IN CASE WHEN NOT existed OR before <> $strength THEN [1] ELSE [] END |
  CREATE (:TieChange {id: $change_id, type: 'INFLUENCES', from_id: src.id, to_id: k.id,
                      strength: $strength, before: before, at: $at, actor: $actor,
                      source: $source}))
RETURN a.id AS account_id, existed, before
