UNWIND $ids AS id
MATCH (n:Account {id: id})
RETURN n.id AS id
