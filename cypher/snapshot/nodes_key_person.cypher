// $names: null for every property as a map, or these properties only, as a list of values.
UNWIND $ids AS id
MATCH (a:Account {id: id})
WITH a WHERE $all OR a.id IN $visible
MATCH (a)<-[:PART_OF*1..8]-(:Department)<-[:MEMBER_OF]-(k:KeyPerson)
RETURN collect(a.id) AS account_ids,
       collect(CASE WHEN $names IS NULL THEN properties(k) ELSE [n IN $names | k[n]] END) AS props
