UNWIND $rows AS r
MATCH (k:KeyPerson {id: r.id})
MATCH (d:Department {id: r.department_id})
MERGE (k)-[:MEMBER_OF]->(d)
