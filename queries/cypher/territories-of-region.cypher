// title: Territories of a region
// description: The territories that lie in a region, directly (IN_REGION) or through their
//   departments or the EPCI they cover; phase (I or II) keeps one phase. Give the region by
//   code, name or id.
// params: region: str, phase: str = null
// columns: id, name, phase, official_id, steps
// example: region=32
MATCH (r:Region)
WHERE r.key = $region OR r.name = $region OR 'region:' + r.key = $region
MATCH (t:Territory)
WHERE coalesce($phase, t.phase) = t.phase
OPTIONAL MATCH (t)-[:IN_REGION]->(r1:Region)
WITH r, t, collect(r1.key) AS direct
OPTIONAL MATCH (t)-[:IN_DEPARTMENT]->(:Department)-[:IN_REGION]->(r2:Region)
WITH r, t, direct, collect(r2.key) AS by_department
OPTIONAL MATCH (t)-[:COVERS]->(:Epci)-[:IN_REGION]->(r3:Region)
WITH r, t, direct, by_department, collect(r3.key) AS by_epci
OPTIONAL MATCH (t)-[:COVERS]->(:Commune)-[:IN_DEPARTMENT]->(:Department)-[:IN_REGION]->(r4:Region)
WITH r, t, direct, by_department, by_epci, collect(r4.key) AS by_commune
WITH t, CASE WHEN r.key IN direct THEN 1
             WHEN r.key IN by_department OR r.key IN by_epci THEN 2
             WHEN r.key IN by_commune THEN 3 END AS steps
WHERE steps IS NOT NULL
RETURN 'territory:' + t.key AS id, t.name AS name, t.phase AS phase, t.official_id AS official_id, steps
ORDER BY phase, official_id, id
