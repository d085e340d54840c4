// $names: null for every property as a map, or these properties only, as a list of values.
// Columns of values (one row), not a row per node: the FalkorDB client parses it ~4× faster.
UNWIND $ids AS id
MATCH (a:Account {id: id})
WITH a WHERE $all OR a.id IN $visible
RETURN collect(a.id) AS account_ids,
       collect(CASE WHEN $names IS NULL THEN properties(a) ELSE [n IN $names | a[n]] END) AS props
