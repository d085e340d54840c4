// Rebuild the derived figures of the accounts $ids from their key persons' Score records: one
// AccountSeries node per account holding, for every day on which any of its persons' scores
// changed (`days`, ascending), the running sum and count of each known dimension over the
// persons' latest records; a record's company day `day`, then when it was recorded
// (`recorded_at`: of one day, the last recorded stands), then its instant `at`, orders them
// (graphbrm/clock.py). "As of day T" is then the last entry whose day <= T: one indexed lookup
// per account instead of a replay of its history (dashboard/account_states).
// Each record contributes its change against the same person's previous record, so the sums
// need no per-person state. Run after every write that can change them (import, score edit).
UNWIND $ids AS account_id
MATCH (a:Account {id: account_id})
MERGE (f:AccountSeries {id: a.id})
SET f.key_persons = 0, f.days = [], f.closeness_sum = [], f.closeness_known = [],
    f.solution_acceptance_sum = [], f.solution_acceptance_known = [],
    f.price_acceptance_sum = [], f.price_acceptance_known = []
WITH a, f
OPTIONAL MATCH (a)<-[:PART_OF*1..8]-(:Department)<-[:MEMBER_OF]-(k:KeyPerson)
WITH f, collect(DISTINCT k) AS persons
SET f.key_persons = size(persons)
WITH f, persons
UNWIND persons AS k
MATCH (k)-[:SCORED]->(s:Score)
WITH f, k, s ORDER BY s.day, s.recorded_at, s.at
WITH f, k, collect(s) AS records
UNWIND range(0, size(records) - 1) AS i
WITH f, records[i] AS s, CASE WHEN i = 0 THEN null ELSE records[i - 1] END AS before
WITH f, s.day AS day,
     coalesce(s.closeness, 0) - coalesce(before.closeness, 0) AS c,
     CASE WHEN s.closeness IS NULL THEN 0 ELSE 1 END
       - CASE WHEN before.closeness IS NULL THEN 0 ELSE 1 END AS cn,
     coalesce(s.solution_acceptance, 0) - coalesce(before.solution_acceptance, 0) AS sa,
     CASE WHEN s.solution_acceptance IS NULL THEN 0 ELSE 1 END
       - CASE WHEN before.solution_acceptance IS NULL THEN 0 ELSE 1 END AS san,
     coalesce(s.price_acceptance, 0) - coalesce(before.price_acceptance, 0) AS pa,
     CASE WHEN s.price_acceptance IS NULL THEN 0 ELSE 1 END
       - CASE WHEN before.price_acceptance IS NULL THEN 0 ELSE 1 END AS pan
WITH f, day, sum(c) AS c, sum(cn) AS cn, sum(sa) AS sa, sum(san) AS san, sum(pa) AS pa,
     sum(pan) AS pan
ORDER BY day
WITH f, collect(day) AS days, collect(c) AS c, collect(cn) AS cn, collect(sa) AS sa,
     collect(san) AS san, collect(pa) AS pa, collect(pan) AS pan
SET f.days = days,
    f.closeness_sum = reduce(run = [], x IN c | run + [coalesce(last(run), 0) + x]),
    f.closeness_known = reduce(run = [], x IN cn | run + [coalesce(last(run), 0) + x]),
    f.solution_acceptance_sum = reduce(run = [], x IN sa | run + [coalesce(last(run), 0) + x]),
    f.solution_acceptance_known = reduce(run = [], x IN san | run + [coalesce(last(run), 0) + x]),
    f.price_acceptance_sum = reduce(run = [], x IN pa | run + [coalesce(last(run), 0) + x]),
    f.price_acceptance_known = reduce(run = [], x IN pan | run + [coalesce(last(run), 0) + x])
