// title: Territories by phase
// description: The labelled territories of phase I (2019-2023) or II (2024-2027), or of both,
//   with their official id, the date of their labelling and the regions they lie in.
// params: phase: str = null
// columns: id, name, phase, official_id, labelled_on, regions
MATCH (t:Territory)
WHERE coalesce($phase, t.phase) = t.phase
OPTIONAL MATCH (t)-[:COVERS]->(:Commune)-[:IN_DEPARTMENT]->(d:Department)
WITH DISTINCT t, d
OPTIONAL MATCH (d)-[:IN_REGION]->(r4:Region)
WITH t, collect(DISTINCT r4.name) AS by_commune
OPTIONAL MATCH (t)-[l:LABELLED]->(:Programme)
WITH t, by_commune, min(l.date) AS labelled_on
OPTIONAL MATCH (t)-[:IN_REGION]->(r1:Region)
WITH t, by_commune, labelled_on, collect(DISTINCT r1.name) AS direct
OPTIONAL MATCH (t)-[:IN_DEPARTMENT]->(:Department)-[:IN_REGION]->(r2:Region)
WITH t, by_commune, labelled_on, direct, collect(DISTINCT r2.name) AS by_department
OPTIONAL MATCH (t)-[:COVERS]->(:Epci)-[:IN_REGION]->(r3:Region)
WITH t, by_commune, labelled_on, direct, by_department, collect(DISTINCT r3.name) AS by_epci
WITH t, labelled_on, direct + by_department + by_epci + by_commune AS names
UNWIND (CASE WHEN size(names) = 0 THEN [''] ELSE names END) AS region
WITH DISTINCT t, labelled_on, region ORDER BY region LIMIT 1000000000
WITH t, labelled_on, collect(region) AS found
RETURN 'territory:' + t.key AS id, t.name AS name, t.phase AS phase, t.official_id AS official_id,
       labelled_on, [x IN found WHERE x <> ''] AS regions
ORDER BY phase, official_id, id
