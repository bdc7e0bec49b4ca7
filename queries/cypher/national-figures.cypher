// title: National figures
// description: The figures the documents state about the programme as a whole (Figure nodes
//   that describe no region, territory or other place): value, unit, date, what they describe
//   and who states them. unit (EUR, territories, projects, percent…, in any case) keeps one unit.
// params: unit: str = null
// columns: id, name, value, unit, date, describes, sources
MATCH (f:Figure)
WHERE toLower(coalesce($unit, f.unit, '')) = toLower(coalesce(f.unit, ''))
  AND NOT EXISTS { MATCH (f)-[:DESCRIBES]->(:Region) }
  AND NOT EXISTS { MATCH (f)-[:DESCRIBES]->(:Territory) }
OPTIONAL MATCH (f)-[:DESCRIBES]->(x)
WITH f, x ORDER BY x.key LIMIT 1000000000
RETURN 'figure:' + f.key AS id, f.name AS name, f.value AS value, f.unit AS unit, f.date AS date,
       collect(CASE WHEN x IS NULL THEN null ELSE toLower(head(labels(x))) + ':' + x.key END) AS describes, f.sources AS sources
ORDER BY unit, date, id
