// title: Territories of a region
// description: The territories that lie in a region, directly (IN_REGION) or through their
//   departments or the EPCI they cover; phase (I or II) keeps one phase. Give the region by
//   code, id or name.
// params: region: region, phase: I|II = null
// columns: id, name, phase, official_id, steps
// example: region=32
MATCH (r:Region {key: $region})
OPTIONAL MATCH (r)<-[:IN_REGION]-(:Department)<-[:IN_DEPARTMENT]-(:Commune)<-[:COVERS]-(t4:Territory)
WITH DISTINCT r, t4.key AS key
WITH r, collect(key) AS by_commune
MATCH (t:Territory)
WHERE coalesce($phase, t.phase) = t.phase
WITH r, t, t.key IN by_commune AS in_commune
OPTIONAL MATCH (t)-[:IN_REGION]->(r1:Region) WHERE r1 = r
WITH r, t, in_commune, count(r1) AS direct
OPTIONAL MATCH (t)-[:IN_DEPARTMENT]->(d2:Department)-[:IN_REGION]->(r)
WITH r, t, in_commune, direct, count(d2) AS by_department
OPTIONAL MATCH (t)-[:COVERS]->(e3:Epci)-[:IN_REGION]->(r)
WITH t, in_commune, direct, by_department, count(e3) AS by_epci
WITH t, CASE WHEN direct > 0 THEN 1
             WHEN by_department + by_epci > 0 THEN 2
             WHEN in_commune THEN 3 END AS steps
WHERE steps IS NOT NULL
RETURN 'territory:' + t.key AS id, t.name AS name, t.phase AS phase, t.official_id AS official_id, steps
ORDER BY phase, official_id, id
