// Strength changes of ties to or from these key persons; scoped by the target's account, and
// a person→person tie also by its source's: a tie from a person the viewer may not see would
// name that person.
// TieChange has no relationships, so this scans the TieChange nodes once (an audit, not a hot path).
MATCH (c:TieChange)
WHERE c.to_id IN $person_ids OR c.from_id IN $person_ids
WITH c
MATCH (k:KeyPerson {id: c.to_id})
MATCH (k)-[:MEMBER_OF]->(:Department)-[:PART_OF*1..8]->(a:Account)
WITH DISTINCT c, a WHERE $all OR a.id IN $visible
OPTIONAL MATCH (giver:KeyPerson {id: c.from_id})
OPTIONAL MATCH (giver)-[:MEMBER_OF]->(:Department)-[:PART_OF*1..8]->(sa:Account)
WITH c, giver, collect(sa.id) AS giver_accounts
WHERE $all OR giver IS NULL OR any(id IN giver_accounts WHERE id IN $visible)
RETURN c.id AS id, c.type AS type, c.from_id AS from_id, c.to_id AS to_id, c.at AS at,
       c.actor AS actor, c.source AS source, c.strength AS strength, c.before AS before
