// These departments as stored, in the bundle's columns: the import compares its rows with them.
UNWIND $ids AS id
MATCH (d:Department {id: id})
OPTIONAL MATCH (d)-[:PART_OF]->(parent:Department)
RETURN d.id AS id, d.account_id AS account_id, d.name AS name, parent.id AS parent_id
