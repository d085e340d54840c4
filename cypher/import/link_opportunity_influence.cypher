UNWIND $rows AS r
MATCH (o:Opportunity {id: r.opportunity_id})
MATCH (e:Employee {id: r.employee_id})
MERGE (o)-[:USED_INFLUENCE]->(e)
