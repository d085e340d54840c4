// Record an alert once: its id is rule:subject:period, so a second evaluation of the same rule
// for the same subject in the same period (a re-import, a second edit that day) finds it and
// changes nothing. `created` says whether this call made it: only the creating call's
// random $origin is stored (an instant could repeat under a frozen or coarse clock).
MERGE (al:Alert {id: $id})
ON CREATE SET al.rule = $rule, al.severity = $severity, al.account_id = $account_id,
              al.account_name = $account_name, al.person_id = $person_id,
              al.person_name = $person_name, al.before_json = $before_json,
              al.after_json = $after_json, al.message_zh = $message_zh,
              al.message_en = $message_en, al.path = $path, al.day = $day,
              al.created_at = $created_at, al.origin = $origin
RETURN al.id AS id, al.origin = $origin AS created
