// One more write has landed: cached reports keyed by the older version are never served again.
MERGE (v:DataVersion {id: 'graph'})
SET v.n = coalesce(v.n, 0) + 1
