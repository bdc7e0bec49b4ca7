// title: Projects by theme and status
// description: Industrial projects with their theme, status, amount and jobs, where they are
//   and who backs them (funds, supports, carries or pilots them). theme keeps one theme (any
//   case); status keeps the projects whose status contains that text.
// params: theme: str = null, status: str = null
// columns: id, name, theme, status, amount_eur, jobs, places, backers
MATCH (p:Project)
WHERE toLower(coalesce($theme, p.theme, '')) = toLower(coalesce(p.theme, ''))
  AND (coalesce($status, '') = '' OR toLower(coalesce(p.status, '')) CONTAINS toLower($status))
OPTIONAL MATCH (p)-[:LOCATED_IN]->(place)
WITH DISTINCT p, place ORDER BY place.key LIMIT 1000000000
WITH p, collect(CASE WHEN place IS NULL THEN null ELSE toLower(head(labels(place))) + ':' + place.key END) AS places
OPTIONAL MATCH (b)-[:FUNDS|SUPPORTS|CARRIES|PILOTS]->(p)
WITH DISTINCT p, places, b ORDER BY b.key LIMIT 1000000000
RETURN 'project:' + p.key AS id, p.name AS name, p.theme AS theme, p.status AS status,
       p.amount_eur AS amount_eur, p.jobs AS jobs, places,
       collect(CASE WHEN b IS NULL THEN null ELSE toLower(head(labels(b))) + ':' + b.key END) AS backers
ORDER BY theme, status, name, id
