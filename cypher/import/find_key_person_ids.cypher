UNWIND $ids AS id
MATCH (n:KeyPerson {id: id})
RETURN n.id AS id
