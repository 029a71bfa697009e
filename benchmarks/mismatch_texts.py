"""The texts of the mismatch cases (`benchmarks/mismatch.py`), written for them: what
the transcripts hold that is never said, what the recordings hold that the transcripts
lack, and the foreign-language originals of the interpreted cases. The English each
interpreted case reads is a transcript of `benchmarks.texts` (LECTURE, KEEPER); the
rest is here. Transcripts are as a user would upload them, one line per paragraph.
"""

# ruff: noqa: E501

#: the Italian original a lecturer speaks, under the interpreter's English (cycled);
#: festival's Italian voice reads ISO-8859-1, so no character outside it
ITALIAN = [
    "Buongiorno a tutti, e grazie per essere venuti così numerosi.",
    "Oggi parliamo di come sono cresciute le città nel diciannovesimo secolo.",
    "Vorrei che teneste a mente una sola domanda durante tutta la lezione.",
    "Chi ha deciso dove sarebbero passate le strade, e con quale scopo?",
    "Cominciamo dai numeri, che sono sorprendenti.",
    "Nel milleottocento, solo una persona su cinquanta viveva in una grande città.",
    "Alla fine del secolo, quella quota era cresciuta moltissimo.",
    "La prima ondata di crescita fu quasi del tutto senza piano.",
    "Non c'erano fogne, c'era poca acqua pulita e nessuna regola sulla luce.",
    "A Parigi, il prefetto aprì grandi viali attraverso il centro medievale.",
    "A Barcellona, l'ingegnere propose una griglia di isolati tutti uguali.",
    "Negli Stati Uniti, la griglia era arrivata ancora prima.",
    "Che cosa hanno in comune queste storie, allora?",
    "Per la prossima settimana, leggete i due capitoli sulla riforma delle case.",
]

#: the German a lighthouse keeper speaks before his interpreter's English (cycled)
GERMAN = [
    "Vielen Dank, Sarah. Es ist seltsam, unter einem Dach zu sitzen, das nicht klappert.",
    "Eigentlich ganz zufällig. Ich habe neunzehnhundertneunundsiebzig auf eine Anzeige in der Zeitung geantwortet.",
    "Ich war vierundzwanzig und arbeitslos, und ich dachte, es wäre ein Sommerjob.",
    "Das Meer hat eine Art, einen festzuhalten.",
    "Einen normalen Tag gab es nicht, aber es gab eine feste Routine.",
    "Man zog das Uhrwerk auf, das die Linse drehte, und man putzte das Glas.",
    "Alle drei Stunden schrieb man das Wetter in das Logbuch.",
    "Wir waren zu dritt, vier Wochen auf dem Felsen und zwei Wochen an Land.",
    "Man lernt sehr schnell, welche Streitigkeiten sich nicht lohnen.",
    "Das Schwerste war, wenn das Ablöseboot nicht kam.",
    "Einmal brach eine Welle über die Galerie, und der ganze Turm bebte wie eine Glocke.",
    "Wir haben eine Kanne Tee gekocht und auf den Morgen gewartet.",
    "Jeden Sommer fahre ich mit einem Boot hinaus und sehe sie mir vom Wasser aus an.",
]

#: a podcast by two hosts; the editor's note, the sponsor line and the show notes are
#: never said (PODCAST_UNSAID), and an advertisement read by a third voice, not in the
#: transcript, comes after PODCAST_AD_AFTER
PODCAST = """ALEX: Hello and welcome to Field Notes, the podcast about the places nobody thinks to visit. I'm Alex.
JORDAN: And I'm Jordan. Today we are talking about salt marshes, which sounds boring, and I promise you it isn't.
ALEX: I'll admit I had to look up what a salt marsh actually is.
JORDAN: It's a coastal wetland that the tide floods twice a day. Grasses grow there that can live with their roots in salt water.

This episode is supported by listeners like you through our membership programme at fieldnotes dot org.

ALEX: So why should anyone care about a muddy field by the sea?
JORDAN: Because that muddy field stores carbon faster than a forest of the same size. The roots trap sediment, and the sediment buries dead plants before they can rot.
ALEX: Faster than a forest? That surprised me when I read it.
JORDAN: It surprised the scientists too. Per hectare, a healthy marsh can bury several times as much carbon each year as a mature woodland.

Editor's note: The comparison refers to carbon buried per hectare each year, not to the total amount stored. Forests still hold more carbon overall.

ALEX: What else do they do?
JORDAN: They protect the coast. A wide marsh takes the energy out of a storm surge before it reaches the sea wall. Engineers now plant marshes in front of dykes on purpose.
ALEX: That's clever. Nature doing the expensive work for free.
JORDAN: Mostly for free. You still have to give the marsh room to move inland as the sea rises.
ALEX: We'll come back to that after a short break.
JORDAN: Welcome back. Before the break we were talking about marshes moving inland.
ALEX: Right. What happens when they can't?
JORDAN: They drown. If there's a road or a wall behind them, the water gets deeper every year, the grasses die, and the mud washes away.
ALEX: That sounds like what's happening in a lot of places.
JORDAN: It is. Some estuaries have lost half their marsh in a century. But there are good stories as well.
ALEX: Give me one.
JORDAN: On the east coast of England, farmers let the sea back onto fields that were reclaimed three hundred years ago. Within ten years the birds were back, and the marsh was growing again.
ALEX: I love that. Jordan, thank you.
JORDAN: Thank you, Alex. Go and walk on a marsh this weekend, and wear boots.

Show notes: Our guest reading list includes three books on coastal ecology. Links to the studies mentioned in this episode are on our website. Music by the Harbour Lights Trio.
"""

PODCAST_UNSAID = (
    "Editor's note: The comparison refers to carbon buried per hectare each year, not to the total amount stored.",
    "Forests still hold more carbon overall.",
    "This episode is supported by listeners like you through our membership programme at fieldnotes dot org.",
    "Show notes: Our guest reading list includes three books on coastal ecology.",
    "Links to the studies mentioned in this episode are on our website.",
    "Music by the Harbour Lights Trio.",
)
PODCAST_AD_AFTER = "We'll come back to that after a short break."

#: the advertisement in the middle of the podcast (about 50 s), not in the transcript
AD = [
    "Are your mornings a rush of cold toast and lost keys?",
    "Meet Brightside, the breakfast kitchen that comes to your door.",
    "Every week we deliver fresh bread, local eggs and fruit picked no more than two days before it reaches you.",
    "You choose what you want in our app, and you can pause or cancel at any time.",
    "Our bakers start work at four in the morning, so you don't have to.",
    "Thousands of families have already switched, and most of them say they will never go back.",
    "This month, new customers get their first box free, and half price on the second.",
    "Every box is packed in paper and card, with no plastic at all, and our vans run on electricity.",
    "If you don't love your first delivery, we will refund it, no questions asked.",
    "Just enter the code MARSH at checkout.",
    "Brightside breakfast boxes. Fresh food, easy mornings.",
    "Terms and conditions apply, and delivery is available in most parts of the country.",
]

#: three paragraphs of unscripted talk in the geodesy lecture (texts.GEODESY), not in
#: its transcript: (said after this sentence of the transcript, the paragraph)
GEODESY_ASIDES = [
    ("How do we actually know where anything is on the surface of the Earth?",
     "Before we go on, a quick word about the exam. It will be on the twelfth, in the big hall downstairs. You may bring one sheet of notes, written on both sides. Calculators are allowed, but phones are not."),
    ("The degree near the pole came out longer, and the argument was over.",
     "I should say that I spent a summer as a student redoing one of those old surveys. We carried a brass instrument up three hills in the rain. At the end our answer was off by the width of a football pitch, and we were very proud of it."),
    ("Without that correction, positions would drift by roughly 10 km every day.",
     "Somebody asked me last week whether phones use the same satellites. They do, and they also use other systems launched by Europe, Russia and China. A modern phone may listen to thirty satellites at once. That is why it finds you so quickly in a city."),
]

#: a verbatim record of a council meeting: the dateline, byline and title are never
#: said; "Item II." and the one-word answers are
RECORD = """Council Chambers, 6:30 p.m.
By the Clerk of the Council
Minutes of the regular meeting

MAYOR: Good evening. The meeting will come to order. Will the clerk please call the roll?
CLERK: Councillor Abbott.
ABBOTT: Present.
CLERK: Councillor Brennan.
BRENNAN: Present.
CLERK: Councillor Castillo.
CASTILLO: Present.
CLERK: Madam Mayor, we have a quorum.
MAYOR: Thank you. Item I.
CLERK: Approval of the minutes of the meeting of the ninth of March.
MAYOR: Are there any corrections? Seeing none, is there a motion to approve?
ABBOTT: So moved.
BRENNAN: Second.
MAYOR: All in favour?
ABBOTT: Aye.
BRENNAN: Aye.
CASTILLO: Aye.
MAYOR: The minutes are approved. Item II.
CLERK: A request from the library board to extend the opening hours on Saturdays until five o'clock, at a cost of eleven thousand dollars a year.
CASTILLO: I have a question. Where does the money come from?
CLERK: From the reserve for community programmes, which has about forty thousand dollars left this year.
CASTILLO: Thanks.
BRENNAN: I support this. The library is full every Saturday morning, and people are turned away at noon.
MAYOR: Is there a motion?
BRENNAN: I move that we approve the request.
CASTILLO: Second.
MAYOR: All in favour?
ABBOTT: Aye.
BRENNAN: Aye.
CASTILLO: Aye.
MAYOR: Carried unanimously. Item III.
CLERK: Public comment. No one has signed up to speak tonight.
MAYOR: Then we are adjourned at six fifty two. Thank you, everyone.
"""
