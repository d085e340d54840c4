MATCH (e:Employee {id: $employee_id})
RETURN e.id AS id, e.name AS name, e.role AS role
