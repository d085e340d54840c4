// The account of each key person, for persons of visible accounts only (others look missing).
UNWIND $ids AS id
MATCH (k:KeyPerson {id: id})-[:MEMBER_OF]->(:Department)-[:PART_OF*1..8]->(a:Account)
WITH k, a WHERE $all OR a.id IN $visible
RETURN DISTINCT k.id AS person_id, a.id AS account_id
