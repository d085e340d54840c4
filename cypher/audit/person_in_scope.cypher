// One key person, only when the viewer sees its account.
MATCH (k:KeyPerson {id: $person_id})
MATCH (k)-[:MEMBER_OF]->(:Department)-[:PART_OF*1..8]->(a:Account)
WITH DISTINCT k, a WHERE $all OR a.id IN $visible
RETURN k.id AS person_id, a.id AS account_id
