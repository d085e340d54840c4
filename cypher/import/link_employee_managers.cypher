UNWIND $rows AS r
MATCH (e:Employee {id: r.id})
MATCH (m:Employee {id: r.manager_id})
MERGE (e)-[:REPORTS_TO]->(m)
