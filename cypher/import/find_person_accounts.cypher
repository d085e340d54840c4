// The stored key persons among $ids with the account each belongs to (its department's).
UNWIND $ids AS id
MATCH (k:KeyPerson {id: id})-[:MEMBER_OF]->(d:Department)
RETURN k.id AS id, d.account_id AS account_id
