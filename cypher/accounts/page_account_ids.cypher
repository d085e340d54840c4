// One page of the visible accounts (optionally only key ones, or matching $q), and the total.
MATCH (a:Account)
WHERE ($all OR a.id IN $visible)
  AND ($tier IS NULL OR a.tier = $tier)
  AND ($q IS NULL OR a.id = $q OR a.name CONTAINS $q)
WITH a ORDER BY a.name, a.id
WITH collect(a.id) AS ids
RETURN size(ids) AS count, ids[$offset..($offset + $limit)] AS ids
