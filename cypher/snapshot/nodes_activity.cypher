// An activity belongs to the accounts of the key persons it was with.
// $names: null for every property as a map, or these properties only, as a list of values.
UNWIND $ids AS id
MATCH (a:Account {id: id})
WITH a WHERE $all OR a.id IN $visible
MATCH (a)<-[:PART_OF*1..8]-(:Department)<-[:MEMBER_OF]-(:KeyPerson)<-[:WITH]-(act:Activity)
WITH DISTINCT act
RETURN collect(CASE WHEN $names IS NULL THEN properties(act) ELSE [n IN $names | act[n]] END) AS props
