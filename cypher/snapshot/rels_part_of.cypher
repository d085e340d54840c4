// Department → its account or parent department. Two MATCH clauses: in one, Neo4j would not
// let the last hop reuse the relationship that the variable-length part already walked.
UNWIND $ids AS id
MATCH (a:Account {id: id})
WITH a WHERE $all OR a.id IN $visible
MATCH (a)<-[:PART_OF*1..8]-(s:Department)
MATCH (s)-[:PART_OF]->(t)
RETURN collect(s.id) AS sources, collect(t.id) AS targets, collect(labels(t)[0]) AS target_labels
