// title: Says who? The sources of a relationship
// description: The relationships between two actors (ids such as operator:bpifrance and
//   territory:I-ti-3204, or names, in either order; rel_type keeps one type), one row per source that
//   states them: the properties, the source's name, date and URL, and its quotes.
// params: from_id: id, to_id: id, rel_type: rel = null
// columns: type, from_id, from_name, to_id, to_name, role, date, amount_eur, year, programme, phase, since, until, share, source, source_name, source_date, source_url, evidence
// example: from_id=operator:bpifrance, to_id=territory:I-ti-3204
MATCH (a)
WHERE a.key IN [$from_id_key, $to_id_key]
WITH a WHERE (a.key = $from_id_key AND toLower(head(labels(a))) = $from_id_kind)
   OR (a.key = $to_id_key AND toLower(head(labels(a))) = $to_id_kind)
MATCH (a)-[r]->(b)
WITH a, r, b, toLower(head(labels(a))) + ':' + a.key AS aid, toLower(head(labels(b))) + ':' + b.key AS bid
WHERE ((aid = $from_id AND bid = $to_id) OR (aid = $to_id AND bid = $from_id))
  AND toUpper(coalesce($rel_type, type(r))) = type(r)
UNWIND r.sources AS source
WITH a, r, b, aid, bid, source, source + ':' AS prefix
OPTIONAL MATCH (s:Source {key: source})
RETURN type(r) AS type, aid AS from_id, a.name AS from_name, bid AS to_id, b.name AS to_name,
       r.role AS role, r.date AS date, r.amount_eur AS amount_eur, r.year AS year, r.programme AS programme,
       r.phase AS phase, r.since AS since, r.until AS until, r.share AS share,
       source, s.name AS source_name, s.date AS source_date, s.url AS source_url,
       [e IN r.evidence WHERE e STARTS WITH prefix] AS evidence
ORDER BY type, from_id, to_id, source
