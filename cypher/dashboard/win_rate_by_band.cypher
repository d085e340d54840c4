// Opportunities of the accounts $ids closed before $cut, by their account's band at closing
// (the averages stored on each deal by history/refresh_closing_averages; the band rule of
// graphbrm/figures.band with $good and $excellent): per band, how many closed and were won,
// and per account the deals closed while it was good or excellent (for the credibility check).
UNWIND $ids AS account_id
MATCH (a:Account {id: account_id})
WITH a WHERE $all OR a.id IN $visible
MATCH (o:Opportunity)-[:FOR]->(a)
WITH a, o WHERE o.status IN ['won', 'lost'] AND o.closed_day < $cut
WITH a, o, o.closing_closeness AS c, o.closing_solution_acceptance AS s,
     o.closing_price_acceptance AS p
WITH a, o.status = 'won' AS won,
     CASE WHEN c IS NULL OR s IS NULL OR p IS NULL THEN 'unknown'
          WHEN c >= $excellent AND s >= $excellent AND p >= $excellent THEN 'excellent'
          WHEN c >= $good AND s >= $good AND p >= $good THEN 'good'
          ELSE 'poor' END AS band
WITH a, band, count(*) AS closed, sum(CASE WHEN won THEN 1 ELSE 0 END) AS won
RETURN a.id AS account_id, a.name AS name, band, closed, won
