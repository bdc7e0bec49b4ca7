"""Rank the actors a name may mean: exact name or alias, all words as prefixes, substring, fuzzy.

A `NameIndex` holds every name and alias of every actor in the forms `graph.names` derives
(generated variants live only here, never in what is shown). A search ranks in four tiers, a
better tier always first, then by score within a tier:

==========  =======  ===============================================================
tier        score    when
==========  =======  ===============================================================
exact       96–100   the canonical form (100) or the core (96) is the same, particles included
words       50–95    every word of the query begins a word of the name: 50, plus up to 35 for
                     the share of the name typed, plus 10 if the words are whole; the same
                     name but for its particles, 5 less than exact ("Pont-Évêque" for
                     Pont-l'Évêque: 95, ranked after Pont-Évêque itself)
substring   65–75    the query, without spaces, is inside the name
fuzzy       0–70     `rapidfuzz` similarity of the cores × 0.7
==========  =======  ===============================================================

A designator or legal form that agrees with the actor adds 3 ("Région Occitanie" → the
region, "CA Laval Agglomération" → the EPCI rather than the territory of that name); one that
names another kind takes 20 off and ranks that actor after those it does not rule out, whatever
their tiers ("communauté d'agglomération de Béthune-Bruay" → the CA de Béthune-Bruay, Artois-Lys
Romane before the territory named Béthune-Bruay); another legal form takes 5 off ("CC du
Cotentin" → the CA du Cotentin still, at 91). A programme's site takes 5 off: sites bear the
names of the communes and EPCI they cover ("Béthune" is the commune, then its Cité éducative).
Scores are shown up to 100; what these bonuses add above it still ranks. A
context (a department or commune code) adds 4 to actors in that department and takes 4 off
the others. Equal scores go to the actor with more relationships.

Example
-------
>>> index = NameIndex([
...     {"kind": "Commune", "key": "03001", "name": "Abrest", "aliases": [], "degree": 2},
...     {"kind": "Commune", "key": "29019", "name": "Brest", "aliases": [], "degree": 3},
...     {"kind": "Epci", "key": "242900314", "name": "Brest Métropole", "aliases": [], "degree": 9},
... ])
>>> [(m.id, m.score, m.tier) for m in index.search("brest")]
[('commune:29019', 100.0, 'exact'), ('epci:242900314', 96.0, 'exact'), ('commune:03001', 73.3, 'substring')]
"""

from __future__ import annotations

import bisect
import itertools
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graph.errors import InvalidName
from graph.names import ARTICLES, NameForm, analyse, words

__all__ = ["MARGIN", "MAX_NAME_LENGTH", "PARTICLES", "SURE", "WEAK", "NameIndex", "NameMatch", "check_name", "verdict"]

SURE = 80.0  # a best match scoring at least this, with no rival within MARGIN, is taken
WEAK = 60.0  # below this, a best match is no match
MARGIN = 2.0
CONTRADICTED = 20.0  # taken off a name whose kind the query's designator or legal form rules out; it then ranks after the others
PARTICLES = 5.0  # taken off a name written with other particles ("Pont-Évêque" for Pont-l'Évêque): found, never exactly
SITE = 5.0  # taken off a programme's site ("Béthune", a Cité éducative): the commune or EPCI of that name is meant first
_TIERS = ("exact", "words", "substring", "fuzzy")
MAX_NAME_LENGTH = 300  # the longest official names have about 150 characters
_FUZZY_POOL = 5_000
_KIND_OF_DESIGNATOR = {"region": "Region", "department": "Department", "territory": "Territory", "commune": "Commune"}


@dataclass(frozen=True)
class NameMatch:
    """One actor a name may mean: its id and name, the name or alias that matched, the score and tier."""

    id: str
    kind: str
    name: str
    matched: str
    score: float
    tier: str
    degree: int
    strength: float = 0.0  # the score before it is capped at 100: what ranks and decides (see `verdict`)


def check_name(text: str, where: str = "") -> str:
    """``text`` if it can name an actor; `InvalidName` if it is empty or too long to be a name.

    >>> check_name("Grand Figeac")
    'Grand Figeac'
    """
    at = f"{where}: " if where else ""
    if not text or not text.strip():
        raise InvalidName(f"{at}the name is empty; give the name of an actor.")
    if len(text) > MAX_NAME_LENGTH:
        raise InvalidName(f"{at}the name is {len(text):,} characters long; a name has at most {MAX_NAME_LENGTH}.")
    return text


def verdict(matches: Sequence[NameMatch]) -> tuple[str, list[NameMatch]]:
    """``matched``, ``ambiguous`` or ``unmatched``, with the matches that compete for the name.

    A best match is taken when it scores at least `SURE` and no other actor comes within
    `MARGIN` of it; it is ambiguous when rivals come that close, or when it scores between
    `WEAK` and `SURE`; below `WEAK` there is no match.

    >>> verdict([NameMatch("region:76", "Region", "Occitanie", "Occitanie", 100.0, "exact", 204, 103.0)])[0]
    'matched'
    """
    if not matches or matches[0].strength < WEAK:
        return "unmatched", []
    best = matches[0].strength
    rivals = [m for m in matches if m.strength >= best - MARGIN]
    if best >= SURE and len(rivals) == 1:
        return "matched", rivals
    return "ambiguous", rivals if len(rivals) > 1 else [m for m in matches if m.strength >= WEAK]


class NameIndex:
    """The names and aliases of actors, ready to be searched (see the module's docstring)."""

    def __init__(self, rows: Iterable[Mapping[str, Any]]) -> None:
        # Lists of strings and arrays of numbers only, which save and read back fast (graph.name_cache).
        self.actor_id: list[str] = []
        self.actor_kind: list[str] = []
        self.actor_name: list[str] = []
        self.actor_degree = array("q")
        self.actor_places: list[str] = []  # department codes, space-separated
        self.entry_actor = array("q")
        self.entry_text: list[str] = []
        self.entry_core: list[str] = []
        self.entry_forms: list[str] = []
        canon: list[tuple[str, int]] = []
        words: list[tuple[str, int]] = []
        for row in sorted(rows, key=lambda row: (row["kind"], row["key"])):  # whatever order the graph gives them in
            for entry, form in self._add(row):
                canon.append((form.canon.replace(" ", ""), entry))
                words.extend((word, entry) for word in {*form.words, *form.core_words})
        self.canon_keys, self.canon_entries = _sorted_pairs(canon)
        compacts = [core.replace(" ", "") for core in self.entry_core]
        self.core_keys, self.core_entries = _sorted_pairs([(c, e) for e, c in enumerate(compacts)])
        self.word_keys, self.word_entries = _sorted_pairs(words)
        self.kinds = sorted(set(self.actor_kind))
        self.blob = "\n".join(compacts)
        self.starts = array("q", itertools.accumulate((len(c) + 1 for c in compacts), initial=0))

    def _add(self, row: Mapping[str, Any]) -> Iterator[tuple[int, NameForm]]:
        actor = len(self.actor_id)
        self.actor_id.append(f"{row['kind'].lower()}:{row['key']}")
        self.actor_kind.append(row["kind"])
        self.actor_name.append(row["name"] or "")
        self.actor_degree.append(int(row.get("degree") or 0))
        self.actor_places.append(" ".join(row.get("departments") or ()))
        names = [(text, text) for text in dict.fromkeys([row["name"] or "", *(row.get("aliases") or [])])]
        names += [(text, row["name"] or "") for text in row.get("searched_as") or ()]  # found by these, shown by the name
        for text, shown in names:
            form = analyse(text)
            if not form.core:
                continue
            self.entry_actor.append(actor)
            self.entry_text.append(shown)
            self.entry_core.append(form.core)
            self.entry_forms.append(" ".join(sorted(form.forms)))
            yield len(self.entry_core) - 1, form

    def __getstate__(self) -> dict[str, Any]:
        return {k: _Strings(v) if isinstance(v, list) else v for k, v in vars(self).items()}

    def __len__(self) -> int:
        return len(self.actor_id)

    def search(self, text: str, *, kind: str | None = None, limit: int = 20, context: str | None = None,
               exhaustive: bool = True) -> list[NameMatch]:  # fmt: skip
        """The actors ``text`` may mean, best first (see the module's docstring for the scores).

        Parameters
        ----------
        text : str
            A name as written anywhere: "Région Occitanie", "CC Grand-Figeac", "ANCT".
        kind : str, optional
            Keep one kind, as a label (``Epci``).
        limit : int
            At most this many actors.
        context : str, optional
            A department code (``46``) or commune code (``46102``) that breaks ties between namesakes.
        exhaustive : bool
            ``False`` stops after the tier that finds a sure match (score `SURE` or more): the
            lower tiers score below it and cannot change its `verdict`; bulk matching is faster.
        """
        query = analyse(text)
        if not query.compact:
            return []
        scored: dict[int, tuple[float, str]] = {}
        for tier in (self._exact, self._prefixes, self._substrings):
            tier(query, scored)
            standing = self._standing(query, scored)
            if len(standing) >= limit:  # a lower tier could not rank in the first `limit`
                break
            if not exhaustive and max(standing.values(), default=0.0) >= SURE:  # nor rival a sure match
                break
        else:
            if max(standing.values(), default=0.0) < SURE:  # the last tier's, already counted
                self._fuzzy(query, scored, limit)
        return self._rank(query, scored, kind=kind, limit=limit, context=context)

    def _standing(self, query: NameForm, scored: Mapping[int, tuple[float, str]]) -> dict[int, float]:
        """The best score of each actor found whose kind the query does not rule out: those a lower tier ranks after."""
        standing: dict[int, float] = {}
        for entry, (score, _) in scored.items():
            fit = self._fit(query, entry)
            if fit > -CONTRADICTED:
                actor = self.entry_actor[entry]
                standing[actor] = max(standing.get(actor, 0.0), score + fit - self._site(actor))
        return standing

    def unpack(self) -> NameIndex:
        """Turn the saved lists back into plain lists, which look up faster when thousands of names are searched."""
        for name, value in vars(self).items():
            if isinstance(value, _Strings):
                setattr(self, name, value.to_list())
        return self

    def _exact(self, query: NameForm, scored: dict[int, tuple[float, str]]) -> None:
        for entry in _equal(self.core_keys, self.core_entries, query.compact):
            scored[entry] = (96.0, "exact")
        for entry in _equal(self.canon_keys, self.canon_entries, query.canon.replace(" ", "")):
            scored[entry] = (100.0, "exact")

    def _compact(self, entry: int) -> str:
        return self.blob[self.starts[entry] : self.starts[entry + 1] - 1]

    def _entries_with_prefix(self, prefix: str) -> set[int]:
        low = bisect.bisect_left(self.word_keys, prefix)
        high = bisect.bisect_left(self.word_keys, prefix + "\uffff", low)
        return set(self.word_entries[low:high])

    def _prefixes(self, query: NameForm, scored: dict[int, tuple[float, str]]) -> None:
        found: set[int] | None = None
        for word in sorted(set(query.core_words), key=len, reverse=True):
            entries = self._entries_with_prefix(word)
            found = entries if found is None else found & entries
            if not found:
                return
        query_words, query_forms = query.core_words, " ".join(sorted(query.forms))
        for entry in found or ():
            if entry not in scored:
                scored[entry] = (self._words_score(entry, query_words, query_forms), "words")

    def _words_score(self, entry: int, query_words: list[str], query_forms: str) -> float:
        """The score of a name that every query word begins, particles aside; the name but for its particles scores as exact, less `PARTICLES`."""
        words = _loose(self.entry_core[entry]).split()
        if words == query_words:
            return (100.0 if self.entry_forms[entry] == query_forms else 96.0) - PARTICLES
        size, whole = sum(map(len, query_words)), sum(w in words for w in query_words) / len(query_words)
        return min(95.0, 50 + 35 * size / max(size, sum(map(len, words))) + 10 * whole)

    def _substrings(self, query: NameForm, scored: dict[int, tuple[float, str]]) -> None:
        size, position = len(query.compact), self.blob.find(query.compact)
        while position >= 0 and len(scored) < _FUZZY_POOL:
            entry = bisect.bisect_right(self.starts, position) - 1
            if entry not in scored:
                scored[entry] = (65 + 10 * size / len(self._compact(entry)), "substring")
            position = self.blob.find(query.compact, self.starts[entry + 1])

    def _fuzzy(self, query: NameForm, scored: dict[int, tuple[float, str]], limit: int) -> None:
        """Close spellings, particles aside, among the names that share the first letters of a word with the query (rarest first)."""
        from rapidfuzz import fuzz, process

        blocks = sorted((self._entries_with_prefix(word[:3]) for word in query.core_words), key=len)
        pool: set[int] = set()
        for block in blocks:
            if pool and len(pool) + len(block) > _FUZZY_POOL:
                break
            pool |= block
        choices = {e: _loose(self.entry_core[e]) for e in pool if e not in scored}
        loose = " ".join(query.core_words)
        ruled_out = {e: c for e, c in choices.items() if self._fit(query, e) <= -CONTRADICTED} if query.kinds or query.forms else {}
        for group in ({e: c for e, c in choices.items() if e not in ruled_out}, ruled_out):  # the kinds the query allows first
            for _, raw, entry in process.extract(loose, group, scorer=fuzz.WRatio, limit=limit * 3, score_cutoff=70):
                scored[entry] = (0.7 * raw, "fuzzy")

    def _fit(self, query: NameForm, entry: int) -> float:
        """+3 when the query's designators agree with the actor; -`CONTRADICTED` when they name another kind, -5 another legal form."""
        kind, forms = self.actor_kind[self.entry_actor[entry]], set(self.entry_forms[entry].split())
        penalty, agree = 0.0, False
        if query.kinds:
            agree = any(_KIND_OF_DESIGNATOR[k] == kind for k in query.kinds)
            penalty = 0.0 if agree else CONTRADICTED
        if query.forms and forms:  # a territory may bear an EPCI's name, legal form included: the form means the EPCI
            agree = bool(query.forms & forms) and kind == "Epci"
            penalty = max(penalty, 0.0 if query.forms & forms else 5.0)
        elif query.forms and kind != "Epci":  # an EPT's name has no legal form: neither agrees nor contradicts
            penalty = CONTRADICTED
        return -penalty if penalty else 3.0 if agree else 0.0

    def _site(self, actor: int) -> float:
        """`SITE` off a programme's site, which bears the name of the place it covers: the place comes first."""
        return SITE if self.actor_kind[actor] == "Site" else 0.0

    def _place(self, actor: int, context: str | None) -> float:
        if not context:
            return 0.0
        if self.actor_id[actor] == f"commune:{context}":
            return 6.0
        departments = self.actor_places[actor].split()
        if not departments:
            return 0.0
        return 4.0 if _department(context) in departments else -4.0

    def _rank(self, query: NameForm, scored: dict[int, tuple[float, str]], *, kind: str | None, limit: int,
              context: str | None) -> list[NameMatch]:  # fmt: skip
        best: dict[int, tuple[float, str, int]] = {}
        rank: dict[int, tuple[Any, ...]] = {}
        for entry, (score, tier) in scored.items():
            actor = self.entry_actor[entry]
            if kind and self.actor_kind[actor] != kind:
                continue
            fit = self._fit(query, entry)
            score = round(score + fit - self._site(actor) + self._place(actor, context), 1)
            # Of an actor's names that score alike: the one written as the query is, then its name, then the first alias.
            text = self.entry_text[entry]
            this = (fit <= -CONTRADICTED, _TIERS.index(tier), -score, not self._as_written(query, entry),
                    text != self.actor_name[actor], text)  # fmt: skip
            if actor not in rank or this < rank[actor]:
                best[actor], rank[actor] = (score, tier, entry), this
        order = sorted(best, key=lambda a: (*rank[a][:3], -self.actor_degree[a], self.actor_name[a], self.actor_id[a]))
        return [self._match(actor, *best[actor]) for actor in order[:limit]]

    def _as_written(self, query: NameForm, entry: int) -> bool:
        """Whether the name or alias ``entry`` has the query's very words (shown rather than a variant that scores the same)."""
        return words(self.entry_text[entry]) == query.words

    def _match(self, actor: int, score: float, tier: str, entry: int) -> NameMatch:
        return NameMatch(self.actor_id[actor], self.actor_kind[actor], self.actor_name[actor], self.entry_text[entry],
                         min(score, 100.0), tier, self.actor_degree[actor], score)  # fmt: skip


class _Strings(Sequence[str]):
    """A list of strings kept as one string and the offsets of its items: saved and read back at once."""

    def __init__(self, items: list[str]) -> None:
        self.text = "".join(items)
        self.ends = array("q", itertools.accumulate(map(len, items)))

    def __len__(self) -> int:
        return len(self.ends)

    def to_list(self) -> list[str]:
        return [self.text[start:end] for start, end in zip(itertools.chain((0,), self.ends), self.ends)]

    def __getitem__(self, position: Any) -> Any:
        if isinstance(position, slice):
            return [self[i] for i in range(*position.indices(len(self)))]
        return self.text[self.ends[position - 1] if position else 0 : self.ends[position]]


def _sorted_pairs(pairs: list[tuple[str, int]]) -> tuple[list[str], array]:
    """Keys sorted, with the entry of each in an array alongside (searched with `bisect`)."""
    pairs.sort()
    return [key for key, _ in pairs], array("q", [entry for _, entry in pairs])


def _equal(keys: list[str], entries: array, key: str) -> array:
    """The entries whose key is ``key``."""
    low = bisect.bisect_left(keys, key)
    return entries[low : bisect.bisect_right(keys, key, low)]


def _loose(core: str) -> str:
    """A core without its particles.

    >>> _loose("pont l eveque")
    'pont eveque'
    """
    return " ".join(w for w in core.split() if w not in ARTICLES)


def _department(code: str) -> str:
    """The department of a department or commune code: ``46102`` → ``46``, ``97411`` → ``974``, ``2A004`` → ``2A``.

    >>> _department("97411"), _department("2A")
    ('974', '2A')
    """
    code = code.strip().upper()
    return code[:3] if code.startswith("97") else code[:2].zfill(2) if len(code) != 1 else code.zfill(2)
