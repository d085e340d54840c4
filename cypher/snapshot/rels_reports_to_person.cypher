// The customer's formal line; the manager must belong to a visible account too.
UNWIND $ids AS id
MATCH (a:Account {id: id})
WITH a WHERE $all OR a.id IN $visible
MATCH (a)<-[:PART_OF*1..8]-(:Department)<-[:MEMBER_OF]-(s:KeyPerson)-[:REPORTS_TO]->(t:KeyPerson)
MATCH (t)-[:MEMBER_OF]->(:Department)-[:PART_OF*1..8]->(b:Account)
WITH s, t, b WHERE $all OR b.id IN $visible
RETURN collect(s.id) AS sources, collect(t.id) AS targets
