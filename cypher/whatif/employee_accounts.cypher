// For each employee: the visible accounts where they have an INFLUENCES or KNOWS tie.
UNWIND $ids AS id
MATCH (e:Employee {id: id})
OPTIONAL MATCH (e)-[:INFLUENCES|KNOWS]->(:KeyPerson)-[:MEMBER_OF]->(:Department)-[:PART_OF*1..8]->(a:Account)
WITH e, collect(DISTINCT a.id) AS reached
RETURN e.id AS id, [x IN reached WHERE $all OR x IN $visible] AS account_ids
