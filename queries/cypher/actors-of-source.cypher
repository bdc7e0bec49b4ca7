// title: What a source says: its actors
// description: Every actor that cites one source (given by key such as
//   press-2019-09-premier-bilan, id or title), with its kind and the quotes from that source.
// params: source: source
// columns: id, kind, name, evidence
// example: source=press-2019-09-premier-bilan
MATCH (n)
WHERE $source IN n.sources
WITH n, $source + ':' AS prefix
RETURN toLower(head(labels(n))) + ':' + n.key AS id, head(labels(n)) AS kind, n.name AS name,
       [e IN n.evidence WHERE e STARTS WITH prefix] AS evidence
ORDER BY kind, name, id
