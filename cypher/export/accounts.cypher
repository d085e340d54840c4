MATCH (a:Account)
RETURN a.id AS id, a.name AS name, a.industry AS industry, a.region AS region, a.tier AS tier,
       a.expected_key_persons AS expected_key_persons
ORDER BY id
