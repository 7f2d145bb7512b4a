"""The event lexicon: which words and phrases signal which PLOVER event type.

Written for this project from the PLOVER event definitions (Open Event Data Alliance,
manual draft 0.8, and its CAMEO→PLOVER table) and ordinary English usage; no coded
sentences were copied. Three layers, tried in this order for a verb:

1. phrasal verbs and verb + preposition (``call for``, ``pull out``, ``go on strike``);
2. a verb and the class of its object (``hold`` + talks → CONSULT, ``impose`` +
   sanctions → COERCE, ``suspend`` + aid → SANCTION, ``sign`` + agreement → SUPPORT);
3. the verb's lemma alone (``condemn`` → ACCUSE, ``invade`` → ASSAULT).

Each entry has a weight in (0, 1]: how often the word means that event in news
text, by judgment; it is the base of the event's confidence.
"""

from __future__ import annotations

__all__ = [
    "CLAIMING_VERBS",
    "COMMISSIVE_HEADS",
    "COPULAR_ADJECTIVES",
    "COOPERATIVE_TYPES",
    "COPULAR_NOUNS",
    "DESIRE_HEADS",
    "EVENT_NOUNS",
    "EVENT_TYPES",
    "FEAR_HEADS",
    "HYPOTHETICAL_NOUNS",
    "LIGHT_VERBS",
    "MOVEMENT_VERBS",
    "NEEDS_OBJECT",
    "NOT_EVENTS",
    "NEGATING_HEADS",
    "NOUN_CLASSES",
    "NOUN_EVENTS",
    "OBJECT_RULES",
    "PHRASAL",
    "PREDICTING_HEADS",
    "REPORTING_VERBS",
    "VERBS",
    "noun_class",
]

#: The sixteen PLOVER event types, cooperative to conflictual.
EVENT_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip


def _table(text: str) -> dict[str, tuple[str, float]]:
    """``TYPE weight: word, word, ...`` lines into ``{word: (TYPE, weight)}`` (first entry wins)."""
    out: dict[str, tuple[str, float]] = {}
    for line in text.strip().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        head, words = line.split(":", 1)
        kind, weight = head.split()
        for word in words.split(","):
            word = word.strip()
            if word:
                out.setdefault(word, (kind, float(weight)))
    return out


#: Verb lemma alone → (type, weight).
VERBS = _table(
    """
    AGREE 0.8: agree, pledge, promise, consent, undertake, accept, vow
    AGREE 0.5: commit
    AGREE 0.6: offer, propose, volunteer, settle
    CONSULT 0.85: meet, negotiate, consult, confer, mediate, telephone, phone
    CONSULT 0.7: visit, discuss, talk, host
    CONSULT 0.5: travel, arrive, fly, land, tour
    SUPPORT 0.85: praise, commend, endorse, hail, applaud, congratulate, laud, apologize, apologise, forgive, thank
    SUPPORT 0.7: support, back, welcome, defend, recognize, recognise, sign, ratify, approve, reaffirm, uphold, honor, honour, champion
    SUPPORT 0.75: salute, acclaim, extol, compliment
    CONCEDE 0.8: concede, yield, accede, relent, capitulate, resign, abdicate, pardon, amnesty
    CONCEDE 0.6: comply, relax, ease, lift, allow, permit, grant, reverse, reinstate, revoke, rescind, overturn, waive
    CONCEDE 0.7: acquiesce, retract
    COOPERATE 0.8: cooperate, collaborate, coordinate, partner, extradite
    COOPERATE 0.6: share, exchange, integrate, harmonize, harmonise
    AID 0.85: aid, donate, fund, finance, lend, loan, airlift, arm, rescue
    AID 0.7: assist, help, provide, supply, deliver, send, equip, train, contribute, shelter, evacuate, sponsor
    AID 0.75: resettle, airdrop
    RETREAT 0.85: withdraw, retreat, disarm, demobilize, demobilise, surrender, release, free
    RETREAT 0.6: return, de-escalate, deescalate, reopen
    RETREAT 0.7: repatriate, decommission
    REQUEST 0.85: request, demand, urge, appeal, implore, beseech, beg, plead, petition, summon
    REQUEST 0.65: ask, seek, invite, press, pressure, pressurize, pressurise, lobby, insist, require, push
    REQUEST 0.8: exhort, entreat
    ACCUSE 0.9: accuse, blame, condemn, denounce, criticize, criticise, censure, decry, deplore, lambast, slam, fault, rebuke, reprimand, chastise, castigate, allege, sue, indict, convict
    ACCUSE 0.7: complain, charge, investigate, probe, scold, disparage, vilify, assail, prosecute, impeach
    ACCUSE 0.8: berate, reproach, admonish, excoriate, chide, upbraid, denigrate, slander, defame, arraign
    REJECT 0.9: reject, refuse, decline, veto, rebuff, spurn, repudiate, dismiss, deny, snub
    REJECT 0.7: oppose, block, resist, defy, ignore, disregard, object, obstruct, overrule, cancel, postpone, fail
    REJECT 0.55: violate, breach, flout
    REJECT 0.8: shun, renounce, disavow
    THREATEN 0.9: threaten, menace, intimidate
    THREATEN 0.65: warn, vow, caution
    PROTEST 0.9: demonstrate, rally, march, riot, picket
    PROTEST 0.75: protest
    # staying away in protest (CAMEO 143: strike or boycott); boycotting talks stays a rejection (OBJECT_RULES)
    PROTEST 0.7: boycott
    SANCTION 0.85: sever, expel, recall, embargo, downgrade
    SANCTION 0.65: suspend, halt, freeze, withhold, cut, curtail, reduce, terminate, end
    MOBILIZE 0.9: mobilize, mobilise, deploy
    MOBILIZE 0.6: station, patrol, alert, muster, rearm
    COERCE 0.9: arrest, apprehend, detain, jail, imprison, incarcerate, deport, confiscate, censor, outlaw, ban, prohibit, blockade, besiege, annex, occupy, intern, sanction, repress, evict, sentence
    COERCE 0.7: seize, restrict, suppress, impose, fine, raid, search, capture, shut, close, dissolve, expropriate, nationalize, nationalise, penalize, penalise, curb
    # damaging property (CAMEO 171)
    COERCE 0.7: demolish, raze, bulldoze
    COERCE 0.7: nab
    ASSAULT 0.95: bomb, shell, bombard, invade, assassinate, massacre, ambush, abduct, kidnap, hijack, torture, behead, murder, slaughter, stab, rape
    ASSAULT 0.8: kill, shoot, strike, assault, storm, pound, clash, fight, battle, counterattack, wound, injure, execute, lynch
    ASSAULT 0.8: skirmish, detonate, torch, strafe
    ASSAULT 0.6: hit, target, fire, destroy, down, sink, burn, loot, retaliate, damage, beat, attack
    """
)

#: Verb + particle or preposition → (type, weight).
PHRASAL: dict[tuple[str, str], tuple[str, float]] = {
    ("call", "for"): ("REQUEST", 0.85),
    ("call", "on"): ("REQUEST", 0.85),
    ("call", "upon"): ("REQUEST", 0.85),
    ("appeal", "to"): ("REQUEST", 0.85),
    ("ask", "for"): ("REQUEST", 0.85),
    ("push", "for"): ("REQUEST", 0.75),
    ("press", "for"): ("REQUEST", 0.8),
    ("lobby", "for"): ("REQUEST", 0.75),
    ("pull", "out"): ("RETREAT", 0.9),
    ("pull", "back"): ("RETREAT", 0.85),
    ("back", "down"): ("CONCEDE", 0.85),
    ("back", "off"): ("CONCEDE", 0.8),
    ("step", "down"): ("CONCEDE", 0.85),
    ("give", "in"): ("CONCEDE", 0.85),
    ("give", "up"): ("CONCEDE", 0.75),
    ("stand", "down"): ("RETREAT", 0.8),
    ("hand", "over"): ("RETREAT", 0.7),
    ("hand", "back"): ("RETREAT", 0.8),
    ("crack", "down"): ("COERCE", 0.9),
    ("lock", "down"): ("COERCE", 0.7),
    ("shut", "down"): ("COERCE", 0.75),
    ("round", "up"): ("COERCE", 0.85),
    ("blow", "up"): ("ASSAULT", 0.85),
    ("shoot", "down"): ("ASSAULT", 0.9),
    ("take", "out"): ("ASSAULT", 0.6),
    ("open", "fire"): ("ASSAULT", 0.95),
    ("go", "on"): ("PROTEST", 0.5),
    ("walk", "out"): ("PROTEST", 0.75),
    ("break", "off"): ("SANCTION", 0.8),
    ("cut", "off"): ("SANCTION", 0.8),
    ("side", "with"): ("SUPPORT", 0.8),
    ("stand", "with"): ("SUPPORT", 0.75),
    ("stand", "by"): ("SUPPORT", 0.7),
    ("speak", "with"): ("CONSULT", 0.75),
    ("speak", "to"): ("CONSULT", 0.6),
    ("talk", "with"): ("CONSULT", 0.8),
    ("talk", "to"): ("CONSULT", 0.75),
    ("sit", "down"): ("CONSULT", 0.6),
    ("reach", "out"): ("CONSULT", 0.7),
    ("vote", "against"): ("REJECT", 0.85),
    ("vote", "for"): ("SUPPORT", 0.75),
    ("rule", "out"): ("REJECT", 0.85),
    ("turn", "down"): ("REJECT", 0.85),
    ("walk", "away"): ("REJECT", 0.7),
    ("pull", "in"): ("COERCE", 0.4),
    ("set", "up"): ("COOPERATE", 0.4),
    ("join", "forces"): ("COOPERATE", 0.85),
    ("team", "up"): ("COOPERATE", 0.85),
    ("build", "up"): ("MOBILIZE", 0.7),
    ("step", "up"): ("MOBILIZE", 0.5),
    ("lash", "out"): ("ACCUSE", 0.8),
    ("hit", "out"): ("ACCUSE", 0.8),
    ("speak", "out"): ("ACCUSE", 0.6),
    ("clash", "police"): ("PROTEST", 0.7),  # a crowd fighting the police is a riot (CAMEO 145)
    ("fire", "on"): ("ASSAULT", 0.9),
    ("fire", "across"): ("ASSAULT", 0.85),
    ("set", "fire"): ("ASSAULT", 0.8),
    ("gun", "down"): ("ASSAULT", 0.9),
    ("mow", "down"): ("ASSAULT", 0.85),
    ("climb", "down"): ("CONCEDE", 0.8),
    ("fire", "into"): ("ASSAULT", 0.85),
    ("push", "out"): ("ASSAULT", 0.6),
    ("drive", "out"): ("ASSAULT", 0.7),
    ("force", "out"): ("COERCE", 0.75),
    ("search", "evidence"): ("ACCUSE", 0.7),  # a search for evidence is an investigation (CAMEO 09)
    ("take", "custody"): ("COERCE", 0.85),
    ("fire", "at"): ("ASSAULT", 0.9),
    ("clamp", "down"): ("COERCE", 0.85),
    ("call", "off"): ("CONCEDE", 0.8),
    ("roll", "back"): ("RETREAT", 0.75),
    ("let", "free"): ("RETREAT", 0.85),
    ("let", "go"): ("RETREAT", 0.7),
    ("set", "free"): ("RETREAT", 0.85),
    ("find", "guilty"): ("ACCUSE", 0.9),
    ("hold", "responsible"): ("ACCUSE", 0.85),
    ("hold", "accountable"): ("ACCUSE", 0.8),
    ("stop", "work"): ("PROTEST", 0.8),
    ("take", "streets"): ("PROTEST", 0.85),
    ("remain", "alert"): ("MOBILIZE", 0.8),
    ("stay", "alert"): ("MOBILIZE", 0.8),
    ("put", "alert"): ("MOBILIZE", 0.85),
    ("place", "alert"): ("MOBILIZE", 0.85),
    ("lay", "arms"): ("RETREAT", 0.85),
    ("lay", "weapons"): ("RETREAT", 0.85),
    ("hold", "shields"): ("ASSAULT", 0.8),
    ("raise", "money"): ("AID", 0.6),
    ("raise", "funds"): ("AID", 0.6),
}

_CLASSES = {
    "talks": "talks negotiation negotiations meeting meetings summit consultation consultations discussion discussions dialogue "
    "conference visit trip tour call calls phone phones mediation session sessions parley rapprochement",
    "agreement": "agreement agreements deal deals accord accords pact pacts treaty treaties memorandum contract contracts protocol "
    "partnership alliance compact convention understanding settlement framework",
    "aid": "aid assistance help supplies weapons weapon arms missile missiles ammunition munitions shells drone drones loan loans "
    "fund funds funding money equipment interceptors interceptor relief food medicine medicines vaccines jet jets fighter "
    "fighters helicopter helicopters tank tanks system systems hardware grant grants donation donations credit credits "
    "cash package packages asylum refuge shelter battalion regiment warship warships euros dollars pounds yuan yen "
    "rupees francs",
    "attack": "attack attacks strike strikes airstrike airstrikes cyberattack cyberattacks raid raids offensive assault assaults bombing bombings invasion "
    "barrage bombardment shelling operation operations incursion onslaught campaign war fire rocket rockets",
    "restriction": "sanction sanctions embargo embargoes tariff tariffs curfew ban bans restriction restrictions blockade siege "
    "law emergency lockdown quarantine moratorium controls",
    "protest": "protest protests demonstration demonstrations rally rallies march marches strike strikes boycott sit-in walkout "
    "stoppage riot riots",
    "threat": "threat threats ultimatum ultimatums warning warnings deadline",
    "accusation": "lawsuit lawsuits suit suits complaint complaints accusation accusations charge charges allegation allegations "
    "investigation investigations probe probes inquiry inquiries case indictment condemnation criticism",
    "request": "request requests demand demands appeal appeals plea pleas petition petitions call",
    "praise": "support backing solidarity condolences sympathy praise apology apologies recognition endorsement gratitude thanks "
    "congratulations",
    "disapproval": "concern concerns outrage regret dismay anger disapproval displeasure indignation alarm opposition objection "
    "objections reservations",
    "relations": "relations ties relationship diplomats diplomat ambassador ambassadors envoy envoys embassy embassies "
    "consulate cooperation membership links contacts",
    "forces": "troops forces soldiers reservists army military warships tanks units police battalions brigades "
    "division divisions fleet navy jets aircraft militia personnel",
    "captives": "prisoners prisoner hostages hostage detainees detainee captives captive soldiers activists dissidents "
    "journalists",
    "veto": "veto vetoes",
    "revenge": "revenge retaliation retribution vengeance reprisal reprisals response",
    "truce": "ceasefire ceasefires cease-fire truce truces armistice",
    "exercise": "exercise exercises drill drills game games maneuvers manoeuvres",
    "peacekeepers": "peacekeepers peacekeeping peacekeeper contingent contingents mission missions",
    "refugees": "refugees refugee migrants asylum-seekers seekers evacuees",
    "proposal": "proposal proposals offer offers plan plans invitation initiative initiatives",
    "border": "border borders doors",
    "media": "publication publications newspaper newspapers broadcast broadcasts website websites outlet outlets channel "
    "channels broadcaster broadcasters",
    "pressure": "pressure",
    "delegation": "delegation delegations emissary emissaries",
    "information": "information intelligence data records",
    "honour": "medal medals prize prizes honour honours honor honors award awards order",
}
#: Noun lemma → the class it belongs to (for verb + object rules).
NOUN_CLASSES: dict[str, str] = {}
for _cls, _words in _CLASSES.items():
    for _w in _words.split():
        NOUN_CLASSES.setdefault(_w, _cls)
# A few nouns belong to two classes; the object rules below look at both.
_SECOND_CLASS = {"strike": "protest", "strikes": "protest", "support": "aid", "fire": "attack", "call": "request"}


def noun_class(lemma: str) -> tuple[str, ...]:
    """The classes of a noun lemma (most nouns have none, a few two).

    Example:
        >>> noun_class("talks"), noun_class("strike"), noun_class("table")
        (('talks',), ('attack', 'protest'), ())
    """
    first = NOUN_CLASSES.get(lemma)
    if first is None:
        return ()
    second = _SECOND_CLASS.get(lemma)
    return (first, second) if second else (first,)


def _rules(text: str) -> dict[tuple[str, str], tuple[str, float]]:
    """``TYPE weight: verb verb ... + class class ...`` lines into ``{(verb, class): (TYPE, weight)}``."""
    out: dict[tuple[str, str], tuple[str, float]] = {}
    for line in text.strip().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        head, body = line.split(":", 1)
        kind, weight = head.split()
        verbs, classes = body.split("+")
        for verb in verbs.split():
            for cls in classes.split():
                out.setdefault((verb.replace("_", " "), cls), (kind, float(weight)))
    return out


#: (verb lemma, object class) → (type, weight). The object is the direct object, the
#: passive subject, or the object of "of" after a gerund ("the signing of a treaty").
OBJECT_RULES = _rules(
    """
    CONSULT 0.9: hold convene host attend organize organise arrange schedule resume begin start open conduct launch join chair continue have + talks
    CONSULT 0.85: make pay + talks
    CONSULT 0.8: work + talks
    CONSULT 0.8: send dispatch lead head + delegation
    CONSULT 0.7: send dispatch + relations
    SUPPORT 0.8: award confer bestow present + honour
    SUPPORT 0.85: reach conclude strike clinch broker seal forge finalize finalise secure agree hammer sign ratify initial endorse renew extend + agreement
    AGREE 0.8: accept welcome endorse + proposal agreement
    CONCEDE 0.85: accept meet heed grant approve fulfil fulfill + request
    RETREAT 0.85: declare announce observe agree accept call implement respect + truce
    ASSAULT 0.85: violate breach break + truce
    COOPERATE 0.8: hold conduct stage launch begin start hold organize organise + exercise
    AID 0.85: send deploy dispatch contribute provide offer + peacekeepers
    AID 0.7: accept take admit welcome host resettle shelter receive + refugees
    RETREAT 0.8: cease halt stop end suspend + attack
    RETREAT 0.8: reduce cut lower slash roll_back scale_back + restriction
    CONCEDE 0.8: drop abandon withdraw + accusation
    AID 0.85: hand_over fly + aid
    SANCTION 0.85: withdraw pull pull_out recall + peacekeepers
    MOBILIZE 0.75: intensify strengthen boost increase bolster expand + forces
    AID 0.6: open + border
    COERCE 0.85: suspend close shut shut_down ban block censor raid + media
    COERCE 0.6: increase step_up ratchet_up ramp_up intensify mount put exert apply heap + pressure
    RETREAT 0.85: hand_over + captives
    AGREE 0.7: offer propose + talks agreement
    AID 0.85: provide offer send deliver supply give grant ship transfer donate pledge extend approve airlift dispatch allocate earmark sell + aid
    SANCTION 0.85: suspend halt cut freeze withhold reduce redirect divert end stop cancel withdraw terminate slash block + aid
    ASSAULT 0.9: launch carry conduct stage mount unleash begin start intensify resume escalate step order continue execute renew expand + attack
    ASSAULT 0.8: claim + attack
    ASSAULT 0.9: fire launch + aid
    COERCE 0.9: impose slap announce introduce enforce declare extend expand tighten toughen reimpose levy widen + restriction
    RETREAT 0.85: lift ease relax remove suspend end waive scrap drop loosen + restriction
    PROTEST 0.9: stage hold organize organise launch begin start call lead join + protest
    THREATEN 0.9: issue make give deliver send set + threat
    ACCUSE 0.9: file lodge bring launch open initiate submit + accusation
    ACCUSE 0.85: express voice register convey lodge + disapproval
    ACCUSE 0.9: issue + accusation
    REQUEST 0.85: make issue submit send file lodge renew reiterate repeat + request
    SUPPORT 0.85: express voice offer extend give show declare reaffirm pledge lend convey + praise
    SANCTION 0.9: cut sever break suspend downgrade freeze end halt + relations
    SANCTION 0.85: recall withdraw expel + relations
    SUPPORT 0.75: restore resume establish normalize normalise upgrade improve strengthen deepen + relations
    RETREAT 0.85: withdraw pull remove evacuate reduce + forces
    MOBILIZE 0.9: deploy send mass mobilize mobilise dispatch move station position amass reinforce rush build + forces
    RETREAT 0.85: release free return exchange swap + captives
    COERCE 0.6: take seize hold + captives
    REJECT 0.9: use cast exercise wield threaten + veto
    REJECT 0.85: block + agreement veto
    SANCTION 0.8: suspend halt end abandon quit leave break + talks
    REJECT 0.8: reject refuse decline snub boycott cancel postpone + talks agreement proposal
    COOPERATE 0.85: share exchange + relations
    COOPERATE 0.8: share exchange give provide hand_over pass supply + information
    THREATEN 0.85: vow promise threaten warn pledge seek + revenge
    """
)

#: Verbs that signal an event only with an object ("ended the talks", not "the war ended").
NEEDS_OBJECT = frozenset("end cut reduce halt suspend freeze close shut search return hold fire target hit share exchange capture seize lift ease relax allow permit grant reverse send provide supply deliver ship transfer support back".split())

#: Verbs of moving that are visits (CONSULT) only when a person or an actor goes somewhere.
MOVEMENT_VERBS = frozenset("travel arrive fly land tour come go head".split())
#: Verb + object lemmas that are not events despite the verb ("meet a threat", "meet demand").
NOT_EVENTS: dict[str, frozenset[str]] = {
    "meet": frozenset("threat threats demand demands need needs target targets goal goals criterion criteria deadline expectation expectations requirement requirements standard standards challenge challenges fate end".split()),
    "fire": frozenset("minister official employee staff coach manager chief director".split()),
    "strike": frozenset("balance chord note tone deal".split()),
    "hit": frozenset("record high low headlines market shelves screen".split()),
    "support": frozenset("weight".split()),
    "decline": frozenset("comment comments".split()),
    "fight": frozenset("epidemic pandemic virus disease outbreak corruption poverty hunger inflation fire fires wildfire wildfires crime".split()),
    "battle": frozenset("epidemic pandemic virus disease outbreak corruption poverty hunger inflation fire fires wildfire wildfires crime".split()),
}

#: Verbs that take an event noun as object and mean that event: "announced a suspension of
#: aid", "ordered an investigation", "faces criticism".
LIGHT_VERBS = frozenset(
    """announce order issue launch begin start open conduct continue carry make hold stage express declare give offer
    extend face join lead head implement enforce complete resume intensify reiterate reaffirm undertake mount initiate pursue authorize
    authorise approve voice deliver""".split()
)
#: Event nouns and the type they mean as the object of a light verb.
EVENT_NOUNS = _table(
    """
    ACCUSE 0.8: investigation, probe, inquiry, criticism, condemnation, accusation, allegation, lawsuit, complaint, indictment, rebuke, censure
    COERCE 0.8: arrest, arrests, detention, crackdown, curfew, ban, sanctions, embargo, blockade, warrant, deportation, seizure, confiscation, censorship, restrictions
    ASSAULT 0.8: attack, attacks, airstrike, airstrikes, cyberattack, cyberattacks, bombing, bombardment, assault, offensive, invasion, shelling, killing, massacre, assassination, ambush, operation
    MOBILIZE 0.8: deployment, mobilization, mobilisation, alert, buildup, build-up, reinforcements
    SANCTION 0.8: suspension, severance, expulsion
    RETREAT 0.8: withdrawal, ceasefire, truce, release, pullout, amnesty
    AID 0.8: aid, donation, contribution, assistance, relief, loan, grant
    CONSULT 0.8: talks, meeting, visit, summit, negotiations, consultations
    SUPPORT 0.8: support, praise, endorsement, recognition, apology, solidarity, backing
    SUPPORT 0.7: commitment
    REQUEST 0.8: request, appeal, demand, plea
    PROTEST 0.8: protest, protests, demonstration, demonstrations, rally, march, boycott, sit-in, walkout
    THREATEN 0.8: threat, threats, ultimatum, warning
    AGREE 0.7: pledge, promise, offer
    REJECT 0.8: rejection, veto, refusal
    COOPERATE 0.8: cooperation, collaboration, exercises, drills
    """
)

#: Nouns that make a copular clause an event: "X remains the largest donor of aid".
COPULAR_NOUNS: dict[str, tuple[str, float]] = {
    "donor": ("AID", 0.7),
    "contributor": ("AID", 0.6),
    "provider": ("AID", 0.5),
    "supplier": ("AID", 0.6),
    "supporter": ("SUPPORT", 0.6),
    "backer": ("SUPPORT", 0.6),
    "critic": ("ACCUSE", 0.6),
}

#: Adjectives that make a reported copular clause an event: "Kabul said the Taliban were
#: responsible" blames them (said of a party named, not of the speaker itself).
COPULAR_ADJECTIVES: dict[str, tuple[str, float]] = {
    "responsible": ("ACCUSE", 0.6),
    "guilty": ("ACCUSE", 0.6),
    "culpable": ("ACCUSE", 0.6),
}

#: Nouns that are events when they head a clause without a verb trigger (gerunds and
#: a few deverbal nouns), with their type; used sparingly (weight lowered).
NOUN_EVENTS: dict[str, tuple[str, float]] = {
    "signing": ("SUPPORT", 0.7),
    "attack": ("ASSAULT", 0.6),
    "airstrike": ("ASSAULT", 0.65),
    "cyberattack": ("ASSAULT", 0.6),
    "bombing": ("ASSAULT", 0.6),
    "bombardment": ("ASSAULT", 0.6),
    "shelling": ("ASSAULT", 0.6),
    "explosion": ("ASSAULT", 0.45),
    "condemnation": ("ACCUSE", 0.6),
    "veto": ("REJECT", 0.6),
    "invasion": ("ASSAULT", 0.6),
    "withdrawal": ("RETREAT", 0.6),
    "ceasefire": ("RETREAT", 0.55),
    "truce": ("RETREAT", 0.55),
}

#: Verbs of saying, whose clausal complement is reported by their subject.
REPORTING_VERBS = frozenset(
    """say tell claim allege report state announce insist assert argue add note suggest reveal confirm acknowledge admit
    explain write tweet declare maintain contend indicate describe quote cite estimate believe think reckon assess
    conclude disclose testify post inform stress emphasise emphasize reiterate predict hint signal imply charge
    accuse""".split()
)
#: Reporting verbs whose speaker asserts what others may contest (claimed, not reported):
#: "the IRGC claimed it had shot down a drone", "the West alleges that ...".
CLAIMING_VERBS = frozenset("claim allege insist assert contend maintain purport charge accuse".split())
#: Heads under which an event did not happen (negated): "failed to", "refused to", "denied that".
NEGATING_HEADS = frozenset("fail refuse decline deny avoid stop cease neglect forgo forego abandon halt".split())
#: Heads of fear or worry (hypothetical_or_feared): "Ukraine fears that ...".
FEAR_HEADS = frozenset("fear worry dread risk concern warn afraid worried concerned anxious alarmed".split())
#: Nouns whose complement is hypothetical: "the risk of", "fears that".
HYPOTHETICAL_NOUNS = frozenset("fear fears risk risks threat possibility prospect prospects danger spectre specter worry worries concern concerns scenario chance chances".split())
#: Heads of wanting or trying (hypothetical): the wanted event has not happened.
DESIRE_HEADS = frozenset("want wish hope seek try attempt aim strive desire prefer consider weigh contemplate mull explore eye study urge ask demand call push press able unable".split())
#: Heads that put their complement in the future (predicted): plans, schedules, expectations.
PREDICTING_HEADS = frozenset("plan intend prepare expect schedule set due going poised likely bound about decide resolve determine scheduled expected".split())
#: Commitments: the committed-to event is predicted ("offered to host talks").
COMMISSIVE_HEADS = frozenset("offer agree promise pledge vow commit undertake volunteer propose guarantee ready willing eager keen prepared".split())

#: The cooperative half of PLOVER (the rest is conflictual).
COOPERATIVE_TYPES = frozenset({"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"})
