// title: Agreements and their signatories
// description: Contracts, protocols and accords with their date and type, one row per
//   signatory (SIGNED) with the date and capacity of the signature; agreements without a
//   known signatory have one row with empty signatory columns. agreement (key, id or name) keeps one.
// params: agreement: agreement = null
// columns: agreement_id, agreement, type, date, signatory_id, signatory, signatory_kind, signed_on, role
MATCH (a:Agreement)
WHERE coalesce($agreement, a.key) = a.key
OPTIONAL MATCH (s)-[g:SIGNED]->(a)
RETURN 'agreement:' + a.key AS agreement_id, a.name AS agreement, a.type AS type, a.date AS date,
       CASE WHEN s IS NULL THEN null ELSE toLower(head(labels(s))) + ':' + s.key END AS signatory_id, s.name AS signatory,
       head(labels(s)) AS signatory_kind, g.date AS signed_on, g.role AS role
ORDER BY date, agreement, signatory_kind, signatory
