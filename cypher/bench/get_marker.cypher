// What the bench left in this graph: the company's scale and seed, and whether its import
// finished; `nodes` tells an empty graph from one holding someone else's data (graphbrm's
// own bookkeeping, the data version, does not count).
MATCH (n)
WHERE NOT n:DataVersion
WITH count(n) AS nodes
OPTIONAL MATCH (m:BenchCompany {id: 'bench'})
RETURN nodes, m.scale AS scale, m.seed AS seed, m.complete AS complete
