UNWIND $ids AS id
MATCH (a:Account {id: id})
WITH a WHERE $all OR a.id IN $visible
MATCH (a)<-[:FOR]-(s:Opportunity)-[:USED_INFLUENCE]->(t:Employee)
RETURN collect(s.id) AS sources, collect(t.id) AS targets
