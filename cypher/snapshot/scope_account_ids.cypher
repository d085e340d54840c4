// The ids of the visible accounts in one analysis scope: all, one region, or one account.
MATCH (a:Account)
WHERE ($all OR a.id IN $visible)
  AND ($account_id IS NULL OR a.id = $account_id)
  AND ($region IS NULL OR a.region = $region)
RETURN a.id AS id
ORDER BY id
