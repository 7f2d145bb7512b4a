"""Events: PLOVER types, source and target through the parse, modality and claimant, dates, offsets."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from realpolitik.ingest import MODALITIES, ActorVocabulary, Event, default_vocabulary
from realpolitik.ingest._events import plover_type


def _only(result, trigger_word: str) -> Event:
    found = [e for e in result.events if result.article.text[e.trigger_start : e.trigger_end].lower().startswith(trigger_word)]
    assert found, f"no event on {trigger_word!r} in {[(e.type, e.trigger) for e in result.events]}"
    return found[0]


@pytest.mark.parametrize(
    ("text", "trigger", "kind"),
    [
        ("Russia condemned the strikes on Iran.", "condemned", "ACCUSE"),
        ("Israel bombed an air base in Syria.", "bombed", "ASSAULT"),
        ("Iran and Russia held talks in Moscow.", "held", "CONSULT"),
        ("Egypt called for an immediate ceasefire.", "called", "REQUEST"),
        ("China imposed sanctions on five American firms.", "imposed", "COERCE"),
        ("The United States suspended military aid to Ukraine.", "suspended", "SANCTION"),
        ("Qatar sent humanitarian aid to Gaza.", "sent", "AID"),
        ("Russia vetoed the resolution.", "vetoed", "REJECT"),
        ("Iran threatened to close the Strait of Hormuz.", "threatened", "THREATEN"),
        ("Thousands of Iranians protested in Tehran.", "protested", "PROTEST"),
        ("Turkey deployed troops to the border.", "deployed", "MOBILIZE"),
        ("Israel released 20 prisoners.", "released", "RETREAT"),
        ("France praised the agreement.", "praised", "SUPPORT"),
        ("Russia and Iran agreed to expand cooperation.", "agreed", "AGREE"),
        ("Jordan and Britain shared intelligence.", "shared", "COOPERATE"),
        ("The government stepped down after the protests.", "stepped", "CONCEDE"),
    ],
)
def test_each_plover_type_is_recognised(annotate, text: str, trigger: str, kind: str) -> None:
    assert _only(annotate(text), trigger).type == kind


@pytest.mark.parametrize(
    ("text", "trigger", "source", "target"),
    [
        ("Israel attacked Iran.", "attacked", "Israel", "Iran"),
        ("Iran was attacked by Israel.", "attacked", "Israel", "Iran"),
        ("The Kremlin condemned Washington.", "condemned", "Russia", "United States"),
        ("Russia's foreign ministry accused Israel of escalation.", "accused", "Russia", "Israel"),
        ("Sergey Lavrov, Russia's foreign minister, met officials from Qatar.", "met", "Russia", "Qatar"),
        ("Iranian officials blamed Moscow for the delay.", "blamed", "Iran", "Russia"),
    ],
)
def test_source_and_target_come_from_the_parse_and_resolve_metonymy(annotate, text: str, trigger: str, source: str, target: str) -> None:
    event = _only(annotate(text), trigger)
    assert (event.source, event.target) == (source, target)


def test_one_event_per_source_and_target_pair(annotate) -> None:
    result = annotate("Russia telephoned Qatar, Egypt and Jordan.")
    assert sorted(e.target for e in result.events if e.type == "CONSULT") == ["Egypt", "Jordan", "Qatar"]


@pytest.mark.parametrize(
    ("text", "trigger", "modality", "claimant"),
    [
        ("Russia condemned the strikes on Iran.", "condemned", "asserted", None),
        ("Officials said that Israel attacked Iran.", "attacked", "reported", "Officials"),
        ("The West alleges that Russia and Iran signed a deal.", "signed", "claimed", "The West"),
        ("Israel allegedly attacked the base.", "attacked", "claimed", None),
        ("According to Iran, Israel attacked the base.", "attacked", "reported", "Iran"),
        ("Israel reportedly attacked the base.", "attacked", "reported", None),
        ("Russia will veto the resolution.", "veto", "predicted", None),
        ("Russia plans to host talks next week.", "host", "predicted", None),
        ("If Iran attacks Israel, the deal is off.", "attacks", "conditional", None),
        ("Ukraine fears that the United States could divert aid to Israel.", "divert", "hypothetical_or_feared", None),
        ("Iran might close the Strait of Hormuz.", "close", "hypothetical_or_feared", None),
        ("Russia did not condemn the strikes.", "condemn", "negated", None),
        ("Russia failed to send weapons to Iran.", "send", "negated", None),
        ("Russia offered no military assistance to Iran.", "offered", "negated", None),
        ("In 2022, Russia invaded Ukraine.", "invaded", "historical", None),
    ],
)
def test_modality_and_claimant(annotate, text: str, trigger: str, modality: str, claimant: str | None) -> None:
    event = _only(annotate(text, published="2026-03-08"), trigger)
    assert (event.modality, event.claimant) == (modality, claimant)


def test_a_reported_old_event_is_historical_and_keeps_its_claimant(annotate) -> None:
    event = _only(annotate("The West alleges that in 2022 Russia and Iran signed a deal for drones.", published="2026-03-08"), "signed")
    assert (event.modality, event.claimant, event.date, event.date_precision) == ("historical", "The West", "2022", "year")


@pytest.mark.parametrize(
    ("text", "date", "precision"),
    [
        ("On Tuesday, Russia condemned the strikes.", "2026-03-03", "day"),
        ("Russia condemned the strikes yesterday.", "2026-03-07", "day"),
        ("Russia will host talks on Tuesday.", "2026-03-10", "day"),
        ("Russia condemned the strikes last week.", "2026-W09", "week"),
        ("Russia condemned the strikes.", None, "unknown"),
    ],
)
def test_event_dates_are_normalised_against_the_article_date(annotate, text: str, date: str | None, precision: str) -> None:
    [event] = [e for e in annotate(text, published="2026-03-08").events if e.type in ("ACCUSE", "CONSULT")]
    assert (event.date, event.date_precision) == (date, precision)


def test_without_an_article_date_today_anchors_relative_dates(annotate) -> None:
    import datetime as dt

    [event] = annotate("Russia condemned the strikes yesterday.", today=dt.date(2026, 3, 8)).events
    assert event.date == "2026-03-07"
    [event] = annotate("Russia condemned the strikes yesterday.").events
    assert (event.date, event.date_precision) == (None, "unknown")


def test_they_refers_to_the_previous_sentence_subject(annotate) -> None:
    result = annotate("Russia's foreign ministry issued a statement. They condemned the strikes as a provocation.")
    event = _only(result, "condemned")
    assert event.source == "Russia" and event.confidence < 0.9


def test_a_scenario_vocabulary_resolves_officials(annotate) -> None:
    vocabulary = ActorVocabulary.from_mapping({"russia": ["Russia", "Putin", "Lavrov"]}, base=default_vocabulary())
    event = _only(annotate("Putin's administration denounced the aerial campaign.", vocabulary=vocabulary), "denounced")
    assert (event.type, event.source) == ("ACCUSE", "russia")


def test_offsets_slice_the_clause_and_contain_the_trigger(annotate) -> None:
    text = "Moscow said on Monday that it would host talks. Israel struck a depot near Damascus."
    result = annotate(text, published="2026-03-08")
    assert result.events
    for event in result.events:
        assert text[event.start : event.end] == event.text
        assert event.start <= event.trigger_start < event.trigger_end <= event.end
        assert 0.0 <= event.confidence <= 1.0
        assert event.modality in MODALITIES


def test_a_country_name_inside_a_person_name_is_not_a_mention(annotate) -> None:
    result = annotate("Michael Jordan visited Chicago, and Jordan welcomed the decision.")
    assert [m.surface for m in result.mentions] == ["Jordan"]
    assert result.mentions[0].start == result.article.text.rindex("Jordan")


def test_plover_type_codes_refusals_and_stated_intentions() -> None:
    def event(kind: str, modality: str) -> Event:
        return Event(kind, None, None, modality, None, None, "unknown", 0, 1, "x", 0.5, "x", 0, 1)

    assert plover_type(event("RETREAT", "negated")) == "REJECT"
    assert plover_type(event("CONSULT", "predicted")) == "AGREE"
    assert plover_type(event("ASSAULT", "predicted")) == "THREATEN"
    assert plover_type(event("ASSAULT", "negated")) == "ASSAULT"
    assert plover_type(event("AID", "reported")) == "AID"


_WORDS = ["Russia", "Moscow", "condemned", "attacked", "the", "strikes", "on", "Iran", "will", "not", "if", "said", "that", "yesterday", "Tuesday", ",", ".", "\n", "Kremlin", "talks", "held"]


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=8)), max_size=30).map(" ".join))
def test_every_offset_is_within_the_text_and_slices_to_its_span(annotate, text: str) -> None:
    if not text.strip():
        return
    result = annotate(text, published="2026-03-08")
    for m in result.mentions:
        assert 0 <= m.start < m.end <= len(text) and text[m.start : m.end] == m.surface
    for e in result.events:
        assert 0 <= e.start <= e.trigger_start < e.trigger_end <= e.end <= len(text)
        assert text[e.start : e.end] == e.text


# -- the main event of each sentence -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "main"),
    [
        # the trigger nearest the root, not the most confident one ("bomb" is more certain than "urge")
        ("Egypt urged Israel to stop bombing Gaza.", ("REQUEST", "Egypt")),
        ("After Israel bombed its embassy in Damascus, Iran vowed revenge.", ("THREATEN", "Iran")),
        ("Iran threatened to close the Strait of Hormuz if the United States attacked.", ("THREATEN", "Iran")),
        ("The ministry said Russia had sent aid to Iran.", ("AID", "Russia")),
    ],
)
def test_each_sentence_flags_its_main_event(annotate, text: str, main: tuple[str, str]) -> None:
    result = annotate(text)
    flagged = [e for e in result.events if e.main]
    assert flagged and {(e.type, e.source) for e in flagged} == {main}
    assert len({e.trigger_start for e in flagged}) == 1  # one trigger: every source-target pair of it


def test_each_sentences_main_event_comes_first_in_the_json(annotate) -> None:
    text = "After Israel bombed its embassy in Damascus, Iran vowed revenge and recalled its ambassador. Egypt called for calm, Qatar said."
    result = annotate(text)
    events = result.to_dict()["events"]
    assert [e["type"] for e in events if e["sentence"] == 0][:2] == ["THREATEN", "ASSAULT"]  # the main one, then the text's order
    sentences = [e["sentence"] for e in events]
    assert sentences == sorted(sentences) and set(sentences) == {0, 1}
    for n in (0, 1):
        flags = [e["main"] for e in events if e["sentence"] == n]
        assert flags[0] and flags == sorted(flags, reverse=True)  # main first, then the others
        others = [e["start"] for e in events if e["sentence"] == n and not e["main"]]
        assert others == sorted(others)  # the others in text order
    assert [e.main for e in result.events] == [e["main"] for e in events]


# -- attributions: who says so, and the reported act's own source and target -----------------------


@pytest.mark.parametrize(
    ("text", "kind", "source", "target", "modality", "claimant"),
    [
        ("Iranian media reported that Israeli aircraft struck a weapons depot near Damascus.", "ASSAULT", "Israel", "Syria", "reported", "Iranian media"),
        ("Israeli aircraft struck a weapons depot near Damascus, Syrian state media reported.", "ASSAULT", "Israel", "Syria", "reported", "Syrian state media"),
        ("According to CENTCOM, Iran fired missiles at a US base in Iraq.", "ASSAULT", "Iran", "United States", "reported", "CENTCOM"),
        ("Iran fired missiles at a US base in Iraq, according to CENTCOM.", "ASSAULT", "Iran", "United States", "reported", "CENTCOM"),
        ("Israel said its jets struck Hezbollah targets in Lebanon.", "ASSAULT", "Israel", "Lebanon", "reported", "Israel"),
        ("Israel said it had struck Hezbollah targets in Lebanon.", "ASSAULT", "Israel", "Lebanon", "reported", "Israel"),
        ("Lavrov said Russia condemned the strikes on Iran.", "ACCUSE", "Russia", "Iran", "reported", "Lavrov"),
        ("Iran's Revolutionary Guards claimed they had shot down an Israeli drone.", "ASSAULT", "Iran", "Israel", "claimed", "Iran's Revolutionary Guards"),
        ("The IRGC claimed it shot down an Israeli drone over Isfahan.", "ASSAULT", "Iran", "Israel", "claimed", "The IRGC"),  # a state body acts for its country
        ("Iran alleged that Israel had attacked its nuclear facility.", "ASSAULT", "Israel", None, "claimed", "Iran"),
        ("Israel reportedly struck a depot in Syria.", "ASSAULT", "Israel", "Syria", "reported", None),
    ],
)
def test_an_attributed_event_keeps_its_own_source_and_target_and_names_who_says_so(annotate, text, kind, source, target, modality, claimant) -> None:
    [event] = [e for e in annotate(text, published="2026-03-08").events if e.main]
    assert (event.type, event.source, event.target, event.modality, event.claimant) == (kind, source, target, modality, claimant)


def test_a_speaker_pronoun_outside_reported_speech_is_not_the_speaker(annotate) -> None:
    # "it" with no reporting verb above it stays unresolved (no neighbour is guessed)
    [event] = [e for e in annotate("It struck a depot in Syria.").events if e.main]
    assert event.source is None


def test_a_dateline_agency_is_not_a_claimant(annotate) -> None:
    [event] = [e for e in annotate("BEIRUT (Reuters) - Israeli jets struck a depot in Syria.").events if e.main]
    assert (event.source, event.modality, event.claimant) == ("Israel", "asserted", None)


@pytest.mark.parametrize(
    ("text", "kind", "source", "target", "modality"),
    [
        # a place locates its country's target, never acts (issue 20)
        ("A sports hall in Lamerd was bombed.", "ASSAULT", None, "Iran", "asserted"),
        ("The IAEA confirmed that entrance buildings at Natanz were damaged.", "ASSAULT", None, "Iran", "reported"),
        ("Israeli strikes hit the Basij headquarters.", "ASSAULT", "Israel", "Iran", "asserted"),
        ("Other targets included a girls' school in Khomein.", "ASSAULT", None, "Iran", "asserted"),
        ("The IRGC claimed a drone strike on the Honduras-flagged tanker.", "ASSAULT", "Iran", "Honduras", "claimed"),
        ("Iran continued its strikes on Israel.", "ASSAULT", "Iran", "Israel", "asserted"),
        ("Iran launched retaliatory missile and drone strikes against Israel, UAE and Qatar.", "ASSAULT", "Iran", "Israel", "asserted"),
        # who did it to whom: joint actors, a dative "to", the act agreed to, a domestic act
        ("The United Kingdom and the United States signed a data sharing agreement.", "SUPPORT", "United Kingdom", "United States", "asserted"),
        ("U.S. military gives medical equipment to Nicaragua.", "AID", "United States", "Nicaragua", "asserted"),
        ("China has agreed to lift a ban on imports of British beef.", "AGREE", "China", "United Kingdom", "asserted"),
        ("Iraqi officials have imposed a curfew on Basra.", "COERCE", "Iraq", "Iraq", "asserted"),
    ],
)
def test_who_did_it_to_whom_through_places_lists_and_complements(annotate, text, kind, source, target, modality) -> None:
    [event, *_] = [e for e in annotate(text, published="2026-03-08").events if e.main]
    assert (event.type, event.source, event.target, event.modality) == (kind, source, target, modality)


def test_a_place_is_never_a_source(annotate) -> None:
    [event, *_] = [e for e in annotate("Haifa condemned the strikes on Iran.").events if e.main]
    assert (event.type, event.source, event.target) == ("ACCUSE", None, "Iran")


@pytest.mark.parametrize(
    ("text", "published", "historical"),
    [
        ("Russia invaded Crimea two years ago.", None, True),
        ("Russia had invaded Georgia.", None, True),  # a main clause in the past perfect steps back
        ("Iran said that Israel had struck the base.", None, False),  # ... but not inside what someone says
        ("Russia invaded Ukraine in 2014. In 2022 Russia attacked Kyiv.", None, True),  # 2014: years before what the article reports
        ("A lifetime supporter and board director since 1984, Mr Murray agreed to buy the holding on Tuesday.", None, False),
        ("Israel struck a depot in Syria on Monday.", "2026-03-08", False),
    ],
)
def test_history_is_told_from_the_present_without_the_articles_date(annotate, text, published, historical) -> None:
    [event, *_] = [e for e in annotate(text, published=published).events if e.main]
    assert (event.modality == "historical") is historical


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # forces sent on a peacekeeping mission are aid (CAMEO 074), not a show of force
        ("Ghana is sending two hundred soldiers to the UN peacekeeping force in Mali.", "AID"),
        ("A battalion of Indian peacekeepers arrived in Juba on Friday.", "AID"),
        ("Ghana is sending two hundred soldiers to the border.", "MOBILIZE"),
    ],
)
def test_the_main_event_is_typed_as_an_event_coder_would(annotate, text: str, kind: str) -> None:
    main = next(e for e in annotate(text).events if e.main)
    assert plover_type(main) == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # a speaker saying another party must act makes a demand of it, whatever the act
        ("The foreign minister said that Serbia must withdraw its police from the province.", "REQUEST"),
        ("Brazil said on Monday that the rebels should release the hostages first.", "REQUEST"),
        ("Israel said it must defend itself against the rockets.", "SUPPORT"),
    ],
)
def test_a_reported_obligation_on_another_party_is_a_request(annotate, text: str, kind: str) -> None:
    main = next(e for e in annotate(text).events if e.main)
    assert plover_type(main) == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # a call made to praise or to condemn is recorded as what it was made for
        ("The chancellor telephoned the Greek prime minister to congratulate him on his victory.", "SUPPORT"),
        ("The chancellor called Putin on Friday to condemn the poisoning of the opposition leader.", "ACCUSE"),
        ("The president called his French counterpart to discuss the crisis.", "CONSULT"),
    ],
)
def test_a_contact_gives_way_to_the_verbal_act_it_was_made_for(annotate, text: str, kind: str) -> None:
    main = next(e for e in annotate(text).events if e.main)
    assert plover_type(main) == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # a call for sanctions against a party condemns that party
        ("Lithuania called for sanctions against the government in Minsk.", "ACCUSE"),
        ("The senators urged new sanctions on Iran over its missile tests.", "ACCUSE"),
        ("The rebels called for a ceasefire in the north.", "REQUEST"),
    ],
)
def test_a_call_for_sanctions_against_a_party_is_an_accusation(annotate, text: str, kind: str) -> None:
    main = next(e for e in annotate(text).events if e.main)
    assert plover_type(main) == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # copular clauses that state an event: a donor gives aid, a party said to be responsible is blamed
        ("Norway remains the biggest donor of aid to the Palestinians.", "AID"),
        ("Sweden is one of the largest donors to the refugee agency.", "AID"),
        ("The government said Islamist militants were responsible for the blast.", "ACCUSE"),
        ("The ministry held the rebels responsible for the blast.", "ACCUSE"),
        ("The group said it was responsible for the blast.", None),
    ],
)
def test_copular_clauses_that_state_an_event(annotate, text: str, kind: str | None) -> None:
    main = next((e for e in annotate(text).events if e.main), None)
    assert (plover_type(main) if main else None) == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # staying away and fighting the police are protest (CAMEO 143, 145); razing a home damages property (171)
        ("Opposition parties boycotted the parliamentary election.", "PROTEST"),
        ("Students clashed with police outside the parliament.", "PROTEST"),
        ("Soldiers demolished the family home of the suspect.", "COERCE"),
        # a verdict with its penalty is the penalty; an operation launched to arrest is the arrest
        ("A court in Ankara convicted the journalist of espionage and sentenced him to six years in prison.", "COERCE"),
        ("Police launched an operation to arrest the gang leaders.", "COERCE"),
        ("A court in Ankara convicted the journalist of espionage.", "ACCUSE"),
    ],
)
def test_protest_property_verdicts_and_operations(annotate, text: str, kind: str) -> None:
    main = next(e for e in annotate(text).events if e.main)
    assert plover_type(main) == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # a delegation sent is a visit (CAMEO 042), an honour awarded is praise (051); declining to comment refuses nothing
        ("Japan sent a delegation to Pyongyang on Monday.", "CONSULT"),
        ("The president awarded a medal to the Polish general.", "SUPPORT"),
        ("The embassy declined to comment on the report.", None),
        ("The ministry declined comment on the report.", None),
    ],
)
def test_delegations_honours_and_no_comment(annotate, text: str, kind: str | None) -> None:
    main = next((e for e in annotate(text).events if e.main), None)
    assert (plover_type(main) if main else None) == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # fighting in all but name, arrests, shared intelligence, inquiries, truces, and fights against no one
        ("Soldiers on both sides fired across the armistice line.", "ASSAULT"),
        ("Government forces drove the rebels out of the provincial capital.", "ASSAULT"),
        ("Police apprehended two suspects near the embassy.", "COERCE"),
        ("Denmark gave intelligence on the plot to the German authorities.", "COOPERATE"),
        ("A retired judge is heading an inquiry into the shooting.", "ACCUSE"),
        ("Investigators searched the minister's office for evidence.", "ACCUSE"),
        ("The junta let free dozens of political prisoners.", "RETREAT"),
        ("A truce between the two militias took effect at midnight.", "RETREAT"),
        ("Doctors from Cuba are fighting the cholera epidemic in the camps.", None),
    ],
)
def test_more_acts_typed_by_their_verb_and_object(annotate, text: str, kind: str | None) -> None:
    main = next((e for e in annotate(text).events if e.main), None)
    assert (plover_type(main) if main else None) == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # plain synonyms the lexicon lacked
        ("The foreign minister berated the ambassador over the remarks.", "ACCUSE"),
        ("Police nabbed two suspects outside the ministry.", "COERCE"),
        ("Militants torched two police stations overnight.", "ASSAULT"),
        ("Gunmen gunned down a local official in Kandahar.", "ASSAULT"),
        ("Sweden will resettle five hundred refugees this year.", "AGREE"),
        ("Greece repatriated the remains of the soldiers.", "RETREAT"),
        ("The president saluted the courage of the rescue teams.", "SUPPORT"),
    ],
)
def test_synonyms_the_lexicon_lacked(annotate, text: str, kind: str) -> None:
    main = next(e for e in annotate(text).events if e.main)
    assert plover_type(main) == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # a conditional act is coded as a stated intent: a threat if conflictual, an offer if cooperative
        ("If the talks fail, the army will launch an offensive in the north.", "THREATEN"),
        ("If Havana frees the dissidents, Washington will lift the embargo.", "AGREE"),
    ],
)
def test_a_conditional_act_is_a_threat_or_an_offer(annotate, text: str, kind: str) -> None:
    main = next(e for e in annotate(text).events if e.main)
    assert (main.modality, plover_type(main)) == ("conditional", kind)


@pytest.mark.parametrize(
    ("text", "source", "target"),
    [
        # the subject of the clause a demand or warning is about, or of the condition a threat sets
        ("Japan demanded that China withdraw its ships from the disputed waters.", "Japan", "China"),
        ("Brazil threatened to cut trade ties unless Argentina lifts the tariffs.", "Brazil", "Argentina"),
        # the parties between or among whom a meeting or a mediation is held
        ("Egypt offered to host a summit between Ethiopia and Sudan.", "Egypt", "Ethiopia"),
        ("Norway launched a mediation effort among the rival factions of Colombia.", "Norway", "Colombia"),
        # the agent of the act that is rejected
        ("Chile rejected calls by Bolivia's president for talks on sea access.", "Chile", "Bolivia"),
    ],
)
def test_targets_through_complement_clauses_between_and_by(annotate, text: str, source: str, target: str) -> None:
    [event, *_] = [e for e in annotate(text).events if e.main]
    assert (event.source, event.target) == (source, target)


@pytest.mark.parametrize(
    ("text", "source", "target"),
    [
        # "it", "its", "they" refer to the paragraph's latest subject that agrees in number
        ("Iran fired missiles at Israel. It also threatened Saudi Arabia.", "Iran", "Saudi Arabia"),
        ("Iran fired missiles at Israel. Its drones struck Haifa.", "Iran", "Israel"),
        ("Iran fired missiles at Israel. It said its jets had also struck a base in Haifa.", "Iran", "Israel"),
        ("Iranian protesters gathered in Tehran. They condemned the United States.", "Iran", "United States"),
        ("Iran's foreign minister met Lavrov in Moscow. He condemned the sanctions on Iran.", "Iran", "Iran"),
        # definite descriptions: a state named before, two of them, the doer of an act named before
        ("Russia expelled two Estonian diplomats. The country also sanctioned Latvia.", "Russia", "Latvia"),
        ("Turkey and Greece signed a maritime deal. The two countries pledged to settle disputes peacefully.", "Turkey", "Greece"),
        ("Israel struck targets in Lebanon. Hezbollah condemned the strikes.", None, "Israel"),
        # a possessive pronoun points back to the actor itself: a place named outright is the target
        ("Syria says it is willing to withdraw its troops from neighboring Lebanon.", "Syria", "Lebanon"),
    ],
)
def test_pronouns_and_definite_descriptions_refer_within_the_paragraph(annotate, text: str, source: str | None, target: str) -> None:
    events = annotate(text).events
    last = max(e.sentence for e in events)
    assert (source, target) in [(e.source, e.target) for e in events if e.main and e.sentence == last]


def test_a_new_paragraph_forgets_what_the_last_one_named(annotate) -> None:
    event = [e for e in annotate("Iranian protesters gathered in Tehran.\n\nThey condemned the United States.").events if e.main][-1]
    assert (event.type, event.source) == ("ACCUSE", None)



@pytest.mark.parametrize(
    ("text", "source", "target"),
    [
        # a strike acts on the country of the place it happens in, named in its clause or its subject
        ("A strike on a residential area in Tel Aviv killed a civilian.", None, "Israel"),
        ("Iranian attacks killed one person and injured 32 in Kuwait.", "Iran", "Kuwait"),
    ],
)
def test_an_act_with_no_one_named_acts_on_the_place_it_happens_in(annotate, text: str, source: str | None, target: str) -> None:
    [event, *_] = [e for e in annotate(text).events if e.main]
    assert (event.source, event.target) == (source, target)


@pytest.mark.parametrize(
    ("text", "source", "target"),
    [
        # a passive with no "by": the weapons' origin, or the doer of the paragraph's latest act of its type
        ("Missiles from Iran were fired at the Fifth Fleet headquarters in Bahrain.", "Iran", "United States"),
        ("Israel struck Iran overnight. Two bases were bombed.", "Israel", None),
        # an event noun refers to the act of its type named before: its doer is the target
        ("Iran fired missiles at Israel. Russia condemned the attack.", "Russia", "Iran"),
    ],
)
def test_implicit_agents_of_passives_and_acts_named_again(annotate, text: str, source: str, target: str | None) -> None:
    events = annotate(text).events
    last = max(e.sentence for e in events)
    assert (source, target) in [(e.source, e.target) for e in events if e.main and e.sentence == last]


@pytest.mark.parametrize(
    ("text", "source", "target"),
    [
        # a state's act on people whose country is not named, its people's protest: domestic
        ("Kenyan police arrested dozens of protesters.", "Kenya", "Kenya"),
        ("Iraq released the opposition leader.", "Iraq", "Iraq"),
        ("Peruvian farmers rioted on Monday.", "Peru", "Peru"),
        # ... but not an organisation's, nor an act on things
        ("The United Nations expelled two inspectors.", "United Nations", None),
        ("Iran fired missiles at a tanker.", "Iran", None),
    ],
)
def test_an_act_on_unnamed_people_is_domestic(annotate, text: str, source: str, target: str | None) -> None:
    [event, *_] = [e for e in annotate(text).events if e.main]
    assert (event.source, event.target) == (source, target)


@pytest.mark.parametrize(
    ("text", "source", "target"),
    [
        # whose support it is yields, as a target, to whom it is for; it says whom the speaker speaks for
        ("Erdogan reiterated Turkey's support for Libya.", "Turkey", "Libya"),
        # whose attack it is stays the target of a condemnation
        ("Russia condemned Israel's strikes on Iran.", "Russia", "Israel"),
    ],
)
def test_a_possessor_is_the_doer_and_its_complement_the_target(annotate, text: str, source: str, target: str) -> None:
    [event, *_] = [e for e in annotate(text).events if e.main]
    assert (event.source, event.target) == (source, target)


@pytest.mark.parametrize(
    ("text", "source", "target"),
    [
        # the subject of the condition a refusal sets
        ("Canada will not lift the tariffs until Mexico changes its rules.", "Canada", "Mexico"),
        # the purpose of a gift names whom it is for, or the place it goes to
        ("Norway donated vaccines to assist Malawi.", "Norway", "Malawi"),
        ("Japan gave 20 million dollars to rebuild schools in Nepal.", "Japan", "Nepal"),
    ],
)
def test_targets_in_conditions_and_purposes(annotate, text: str, source: str, target: str) -> None:
    [event, *_] = [e for e in annotate(text).events if e.main]
    assert (event.source, event.target) == (source, target)


@pytest.mark.parametrize(
    ("text", "source", "target"),
    [
        # forces deployed are the deployer's own, not a target
        ("Kenyan peacekeepers were deployed to protect Somalia.", "Kenya", "Somalia"),
        # people said to belong elsewhere belong there
        ("Sudan expelled ten workers employed by the UNHCR.", "Sudan", "UNHCR"),
        # a group is of the country it is in
        ("Demonstrators in Baghdad blocked a road.", "Iraq", None),
    ],
)
def test_forces_deployed_and_groups_placed(annotate, text: str, source: str, target: str | None) -> None:
    [event, *_] = [e for e in annotate(text).events if e.main]
    assert (event.source, event.target) == (source, target)


def test_the_means_of_an_act_is_its_actors_and_lists_its_targets(annotate) -> None:
    events = [e for e in annotate("Iran opened a new campaign with attacks on Saudi Arabia, Kuwait and Qatar.").events if e.main]
    assert [(e.source, e.target) for e in events] == [("Iran", "Saudi Arabia"), ("Iran", "Kuwait"), ("Iran", "Qatar")]


@pytest.mark.parametrize(
    ("text", "source", "target"),
    [
        # the people acted on may be named in the act's purpose, and belong where they are said to be
        ("Egyptian police opened fire to disperse demonstrators.", "Egypt", "Egypt"),
        ("Austria agreed to take in 300 people living in Italian camps.", "Austria", "Italy"),
    ],
)
def test_people_acted_on_in_a_purpose_or_an_act_agreed_to(annotate, text: str, source: str, target: str) -> None:
    [event, *_] = [e for e in annotate(text).events if e.main]
    assert (event.source, event.target) == (source, target)


def test_its_after_a_fronted_phrase_and_an_attack_named_again(annotate) -> None:
    events = annotate("Iran fired missiles at Kuwait. After the drone attacks on Kuwait, its foreign ministry summoned Iran's ambassador.").events
    assert ("REQUEST", "Kuwait", "Iran") in [(e.type, e.source, e.target) for e in events if e.sentence == 1]
    assert ("ASSAULT", "Iran", "Kuwait") in [(e.type, e.source, e.target) for e in events if e.sentence == 1]
