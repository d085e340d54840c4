// A new webhook. The URL and the secret arrive sealed (graphbrm/alerts/seal.py); `url_shown`
// is the URL without its query, for lists. $scope_employee_id null: every account's alerts;
// else those on the accounts visible to that employee (a manager's line).
CREATE (w:Webhook {id: $id, format: $format, rules: $rules, scope_employee_id: $scope_employee_id,
                   url_shown: $url_shown, url_sealed: $url_sealed,
                   secret_sealed: $secret_sealed, created_by: $created_by,
                   created_at: $created_at})
RETURN w.id AS id
