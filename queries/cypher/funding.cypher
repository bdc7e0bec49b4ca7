// title: Who funds what
// description: Every FUNDS relationship with its amount, year, programme, date and sources;
//   region or territory (code, id or name) keeps what is funded in that place: the place
//   itself or anything located in it.
// params: region: region = null, territory: territory = null
// columns: funder_id, funder, funder_kind, funded_id, funded, funded_kind, amount_eur, year, programme, date, sources
MATCH (f)-[m:FUNDS]->(n)
WHERE (coalesce($region, '') = ''
       OR EXISTS {
         MATCH (n)-[:IN_REGION|IN_DEPARTMENT|IN_EPCI|LOCATED_IN|COVERS*0..3]->(r:Region)
         WHERE r.key = $region
       })
  AND (coalesce($territory, '') = ''
       OR (head(labels(n)) = 'Territory' AND n.key = $territory)
       OR EXISTS {
         MATCH (n)-[:LOCATED_IN]->(t:Territory)
         WHERE t.key = $territory
       }
       OR EXISTS {
         MATCH (n)<-[:COVERS]-(t:Territory)
         WHERE t.key = $territory
       }
       OR EXISTS {
         MATCH (n)-[:LOCATED_IN|IN_EPCI]->(x)<-[:COVERS]-(t:Territory)
         WHERE t.key = $territory
       }
       OR EXISTS {
         MATCH (n)-[:LOCATED_IN|IN_EPCI]->()-[:IN_EPCI]->(:Epci)<-[:COVERS]-(t:Territory)
         WHERE t.key = $territory
       })
RETURN toLower(head(labels(f))) + ':' + f.key AS funder_id, f.name AS funder, head(labels(f)) AS funder_kind,
       toLower(head(labels(n))) + ':' + n.key AS funded_id, n.name AS funded, head(labels(n)) AS funded_kind,
       m.amount_eur AS amount_eur, m.year AS year, m.programme AS programme, m.date AS date, m.sources AS sources
ORDER BY funder, funded, date
