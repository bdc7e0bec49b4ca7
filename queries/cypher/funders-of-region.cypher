// title: Funders of a region, ranked
// description: For each actor that funds or supports something located in a region (the
//   region itself, its departments, EPCI, communes, territories and their projects): the total
//   of the stated amounts, how many fundings and supports, and what it backs. Give the region by
//   code, id or name.
// params: region: region
// columns: funder_id, funder, funder_kind, total_eur, fundings, supports, recipients
// example: region=32
MATCH (r:Region {key: $region})
MATCH (f)-[m:FUNDS|SUPPORTS]->(n)
WHERE EXISTS { MATCH (n)-[:IN_REGION|IN_DEPARTMENT|IN_EPCI|LOCATED_IN|COVERS*0..3]->(r) }
WITH f, m, n ORDER BY n.name LIMIT 1000000000
RETURN toLower(head(labels(f))) + ':' + f.key AS funder_id, f.name AS funder, head(labels(f)) AS funder_kind,
       sum(coalesce(m.amount_eur, 0.0)) AS total_eur, count(CASE WHEN type(m) = 'FUNDS' THEN 1 END) AS fundings,
       count(CASE WHEN type(m) = 'SUPPORTS' THEN 1 END) AS supports, collect(DISTINCT n.name) AS recipients
ORDER BY total_eur DESC, funder, funder_id
