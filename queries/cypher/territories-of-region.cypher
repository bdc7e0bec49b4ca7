// title: Territories of a region
// description: The territories that lie in a region, directly (IN_REGION) or through their
//   departments or the EPCI they cover; phase (I or II) keeps one phase. Give the region by
//   code, name or id.
// params: region: str, phase: str = null
// columns: id, name, phase, official_id, steps
MATCH (r:Region)
WHERE $region IN [r.key, r.name, 'region:' + r.key]
MATCH p = (t:Territory)-[:IN_REGION|IN_DEPARTMENT|IN_EPCI|COVERS*1..3]->(r)
WHERE coalesce($phase, t.phase) = t.phase
WITH t, min(length(p)) AS steps
RETURN 'territory:' + t.key AS id, t.name AS name, t.phase AS phase, t.official_id AS official_id, steps
ORDER BY phase, official_id, id
