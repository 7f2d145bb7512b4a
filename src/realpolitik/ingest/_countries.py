"""The built-in table of countries and intergovernmental organisations.

One row per actor: ISO 3166-1 alpha-3 code (``IGO`` for organisations), the short
name, other names, demonyms (adjective and plural), and metonyms (capitals and seats
of government that stand for the government). Facts compiled for this project; capitals
that are also common words or names elsewhere (Victoria, Kingston, Male, ...) are left
out on purpose.
"""

from __future__ import annotations

__all__ = ["COUNTRY_ROWS", "IGNORED_FORMS", "ORGANISATION_ROWS"]

# code | name | other names | demonyms | metonyms   (";" separates forms)
COUNTRY_ROWS = """
AFG|Afghanistan||Afghan;Afghans|Kabul
ALB|Albania||Albanian;Albanians|Tirana
DZA|Algeria||Algerian;Algerians|Algiers
AND|Andorra||Andorran|
AGO|Angola||Angolan;Angolans|Luanda
ATG|Antigua and Barbuda|Antigua|Antiguan|
ARG|Argentina|Argentine Republic|Argentine;Argentinian;Argentines;Argentinians|Buenos Aires;Casa Rosada
ARM|Armenia||Armenian;Armenians|Yerevan
AUS|Australia||Australian;Australians|Canberra
AUT|Austria||Austrian;Austrians|Vienna
AZE|Azerbaijan||Azerbaijani;Azerbaijanis;Azeri;Azeris|Baku
BHS|Bahamas|the Bahamas|Bahamian;Bahamians|Nassau
BHR|Bahrain||Bahraini;Bahrainis|Manama
BGD|Bangladesh||Bangladeshi;Bangladeshis|Dhaka
BRB|Barbados||Barbadian;Barbadians|
BLR|Belarus|Byelorussia|Belarusian;Belarusians;Belarussian|Minsk
BEL|Belgium||Belgian;Belgians|
BLZ|Belize||Belizean|
BEN|Benin||Beninese|Porto-Novo;Cotonou
BTN|Bhutan||Bhutanese|Thimphu
BOL|Bolivia||Bolivian;Bolivians|La Paz
BIH|Bosnia and Herzegovina|Bosnia;Bosnia-Herzegovina|Bosnian;Bosnians|Sarajevo
BWA|Botswana||Botswanan;Motswana|Gaborone
BRA|Brazil||Brazilian;Brazilians|Brasilia;Brasília
BRN|Brunei|Brunei Darussalam|Bruneian|
BGR|Bulgaria||Bulgarian;Bulgarians|Sofia
BFA|Burkina Faso||Burkinabe|Ouagadougou
BDI|Burundi||Burundian;Burundians|Bujumbura;Gitega
KHM|Cambodia|Kampuchea|Cambodian;Cambodians;Khmer|Phnom Penh
CMR|Cameroon||Cameroonian;Cameroonians|Yaounde;Yaoundé
CAN|Canada||Canadian;Canadians|Ottawa
CPV|Cape Verde|Cabo Verde|Cape Verdean|
CAF|Central African Republic||Central African|Bangui
TCD|Chad||Chadian;Chadians|N'Djamena
CHL|Chile||Chilean;Chileans|
CHN|China|People's Republic of China;PRC|Chinese|Beijing;Zhongnanhai
COL|Colombia||Colombian;Colombians|Bogota;Bogotá
COM|Comoros||Comoran|
COD|Democratic Republic of the Congo|Democratic Republic of Congo;DR Congo;DRC;Congo-Kinshasa;Congo;Zaire|Congolese|Kinshasa
COG|Republic of the Congo|Congo-Brazzaville;Republic of Congo||Brazzaville
CRI|Costa Rica||Costa Rican;Costa Ricans|San Jose
CIV|Ivory Coast|Cote d'Ivoire;Côte d'Ivoire|Ivorian;Ivorians|Abidjan;Yamoussoukro
HRV|Croatia||Croatian;Croatians;Croat;Croats|Zagreb
CUB|Cuba||Cuban;Cubans|Havana
CYP|Cyprus||Cypriot;Cypriots|Nicosia
CZE|Czech Republic|Czechia|Czech;Czechs|Prague
DNK|Denmark||Danish;Dane;Danes|Copenhagen
DJI|Djibouti||Djiboutian|
DMA|Dominica||Dominican|
DOM|Dominican Republic|||Santo Domingo
ECU|Ecuador||Ecuadorian;Ecuadorians;Ecuadoran|Quito
EGY|Egypt||Egyptian;Egyptians|Cairo
SLV|El Salvador||Salvadoran;Salvadorans;Salvadorian|San Salvador
GNQ|Equatorial Guinea||Equatoguinean|Malabo
ERI|Eritrea||Eritrean;Eritreans|Asmara
EST|Estonia||Estonian;Estonians|Tallinn
SWZ|Eswatini|Swaziland|Swazi;Swazis|Mbabane
ETH|Ethiopia||Ethiopian;Ethiopians|Addis Ababa
FJI|Fiji||Fijian;Fijians|Suva
FIN|Finland||Finnish;Finn;Finns|Helsinki
FRA|France|French Republic|French;Frenchman;Frenchmen|Paris;Elysee;Élysée;Elysee Palace;Élysée Palace;Quai d'Orsay
GAB|Gabon||Gabonese|Libreville
GMB|Gambia|the Gambia|Gambian;Gambians|Banjul
GEO|Georgia||Georgian;Georgians|Tbilisi
DEU|Germany|Federal Republic of Germany;West Germany;East Germany|German;Germans|Berlin;Bonn
GHA|Ghana||Ghanaian;Ghanaians|Accra
GRC|Greece||Greek;Greeks|Athens
GRD|Grenada||Grenadian|
GTM|Guatemala||Guatemalan;Guatemalans|Guatemala City
GIN|Guinea||Guinean;Guineans|Conakry
GNB|Guinea-Bissau||Bissau-Guinean|Bissau
GUY|Guyana||Guyanese|
HTI|Haiti||Haitian;Haitians|Port-au-Prince
HND|Honduras||Honduran;Hondurans|Tegucigalpa
HUN|Hungary||Hungarian;Hungarians|Budapest
ISL|Iceland||Icelandic;Icelander;Icelanders|Reykjavik
IND|India||Indian;Indians|New Delhi;Delhi
IDN|Indonesia||Indonesian;Indonesians|Jakarta
IRN|Iran|Islamic Republic of Iran;Islamic Republic;Persia|Iranian;Iranians;Persian|Tehran;Teheran
IRQ|Iraq||Iraqi;Iraqis|Baghdad
IRL|Ireland|Irish Republic|Irish|Dublin
ISR|Israel|State of Israel|Israeli;Israelis|Jerusalem;Tel Aviv;Knesset
ITA|Italy||Italian;Italians|Rome
JAM|Jamaica||Jamaican;Jamaicans|
JPN|Japan||Japanese|Tokyo
JOR|Jordan|Hashemite Kingdom of Jordan|Jordanian;Jordanians|Amman
KAZ|Kazakhstan||Kazakh;Kazakhs;Kazakhstani|Astana;Almaty
KEN|Kenya||Kenyan;Kenyans|Nairobi
KIR|Kiribati|||
PRK|North Korea|Democratic People's Republic of Korea;DPRK|North Korean;North Koreans|Pyongyang
KOR|South Korea|Republic of Korea;ROK|South Korean;South Koreans|Seoul
XKX|Kosovo||Kosovar;Kosovars;Kosovan|Pristina
KWT|Kuwait||Kuwaiti;Kuwaitis|Kuwait City
KGZ|Kyrgyzstan|Kyrgyz Republic;Kirghizia|Kyrgyz|Bishkek
LAO|Laos|Lao People's Democratic Republic|Laotian;Laotians;Lao|Vientiane
LVA|Latvia||Latvian;Latvians|Riga
LBN|Lebanon||Lebanese|Beirut
LSO|Lesotho||Basotho|Maseru
LBR|Liberia||Liberian;Liberians|Monrovia
LBY|Libya||Libyan;Libyans|Tripoli
LIE|Liechtenstein||Liechtensteiner|Vaduz
LTU|Lithuania||Lithuanian;Lithuanians|Vilnius
LUX|Luxembourg||Luxembourger;Luxembourgish|
MDG|Madagascar||Malagasy|Antananarivo
MWI|Malawi||Malawian;Malawians|Lilongwe
MYS|Malaysia||Malaysian;Malaysians|Kuala Lumpur;Putrajaya
MDV|Maldives|the Maldives|Maldivian;Maldivians|
MLI|Mali||Malian;Malians|Bamako
MLT|Malta||Maltese|Valletta
MHL|Marshall Islands||Marshallese|Majuro
MRT|Mauritania||Mauritanian;Mauritanians|Nouakchott
MUS|Mauritius||Mauritian;Mauritians|
MEX|Mexico||Mexican;Mexicans|Mexico City
FSM|Micronesia||Micronesian|
MDA|Moldova||Moldovan;Moldovans|Chisinau;Chişinău
MCO|Monaco||Monegasque|
MNG|Mongolia||Mongolian;Mongolians|Ulan Bator;Ulaanbaatar
MNE|Montenegro||Montenegrin;Montenegrins|Podgorica
MAR|Morocco||Moroccan;Moroccans|Rabat
MOZ|Mozambique||Mozambican;Mozambicans|Maputo
MMR|Myanmar|Burma|Burmese;Myanmarese|Naypyidaw;Naypyitaw;Yangon;Rangoon
NAM|Namibia||Namibian;Namibians|Windhoek
NRU|Nauru||Nauruan|
NPL|Nepal||Nepalese;Nepali;Nepalis|Kathmandu
NLD|Netherlands|the Netherlands;Holland|Dutch|Amsterdam;The Hague
NZL|New Zealand||New Zealander;New Zealanders|Wellington
NIC|Nicaragua||Nicaraguan;Nicaraguans|Managua
NER|Niger||Nigerien;Nigeriens|Niamey
NGA|Nigeria||Nigerian;Nigerians|Abuja;Lagos
MKD|North Macedonia|Macedonia|Macedonian;Macedonians|Skopje
NOR|Norway||Norwegian;Norwegians|Oslo
OMN|Oman||Omani;Omanis|Muscat
PAK|Pakistan||Pakistani;Pakistanis|Islamabad
PLW|Palau||Palauan|
PSE|Palestine|Palestinian territories;Palestinian Authority;West Bank;Gaza;Gaza Strip|Palestinian;Palestinians|Ramallah
PAN|Panama||Panamanian;Panamanians|Panama City
PNG|Papua New Guinea||Papua New Guinean|Port Moresby
PRY|Paraguay||Paraguayan;Paraguayans|Asuncion;Asunción
PER|Peru||Peruvian;Peruvians|Lima
PHL|Philippines|the Philippines|Philippine;Filipino;Filipinos|Manila
POL|Poland||Polish;Pole;Poles|Warsaw
PRT|Portugal||Portuguese|Lisbon
QAT|Qatar||Qatari;Qataris|Doha
ROU|Romania|Rumania|Romanian;Romanians|Bucharest
RUS|Russia|Russian Federation;Soviet Union;USSR;U.S.S.R.|Russian;Russians;Soviet;Soviets|Moscow;Kremlin;the Kremlin
RWA|Rwanda||Rwandan;Rwandans|Kigali
KNA|Saint Kitts and Nevis|St Kitts and Nevis|Kittitian|
LCA|Saint Lucia|St Lucia|Saint Lucian|
VCT|Saint Vincent and the Grenadines|St Vincent and the Grenadines|Vincentian|
WSM|Samoa||Samoan;Samoans|Apia
SMR|San Marino||Sammarinese|
STP|Sao Tome and Principe|São Tomé and Príncipe||
SAU|Saudi Arabia|Kingdom of Saudi Arabia|Saudi;Saudis;Saudi Arabian|Riyadh
SEN|Senegal||Senegalese|Dakar
SRB|Serbia|Yugoslavia|Serbian;Serbians;Serb;Serbs;Yugoslav|Belgrade
SYC|Seychelles||Seychellois|
SLE|Sierra Leone||Sierra Leonean;Sierra Leoneans|Freetown
SGP|Singapore||Singaporean;Singaporeans|
SVK|Slovakia|Slovak Republic|Slovak;Slovaks;Slovakian|Bratislava
SVN|Slovenia||Slovenian;Slovenians;Slovene;Slovenes|Ljubljana
SLB|Solomon Islands||Solomon Islander|Honiara
SOM|Somalia||Somali;Somalis|Mogadishu
ZAF|South Africa||South African;South Africans|Pretoria;Cape Town
SSD|South Sudan||South Sudanese|Juba
ESP|Spain||Spanish;Spaniard;Spaniards|Madrid
LKA|Sri Lanka|Ceylon|Sri Lankan;Sri Lankans|Colombo
SDN|Sudan||Sudanese|Khartoum
SUR|Suriname||Surinamese|Paramaribo
SWE|Sweden||Swedish;Swede;Swedes|Stockholm
CHE|Switzerland||Swiss|Bern;Berne
SYR|Syria|Syrian Arab Republic|Syrian;Syrians|Damascus
TWN|Taiwan|Republic of China|Taiwanese|Taipei
TJK|Tajikistan||Tajik;Tajiks;Tajikistani|Dushanbe
TZA|Tanzania||Tanzanian;Tanzanians|Dodoma;Dar es Salaam
THA|Thailand|Siam|Thai;Thais|Bangkok
TLS|East Timor|Timor-Leste|East Timorese;Timorese|Dili
TGO|Togo||Togolese|Lome;Lomé
TON|Tonga||Tongan|Nuku'alofa
TTO|Trinidad and Tobago|Trinidad|Trinidadian;Trinidadians|Port of Spain
TUN|Tunisia||Tunisian;Tunisians|Tunis
TUR|Turkey|Türkiye;Turkiye|Turkish;Turk;Turks|Ankara
TKM|Turkmenistan||Turkmen|Ashgabat
TUV|Tuvalu||Tuvaluan|
UGA|Uganda||Ugandan;Ugandans|Kampala
UKR|Ukraine||Ukrainian;Ukrainians|Kyiv;Kiev
ARE|United Arab Emirates|UAE;U.A.E.;the Emirates|Emirati;Emiratis|Abu Dhabi
GBR|United Kingdom|UK;U.K.;Britain;Great Britain;England;Scotland;Wales|British;Briton;Britons;English;Scottish;Welsh|London;Downing Street;Whitehall;Westminster
USA|United States|United States of America;US;U.S.;USA;U.S.A.;America|American;Americans|Washington;White House;the White House;Pentagon;the Pentagon;State Department;the State Department;Capitol Hill
URY|Uruguay||Uruguayan;Uruguayans|Montevideo
UZB|Uzbekistan||Uzbek;Uzbeks;Uzbekistani|Tashkent
VUT|Vanuatu||Ni-Vanuatu|Port Vila
VAT|Vatican|Holy See;Vatican City|Vatican|
VEN|Venezuela||Venezuelan;Venezuelans|Caracas
VNM|Vietnam|Viet Nam|Vietnamese|Hanoi
YEM|Yemen||Yemeni;Yemenis|Sanaa;Sana'a
ZMB|Zambia||Zambian;Zambians|Lusaka
ZWE|Zimbabwe|Rhodesia|Zimbabwean;Zimbabweans|Harare
"""

# Organisations: code IGO. Their forms name the organisation; none is a metonym.
ORGANISATION_ROWS = """
IGO|United Nations|UN;U.N.;UN General Assembly;U.N. General Assembly;General Assembly||
IGO|UN Security Council|Security Council;U.N. Security Council;United Nations Security Council;UNSC||
IGO|NATO|North Atlantic Treaty Organization;Nato||
IGO|European Union|EU;E.U.;European Commission;European Community;European Economic Community;EEC;European Council;European Parliament||Brussels
IGO|African Union|AU;Organization of African Unity;Organisation of African Unity;OAU||
IGO|Arab League|League of Arab States||
IGO|OPEC|Organization of the Petroleum Exporting Countries||
IGO|IAEA|International Atomic Energy Agency||
IGO|Gulf Cooperation Council|GCC||
IGO|ASEAN|Association of Southeast Asian Nations||
IGO|OSCE|Organization for Security and Co-operation in Europe||
IGO|International Monetary Fund|IMF||
IGO|World Bank|||
IGO|World Health Organization|WHO||
IGO|Organisation of Islamic Cooperation|Organization of Islamic Cooperation;Organization of the Islamic Conference;Organisation of the Islamic Conference;OIC||
IGO|Shanghai Cooperation Organisation|Shanghai Cooperation Organization;SCO||
IGO|BRICS|||
IGO|Organization of American States|OAS||
IGO|Economic Community of West African States|ECOWAS;Ecowas||
IGO|World Trade Organization|World Trade Organisation;WTO||
IGO|World Food Programme|World Food Program;WFP||
IGO|UNHCR|United Nations High Commissioner for Refugees;United Nations High Commission for Refugees;UN refugee agency;U.N. refugee agency||
IGO|UNICEF|United Nations Children's Fund||
IGO|UNESCO|United Nations Educational, Scientific and Cultural Organization||
IGO|UNRWA|United Nations Relief and Works Agency||
IGO|International Labour Organization|International Labor Organization;International Labour Office;International Labor Office;ILO||
IGO|International Criminal Court|ICC||
IGO|Red Cross|International Committee of the Red Cross;ICRC||
"""

#: Phrases that contain a country's form but name something else: matched, then dropped.
IGNORED_FORMS: tuple[str, ...] = (
    "Latin America", "South America", "North America", "Central America", "American Samoa", "Native American",
    "Native Americans", "Washington Post", "Washington state", "Washington State", "New Mexico", "Papua",
    "Jordan River", "Jordan Valley", "Georgia Tech", "Chinese New Year", "Turkish delight", "French fries",
    "Indian Ocean", "Arabian Sea", "Persian Gulf", "Gulf of Mexico", "English Channel", "Irish Sea", "Dutch disease",
    "American Express", "American Airlines", "British Airways", "Middle East", "New England", "New Guinea",
    "West Indies", "East Indies", "Indian Premier League", "Great Wall of China", "South China Sea",
    "East China Sea", "China Sea", "Sea of Japan", "Black Sea", "Caspian Sea", "Red Sea",
)  # fmt: skip
