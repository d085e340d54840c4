UNWIND $ids AS id
MATCH (a:Account {id: id})
WITH a WHERE $all OR a.id IN $visible
MATCH (a)<-[:FOR]-(s:Opportunity)
RETURN collect(s.id) AS sources, collect(a.id) AS targets
