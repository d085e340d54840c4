// Which of $ids are key persons on an account the viewer can see, with what names them to a
// reader: their name, account and department (two persons may share a name).
UNWIND $ids AS person_id
MATCH (k:KeyPerson {id: person_id})-[:MEMBER_OF]->(d:Department)-[:PART_OF*1..8]->(a:Account)
WITH k, d, a WHERE $all OR a.id IN $visible
RETURN DISTINCT k.id AS id, k.name AS name, a.id AS account_id, a.name AS account_name,
       d.name AS department
ORDER BY id
