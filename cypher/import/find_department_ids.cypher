UNWIND $ids AS id
MATCH (n:Department {id: id})
RETURN n.id AS id, n.account_id AS account_id
