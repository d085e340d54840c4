// These accounts as stored, in the bundle's columns: the import compares its rows with them.
UNWIND $ids AS id
MATCH (a:Account {id: id})
RETURN a.id AS id, a.name AS name, a.industry AS industry, a.region AS region, a.tier AS tier,
       a.expected_key_persons AS expected_key_persons
