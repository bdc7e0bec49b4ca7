// title: Territories that continued, left or joined between phase I and phase II
// description: Each phase I territory with its phase II successor (SUCCEEDED_BY, with the share
//   of groupements in common): "continued"; phase I territories with no successor: "left";
//   phase II territories with no predecessor: "joined".
// columns: change, phase_i_id, phase_i, phase_ii_id, phase_ii, share
MATCH (t:Territory)
WHERE t.phase IN ['I', 'II']
OPTIONAL MATCH (t)-[s:SUCCEEDED_BY]->(n:Territory)
OPTIONAL MATCH (q:Territory)-[:SUCCEEDED_BY]->(t)
WITH t, s, n, q
WHERE t.phase = 'I' OR q IS NULL
WITH DISTINCT t, s, n,
     CASE WHEN t.phase = 'II' THEN 'joined' WHEN n IS NULL THEN 'left' ELSE 'continued' END AS change
RETURN change,
       CASE WHEN t.phase = 'I' THEN 'territory:' + t.key END AS phase_i_id,
       CASE WHEN t.phase = 'I' THEN t.name END AS phase_i,
       CASE WHEN t.phase = 'II' THEN 'territory:' + t.key WHEN n IS NULL THEN null ELSE 'territory:' + n.key END AS phase_ii_id,
       CASE WHEN t.phase = 'II' THEN t.name ELSE n.name END AS phase_ii,
       s.share AS share
ORDER BY change, phase_i_id, phase_ii_id
