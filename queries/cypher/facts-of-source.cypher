// title: What a source says: its relationships
// description: Every relationship that cites one source (given by key such as
//   press-2019-09-premier-bilan, id or title), with the quotes from that source.
// params: source: source
// columns: type, from_id, from_name, to_id, to_name, evidence
// example: source=press-2019-09-premier-bilan
MATCH (a)-[r]->(b)
WHERE $source IN r.sources
WITH a, r, b, $source + ':' AS prefix
RETURN type(r) AS type, toLower(head(labels(a))) + ':' + a.key AS from_id, a.name AS from_name,
       toLower(head(labels(b))) + ':' + b.key AS to_id, b.name AS to_name,
       [e IN r.evidence WHERE e STARTS WITH prefix] AS evidence
ORDER BY type, from_id, to_id
