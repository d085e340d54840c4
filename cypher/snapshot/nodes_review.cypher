// $names: null for every property as a map, or these properties only, as a list of values.
UNWIND $ids AS id
MATCH (a:Account {id: id})
WITH a WHERE $all OR a.id IN $visible
MATCH (a)<-[:REVIEWS]-(r:Review)
RETURN collect(a.id) AS account_ids,
       collect(CASE WHEN $names IS NULL THEN properties(r) ELSE [n IN $names | r[n]] END) AS props
