UNWIND $rows AS r
MERGE (a:Account {id: r.id})
SET a.name = r.name, a.industry = r.industry, a.region = r.region, a.tier = r.tier,
    a.expected_key_persons = r.expected_key_persons
