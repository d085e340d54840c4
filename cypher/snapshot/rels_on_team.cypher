UNWIND $ids AS id
MATCH (a:Account {id: id})
WITH a WHERE $all OR a.id IN $visible
MATCH (a)<-[r:ON_TEAM]-(s:Employee)
RETURN collect(s.id) AS sources, collect(a.id) AS targets, collect([r.role]) AS props
