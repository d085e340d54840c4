UNWIND $rows AS r
MATCH (k:KeyPerson {id: r.id})
MATCH (m:KeyPerson {id: r.reports_to})
MERGE (k)-[:REPORTS_TO]->(m)
