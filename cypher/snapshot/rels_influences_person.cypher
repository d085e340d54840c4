// Influence inside the customer; the influencing person must belong to a visible account too.
UNWIND $ids AS id
MATCH (a:Account {id: id})
WITH a WHERE $all OR a.id IN $visible
MATCH (a)<-[:PART_OF*1..8]-(:Department)<-[:MEMBER_OF]-(t:KeyPerson)<-[r:INFLUENCES]-(s:KeyPerson)
MATCH (s)-[:MEMBER_OF]->(:Department)-[:PART_OF*1..8]->(b:Account)
WITH s, r, t, b WHERE $all OR b.id IN $visible
RETURN collect(s.id) AS sources, collect(t.id) AS targets, collect([r.strength, r.since]) AS props
