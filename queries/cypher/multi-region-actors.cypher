// title: Actors present in several regions
// description: Actors present in at least min_regions regions. An actor is present in a
//   region when it is located in it (LOCATED_IN), covers or concerns a place in it (COVERS,
//   CONCERNS), is itself part of it (IN_REGION, IN_DEPARTMENT), or is a member of an
//   organisation located in it (MEMBER_OF). Funding or supporting something in a region is
//   not presence. Regions, departments and communes themselves are left out, and so are the
//   sites of ANCT's programmes, which are places rather than actors, as in the networks
//   (sites=true lists them too).
// params: min_regions: int >= 1 = 2, sites: bool = false
// columns: id, kind, name, regions, region_names
MATCH (a)
WHERE NOT head(labels(a)) IN ['Region', 'Department', 'Commune'] AND ($sites OR head(labels(a)) <> 'Site')
OPTIONAL MATCH (a)-[:LOCATED_IN|COVERS|CONCERNS|IN_REGION|IN_DEPARTMENT|MEMBER_OF]->()-[:IN_DEPARTMENT|IN_REGION|LOCATED_IN]->(m)
WITH DISTINCT a, m
OPTIONAL MATCH (a)-[:LOCATED_IN|COVERS|CONCERNS|IN_REGION|IN_DEPARTMENT|MEMBER_OF]->(xr:Region)
OPTIONAL MATCH (mr:Region) WHERE mr = m
OPTIONAL MATCH (m)-[:IN_REGION]->(r1:Region)
OPTIONAL MATCH (m)-[:IN_DEPARTMENT]->(:Department)-[:IN_REGION]->(r2:Region)
UNWIND [xr.name, mr.name, r1.name, r2.name] AS region
WITH a, region WHERE region IS NOT NULL
WITH DISTINCT a, region
WITH a, collect(region) AS found
WHERE size(found) >= $min_regions
UNWIND found AS region
WITH a, region ORDER BY region LIMIT 1000000000
WITH a, count(*) AS regions, collect(region) AS region_names
MATCH (b) WHERE b = a
RETURN toLower(head(labels(b))) + ':' + b.key AS id, head(labels(b)) AS kind, b.name AS name,
       regions, region_names
ORDER BY regions DESC, name, id
