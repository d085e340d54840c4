// $names: null for every property as a map, or these properties only, as a list of values.
UNWIND $ids AS id
MATCH (a:Account {id: id})
WITH a WHERE $all OR a.id IN $visible
MATCH (a)<-[:FOR]-(o:Opportunity)
RETURN collect(a.id) AS account_ids,
       collect(CASE WHEN $names IS NULL THEN properties(o) ELSE [n IN $names | o[n]] END) AS props
