// title: Actors present in several regions
// description: Actors linked to at least min_regions regions: by any relationship to the
//   region itself or to something located in it (department, EPCI, commune, territory,
//   project…). Regions, departments and communes themselves are left out.
// params: min_regions: int = 2
// columns: id, kind, name, regions, region_names
MATCH (a)-[]-(x)
WHERE NOT head(labels(a)) IN ['Region', 'Department', 'Commune']
MATCH (x)-[:IN_REGION|IN_DEPARTMENT|IN_EPCI|LOCATED_IN|COVERS*0..3]->(g:Region)
WITH a, g ORDER BY g.name LIMIT 1000000000
WITH a, count(DISTINCT g) AS regions, collect(DISTINCT g.name) AS region_names
WHERE regions >= $min_regions
RETURN toLower(head(labels(a))) + ':' + a.key AS id, head(labels(a)) AS kind, a.name AS name,
       regions, region_names
ORDER BY regions DESC, name, id
