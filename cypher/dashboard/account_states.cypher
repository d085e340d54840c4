// Key persons and dimension averages of the accounts $ids as of each cut in $cuts (a cut is the
// day after the day asked for), read from the derived AccountSeries (see
// derived/rebuild_account_series): the last entry before the cut. Equal to replaying the Score
// records (accounts/account_figures), at one lookup per account.
UNWIND $ids AS account_id
MATCH (a:Account {id: account_id})
WITH a WHERE $all OR a.id IN $visible
MATCH (f:AccountSeries {id: a.id})
UNWIND $cuts AS cut
WITH a, f, cut, size([d IN f.days WHERE d < cut]) - 1 AS i
RETURN a.id AS account_id, a.name AS name, cut, f.key_persons AS key_persons,
       CASE WHEN i < 0 OR f.closeness_known[i] = 0 THEN null
            ELSE toFloat(f.closeness_sum[i]) / f.closeness_known[i] END AS closeness,
       CASE WHEN i < 0 OR f.solution_acceptance_known[i] = 0 THEN null
            ELSE toFloat(f.solution_acceptance_sum[i]) / f.solution_acceptance_known[i]
            END AS solution_acceptance,
       CASE WHEN i < 0 OR f.price_acceptance_known[i] = 0 THEN null
            ELSE toFloat(f.price_acceptance_sum[i]) / f.price_acceptance_known[i]
            END AS price_acceptance
