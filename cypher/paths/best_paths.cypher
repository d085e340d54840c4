// Best reach paths from our employees to one visible key person (docs/method.md): the first hop is
// an employee's INFLUENCES or KNOWS tie, later hops person→person INFLUENCES. Variable-length
// bounds cannot be parameters, so the pattern allows the longest (6 hops) and $max_hops cuts.
// Filters on the far nodes come after a WITH so that the plan starts from the target's index.
MATCH (t:KeyPerson {id: $target_id})-[:MEMBER_OF]->(:Department)-[:PART_OF*1..8]->(ta:Account)
WITH DISTINCT t, ta
WHERE $all OR ta.id IN $visible
MATCH path = (e:Employee)-[:INFLUENCES|KNOWS]->(:KeyPerson)-[:INFLUENCES*0..5]->(t)
WITH e, path, nodes(path) AS ns
WHERE length(path) <= $max_hops
  AND ($sources IS NULL OR e.id IN $sources)
  AND all(i IN range(0, size(ns) - 2) WHERE NOT ns[i] IN ns[i + 1..])
// An employee who both influences and knows someone gives two paths over the same nodes:
// keep the stronger.
WITH e, ns, reduce(sort_key = '', n IN ns | sort_key + n.id + '>') AS sort_key,
     max(reduce(s = 1.0, r IN relationships(path) | s * r.strength / 100.0)) AS strength
// A scoped viewer's paths pass only through persons of visible accounts: look up the account
// of each person on each path (no lookups when $all; a person without one never passes).
UNWIND CASE WHEN $all THEN [null] ELSE ns[1..] END AS person
OPTIONAL MATCH (person)-[:MEMBER_OF]->(:Department)-[:PART_OF*1..8]->(pa:Account)
WITH e, ns, sort_key, strength, collect(coalesce(pa.id, '')) AS accounts
WHERE $all OR all(id IN accounts WHERE id IN $visible)
WITH e, ns, strength, sort_key
ORDER BY strength DESC, size(ns), sort_key
// Best path per distinct first hop (employee→person) first, then the rest, best first.
WITH e.id + '>' + ns[1].id AS hop,
     collect({strength: strength, hops: size(ns) - 1, sort_key: sort_key,
              nodes: [n IN ns | n.id], names: [n IN ns | n.name]}) AS ranked
WITH collect(head(ranked)) AS firsts, collect(tail(ranked)) AS tails
WITH firsts, reduce(rest = [], more IN tails | rest + more) AS rest
UNWIND [p IN firsts | {tier: 0, path: p}] + [p IN rest | {tier: 1, path: p}] AS c
WITH c
ORDER BY c.tier, c.path.strength DESC, c.path.hops, c.path.sort_key
LIMIT $k
RETURN c.path.strength AS strength, c.path.nodes AS nodes, c.path.names AS names
