MATCH (e:Employee)-[t:ON_TEAM]->(a:Account)
RETURN e.id AS employee_id, a.id AS account_id, t.role AS role
ORDER BY account_id, employee_id
