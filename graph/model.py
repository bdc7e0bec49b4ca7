"""The tdi schema: every node kind and relationship type, declared once.

Both backends derive their storage from these classes (`graph.schema` introspects them):
Neo4j gets a uniqueness constraint per kind, the embedded engine gets node and relationship
tables. Every kind is keyed by ``key`` (INSEE code, SIREN, slug…; ``KEY_FORMAT`` says which)
and every node and relationship carries its provenance: ``sources`` (ids of `Source` nodes)
and ``evidence`` (``"source-id: short quote"`` strings).

Dates are ISO strings (``2023-12-18``, or ``2019`` when a document gives only the year), so
that they compare the same way on both backends; ``since``/``until`` bound what holds for a
period (``end`` is a reserved word in the embedded engine's Cypher).

Example
-------
>>> Epci.KEY_FORMAT
'siren'
"""

from __future__ import annotations

from neomodel import (
    ArrayProperty,
    FloatProperty,
    IntegerProperty,
    RelationshipTo,
    StringProperty,
    StructuredNode,
    StructuredRel,
)

# ---------------------------------------------------------------- relationship models


class Fact(StructuredRel):
    """Provenance carried by every relationship."""

    sources = ArrayProperty(StringProperty())
    evidence = ArrayProperty(StringProperty())


class Period(Fact):
    """A relationship that holds between two dates (geography, memberships)."""

    since = StringProperty()
    until = StringProperty()


class Coverage(Fact):
    """A territory (in one phase) or a programme's site covering an EPCI, a commune, or another site."""

    phase = StringProperty()


class Succession(Fact):
    """A phase I territory continued by a phase II territory."""

    share = FloatProperty()


class Labelling(Fact):
    """A territory labelled by a programme (with its phase), or a site (with its signature date)."""

    phase = StringProperty()
    date = StringProperty()


class Funding(Fact):
    """Money given by a funder, in euros."""

    amount_eur = FloatProperty()
    year = IntegerProperty()
    programme = StringProperty()
    date = StringProperty()


class Signature(Fact):
    """A signatory of an agreement."""

    date = StringProperty()
    role = StringProperty()


class Role(Fact):
    """A person's position in an organisation."""

    role = StringProperty()
    since = StringProperty()
    until = StringProperty()


class Participation(Fact):
    """Taking part in something, with a role and a date."""

    role = StringProperty()
    date = StringProperty()
    phase = StringProperty()


# ---------------------------------------------------------------- node kinds


class Actor(StructuredNode):
    """What every node has: a key, a name, aliases and provenance."""

    __abstract_node__ = True
    KEY_FORMAT = "slug"

    key = StringProperty(unique_index=True, required=True)
    name = StringProperty(required=True)
    aliases = ArrayProperty(StringProperty())
    description = StringProperty()
    url = StringProperty()
    sources = ArrayProperty(StringProperty())
    evidence = ArrayProperty(StringProperty())
    # Derived on write (name and aliases, lower-case, without accents) so that `tdi find` is one query.
    search_text = StringProperty()


# Role mixins: a relationship declared once on a mixin is inherited by every kind that plays the role.


class Located:
    """Has a place: a commune, a department, a region, an EPCI or a territory."""

    located_in_commune = RelationshipTo("Commune", "LOCATED_IN", model=Fact)
    located_in_department = RelationshipTo("Department", "LOCATED_IN", model=Fact)
    located_in_region = RelationshipTo("Region", "LOCATED_IN", model=Fact)
    located_in_epci = RelationshipTo("Epci", "LOCATED_IN", model=Fact)
    located_in_territory = RelationshipTo("Territory", "LOCATED_IN", model=Fact)


class Funder:
    """Gives money to projects, territories, programmes, companies, EPCI, organisations."""

    funds_project = RelationshipTo("Project", "FUNDS", model=Funding)
    funds_territory = RelationshipTo("Territory", "FUNDS", model=Funding)
    funds_programme = RelationshipTo("Programme", "FUNDS", model=Funding)
    funds_company = RelationshipTo("Company", "FUNDS", model=Funding)
    funds_epci = RelationshipTo("Epci", "FUNDS", model=Funding)
    funds_organisation = RelationshipTo("Organisation", "FUNDS", model=Funding)


class Supporter:
    """Supports (without a stated amount) territories, projects, companies, EPCI."""

    supports_territory = RelationshipTo("Territory", "SUPPORTS", model=Participation)
    supports_project = RelationshipTo("Project", "SUPPORTS", model=Participation)
    supports_company = RelationshipTo("Company", "SUPPORTS", model=Participation)
    supports_epci = RelationshipTo("Epci", "SUPPORTS", model=Participation)


class Pilot:
    """Steers programmes, territories, projects or agreements."""

    pilots_programme = RelationshipTo("Programme", "PILOTS", model=Participation)
    pilots_territory = RelationshipTo("Territory", "PILOTS", model=Participation)
    pilots_project = RelationshipTo("Project", "PILOTS", model=Participation)
    pilots_agreement = RelationshipTo("Agreement", "PILOTS", model=Participation)


class Signatory:
    """Signs agreements."""

    signed = RelationshipTo("Agreement", "SIGNED", model=Signature)


class Participant:
    """Takes part in (organises, attends, speaks at) events."""

    took_part = RelationshipTo("Event", "TOOK_PART", model=Participation)


class Carrier:
    """Carries (leads) industrial projects."""

    carries = RelationshipTo("Project", "CARRIES", model=Participation)


class Partner:
    """Works in partnership with other organisations, and belongs to networks and programmes."""

    partner_of_state = RelationshipTo("StateBody", "PARTNER_OF", model=Participation)
    partner_of_region = RelationshipTo("Region", "PARTNER_OF", model=Participation)
    partner_of_department = RelationshipTo("Department", "PARTNER_OF", model=Participation)
    partner_of_epci = RelationshipTo("Epci", "PARTNER_OF", model=Participation)
    partner_of_territory = RelationshipTo("Territory", "PARTNER_OF", model=Participation)
    partner_of_operator = RelationshipTo("Operator", "PARTNER_OF", model=Participation)
    partner_of_organisation = RelationshipTo("Organisation", "PARTNER_OF", model=Participation)
    partner_of_company = RelationshipTo("Company", "PARTNER_OF", model=Participation)
    member_of_organisation = RelationshipTo("Organisation", "MEMBER_OF", model=Participation)
    member_of_programme = RelationshipTo("Programme", "MEMBER_OF", model=Participation)


class StateBody(Actor, Funder, Supporter, Pilot, Signatory, Partner, Participant, Located):
    """The State and its bodies: Prime Minister, ministries, ANCT, préfectures, DREETS…"""


class Region(Actor, Funder, Supporter, Pilot, Signatory, Partner, Participant, Carrier):
    """A region, keyed by its INSEE code (``32`` for Hauts-de-France)."""

    KEY_FORMAT = "insee_region"
    zone = StringProperty()


class Department(Actor, Funder, Signatory, Partner, Carrier):
    """A department, keyed by its INSEE code (``62``, ``2A``, ``971``)."""

    KEY_FORMAT = "insee_department"
    zone = StringProperty()
    in_region = RelationshipTo("Region", "IN_REGION", model=Period)


class Commune(Actor):
    """A commune, keyed by its INSEE code (``62119``)."""

    KEY_FORMAT = "insee_commune"
    siren = StringProperty()
    population = IntegerProperty()
    since = StringProperty()
    until = StringProperty()
    in_epci = RelationshipTo("Epci", "IN_EPCI", model=Period)
    in_department = RelationshipTo("Department", "IN_DEPARTMENT", model=Period)


class Epci(Actor, Funder, Signatory, Partner, Participant, Carrier):
    """An intercommunality (CC, CA, CU, métropole or EPT of Grand Paris), keyed by its SIREN."""

    KEY_FORMAT = "siren"
    type = StringProperty()
    financing = StringProperty()
    population = IntegerProperty()
    since = StringProperty()
    until = StringProperty()
    in_department = RelationshipTo("Department", "IN_DEPARTMENT", model=Period)
    in_region = RelationshipTo("Region", "IN_REGION", model=Period)


class Territory(Actor, Signatory, Partner, Carrier):
    """A labelled Territoire d'industrie in one phase, keyed ``<phase>-<official id>`` (``II-ti-6201``)."""

    KEY_FORMAT = "territory"
    official_id = StringProperty()
    phase = StringProperty(required=True)
    outline = StringProperty()  # GeoJSON MultiPolygon text, simplified (loaders.outline), from ANCT's GeoJSON lists
    covers_epci = RelationshipTo("Epci", "COVERS", model=Coverage)
    covers_commune = RelationshipTo("Commune", "COVERS", model=Coverage)
    succeeded_by = RelationshipTo("Territory", "SUCCEEDED_BY", model=Succession)
    labelled = RelationshipTo("Programme", "LABELLED", model=Labelling)
    in_department = RelationshipTo("Department", "IN_DEPARTMENT", model=Period)
    in_region = RelationshipTo("Region", "IN_REGION", model=Period)


class Site(Actor):
    """A site of one of ANCT's programmes (a PVD town, an AMM syndicate, a France services house…).

    Keyed by its id prefixed with the programme's code when it lacks it (``pvd-01-971-1``,
    ``citeduc-cite-001``); it
    ``COVERS`` the communes, EPCI or other sites it lists and is ``LABELLED`` by its programme.
    """

    official_id = StringProperty()
    programme = StringProperty()
    signed = StringProperty()
    massif = StringProperty()
    covers_epci = RelationshipTo("Epci", "COVERS", model=Coverage)
    covers_commune = RelationshipTo("Commune", "COVERS", model=Coverage)
    covers_territory = RelationshipTo("Territory", "COVERS", model=Coverage)
    covers_site = RelationshipTo("Site", "COVERS", model=Coverage)
    labelled = RelationshipTo("Programme", "LABELLED", model=Labelling)


class Company(Actor, Funder, Signatory, Partner, Participant, Carrier, Located):
    """A firm, keyed by its SIREN (9 digits, Luhn-checked)."""

    KEY_FORMAT = "siren"
    sector = StringProperty()


class Operator(Actor, Funder, Supporter, Pilot, Signatory, Partner, Participant, Carrier):
    """A public operator: Banque des Territoires, Bpifrance, Business France, ADEME, CCI…"""


class Organisation(Actor, Funder, Supporter, Pilot, Signatory, Partner, Participant, Carrier, Located):
    """An association or network: Intercommunalités de France, Régions de France…"""


class Programme(Actor, Funder, Supporter):
    """A programme or fund: Territoires d'industrie, Fonds vert, France 2030… (``code``: ANCT's code, such as ``pvd``)."""

    code = StringProperty()
    amount_eur = FloatProperty()
    since = StringProperty()
    until = StringProperty()
    part_of = RelationshipTo("Programme", "PART_OF", model=Fact)


class Project(Actor, Located):
    """An industrial project."""

    theme = StringProperty()
    status = StringProperty()
    amount_eur = FloatProperty()
    jobs = IntegerProperty()
    part_of = RelationshipTo("Programme", "PART_OF", model=Fact)


class Agreement(Actor, Located):
    """A contract, protocol or accord, with its date."""

    type = StringProperty()
    date = StringProperty()
    concerns_territory = RelationshipTo("Territory", "CONCERNS", model=Fact)
    concerns_project = RelationshipTo("Project", "CONCERNS", model=Fact)
    concerns_programme = RelationshipTo("Programme", "CONCERNS", model=Fact)
    concerns_region = RelationshipTo("Region", "CONCERNS", model=Fact)
    part_of = RelationshipTo("Programme", "PART_OF", model=Fact)


class Event(Actor, Located):
    """A dated event: a launch, an announcement, a steering committee, an assembly."""

    date = StringProperty()
    until = StringProperty()
    concerns_programme = RelationshipTo("Programme", "CONCERNS", model=Fact)
    concerns_territory = RelationshipTo("Territory", "CONCERNS", model=Fact)
    concerns_agreement = RelationshipTo("Agreement", "CONCERNS", model=Fact)


class Person(Actor, Signatory, Pilot, Participant):
    """A person: an elected official, an executive, a project lead."""

    role_in_state = RelationshipTo("StateBody", "HOLDS_ROLE", model=Role)
    role_in_region = RelationshipTo("Region", "HOLDS_ROLE", model=Role)
    role_in_department = RelationshipTo("Department", "HOLDS_ROLE", model=Role)
    role_in_commune = RelationshipTo("Commune", "HOLDS_ROLE", model=Role)
    role_in_epci = RelationshipTo("Epci", "HOLDS_ROLE", model=Role)
    role_in_territory = RelationshipTo("Territory", "HOLDS_ROLE", model=Role)
    role_in_operator = RelationshipTo("Operator", "HOLDS_ROLE", model=Role)
    role_in_organisation = RelationshipTo("Organisation", "HOLDS_ROLE", model=Role)
    role_in_company = RelationshipTo("Company", "HOLDS_ROLE", model=Role)
    role_in_programme = RelationshipTo("Programme", "HOLDS_ROLE", model=Role)


class Figure(Actor):
    """A figure a document states: a count, an amount, a share, with its unit and date."""

    value = FloatProperty(required=True)
    unit = StringProperty()
    date = StringProperty()
    describes_programme = RelationshipTo("Programme", "DESCRIBES", model=Fact)
    describes_region = RelationshipTo("Region", "DESCRIBES", model=Fact)
    describes_territory = RelationshipTo("Territory", "DESCRIBES", model=Fact)
    describes_operator = RelationshipTo("Operator", "DESCRIBES", model=Fact)


class Source(StructuredNode):
    """A document or dataset that states facts (press article, official list, facts file)."""

    KEY_FORMAT = "slug"
    key = StringProperty(unique_index=True, required=True)
    name = StringProperty(required=True)
    type = StringProperty()
    publisher = StringProperty()
    date = StringProperty()
    url = StringProperty()
    licence = StringProperty()
    document = StringProperty()
    sha256 = StringProperty()
    rows = IntegerProperty()
    vintage = StringProperty()
    loaded_at = StringProperty()
