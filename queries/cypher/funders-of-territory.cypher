// title: Who funds or supports a territory
// description: The actors that fund (FUNDS, with amounts) or support (SUPPORTS) a territory
//   or what lies in it: its projects, EPCI and communes. Give the territory by key, id or name
//   (II-ti-3207, territory:I-ti-3204, Béthune-Bruay).
// params: territory: territory
// columns: funder_id, funder, funder_kind, relation, target_id, target, amount_eur, date, role, sources
// example: territory=I-ti-3204
MATCH (t:Territory {key: $territory})
MATCH (f)-[m:FUNDS|SUPPORTS]->(n)
WHERE n = t
   OR EXISTS { MATCH (n)-[:LOCATED_IN]->(t) }
   OR EXISTS { MATCH (n)<-[:COVERS]-(t) }
   OR EXISTS { MATCH (n)-[:LOCATED_IN|IN_EPCI]->(x)<-[:COVERS]-(t) }
   OR EXISTS { MATCH (n)-[:LOCATED_IN|IN_EPCI]->()-[:IN_EPCI]->(x)<-[:COVERS]-(t) }
RETURN toLower(head(labels(f))) + ':' + f.key AS funder_id, f.name AS funder, head(labels(f)) AS funder_kind,
       type(m) AS relation, toLower(head(labels(n))) + ':' + n.key AS target_id, n.name AS target,
       m.amount_eur AS amount_eur, m.date AS date, m.role AS role, m.sources AS sources
ORDER BY funder, relation, target
