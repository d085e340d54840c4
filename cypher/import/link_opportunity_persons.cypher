UNWIND $rows AS r
MATCH (o:Opportunity {id: r.opportunity_id})
MATCH (k:KeyPerson {id: r.person_id})
MERGE (o)-[i:INVOLVES]->(k)
SET i.role = r.role
