// These opportunities as stored, in the bundle's columns: the import compares its rows with them.
UNWIND $ids AS id
MATCH (o:Opportunity {id: id})
OPTIONAL MATCH (o)-[:FOR]->(a:Account)
WITH o, a
OPTIONAL MATCH (o)-[:USED_INFLUENCE]->(e:Employee)
WITH o, a, collect(e.id) AS used_influence
OPTIONAL MATCH (o)-[i:INVOLVES]->(k:KeyPerson)
WITH o, a, used_influence, collect({person_id: k.id, role: i.role}) AS involves
RETURN o.id AS id, a.id AS account_id, o.name AS name, o.amount AS amount,
       o.currency AS currency, o.stage AS stage, o.status AS status, o.qualified AS qualified,
       o.created_at AS created_at, o.closed_at AS closed_at, used_influence,
       [x IN involves WHERE x.person_id IS NOT NULL] AS involves
