// Opportunities of the accounts $ids closed (won or lost) before $cut, with their account's
// dimension averages as of the end of the closing day, stored on them by
// history/refresh_closing_averages whenever scores or the map change.
UNWIND $ids AS account_id
MATCH (a:Account {id: account_id})
WITH a WHERE $all OR a.id IN $visible
MATCH (o:Opportunity)-[:FOR]->(a)
WITH a, o WHERE o.status IN ['won', 'lost'] AND o.closed_day < $cut
RETURN a.id AS account_id, a.name AS name, o.status = 'won' AS won,
       o.closing_closeness AS closeness, o.closing_solution_acceptance AS solution_acceptance,
       o.closing_price_acceptance AS price_acceptance
