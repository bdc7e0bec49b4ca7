// title: Territories by phase
// description: The labelled territories of phase I (2019-2023) or II (2024-2027), or of both,
//   with their official id, the date of their labelling and the regions they lie in.
// params: phase: str = null
// columns: id, name, phase, official_id, labelled_on, regions
MATCH (t:Territory)
WHERE coalesce($phase, t.phase) = t.phase
OPTIONAL MATCH (t)-[l:LABELLED]->(:Programme)
WITH t, min(l.date) AS labelled_on
OPTIONAL MATCH (t)-[:IN_REGION|IN_DEPARTMENT|IN_EPCI|COVERS*1..3]->(r:Region)
WITH t, labelled_on, r ORDER BY r.name LIMIT 1000000000
RETURN 'territory:' + t.key AS id, t.name AS name, t.phase AS phase, t.official_id AS official_id,
       labelled_on, collect(DISTINCT r.name) AS regions
ORDER BY phase, official_id, id
