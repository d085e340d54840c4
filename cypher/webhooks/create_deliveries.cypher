// Queue one delivery of an alert per listed webhook, due now.
UNWIND $rows AS r
MATCH (w:Webhook {id: r.webhook_id})
CREATE (w)-[:SENDS]->(:Delivery {id: r.id, webhook_id: r.webhook_id, alert_id: r.alert_id,
                                 status: 'pending', attempts: 0, next_at: r.at,
                                 created_at: r.at})
RETURN count(*) AS queued
