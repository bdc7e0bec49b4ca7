// title: Co-funders
// description: Pairs of funders that fund the same actors (projects, territories,
//   programmes…), with how many and which; with_support also counts SUPPORTS. Each pair
//   appears once; min_shared sets how many shared actors a pair needs.
// params: min_shared: int >= 1 = 1, with_support: bool = false
// columns: funder_id, funder, partner_id, partner, shared, shared_ids
MATCH (a)-[r1:FUNDS|SUPPORTS]->(x)<-[r2:FUNDS|SUPPORTS]-(b)
WHERE (type(r1) = 'FUNDS' OR $with_support) AND (type(r2) = 'FUNDS' OR $with_support)
WITH a, b, x, toLower(head(labels(a))) + ':' + a.key AS aid, toLower(head(labels(b))) + ':' + b.key AS bid
WHERE aid < bid
WITH DISTINCT a, aid, b, bid, x ORDER BY x.key LIMIT 1000000000
WITH a, aid, b, bid, count(*) AS shared, collect(toLower(head(labels(x))) + ':' + x.key) AS shared_ids
WHERE shared >= $min_shared
RETURN aid AS funder_id, a.name AS funder, bid AS partner_id, b.name AS partner, shared, shared_ids
ORDER BY shared DESC, funder_id, partner_id
