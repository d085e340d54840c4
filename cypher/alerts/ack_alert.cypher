// Acknowledge a visible alert; a second acknowledgement keeps the first one's who and when.
// No row when the alert does not exist or its account is not visible.
MATCH (al:Alert {id: $id})
WITH al
WHERE $all OR al.account_id IN $visible
SET al.acknowledged_by = coalesce(al.acknowledged_by, $by),
    al.acknowledged_at = coalesce(al.acknowledged_at, $at)
RETURN al.id AS id
