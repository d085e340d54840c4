// Links that the new row no longer lists are removed, so a re-import equals the bundle.
UNWIND $rows AS r
MATCH (a:Account {id: r.account_id})
MERGE (o:Opportunity {id: r.id})
SET o.name = r.name, o.amount = r.amount, o.currency = r.currency, o.stage = r.stage,
    o.status = r.status, o.qualified = r.qualified, o.created_at = r.created_at,
    o.closed_at = r.closed_at, o.created_day = r.created_day, o.closed_day = r.closed_day
MERGE (o)-[:FOR]->(a)
WITH o, r
OPTIONAL MATCH (o)-[old:FOR]->(x:Account)
WHERE x.id <> r.account_id
DELETE old
WITH o, r
OPTIONAL MATCH (o)-[u:USED_INFLUENCE]->(e:Employee)
WHERE NOT e.id IN r.used_influence
DELETE u
WITH o, r
OPTIONAL MATCH (o)-[i:INVOLVES]->(k:KeyPerson)
WHERE NOT k.id IN [x IN r.involves | x.person_id]
DELETE i
