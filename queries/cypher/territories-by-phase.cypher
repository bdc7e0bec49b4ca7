// title: Territories by phase
// description: The labelled territories of phase I (2019-2023) or II (2024-2027), or of both,
//   with their official id, the date of their labelling and the regions they lie in.
// params: phase: I|II = null
// columns: id, name, phase, official_id, labelled_on, regions
MATCH (t:Territory)
WHERE coalesce($phase, t.phase) = t.phase
OPTIONAL MATCH (t)-[:COVERS]->(:Commune)-[:IN_DEPARTMENT]->(d:Department)
WITH DISTINCT t, d
OPTIONAL MATCH (d)-[:IN_REGION]->(r4:Region)
WITH DISTINCT t, r4.name AS by_commune
OPTIONAL MATCH (t)-[:IN_REGION]->(r1:Region)
WITH DISTINCT t, by_commune, r1.name AS direct
OPTIONAL MATCH (t)-[:IN_DEPARTMENT]->(:Department)-[:IN_REGION]->(r2:Region)
WITH DISTINCT t, by_commune, direct, r2.name AS by_department
OPTIONAL MATCH (t)-[:COVERS]->(:Epci)-[:IN_REGION]->(r3:Region)
WITH DISTINCT t, by_commune, direct, by_department, r3.name AS by_epci
UNWIND [direct, by_department, by_epci, by_commune] AS region
WITH DISTINCT t, coalesce(region, '') AS region ORDER BY region LIMIT 1000000000
WITH t, collect(region) AS found
OPTIONAL MATCH (t)-[l:LABELLED]->(:Programme)
WITH t, found, min(l.date) AS labelled_on
MATCH (u:Territory) WHERE u = t
RETURN 'territory:' + u.key AS id, u.name AS name, u.phase AS phase, u.official_id AS official_id,
       labelled_on, [x IN found WHERE x <> ''] AS regions
ORDER BY phase, official_id, id
