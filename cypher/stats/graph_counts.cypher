// Nodes per label and relationships per type: the yardstick of "the graph is unchanged".
MATCH (n)
RETURN 'node:' + labels(n)[0] AS kind, count(*) AS count
UNION ALL
MATCH ()-[r]->()
RETURN 'rel:' + type(r) AS kind, count(*) AS count
