// The company figures of the accounts $ids as of each cut in $cuts (the day after the day
// asked for), from the derived AccountSeries: per cut, the number of accounts and of their key
// persons, the mean of the accounts' dimension averages (accounts without one left out), the
// accounts per band (the rule of graphbrm/figures.band with $good and $excellent), and the key
// persons influenced by one of our employees before the cut.
UNWIND $ids AS account_id
MATCH (a:Account {id: account_id})
WITH a WHERE $all OR a.id IN $visible
MATCH (f:AccountSeries {id: a.id})
UNWIND $cuts AS cut
WITH f, cut, size([d IN f.days WHERE d < cut]) - 1 AS i
WITH f, cut,
     CASE WHEN i < 0 OR f.closeness_known[i] = 0 THEN null
          ELSE toFloat(f.closeness_sum[i]) / f.closeness_known[i] END AS c,
     CASE WHEN i < 0 OR f.solution_acceptance_known[i] = 0 THEN null
          ELSE toFloat(f.solution_acceptance_sum[i]) / f.solution_acceptance_known[i] END AS s,
     CASE WHEN i < 0 OR f.price_acceptance_known[i] = 0 THEN null
          ELSE toFloat(f.price_acceptance_sum[i]) / f.price_acceptance_known[i] END AS p
WITH cut, f, c, s, p,
     CASE WHEN c IS NULL OR s IS NULL OR p IS NULL THEN 'unknown'
          WHEN c >= $excellent AND s >= $excellent AND p >= $excellent THEN 'excellent'
          WHEN c >= $good AND s >= $good AND p >= $good THEN 'good'
          ELSE 'poor' END AS band
RETURN cut, count(f) AS accounts, sum(f.key_persons) AS key_persons,
       sum(size([d IN coalesce(f.influenced_since, []) WHERE d < cut])) AS influenced,
       avg(c) AS closeness, avg(s) AS solution_acceptance, avg(p) AS price_acceptance,
       sum(CASE WHEN band = 'excellent' THEN 1 ELSE 0 END) AS excellent,
       sum(CASE WHEN band = 'good' THEN 1 ELSE 0 END) AS good,
       sum(CASE WHEN band = 'poor' THEN 1 ELSE 0 END) AS poor,
       sum(CASE WHEN band = 'unknown' THEN 1 ELSE 0 END) AS unknown
