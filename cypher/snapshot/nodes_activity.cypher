// An activity belongs to the accounts of the key persons it was with.
UNWIND $ids AS id
MATCH (a:Account {id: id})
WITH a WHERE $all OR a.id IN $visible
MATCH (a)<-[:PART_OF*1..8]-(:Department)<-[:MEMBER_OF]-(:KeyPerson)<-[:WITH]-(act:Activity)
WITH DISTINCT act
RETURN collect(properties(act)) AS props
