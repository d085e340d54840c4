// These team memberships ($keys: {employee_id, account_id}) as stored.
UNWIND $keys AS key
MATCH (e:Employee {id: key.employee_id})-[t:ON_TEAM]->(a:Account {id: key.account_id})
RETURN e.id AS employee_id, a.id AS account_id, t.role AS role
