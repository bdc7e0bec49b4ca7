"""From French press articles to proposed facts: ``tdi extract``.

`text` reads and checks the input, `article.Extractor` finds actors (`actors`, `patterns`,
`things`, `gazetteer`, `mentions`), titles (`roles`) and relationships (`relations`, with
`amounts` and `dates`), `match` matches them with the graph, `facts` writes the facts file and
`review` applies an analyst's decisions to it.

Example
-------
>>> from loaders.extract.amounts import find_amounts
>>> find_amounts("1,5 M€")[0].euros
1500000.0
"""
