"""`check_graph` on every backend: a sound graph has no problem, each kind of damage is named."""

from __future__ import annotations

from graph.backend import EdgeRow
from graph.integrity import check_graph


def _sound(graph) -> None:
    graph.upsert_nodes("Source", [{"key": "notes", "name": "Notes"}])
    graph.upsert_nodes("Region", [{"key": "32", "name": "Hauts-de-France"}])
    graph.upsert_nodes("Operator", [{"key": "ademe", "name": "ADEME", "sources": ["notes"]}])
    graph.upsert_edges("PARTNER_OF", [EdgeRow("Operator", "ademe", "Region", "32", {"sources": ["notes"]})])


def test_a_sound_graph_has_no_problem(backend):
    _sound(backend)
    report = check_graph(backend)
    assert report.problems == []
    assert report.counts == {"nodes": {"Operator": 1, "Region": 1, "Source": 1}, "relationships": {"PARTNER_OF": 1}}


def test_each_problem_is_named(backend):
    _sound(backend)
    backend.run("CREATE (:Region {key: '9', name: 'Bad key'})", write=True)
    backend.run(
        "MATCH (o:Operator {key: 'ademe'}), (r:Region {key: '9'}) CREATE (o)-[:PARTNER_OF {sources: ['lost']}]->(r)", write=True
    )
    assert check_graph(backend).problems == [
        "Region: 1 key(s) not of the form insee_region: '9'.",
        "PARTNER_OF: cites 1 source(s) that are not in the graph: lost.",
    ]


def test_dates_not_of_the_calendar_are_named(backend):
    _sound(backend)
    backend.upsert_nodes("Source", [{"key": "odd", "name": "Odd", "date": "2024-02"}])  # a month is a date
    backend.run("MATCH (s:Source {key: 'notes'}) SET s.date = '2024-02-30'", write=True)
    backend.run("MATCH (o:Operator)-[p:PARTNER_OF]->(:Region) SET p.date = '31/12/2023'", write=True)
    assert check_graph(backend).problems == [
        "Source: 1 date value(s) not a date of the calendar written YYYY, YYYY-MM or YYYY-MM-DD: source:notes '2024-02-30'.",
        "PARTNER_OF: 1 date value(s) not a date of the calendar written YYYY, YYYY-MM or YYYY-MM-DD: operator:ademe -> region:32 '31/12/2023'.",
    ]


def test_periods_that_end_before_they_start_are_named(backend):
    _sound(backend)
    backend.upsert_nodes("Epci", [{"key": "200072460", "name": "CA Béthune-Bruay", "since": "2017-01", "until": "2017"}])  # one year: sound
    backend.upsert_nodes("Event", [{"key": "forum", "name": "Forum", "date": "2019-03-05", "until": "2019-03-06"}])
    backend.run("MATCH (e:Event) SET e.until = '2019-03'", write=True)  # the month it began in: sound
    backend.run("MATCH (e:Epci) SET e.until = '2016-12-31'", write=True)
    assert check_graph(backend).problems == ["Epci: 1 period(s) that end before they start: epci:200072460 (since 2017-01, until 2016-12-31)."]
