UNWIND $ids AS id
MATCH (n:Employee {id: id})
RETURN n.id AS id
