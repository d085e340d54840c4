// Which of $ids are key persons on an account the viewer can see.
UNWIND $ids AS person_id
MATCH (k:KeyPerson {id: person_id})-[:MEMBER_OF]->(:Department)-[:PART_OF*1..8]->(a:Account)
WITH k, a WHERE $all OR a.id IN $visible
RETURN DISTINCT k.id AS id
