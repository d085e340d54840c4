// The deal's decision chain; the person must belong to a visible account too.
UNWIND $ids AS id
MATCH (a:Account {id: id})
WITH a WHERE $all OR a.id IN $visible
MATCH (a)<-[:FOR]-(s:Opportunity)-[r:INVOLVES]->(t:KeyPerson)
MATCH (t)-[:MEMBER_OF]->(:Department)-[:PART_OF*1..8]->(b:Account)
WITH s, r, t, b WHERE $all OR b.id IN $visible
RETURN collect(s.id) AS sources, collect(t.id) AS targets, collect([r.role]) AS props
