// A visible key person's decision-role changes made through the API, newest first. Role
// changes are rare, so the RoleChange label is scanned rather than linked to the person.
MATCH (k:KeyPerson {id: $person_id})-[:MEMBER_OF]->(:Department)-[:PART_OF*1..8]->(a:Account)
WITH k, a
WHERE $all OR a.id IN $visible
MATCH (c:RoleChange)
WHERE c.person_id = k.id
RETURN c.id AS id, c.at AS at, c.before AS before, c.after AS after, c.actor AS actor,
       c.source AS source
ORDER BY at DESC
