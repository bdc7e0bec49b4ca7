// title: Actors present in several regions
// description: Actors present in at least min_regions regions. An actor is present in a
//   region when it is located in it (LOCATED_IN), covers or concerns a place in it (COVERS,
//   CONCERNS), is itself part of it (IN_REGION, IN_DEPARTMENT), or is a member of an
//   organisation located in it (MEMBER_OF). Funding or supporting something in a region is
//   not presence. Regions, departments and communes themselves are left out.
// params: min_regions: int = 2
// columns: id, kind, name, regions, region_names
MATCH (a)-[:LOCATED_IN|COVERS|CONCERNS|IN_REGION|IN_DEPARTMENT|MEMBER_OF]->(x)
WHERE NOT head(labels(a)) IN ['Region', 'Department', 'Commune']
OPTIONAL MATCH (x)-[:IN_DEPARTMENT]->(dx:Department)
OPTIONAL MATCH (x)-[:IN_REGION]->(gx:Region)
OPTIONAL MATCH (x)-[:LOCATED_IN]->(y)
OPTIONAL MATCH (xr:Region) WHERE xr = x
WITH DISTINCT a, dx, y, xr, gx
OPTIONAL MATCH (dx)-[:IN_REGION]->(hx:Region)
OPTIONAL MATCH (y)-[:IN_REGION]->(gy:Region)
OPTIONAL MATCH (y)-[:IN_DEPARTMENT]->(:Department)-[:IN_REGION]->(hy:Region)
WITH a, [xr.name, gx.name, hx.name, CASE WHEN head(labels(y)) = 'Region' THEN y.name END, gy.name, hy.name] AS names
UNWIND names AS region
WITH a, region WHERE region IS NOT NULL
WITH DISTINCT a, region ORDER BY region LIMIT 1000000000
WITH a, count(*) AS regions, collect(region) AS region_names
WHERE regions >= $min_regions
RETURN toLower(head(labels(a))) + ':' + a.key AS id, head(labels(a)) AS kind, a.name AS name,
       regions, region_names
ORDER BY regions DESC, name, id
