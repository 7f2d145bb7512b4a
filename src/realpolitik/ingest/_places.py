"""The built-in table of places and institutions that locate an event in a country.

Two tables, one row per country (ISO 3166-1 alpha-3 code, then forms separated by
``;``), compiled for this project from general knowledge (no data set was copied):

- ``PLACE_ROWS``: cities other than the capital, provinces, islands, ports, straits'
  shores, and nuclear, energy and military sites, mostly of the Middle East and the
  countries around the 2026 Iran war. A place locates what happens there: "a sports
  hall in Lamerd was bombed" has Iran as its target. A place is never an actor doing
  something ("Haifa said" is not Israel speaking), so places are used for targets
  only. Names that are also common words or name other places too (Arak, Bam, Sur,
  Kish, Ur, Hama's homonyms ...) are left out on purpose; so are places whose country
  is disputed.
- ``INSTITUTION_ROWS``: state bodies, armed forces and agencies that act for their
  country (the Basij, CENTCOM, the Mossad); they are metonyms, like a capital.
"""

from __future__ import annotations

__all__ = ["INSTITUTION_ROWS", "PLACE_ROWS"]

# code | places   (";" separates forms)
PLACE_ROWS = """
IRN|Isfahan;Esfahan;Shiraz;Tabriz;Mashhad;Qom;Karaj;Ahvaz;Ahwaz;Kermanshah;Kerman;Rasht;Urmia;Zahedan;Hamadan;Yazd;Ardabil;Bandar Abbas;Bushehr;Bushehr Province;Natanz;Fordow;Fordo;Parchin;Khondab;Isfahan Nuclear Technology Center;Minab;Lamerd;Khomein;Miandoab;Qeshm;Qeshm Island;Kharg;Kharg Island;Abadan;Bandar Imam Khomeini;Chabahar;Jask;Sirri Island;Abu Musa;Greater Tunb;Lesser Tunb;Asaluyeh;South Pars;Khuzestan;Hormozgan;Sistan and Baluchestan;Kurdistan Province;Lorestan;Ilam;Mehrabad;Mehrabad Airport;Mehrabad International Airport;Imam Khomeini International Airport;Golestan Palace;Azadi Stadium;Azadi Indoor Stadium;Evin Prison;Dezful;Khorramabad;Sanandaj;Semnan;Shahroud;Bandar Lengeh;Zanjan;Qazvin;Arak heavy water reactor;Bushehr Nuclear Power Plant;Natanz Nuclear Facility;Fordow Fuel Enrichment Plant;Chabahar Port;Bandar Abbas Port;Shahid Rajaee Port;Kangan;Bandar Mahshahr;Persian Gulf Star Refinery;Abadan Refinery;Tabriz Refinery
ISR|Tel Aviv;Haifa;Beersheba;Beer Sheva;Ashdod;Ashkelon;Eilat;Dimona;Netanya;Herzliya;Rishon LeZion;Petah Tikva;Holon;Bat Yam;Ramat Gan;Rehovot;Beit Shemesh;Nahariya;Safed;Tiberias;Kiryat Shmona;Sderot;Acre;Negev;Galilee;Nevatim;Nevatim Airbase;Ramon Airbase;Hatzerim;Palmachim;Ben Gurion Airport;Ben Gurion International Airport;Kirya;Glilot;Ramat David;Ramat David Airbase;Tel Nof;Tel Nof Airbase;Haifa Port;Port of Haifa;Ashdod Port;Port of Ashdod
IRQ|Basra;Mosul;Erbil;Irbil;Kirkuk;Najaf;Karbala;Fallujah;Ramadi;Tikrit;Sulaymaniyah;Nasiriyah;Samarra;Ain al-Asad;Al Asad Airbase;Ain al-Asad Air Base;Camp Victory;Baghdad International Airport;Kurdistan Region;Anbar;Diyala;Nineveh;Halabja;Balad;Balad Air Base;Victory Base;Harir;Harir Air Base;Erbil International Airport
SYR|Aleppo;Homs;Latakia;Tartus;Deir ez-Zor;Deir ez-Zour;Raqqa;Idlib;Daraa;Quneitra;Palmyra;Hmeimim;Khmeimim;Hasakah;Qamishli;Tanf;Al-Tanf;Al Tanf;Deir ez-Zor Province;Shayrat;Mezzeh
LBN|Tyre;Sidon;Baalbek;Nabatieh;Dahiyeh;Dahieh;Bekaa;Bekaa Valley;Marjayoun;Beqaa;Beqaa Valley;Zahle;Hermel;Bint Jbeil;Khiam;Naqoura;Jounieh;Byblos;Rashaya;Rafic Hariri International Airport;Beirut International Airport
YEM|Aden;Hodeidah;Hudaydah;Taiz;Marib;Mukalla;Saada;Ras Isa
JOR|Aqaba;Zarqa;Irbid;Muwaffaq Salti Air Base;Tower 22
SAU|Jeddah;Mecca;Medina;Dammam;Dhahran;Abqaiq;Ras Tanura;Khurais;Yanbu;Tabuk;Jizan;Jazan;Najran;Khamis Mushait;Prince Sultan Air Base;Ras al-Khair;Eastern Province;Al-Kharj;Al Kharj;Qatif;Jubail;Taif;King Fahd International Airport;King Khalid International Airport;King Abdulaziz International Airport
ARE|Dubai;Sharjah;Fujairah;Ajman;Ras al-Khaimah;Ras Al Khaimah;Umm al-Quwain;Jebel Ali;Al Dhafra;Al Dhafra Air Base;Ruwais;Barakah;Khor Fakkan;Dubai International Airport;Abu Dhabi International Airport;Al Minhad Air Base;Fujairah Oil Industry Zone
QAT|Al Udeid;Al Udeid Air Base;Ras Laffan;Mesaieed;Lusail;Al Wakrah;Hamad International Airport;Dukhan;Ras Abu Aboud
KWT|Kuwait City;Camp Arifjan;Ali Al Salem;Ali Al Salem Air Base;Camp Buehring;Shuwaikh;Mina al-Ahmadi;Kuwait International Airport;Camp Doha;Shuaiba
BHR|Juffair;Muharraq;Isa Air Base;Sitra;Riffa;NSA Bahrain;Bahrain International Airport;Hidd
OMN|Duqm;Khasab;Salalah;Sohar;Musandam;Ras al-Hadd;Masirah;Thumrait
EGY|Alexandria;Suez;Port Said;Ismailia;Sinai;Sharm el-Sheikh;Aswan;Luxor;Rafah Crossing
TUR|Istanbul;Izmir;Incirlik;Incirlik Air Base;Kurecik;Kürecik;Adana;Diyarbakir;Gaziantep;Antalya;Hatay;Hatay Province;Dörtyol;Dortyol;Iskenderun;Mersin;Malatya;Hakkari;Sirnak;Şırnak;Van Province
AZE|Nakhchivan;Ganja;Sumgait;Sangachal
PAK|Karachi;Lahore;Quetta;Peshawar;Gwadar;Rawalpindi
AFG|Herat;Kandahar;Mazar-i-Sharif;Jalalabad;Bagram
RUS|St Petersburg;St. Petersburg;Saint Petersburg;Novorossiysk;Rostov-on-Don;Belgorod;Kursk;Bryansk;Voronezh;Murmansk;Vladivostok;Kaliningrad;Astrakhan;Makhachkala;Kazan;Yekaterinburg;Novosibirsk;Tartus naval base;Primorsko-Akhtarsk
UKR|Kharkiv;Kharkov;Odesa;Odessa;Lviv;Dnipro;Zaporizhzhia;Zaporizhia;Mykolaiv;Kherson;Sumy;Chernihiv;Poltava;Vinnytsia;Kryvyi Rih;Bakhmut;Avdiivka;Pokrovsk;Kramatorsk;Sloviansk
"""

# code | institutions   (";" separates forms)
INSTITUTION_ROWS = """
IRN|Islamic Revolutionary Guard Corps;IRGC;IRGC Navy;IRGCN;IRGC Aerospace Force;Revolutionary Guard;Revolutionary Guards;Revolutionary Guard Corps;Basij;Quds Force;Artesh;Islamic Republic of Iran Army;Islamic Republic of Iran Navy;Supreme National Security Council;Khatam al-Anbiya;Khatam-al-Anbiya;Majlis;Assembly of Experts;Guardian Council;Atomic Energy Organization of Iran;AEOI;Islamic Republic of Iran Broadcasting;IRIB;National Iranian Oil Company;NIOC
ISR|Israel Defense Forces;IDF;Israeli Air Force;Israeli Navy;Mossad;the Mossad;Shin Bet;Knesset;Iron Dome;David's Sling;Arrow 3
USA|CENTCOM;US Central Command;U.S. Central Command;Central Command;USAF;US Air Force;U.S. Air Force;US Navy;U.S. Navy;Fifth Fleet;US Army;U.S. Army;Department of Defense;Defense Department;Department of War
RUS|FSB;GRU;SVR;State Duma;Duma;Federation Council;Rosatom;Black Sea Fleet
SAU|Saudi Aramco;Aramco
GBR|Royal Navy;Royal Air Force;RAF;Ministry of Defence
"""
