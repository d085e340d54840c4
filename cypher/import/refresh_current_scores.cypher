// The scores on a KeyPerson are a copy of its standing Score record (latest day, then the one
// recorded last, then the latest instant: of one day, a later import or edit corrects an earlier
// one), for the map and exports.
UNWIND $ids AS id
MATCH (k:KeyPerson {id: id})-[:SCORED]->(s:Score)
WITH k, collect(s) AS records
WITH k, reduce(latest = head(records), s IN records |
               CASE WHEN s.day > latest.day OR (s.day = latest.day
                                                   AND (s.recorded_at > latest.recorded_at
                                                        OR (s.recorded_at = latest.recorded_at AND s.at > latest.at)))
                    THEN s ELSE latest END) AS s
SET k.closeness = s.closeness, k.solution_acceptance = s.solution_acceptance,
    k.price_acceptance = s.price_acceptance, k.scored_at = s.at
