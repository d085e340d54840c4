// A department that moved under another parent loses its old PART_OF.
UNWIND $rows AS r
MERGE (d:Department {id: r.id})
SET d.name = r.name, d.account_id = r.account_id
WITH d, r
OPTIONAL MATCH (d)-[old:PART_OF]->(x)
WHERE x.id <> coalesce(r.parent_id, r.account_id)
DELETE old
