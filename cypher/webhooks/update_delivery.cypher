// The outcome of one attempt: delivered, pending again (with the next attempt's time) or failed.
MATCH (d:Delivery {id: $id})
SET d.status = $status, d.attempts = $attempts, d.next_at = $next_at,
    d.last_status = $last_status, d.last_error = $last_error, d.updated_at = $at,
    d.delivered_at = CASE WHEN $status = 'delivered' THEN $at ELSE d.delivered_at END
RETURN d.id AS id
