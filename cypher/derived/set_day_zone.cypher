// Note the time zone in which every stored record's company day is now derived.
MERGE (v:DataVersion {id: 'graph'})
SET v.timezone = $timezone
