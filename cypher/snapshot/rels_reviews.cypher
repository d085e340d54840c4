UNWIND $ids AS id
MATCH (a:Account {id: id})
WITH a WHERE $all OR a.id IN $visible
MATCH (a)<-[:REVIEWS]-(s:Review)
RETURN collect(s.id) AS sources, collect(a.id) AS targets
