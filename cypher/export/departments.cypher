MATCH (d:Department)
OPTIONAL MATCH (d)-[:PART_OF]->(parent:Department)
RETURN d.id AS id, d.account_id AS account_id, d.name AS name, parent.id AS parent_id
ORDER BY id
