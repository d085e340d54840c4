UNWIND $ids AS id
MATCH (a:Account {id: id})
WITH a WHERE $all OR a.id IN $visible
MATCH (a)<-[:FOR]-(o:Opportunity)
RETURN collect(a.id) AS account_ids, collect(properties(o)) AS props
