// An activity's author, for activities with a key person of the account (as nodes_activity).
UNWIND $ids AS id
MATCH (a:Account {id: id})
WITH a WHERE $all OR a.id IN $visible
MATCH (a)<-[:PART_OF*1..8]-(:Department)<-[:MEMBER_OF]-(:KeyPerson)<-[:WITH]-(s:Activity)
WITH DISTINCT s
MATCH (s)-[:BY]->(t:Employee)
RETURN collect(s.id) AS sources, collect(t.id) AS targets
