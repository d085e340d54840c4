// Remove the tie ($type: KNOWS or INFLUENCES) of our employee $from_id to a visible key person,
// kept as a TieChange record without a strength (the tie ended). No row (and no write) when the
// person is not visible or there is no such tie.
MATCH (k:KeyPerson {id: $person_id})-[:MEMBER_OF]->(:Department)-[:PART_OF*1..8]->(a:Account)
WITH DISTINCT k, a WHERE $all OR a.id IN $visible
MATCH (e:Employee {id: $from_id})-[old:INFLUENCES|KNOWS]->(k)
WHERE type(old) = $type
WITH k, a, e, old, old.strength AS before
DELETE old
CREATE (:TieChange {id: $change_id, type: $type, from_id: e.id, to_id: k.id, before: before,
                    at: $at, actor: $actor, source: $source})
RETURN a.id AS account_id, before
