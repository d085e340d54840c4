// $names: null for every property as a map, or these properties only, as a list of values.
UNWIND $ids AS id
MATCH (a:Account {id: id})
WITH a WHERE $all OR a.id IN $visible
MATCH (a)<-[:PART_OF*1..8]-(d:Department)
RETURN collect(a.id) AS account_ids,
       collect(CASE WHEN $names IS NULL THEN properties(d) ELSE [n IN $names | d[n]] END) AS props
