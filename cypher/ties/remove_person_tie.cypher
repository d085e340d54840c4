// Remove the INFLUENCES tie from key person $from_id to key person $person_id of the same visible
// account, kept as a TieChange record without a strength. No row (and no write) when either
// person is missing, foreign or of another account, or there is no such tie.
MATCH (k:KeyPerson {id: $person_id})-[:MEMBER_OF]->(:Department)-[:PART_OF*1..8]->(a:Account)
WITH DISTINCT k, a WHERE $all OR a.id IN $visible
MATCH (src:KeyPerson {id: $from_id})-[:MEMBER_OF]->(:Department)-[:PART_OF*1..8]->(a)
WITH DISTINCT k, a, src
MATCH (src)-[old:INFLUENCES]->(k)
WITH k, a, src, old, old.strength AS before
DELETE old
CREATE (:TieChange {id: $change_id, type: 'INFLUENCES', from_id: src.id, to_id: k.id,
                    before: before, at: $at, actor: $actor, source: $source})
RETURN a.id AS account_id, before
