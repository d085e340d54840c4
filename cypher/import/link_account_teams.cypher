UNWIND $rows AS r
MATCH (e:Employee {id: r.employee_id})
MATCH (a:Account {id: r.account_id})
MERGE (e)-[t:ON_TEAM]->(a)
SET t.role = r.role
