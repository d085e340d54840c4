MATCH (a:Account {id: $account_id})
WITH a WHERE $all OR a.id IN $visible
MATCH (a)<-[:PART_OF*1..8]-(d:Department)
OPTIONAL MATCH (d)-[:PART_OF]->(parent:Department)
RETURN DISTINCT d.id AS id, d.name AS name, parent.id AS parent_id
ORDER BY id
