UNWIND $rows AS r
MATCH (d:Department {id: r.id})
MATCH (a:Account {id: r.account_id})
MERGE (d)-[:PART_OF]->(a)
