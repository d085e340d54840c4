UNWIND $rows AS r
MATCH (d:Department {id: r.id})
MATCH (p:Department {id: r.parent_id})
MERGE (d)-[:PART_OF]->(p)
