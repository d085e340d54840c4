// Decision-role changes of these key persons whose account the viewer sees.
UNWIND $person_ids AS person_id
MATCH (k:KeyPerson {id: person_id})
MATCH (k)-[:MEMBER_OF]->(:Department)-[:PART_OF*1..8]->(a:Account)
WITH DISTINCT k, a WHERE $all OR a.id IN $visible
MATCH (c:RoleChange)
WHERE c.person_id = k.id
RETURN c.id AS id, c.person_id AS person_id, c.at AS at, c.before AS before, c.after AS after,
       c.actor AS actor, c.source AS source
